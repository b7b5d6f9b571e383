"""``neuroig evaluate``: one case as a report or JSON, or many cases as JSON lines."""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path
from typing import Annotated, cast

import typer

from neuroig.assess import EvaluateOptions
from neuroig.cli.console import handle_errors, out_console
from neuroig.cli.render_assessment import render_assessment
from neuroig.errors import InputError
from neuroig.schemas.emit import to_json
from neuroig.services.assess import Detail, assess

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
        # the batch machinery (processes, progress bar) is loaded only for a batch
        batch_cmd = import_module("neuroig.cli.batch_cmd")
        batch_cmd.run_batch_cmd(
            path, out, as_json=as_json, jobs=jobs, options=options, detail=cast(Detail, detail)
        )
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
