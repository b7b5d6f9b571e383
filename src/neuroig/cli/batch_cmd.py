"""``neuroig evaluate FOLDER|FILE.jsonl``: many cases as JSON lines, with a progress bar."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from neuroig.assess import EvaluateOptions
from neuroig.case.boundary import MAX_PROBLEMS
from neuroig.cli.console import EXIT_INVALID, err_console
from neuroig.errors import InputError
from neuroig.escape import plain_text
from neuroig.services.assess import Detail
from neuroig.services.batch import check_out_path, count_sources, write_batch

__all__ = ["run_batch_cmd"]


def run_batch_cmd(
    path: Path,
    out: Path | None,
    *,
    as_json: bool,
    jobs: int,
    options: EvaluateOptions,
    detail: Detail,
) -> None:
    to_stdout = out is None or str(out) == "-"
    if out is None and not as_json:
        raise InputError(
            "--out",
            None,
            "is required for a folder or .jsonl input (or give --json to write to standard output)",
            "e.g. --out results.jsonl",
        )
    target = None if to_stdout else out
    if target is not None:
        check_out_path(path, target)
    total = count_sources(path)
    shown = 0

    with Progress(
        TextColumn("evaluating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=False,
    ) as progress:
        task = progress.add_task("cases", total=total)

        def invalid(source: str, problem: str) -> None:
            nonlocal shown
            shown += 1
            if shown <= MAX_PROBLEMS:
                progress.console.print(
                    f"{plain_text(source)}: invalid: {plain_text(problem)}", markup=False
                )

        summary = write_batch(
            path,
            target,
            sys.stdout,
            jobs=jobs or None,
            options=options,
            detail=detail,
            on_progress=lambda n: progress.advance(task, n),
            on_invalid=invalid,
        )
    if shown > MAX_PROBLEMS:
        err_console.print(
            f"… and {shown - MAX_PROBLEMS} more invalid cases (each has its error line)",
            markup=False,
        )
    where = "standard output" if target is None else plain_text(target)
    err_console.print(
        f"{summary.total} cases: {summary.valid} evaluated, {summary.invalid} invalid → {where}",
        markup=False,
    )
    if summary.invalid:
        raise typer.Exit(EXIT_INVALID)
