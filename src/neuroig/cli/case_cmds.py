"""``neuroig show`` and ``neuroig schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from neuroig.case import (
    Case,
    age_at,
    case_json_schema,
    case_warnings,
    disease_duration_months,
    load_case,
    reference_date,
)
from neuroig.cli.console import (
    fmt,
    handle_errors,
    out_console,
)
from neuroig.cli.render_assessment import Column, para, table_or_stack
from neuroig.electro.table import ncs_table
from neuroig.schemas.emit import OUTPUTS, json_schema

__all__ = ["schema", "show"]


@handle_errors
def schema(
    output: Annotated[
        str,
        typer.Option(
            "--output",
            metavar="NAME",
            help="case (the input format, default), or an output: " + ", ".join(OUTPUTS) + ".",
        ),
    ] = "case",
) -> None:
    """Print the JSON Schema of the case format neuroig-case/1, or of an output.

    \b
    Examples:
      neuroig schema > case.schema.json
      neuroig schema --output assessment-summary
    """
    if output == "case":
        out_console.print_json(json.dumps(case_json_schema()))
        return
    sys.stdout.write(orjson.dumps(json_schema(output), option=orjson.OPT_INDENT_2).decode() + "\n")


def _patient_line(case: Case) -> str:
    p = case.patient
    parts: list[str] = []
    if p is not None:
        age = age_at(case, reference_date(case))
        parts += [
            p.sex or "sex ?",
            f"{age:.0f} y" if age is not None else "age ?",
            f"{fmt(p.height_cm, 0)} cm" if p.height_cm else "height ?",
            f"{fmt(p.weight_kg)} kg" if p.weight_kg else "weight ?",
        ]
        if p.blood_group:
            parts.append(f"group {p.blood_group}")
    h = case.history
    if h is not None:
        if h.course:
            parts.append(h.course.replace("_", " "))
        months = disease_duration_months(case)
        if months is not None:
            parts.append(f"{months:.0f} months since onset")
    return ", ".join(parts) or "no patient details"


def _pct(value: float | None) -> str:
    return f" ({value:.0f}%)" if value is not None else ""


@handle_errors
def show(file: Annotated[Path, typer.Argument(help="A case file.")]) -> None:
    """Print a readable summary of a case: patient, examination, NCS with % of limits.

    \b
    Examples:
      neuroig show examples/mmn-definite.json
      COLUMNS=80 neuroig show case.yaml
    """
    case = load_case(file)
    para(out_console, f"{case.case_id}  {_patient_line(case)}", style="bold")
    exam = case.exam
    if exam is not None and exam.strength:
        weak = [
            f"{e.side} {e.muscle.replace('_', ' ')} MRC\u00a0"
            + (fmt(e.mrc) if not isinstance(e.mrc, str) else e.mrc)
            for e in exam.strength
            if e.grade < 5
        ]
        para(out_console, "Weak muscles: " + (", ".join(weak) if weak else "none"))
    if exam is not None and exam.sensory is not None and exam.sensory.objective_loss:
        para(
            out_console,
            f"Objective sensory loss: {exam.sensory.objective_loss.replace('_', ' ')}",
        )
    table = ncs_table(case)
    if table.motor:
        rows: list[list[str]] = []
        for r in table.motor:
            first_site = next(x.site for x in table.motor if (x.nerve, x.side) == (r.nerve, r.side))
            name = f"{r.side} {r.nerve}"
            site = r.site.replace("_", " ")
            if r.no_response:
                rows.append([name, site, "NR", "NR", "", "", fmt(r.distance_mm, 0), "", ""])
                continue
            f = "absent" if r.f_absent else fmt(r.f_latency_ms) + _pct(r.f_pct_uln)
            rows.append(
                [
                    name,
                    site,
                    fmt(r.latency_ms) + _pct(r.latency_pct_uln),
                    fmt(r.amplitude_mv) + _pct(r.amplitude_pct_lln),
                    fmt(r.area_mvms),
                    fmt(r.duration_ms),
                    fmt(r.distance_mm, 0),
                    fmt(r.velocity_m_s) + _pct(r.velocity_pct_lln),
                    f if r.site == first_site else "",
                ]
            )
        date = case.ncs.date if case.ncs and case.ncs.date else None
        table_or_stack(
            out_console,
            "Motor NCS" + (f" {date.isoformat()}" if date else ""),
            (
                Column("Nerve"),
                Column("Site"),
                Column("Lat ms", numeric=True),
                Column("Amp mV", numeric=True),
                Column("Area mV·ms", numeric=True),
                Column("Dur ms", numeric=True),
                Column("Dist mm", numeric=True),
                Column("CV m/s", numeric=True),
                Column("F ms", numeric=True),
            ),
            rows,
            group=2,
        )
    if table.sensory:
        srows: list[list[str]] = []
        for s in table.sensory:
            if s.no_response:
                srows.append([f"{s.side} {s.nerve}", s.segment, "NR", "", ""])
                continue
            srows.append(
                [
                    f"{s.side} {s.nerve}",
                    s.segment,
                    fmt(s.amplitude_uv) + _pct(s.amplitude_pct_lln),
                    fmt(s.velocity_m_s) + _pct(s.velocity_pct_lln),
                    fmt(s.peak_latency_ms) + _pct(s.peak_latency_pct_uln),
                ]
            )
        table_or_stack(
            out_console,
            "Sensory NCS",
            (
                Column("Nerve"),
                Column("Segment"),
                Column("Amp µV", numeric=True),
                Column("CV m/s", numeric=True),
                Column("Peak lat ms", numeric=True),
            ),
            srows,
            group=2,
        )
    if table.motor or table.sensory:
        para(
            out_console,
            "Percentages: distal latency and F latency as % of ULN; distal amplitude and "
            "velocity as % of LLN.",
        )
        for src in table.limit_sources:
            para(out_console, f"limits: {src}", indent=2)
    for w in case_warnings(case):
        para(out_console, f"warning: {w}")
