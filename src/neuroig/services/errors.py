"""The one error mapper: any failure → a ``neuroig-error/1`` model, a message and an exit
code. The CLI prints the message, a batch writes the model as the case's line, and an
API will answer it as problem+json.

Exit codes: 2 for invalid input (the user can fix it), 1 for an internal error (a bug).
"""

from __future__ import annotations

from neuroig.case.boundary import MAX_PROBLEMS
from neuroig.errors import (
    CaseError,
    CaseValidationError,
    InputError,
    InputLimitError,
    NeuroigError,
    UnsupportedFormatError,
)
from neuroig.escape import plain_text
from neuroig.record import Record
from neuroig.schemas.error import ErrorDocument, ErrorProblem

__all__ = ["EXIT_INTERNAL", "EXIT_INVALID", "Failure", "error_document", "failure"]

EXIT_INVALID = 2
EXIT_INTERNAL = 1
WHOLE = "(document)"


class Failure(Record, frozen=True):
    """A failure as the user sees it: problems (path, message), the one-line message,
    the exit code, and how many problems were left out."""

    message: str
    exit_code: int
    problems: tuple[tuple[str, str], ...]
    omitted: int = 0
    internal: bool = False


def _one(message: str, code: int, *, internal: bool = False) -> Failure:
    return Failure(message, code, ((WHOLE, message),), internal=internal)


def failure(exc: BaseException) -> Failure:
    """Map an exception to a :class:`Failure`; an unexpected one is an internal error."""
    if isinstance(exc, CaseValidationError):
        kept = exc.problems[:MAX_PROBLEMS]
        return Failure(
            str(exc),
            EXIT_INVALID,
            tuple((p.path, p.message) for p in kept),
            exc.omitted + max(0, len(exc.problems) - MAX_PROBLEMS),
        )
    if isinstance(exc, UnsupportedFormatError | InputError | InputLimitError | CaseError):
        return _one(str(exc), EXIT_INVALID)
    if isinstance(exc, NeuroigError):
        return _one(f"error: {exc}", EXIT_INTERNAL)
    if isinstance(exc, FileNotFoundError):
        return _one(f"{exc.filename}: no such file", EXIT_INVALID)
    if isinstance(exc, IsADirectoryError):
        return _one(f"{exc.filename}: is a folder; give a file", EXIT_INVALID)
    if isinstance(exc, PermissionError):
        return _one(f"{exc.filename}: permission denied", EXIT_INVALID)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return _one(f"{where}{exc.strerror or exc}", EXIT_INVALID)
    if isinstance(exc, RecursionError):
        return _one("nested too deeply (input limit: depth)", EXIT_INVALID)
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return _one("input holds a number with too many digits", EXIT_INVALID)
    message = (
        f"internal error ({type(exc).__name__}: {plain_text(exc)[:200]}); "
        "please report it with the input (NEUROIG_DEBUG=1 shows the traceback)"
    )
    return _one(message, EXIT_INTERNAL, internal=True)


def error_document(
    exc: BaseException, *, source: str | None = None, line: int | None = None
) -> ErrorDocument:
    """The ``neuroig-error/1`` model of a failure; messages lose a leading ``source: ``."""
    f = failure(exc)
    if f.internal:  # the exception's text stays out of result files
        f = _one(f"internal error ({type(exc).__name__}); please report this case", EXIT_INTERNAL)
    prefix = f"{source}: " if source else ""
    problems = [ErrorProblem(path=p, message=m.removeprefix(prefix)) for p, m in f.problems]
    return ErrorDocument(
        source=source, line=line, problems=problems, more_problems=f.omitted or None
    )
