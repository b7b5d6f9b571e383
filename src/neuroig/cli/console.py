"""Shared console helpers: one place that prints errors and sets exit codes."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import orjson
import typer
from rich.console import Console, ConsoleDimensions

from neuroig.case import Case, load_case, parse_case
from neuroig.case.boundary import MAX_CASE_BYTES, MAX_PROBLEMS, decode_case_bytes
from neuroig.errors import (
    CaseError,
    CaseReadError,
    CaseValidationError,
    InputError,
    InputLimitError,
    NeuroigError,
    UnsupportedFormatError,
)
from neuroig.escape import plain_text

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

EXIT_INVALID = 2
EXIT_INTERNAL = 1
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
    """The one mapping of an exception to (message, exit code); None for a real bug.

    Used by :func:`handle_errors` and by the batch commands for their per-case lines.
    """
    if isinstance(exc, CaseReadError):
        return str(exc), EXIT_INVALID
    if isinstance(exc, UnsupportedFormatError | InputError | InputLimitError | CaseError):
        return str(exc), EXIT_INVALID
    if isinstance(exc, NeuroigError):
        return f"error: {exc}", EXIT_INTERNAL
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename}: no such file", EXIT_INVALID
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename}: is a folder; give a file", EXIT_INVALID
    if isinstance(exc, PermissionError):
        return f"{exc.filename}: permission denied", EXIT_INVALID
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", EXIT_INVALID
    if isinstance(exc, RecursionError):
        return "input nested too deeply", EXIT_INVALID
    if isinstance(exc, ValueError) and "integer string conversion" in str(exc):
        return "input holds a number with too many digits", EXIT_INVALID
    return None


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
            print_problems(exc)
            raise typer.Exit(EXIT_INVALID) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            mapped = error_message(exc)
            if mapped is None:
                if os.environ.get("NEUROIG_DEBUG"):
                    raise
                mapped = (
                    f"internal error ({type(exc).__name__}: {plain_text(exc)[:200]}); "
                    "please report it with the input (NEUROIG_DEBUG=1 shows the traceback)",
                    EXIT_INTERNAL,
                )
            message, code = mapped
            err_console.print(plain_text(message), markup=False)
            raise typer.Exit(code) from None

    return wrapper


def read_case_arg(path: Path) -> Case:
    """Load the case named on the command line; ``-`` reads standard input (bounded)."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_CASE_BYTES + 1)
        return parse_case(decode_case_bytes(data, "<stdin>"), source="<stdin>")
    return load_case(path)


def dumps_json(doc: Any, *, indent: bool = False) -> str:
    """JSON text of an output document; refuses NaN and infinity (never valid JSON)."""
    stack = [doc]
    while stack:
        v = stack.pop()
        if isinstance(v, float) and not math.isfinite(v):
            raise InputError("output", str(v), "JSON output holds only finite numbers")
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list | tuple):
            stack.extend(v)
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(doc, option=option).decode("utf-8")


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
