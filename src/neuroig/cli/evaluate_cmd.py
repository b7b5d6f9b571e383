"""``neuroig evaluate``: one case as a report or JSON, or many cases as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from neuroig.assess import EvaluateOptions
from neuroig.case.boundary import MAX_PROBLEMS
from neuroig.cli.console import EXIT_INVALID, err_console, handle_errors, out_console
from neuroig.cli.render_assessment import render_assessment
from neuroig.errors import InputError
from neuroig.escape import plain_text
from neuroig.schemas.emit import to_json
from neuroig.services.assess import Detail, assess
from neuroig.services.batch import check_out_path, count_sources, write_batch

DETAILS = ("summary", "full")

__all__ = ["evaluate_cmd"]


@handle_errors
def evaluate_cmd(
    path: Annotated[
        Path,
        typer.Argument(
            help="A case file, '-' for standard input, a folder of case files, or a .jsonl file."
        ),
    ],
    as_json: Annotated[
        bool, typer.Option("--json", metavar="", help="Print neuroig-assessment/1 JSON.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Batch mode: write one JSON line per case here ('-': standard output).",
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=0, help="Batch worker processes (0: one per core).")
    ] = 0,
    amplitude_surrogate: Annotated[
        bool,
        typer.Option(
            "--amplitude-surrogate",
            metavar="",
            help="Grade MMN block by amplitude where area is missing.",
        ),
    ] = False,
    include_unconfirmed: Annotated[
        bool,
        typer.Option(
            "--include-unconfirmed",
            metavar="",
            help="Include CIDP rows not confirmed in the guideline ([U]).",
        ),
    ] = False,
    detail: Annotated[
        str,
        typer.Option(
            "--detail",
            metavar="summary|full",
            help="Batch mode: each line holds the summary (default) or the full assessment.",
        ),
    ] = "summary",
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", metavar="", help="Add the full trace: every criterion of every set."
        ),
    ] = False,
) -> None:
    """Classify a case by EFNS/PNS 2010 MMN, AAEM 2003 MMN, EAN/PNS 2021 and EFNS/PNS 2010 CIDP.

    The report starts with the answer, deciding evidence, flags and next tests.
    -v adds every criterion. The width follows COLUMNS or the terminal.

    \b
    Examples:
      neuroig evaluate examples/mmn-definite.json
      neuroig evaluate -v examples/cidp-typical.json
      neuroig evaluate case.yaml --json > assessment.json
      neuroig evaluate cases/ --out results.jsonl --jobs 2
      neuroig evaluate cases.jsonl --out results.jsonl --detail full
    """
    options = EvaluateOptions(
        amplitude_surrogate=amplitude_surrogate, include_unconfirmed=include_unconfirmed
    )
    if detail not in DETAILS:
        raise InputError("--detail", detail, "must be summary or full")
    if str(path) != "-" and (path.is_dir() or path.suffix.lower() == ".jsonl"):
        _batch(path, out, as_json=as_json, jobs=jobs, options=options, detail=cast(Detail, detail))
        return
    if out is not None:
        raise InputError(
            "--out", str(out), "is only for a folder or .jsonl input; use --json for one case"
        )
    done = assess(path, options)  # a single case: the full document
    if as_json:
        sys.stdout.write(to_json(done.document, indent=True).decode("utf-8") + "\n")
        return
    render_assessment(done.assessment, out_console, verbose=verbose)


def _batch(
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
