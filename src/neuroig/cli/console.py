"""Shared console helpers: one place that prints errors and sets exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import orjson
import typer
from rich.console import Console, ConsoleDimensions

from neuroig.case import Case
from neuroig.case.boundary import MAX_PROBLEMS
from neuroig.errors import CaseValidationError
from neuroig.escape import plain_text
from neuroig.schemas.emit import check_finite, to_json
from neuroig.services.errors import EXIT_INTERNAL, EXIT_INVALID, error_document, failure
from neuroig.services.source import load_source

__all__ = [
    "DEFAULT_WIDTH",
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "dumps_json",
    "err_console",
    "error_message",
    "fmt",
    "handle_errors",
    "out_console",
    "print_problems",
    "read_case_arg",
    "text_width",
]

#: Width of piped output when ``COLUMNS`` is not set.
DEFAULT_WIDTH = 120
MIN_WIDTH = 40


def text_width(*, is_terminal: bool, terminal_width: int | None) -> int:
    """The text width: ``COLUMNS`` when set, else the terminal's width, else
    :data:`DEFAULT_WIDTH` (piped output); never below :data:`MIN_WIDTH`."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(MIN_WIDTH, int(columns))
    if is_terminal and terminal_width:
        return max(MIN_WIDTH, terminal_width)
    return DEFAULT_WIDTH


class _Console(Console):
    """A console whose width follows ``COLUMNS`` and the terminal at each print (not once
    at import)."""

    @property
    def size(self) -> ConsoleDimensions:
        base = super().size
        return ConsoleDimensions(
            text_width(is_terminal=self.is_terminal, terminal_width=base.width), base.height
        )

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        width, height = new_size
        self._width = width
        self._height = height


def _console(*, stderr: bool = False) -> Console:
    # soft wrap: Rich does not cut printed lines; reports wrap their own paragraphs at
    # spaces to the width (render_assessment.para) and tables fit or stack
    return _Console(stderr=stderr, highlight=False, soft_wrap=True)


out_console = _console()
err_console = _console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def print_problems(error: CaseValidationError) -> None:
    """Print a validation error: a header line, then one problem per line, path first.

    At most ``MAX_PROBLEMS`` lines (the error holds no more), then "… and N more problems".
    """
    head = f"{plain_text(error.source)}: " if error.source else ""
    n = len(error.problems) + error.omitted
    err_console.print(f"{head}invalid ({n} problem{'s' if n != 1 else ''})", markup=False)
    for p in error.problems[:MAX_PROBLEMS]:
        err_console.print(plain_text(p), markup=False)
    more = error.omitted + max(0, len(error.problems) - MAX_PROBLEMS)
    if more:
        err_console.print(f"… and {more} more problems", markup=False)


def error_message(exc: BaseException) -> tuple[str, int] | None:
    """(message, exit code) of an exception by the one mapper
    (:func:`neuroig.services.errors.failure`); None for a real bug."""
    f = failure(exc)
    return None if f.internal else (f.message, f.exit_code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Map errors to exit codes without a traceback (2 invalid input, 1 internal).

    An unexpected exception (a bug) prints one "internal error" line and exits 1; set
    ``NEUROIG_DEBUG=1`` to see its traceback instead.
    """

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CaseValidationError as exc:
            _json_error(exc, kwargs)
            print_problems(exc)
            raise typer.Exit(EXIT_INVALID) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            f = failure(exc)
            if f.internal and os.environ.get("NEUROIG_DEBUG"):
                raise
            _json_error(exc, kwargs)
            err_console.print(plain_text(f.message), markup=False)
            raise typer.Exit(f.exit_code) from None

    return wrapper


def _json_error(exc: BaseException, kwargs: dict[str, Any]) -> None:
    """With ``--json``, a failure is also printed as its ``neuroig-error/1`` document on
    standard output (the one mapper's model), so a caller reading JSON always gets JSON."""
    if not kwargs.get("as_json"):
        return
    source = next((str(v) for v in kwargs.values() if isinstance(v, Path)), None)
    document = error_document(exc, source=source)
    sys.stdout.buffer.write(to_json(document, indent=True) + b"\n")
    sys.stdout.flush()


def read_case_arg(path: Path) -> Case:
    """Load the case named on the command line; ``-`` reads standard input (bounded)."""
    return load_source(path)


def dumps_json(doc: Any, *, indent: bool = False) -> str:
    """JSON text of a JSON-ready value; refuses NaN and infinity (never valid JSON).

    Documents are printed from their models with :func:`neuroig.schemas.emit.to_json`.
    """
    check_finite(doc)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 if indent else 0).decode("utf-8")


def fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    """Format a number for a table; '—' when missing."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"
    return text + suffix


def flush() -> None:
    """Flush standard streams (used before exiting with a code)."""
    sys.stdout.flush()
    sys.stderr.flush()
