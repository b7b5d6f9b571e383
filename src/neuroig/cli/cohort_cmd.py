"""``neuroig cohort generate``: a synthetic cohort as JSON lines (``docs/cohort.md``)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import orjson
import typer

from neuroig.cli.console import err_console, out_console
from neuroig.cli.registry_cmds import AsOpt, DbOpt, _errors, _open, acting_user
from neuroig.cohort.generate import CohortSpec, generate
from neuroig.escape import plain_text
from neuroig.report.cohort_chart import cohort_file_names, write_cohort_files
from neuroig.services.cohort import cohort_report

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


@cohort_app.command("report")
@_errors
def report_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also write the dashboard's chart (cohort.png) and the figures (cohort.csv) "
            "into this folder (created if missing; existing files are not overwritten).",
        ),
    ] = None,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Cohort figures of your sites: diagnoses, categories, responses, grams, reviews."""
    if plot is not None:
        cohort_file_names(plot, date.today())  # refused before the report is made
    engine = _open(db)
    report = cohort_report(engine, acting_user(engine, who), today=date.today())
    if plot is not None:
        for written in write_cohort_files(report, plot):
            err_console.print(plain_text(f"wrote {written}"), markup=False)
    if as_json:
        sys.stdout.buffer.write(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
        return
    lines = [f"cohort on {report.as_of}: {report.patients} patients"]
    if report.without_facts:
        lines.append(f"  {report.without_facts} without figures yet: run `neuroig reassess`")
    lines.append(
        "by diagnosis: " + ", ".join(f"{k} {v}" for k, v in sorted(report.by_diagnosis.items()))
    )
    for name, counts in report.categories.items():
        lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    rates = report.response_rates()
    for key, counts in sorted(report.response.items()):
        share = rates.get(key, {})
        lines.append(
            f"response {key}: "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            + (f" (responders {share['responder']:.0%})" if "responder" in share else "")
            + (
                f"; immunoglobulin-dependent {share['dependent_of_responders']:.0%} of responders"
                if "dependent_of_responders" in share
                else ""
            )
        )
    for key, grams in sorted(report.grams_per_patient_year.items()):
        lines.append(f"grams per patient-year, {key}: {grams:g}")
    for key, cost in sorted(report.cost_per_patient_year.items()):
        lines.append(f"cost per patient-year, {key}: {cost:,.2f}")
    lines.append(f"reviews: {report.review['overdue']} overdue, {report.review['due']} due")
    for key, stats in sorted(report.time_to_response.items()):
        lines.append(
            f"time to response, {key}: median {stats['median_days']:g} days "
            f"(quartiles {stats['q1_days']:g}-{stats['q3_days']:g}; "
            f"{stats['patients']:g} responders)"
        )
    if report.current_regimen:
        lines.append(
            "on immunoglobulin now: "
            + ", ".join(f"{k} {v}" for k, v in sorted(report.current_regimen.items()))
        )
    lines.append(
        f"dose-reduction trial suggested: {report.dose_reduction_candidates}; "
        f"declining response: {report.declining_response}; wear-off: {report.wear_off}"
    )
    if report.plans:
        lines.append(
            "plans to continue immunoglobulin: "
            + ", ".join(f"{k} {v}" for k, v in sorted(report.plans.items()))
            + "".join(f"; blocked by {k}: {v}" for k, v in sorted(report.blocked_by.items()))
        )
    lines.append(
        f"rules {report.rules['installed']}: "
        f"{report.rules['patients_under_other_rules']} under other rules, "
        f"{report.rules['changed_when_reassessed']} changed when reassessed"
    )
    for line in lines:
        out_console.print(plain_text(line), markup=False)
