"""``neuroig validate``: check case files without loading the engine (fast start-up)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from neuroig.case import Case, case_warnings, load_case
from neuroig.case.load import parse_case
from neuroig.cli.console import (
    EXIT_INVALID,
    err_console,
    error_message,
    out_console,
    print_problems,
    read_case_arg,
)
from neuroig.errors import CaseReadError, CaseValidationError, NeuroigError, UnsupportedFormatError
from neuroig.escape import plain_text
from neuroig.services.sources import Source, iter_sources

__all__ = ["validate"]


def _validate_one(name: str, load: Callable[[], Case], *, quiet: bool) -> bool:
    """Validate one case; print its verdict (problems named with the source). True if valid."""
    try:
        case = load()
    except CaseValidationError as exc:
        print_problems(exc)
        return False
    except (NeuroigError, OSError, RecursionError, ValueError) as exc:
        mapped = error_message(exc)
        if mapped is None:
            raise
        err_console.print(plain_text(mapped[0]), markup=False)
        return False
    if not quiet:
        out_console.print(f"{plain_text(name)}: valid ({plain_text(case.case_id)})", markup=False)
    for w in case_warnings(case):
        err_console.print(f"{plain_text(name)}: warning: {plain_text(w)}", markup=False)
    return True


def _sources(path: Path) -> list[tuple[str, Callable[[], Case]]]:
    """(name, loader) for each case a command-line argument names."""
    if str(path) == "-":
        return [("<stdin>", lambda: read_case_arg(path))]
    if path.is_dir() or path.suffix.lower() == ".jsonl":
        out: list[tuple[str, Callable[[], Case]]] = []
        for src in iter_sources(path):
            out.append((src.name, partial(_parse_source, src)))
        if not out:
            raise CaseReadError(str(path), "holds no case files (.json, .yaml, .yml)")
        return out
    return [(str(path), partial(load_case, path))]


def _parse_source(src: Source) -> Case:
    if src.text is None:
        raise UnsupportedFormatError(src.error or f"{src.name}: cannot be read")
    return parse_case(src.text, fmt=src.fmt, source=src.name)


def validate(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Case files (.json, .yaml, .yml), folders of them, .jsonl files, or '-' "
            "for standard input."
        ),
    ],
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", metavar="", help="Print only problems.")
    ] = False,
) -> None:
    """Validate cases; exit 0 when all are valid, 2 when any is invalid or unreadable.

    Each problem is one line: the JSON path, what came and what is allowed.

    \b
    Examples:
      neuroig validate examples/mmn-definite.json
      neuroig validate examples/                 # every case file in a folder
      neuroig validate cases.jsonl -q            # one case per line; print only problems
      cat case.yaml | neuroig validate -
    """
    bad = 0
    for path in files:
        try:
            sources = _sources(path)
        except (NeuroigError, OSError) as exc:
            bad += 1
            mapped = error_message(exc)
            err_console.print(plain_text(mapped[0] if mapped else str(exc)), markup=False)
            continue
        for name, load in sources:
            bad += not _validate_one(name, load, quiet=quiet)
    if bad:
        raise typer.Exit(EXIT_INVALID)
