"""``neuroig cohort generate``: a synthetic cohort as JSON lines (``docs/cohort.md``)."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import orjson
import typer

from neuroig.cohort.generate import CohortSpec, generate

__all__ = ["cohort_app"]

cohort_app = typer.Typer(help="Cohorts: a synthetic cohort.", no_args_is_help=True)


@cohort_app.command("generate")
def generate_cmd(
    patients: Annotated[
        int, typer.Option("--patients", min=1, max=1_000_000, help="How many patients.")
    ],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same cohort).")] = 1,
    until: Annotated[
        str,
        typer.Option("--until", help="Last date of any record (YYYY-MM-DD, not after today)."),
    ] = "2026-06-30",
) -> None:
    """Print a synthetic cohort, one case per line (import it with `neuroig import -`)."""
    try:
        last = date.fromisoformat(until)
    except ValueError:
        raise typer.BadParameter("a date YYYY-MM-DD", param_hint="--until") from None
    if not date(2000, 1, 1) <= last <= date.today():
        raise typer.BadParameter("from 2000-01-01 to today", param_hint="--until")
    out = sys.stdout.buffer
    for document in generate(CohortSpec(patients=patients, seed=seed, until=last)):
        out.write(orjson.dumps(document) + b"\n")
    out.flush()
