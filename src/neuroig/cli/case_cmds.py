"""``neuroig validate``, ``neuroig show`` and ``neuroig schema``."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated

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
from neuroig.case.load import parse_case
from neuroig.cli.console import (
    EXIT_INVALID,
    err_console,
    error_message,
    fmt,
    handle_errors,
    out_console,
    print_problems,
    read_case_arg,
)
from neuroig.cli.render_assessment import Column, para, table_or_stack
from neuroig.electro.table import ncs_table
from neuroig.errors import (
    CaseReadError,
    CaseValidationError,
    NeuroigError,
    UnsupportedFormatError,
)
from neuroig.escape import plain_text
from neuroig.services.batch import Source, iter_sources

__all__ = ["schema", "show", "validate"]


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
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
) -> None:
    """Validate cases; exit 0 when all are valid, 2 when any is invalid or unreadable."""
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


def schema() -> None:
    """Print the JSON Schema of the case format neuroig-case/1."""
    out_console.print_json(json.dumps(case_json_schema()))


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
