"""Shared console helpers: one place that prints errors and sets exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console, ConsoleDimensions

from neuroig.errors import CaseValidationError, InputError, NeuroigError, UnsupportedFormatError

__all__ = [
    "DEFAULT_WIDTH",
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "err_console",
    "fmt",
    "handle_errors",
    "out_console",
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
    """Print a validation error: a header line, then one problem per line, path first."""
    head = f"{error.source}: " if error.source else ""
    n = len(error.problems)
    err_console.print(f"{head}invalid ({n} problem{'s' if n != 1 else ''})", markup=False)
    for p in error.problems:
        err_console.print(str(p), markup=False)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Map neuroig errors to exit codes without a traceback (2 invalid input, 1 internal)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CaseValidationError as exc:
            print_problems(exc)
            raise typer.Exit(EXIT_INVALID) from None
        except (UnsupportedFormatError, InputError) as exc:
            err_console.print(str(exc), markup=False)
            raise typer.Exit(EXIT_INVALID) from None
        except FileNotFoundError as exc:
            err_console.print(f"{exc.filename}: no such file", markup=False)
            raise typer.Exit(EXIT_INVALID) from None
        except NeuroigError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


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
