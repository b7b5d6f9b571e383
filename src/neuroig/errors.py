"""The one exception tree of neuroig.

Every error neuroig raises on purpose is a :class:`NeuroigError`. Each leaf also
inherits the builtin exception it resembles, so callers who only know Python's
builtins still catch it::

    NeuroigError
    ├── CaseError
    │   ├── CaseValidationError      (ValueError)  the case file breaks the format
    │   ├── UnsupportedFormatError   (ValueError)  not JSON/YAML, or an unknown format version
    │   ├── InputLimitError          (ValueError)  an input limit exceeded (size, depth, …)
    │   └── CaseReadError            (OSError)     the case file cannot be read
    ├── ReferenceDataError           (LookupError) a shipped table is missing or malformed
    ├── InputError                   (ValueError)  a bad option or argument to a calculator
    │   └── DoseLimitError                         a dose above a hard limit without override
    ├── RegistryError                (RuntimeError) the registry failed (reserved for the shell)
    └── AuthError                    (PermissionError) not allowed (reserved for the shell)

The CLI prints these without a traceback; the API maps them to problem+json in one place.
"""

from __future__ import annotations

from typing import Any

from neuroig.record import Record

__all__ = [
    "AuthError",
    "CaseError",
    "CaseReadError",
    "CaseValidationError",
    "DoseLimitError",
    "InputError",
    "InputLimitError",
    "NeuroigError",
    "Problem",
    "ReferenceDataError",
    "RegistryError",
    "UnknownPatientError",
    "UnsupportedFormatError",
]


class NeuroigError(Exception):
    """Base class of every error neuroig raises on purpose."""


class CaseError(NeuroigError):
    """A case file could not be read or is not a valid case."""


class Problem(Record, frozen=True):
    """One problem found in an input: where, what came, and what is allowed.

    ``path`` is a JSON path such as ``ncs.motor[2].sites[1].amplitude_mv``.
    """

    path: str
    message: str
    received: Any = None
    allowed: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class CaseValidationError(CaseError, ValueError):
    """The case breaks the ``neuroig-case/1`` format; ``problems`` lists the problems.

    ``problems`` holds at most the first ``limit`` problems (``None``: all); ``omitted``
    counts the rest, reported as "… and N more problems".
    """

    def __init__(
        self,
        problems: list[Problem],
        source: str | None = None,
        *,
        omitted: int = 0,
        limit: int | None = None,
    ) -> None:
        if limit is not None and len(problems) > limit:
            omitted += len(problems) - limit
            problems = problems[:limit]
        self.problems = problems
        self.source = source
        self.omitted = omitted
        total = len(problems) + omitted
        head = f"{source}: " if source else ""
        noun = "problem" if total == 1 else "problems"
        lines = "\n".join(f"  {p}" for p in problems)
        more = f"\n  … and {omitted} more problems" if omitted else ""
        super().__init__(f"{head}{total} {noun} in case\n{lines}{more}")


class UnsupportedFormatError(CaseError, ValueError):
    """The input is not JSON or YAML, or names a format version neuroig cannot read."""


class InputLimitError(CaseError, ValueError):
    """An input exceeds a limit of the input boundary (size, depth, aliases, digits …)."""

    def __init__(self, source: str | None, limit: str, detail: str) -> None:
        self.source = source
        self.limit = limit
        self.detail = detail
        super().__init__(f"{source or 'input'}: {detail} (input limit: {limit})")


class CaseReadError(CaseError, OSError):
    """A case file cannot be read: missing, a folder, a symlink loop, no permission."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.filename = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.filename}: {self.reason}"


class ReferenceDataError(NeuroigError, LookupError):
    """A shipped reference table is missing, malformed or lacks a requested entry."""


class InputError(NeuroigError, ValueError):
    """A calculator or command got an argument it cannot use.

    The message follows one template: the field, what was received, what is allowed.
    """

    def __init__(self, field: str, received: Any, allowed: str, hint: str = "") -> None:
        self.field = field
        self.received = received
        self.allowed = allowed
        self.hint = hint
        text = f"{field}: got {received!r}; {allowed}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class DoseLimitError(InputError):
    """A dose would exceed a hard limit and no override was recorded."""


class UnknownPatientError(InputError):
    """No patient of the registry has this case id (an API answers 404)."""


class RegistryError(NeuroigError, RuntimeError):
    """The registry (database) failed; raised by the shell, never by the core."""


class AuthError(NeuroigError, PermissionError):
    """The user is not allowed to do this; raised by the shell, never by the core."""
