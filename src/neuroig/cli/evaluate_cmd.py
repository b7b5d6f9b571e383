"""``neuroig evaluate``: one case as a report or JSON, or many cases as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from neuroig.assess import EvaluateOptions, evaluate
from neuroig.case import load_case
from neuroig.cli.console import EXIT_INVALID, err_console, handle_errors, out_console
from neuroig.cli.render_assessment import render_assessment
from neuroig.errors import InputError
from neuroig.services.batch import count_sources, run_batch

__all__ = ["evaluate_cmd"]


@handle_errors
def evaluate_cmd(
    path: Annotated[
        Path, typer.Argument(help="A case file, a folder of case files, or a .jsonl file.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", metavar="", help="Print neuroig-assessment/1 JSON.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Batch mode: write one JSON line per case here.")
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
    """
    options = EvaluateOptions(
        amplitude_surrogate=amplitude_surrogate, include_unconfirmed=include_unconfirmed
    )
    batch = path.is_dir() or path.suffix.lower() == ".jsonl"
    if batch:
        if out is None:
            raise InputError(
                "--out",
                None,
                "is required for a folder or .jsonl input",
                "e.g. --out results.jsonl",
            )
        total = count_sources(path)
        with (
            out.open("w", encoding="utf-8") as fh,
            Progress(
                TextColumn("evaluating"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err_console,
                transient=False,
            ) as progress,
        ):
            task = progress.add_task("cases", total=total)
            summary = run_batch(
                path,
                fh,
                jobs=jobs or None,
                options=options,
                on_progress=lambda n: progress.advance(task, n),
            )
        err_console.print(
            f"{summary.total} cases: {summary.valid} evaluated, {summary.invalid} invalid → {out}",
            markup=False,
        )
        if summary.invalid:
            raise typer.Exit(EXIT_INVALID)
        return
    if out is not None:
        raise InputError(
            "--out", str(out), "is only for a folder or .jsonl input; use --json for one case"
        )
    assessment = evaluate(load_case(path), options)
    if as_json:
        sys.stdout.write(
            orjson.dumps(assessment.to_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"
        )
        return
    render_assessment(assessment, out_console, verbose=verbose)
