"""``neuroig plan``: a therapy plan as a pharmacist's sheet, ``neuroig-plan/1`` JSON or ICS."""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.table import Table

from neuroig.case import Case
from neuroig.cli.console import EXIT_INVALID, err_console, fmt, handle_errors, out_console
from neuroig.errors import InputError
from neuroig.escape import plain_text
from neuroig.reference import product_ids
from neuroig.schemas.emit import to_json
from neuroig.services.plan import diagnosis_of
from neuroig.services.plan import plan as plan_service
from neuroig.therapy.dosing_weight import WeightPolicy
from neuroig.therapy.export import plan_to_ics
from neuroig.therapy.model import Finding, Plan, Session
from neuroig.therapy.options import Override, RegimenKind, Rounding
from neuroig.therapy.rates import RateSchedule

__all__ = ["diagnosis_of", "plan"]


def _date(value: str | None) -> date:
    if value is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("start", value, "must be a date YYYY-MM-DD") from None


def _overrides(values: list[str]) -> tuple[Override, ...]:
    out = []
    for v in values:
        rule, sep, reason = v.partition("=")
        if not sep:
            raise InputError("override", v, "must be ID=REASON, e.g. SAFE-RENAL-EGFR='on dialysis'")
        out.append(Override(rule.strip(), reason.strip()))
    return tuple(out)


def _patient(case: Case) -> str:
    p = case.patient
    if p is None:
        return "no patient details"
    parts = [
        p.sex or "sex ?",
        f"{fmt(p.age_years, 0)} y" if p.age_years is not None else f"born {p.birth_date or '?'}",
        f"{fmt(p.height_cm, 0)} cm" if p.height_cm else "height ?",
        f"{fmt(p.weight_kg)} kg" if p.weight_kg else "weight ?",
        f"group {p.blood_group}" if p.blood_group else "ABO ?",
    ]
    return ", ".join(parts)


_STYLE = {"block": "bold red", "warn": "yellow", "info": "cyan"}


def _packs(s: Session) -> str:
    if s.packs is None:
        return "not on file"
    return (
        "+".join(f"{p.count}×{p.grams:g}" if p.count > 1 else f"{p.grams:g}" for p in s.packs)
        + " g"
    )


#: Below this console width the sessions are stacked (one block per session) so that no
#: clinical value (grams, packs, rates, dates) is cut or hidden.
TABLE_MIN_WIDTH = 120


def _sheet_width() -> int:
    """The width the sheet is laid out for: ``COLUMNS`` when set, else the console's."""
    raw = os.environ.get("COLUMNS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else out_console.width


def _steps(s: Session) -> str:
    return "→".join(f"{x.ml_per_h:g}" for x in s.rate_steps) or "—"


def _duration(s: Session) -> str:
    return "—" if s.duration_min is None else f"{s.duration_min // 60}:{s.duration_min % 60:02d}"


def _print_sessions_stacked(sessions: tuple[Session, ...], sc: bool) -> None:
    p = out_console.print
    for s in sessions:
        head = f"  {s.date.isoformat()}" + (f"  {s.label}" if s.label else "")
        p(head, markup=False, soft_wrap=True)
        p(
            f"    dose {fmt(s.dose_g, 2)} g (computed {fmt(s.computed_g, 2)} g), "
            f"{fmt(s.volume_ml)} mL",
            markup=False,
            soft_wrap=True,
        )
        p(f"    packs {_packs(s)}, waste {fmt(s.wastage_g, 2)} g", markup=False, soft_wrap=True)
        if sc:
            sites = f"{s.sites} × {fmt(s.site_volume_ml)} mL" if s.sites else "—"
            p(f"    sites {sites}", markup=False, soft_wrap=True)
        p(f"    rates mL/h {_steps(s)}", markup=False, soft_wrap=True)
        cost = "—" if s.cost is None else f"{s.cost:,.2f}"
        p(f"    time {_duration(s)}, cost {cost}", markup=False, soft_wrap=True)


def _sessions_table(result: Plan) -> Table:
    r = result.regimen
    t = Table(title=f"Sessions ({'course' if r.interval_days is None else 'one cycle'})")
    sc = r.route == "sc"
    cols = ["Date", "Computed g", "Dose g", "mL", "Packs", "Waste g"]
    cols += ["Sites × mL"] if sc else []
    cols += ["Rate steps mL/h", "Time", "Cost"]
    left = {"Date", "Packs", "Rate steps mL/h"}
    for c in cols:
        t.add_column(c, justify="left" if c in left else "right", no_wrap=True)
    for s in r.ramp_up + r.sessions:
        steps = _steps(s)
        dur = _duration(s)
        row = [
            s.date.isoformat(),
            fmt(s.computed_g, 2),
            fmt(s.dose_g, 2),
            fmt(s.volume_ml),
            _packs(s),
            fmt(s.wastage_g, 2),
        ]
        if sc:
            row.append(f"{s.sites} × {fmt(s.site_volume_ml)}" if s.sites else "—")
        row += [steps, dur, "—" if s.cost is None else f"{s.cost:,.2f}"]
        t.add_row(*row)
    return t


def _finding_line(f: Finding, indent: str = "  ") -> None:
    mark = "" if f.verified else " [unverified]"
    if f.overridden_by is not None:
        over = f" — OVERRIDDEN: {f.overridden_by.reason}"
    elif f.severity == "block":
        over = f" — to proceed: --override {f.id}=REASON"
    else:
        over = ""
    out_console.print(
        f"{indent}[{_STYLE[f.severity]}]{f.severity.upper():5}[/] {f.id}: ", end="", markup=True
    )
    out_console.print(f"{f.text}{over} ({f.source}{mark})", markup=False)


def _at(result: Plan, where: str) -> list[Finding]:
    return [f for f in result.safety if f.applies_to == where]


def _print_sheet(case: Case, result: Plan) -> None:
    p = out_console.print
    r = result.regimen
    p(f"Therapy plan — {plain_text(result.case_id)}  ({r.kind})", markup=False, style="bold")
    p(f"Patient: {plain_text(_patient(case))}", markup=False)
    if result.status == "blocked":
        p(
            f"[bold red]PLAN BLOCKED[/bold red] by {', '.join(result.blocked_by)}: no schedule "
            "is given - each block needs a clinical decision"
        )
    dw = result.dosing_weight
    if dw is not None:
        extra = f", IBW {fmt(dw.ibw_kg, 2)} kg" if dw.ibw_kg is not None else ""
        p(
            f"Dosing weight: {dw.kg:.2f} kg ({dw.policy}{extra}, actual {fmt(dw.actual_kg)} kg) "
            f"— {dw.reason}",
            markup=False,
        )
    prod = result.product
    if prod is not None:
        conc = f"{prod.concentration_pct.value:g} %" if prod.concentration_pct else "conc. ?"
        packs = (
            ", ".join(f"{g:g}" for g in prod.packs_g.value) + " g"
            if prod.packs_g
            else "packs not on file"
        )
        p(f"Product: {prod.name} ({prod.maker}), {conc}, packs {packs}", markup=False)
    if r.dose_g_per_kg is not None:
        line = f"Regimen: {r.dose_g_per_kg:g} g/kg ({r.dose_basis})"
        if r.weekly_g_per_kg is not None:
            line += f" = {r.weekly_g_per_kg:g} g/kg/week"
        line += f" over {r.days} day(s)"
        if r.interval_days is not None:
            line += f", every {r.interval_days} days"
        p(line, markup=False)
    else:
        p(f"Regimen: {r.kind} {r.dose_basis}", markup=False)
    for change in r.changes:
        p(f"  change: {change}", markup=False)
    for f in _at(result, "regimen") + _at(result, "dose"):
        _finding_line(f)
    if result.status == "blocked":
        p(
            "[bold red]Blocked:[/bold red] the regimen above is not a usable schedule. "
            "To proceed, record the clinical reason for each block:"
        )
        for f in result.safety:
            if f.id in result.blocked_by:
                p(f"  --override {f.id}=REASON", markup=False)
        for f in _at(result, "sessions") + _at(result, "rates"):
            _finding_line(f)
    if r.dose_g_per_kg is not None and result.status == "ok":
        p(
            f"Computed {fmt(r.total_computed_g, 2)} g; dispensed {fmt(r.total_dispensed_g, 2)} g "
            f"(rounding {r.rounding}, tolerance {fmt(r.tolerance_g, 2)} g); packs issued "
            f"{fmt(r.total_issued_g, 2)} g, wastage {fmt(r.total_wastage_g, 2)} g",
            markup=False,
        )
    if r.sessions and r.route is not None:
        if r.ramp_up:
            p(
                f"The first {len(r.ramp_up)} sessions below are the label ramp-up (T20); "
                "the full dose follows.",
                markup=False,
            )
        width = _sheet_width()
        if width < TABLE_MIN_WIDTH:
            title = "one cycle" if r.interval_days is not None else "course"
            p(f"Sessions ({title}):", markup=False)
            _print_sessions_stacked(r.ramp_up + r.sessions, r.route == "sc")
        else:
            out_console.print(_sessions_table(result), width=width)
        for f in _at(result, "sessions"):
            _finding_line(f)
        basis = r.sessions[0].rate_basis
        if basis:
            p(f"Rates: {basis}", markup=False)
        for f in _at(result, "rates"):
            _finding_line(f)
        first = r.sessions[0].rate_steps
        if len(first) > 1:
            p(
                "Rate steps of the first session: "
                + ", ".join(f"from {x.after_min:g} min {x.ml_per_h:g} mL/h" for x in first)
                + " (T9: hold the start rate, then step up every "
                f"{result.options.rate_schedule.step_min:g} min × "
                f"{result.options.rate_schedule.factor:g} to the maximum or cap)",
                markup=False,
            )
    elif r.sessions:
        for s in r.sessions:
            p(f"  {s.date}  {s.label}", markup=False)
    for ph in r.phases:
        end = f" to {ph.end}" if ph.end else " onwards"
        p(f"  {ph.start}{end}: {ph.text}", markup=False)
    if r.review_date:
        p(f"Review: {r.review_date}", markup=False)
    if r.care:
        p("Supportive care:", markup=False)
        for item in r.care:
            p(f"  - {item}", markup=False)
    if r.schedule:
        p("Next cycles: " + ", ".join(d.isoformat() for d in r.schedule), markup=False)
    p("[bold]Safety[/bold]")
    for f in result.safety:
        _finding_line(f)
    c = result.cost
    if c is not None:
        year = f"; per year {c.per_year:,.2f}" if c.per_year is not None else "; per year n/a"
        p(
            f"Cost ({c.currency}, {c.price_per_g:g}/g on {c.grams_basis} grams): per "
            f"{'course' if r.interval_days is None else 'cycle'} {c.per_course:,.2f}{year} — "
            f"{c.price_source} (effective {c.price_effective}"
            f"{'' if c.price_verified else ', unverified'})",
            markup=False,
        )
    if result.advice:
        p("[bold]Advice[/bold]")
        for a in result.advice:
            mark = " ←" if a.applies_to_plan else ""
            p(
                f"  {a.status.replace('_', ' ')}: {a.text} [{a.evidence}; {a.cite}]{mark}",
                markup=False,
            )
    for n in result.notes:
        p(f"note: {n}", markup=False)
    for w in result.warnings:
        p(f"warning: {w}", markup=False)


@handle_errors
def plan(
    case_file: Annotated[Path, typer.Argument(metavar="CASE", help="A case file.")],
    *,
    regimen: Annotated[
        str | None,
        typer.Option(
            help="ivig-induction | ivig-maintenance | scig | prednisone | plasma-exchange "
            "(default: maintenance if the case records IV infusions, else induction)."
        ),
    ] = None,
    product: Annotated[
        str | None,
        typer.Option(
            help="Product id (default: the product of the case's last infusion by the route): "
            + ", ".join(product_ids())
            + "."
        ),
    ] = None,
    weight_policy: Annotated[
        str | None,
        typer.Option(
            help="actual | bloodstar-2026 | ontario-igum-5 (default: NEUROIG_WEIGHT_POLICY, "
            "else bloodstar-2026)."
        ),
    ] = None,
    rounding: Annotated[str, typer.Option(help="none | nearest-5g | vials.")] = "vials",
    days: Annotated[int | None, typer.Option(help="Infusion days per course/cycle.")] = None,
    start: Annotated[
        str | None, typer.Option(help="First session date YYYY-MM-DD (default: today).")
    ] = None,
    dose: Annotated[
        float | None,
        typer.Option(help="g/kg per course/cycle (SCIg: g/kg per week)."),
    ] = None,
    interval: Annotated[int | None, typer.Option(help="Days between cycles.")] = None,
    ivig_dose: Annotated[
        float | None, typer.Option(help="Current IVIg g/kg, for the 1:1 SCIg conversion.")
    ] = None,
    ivig_interval: Annotated[
        int | None, typer.Option(help="Current IVIg interval (days), for the conversion.")
    ] = None,
    authorised_max_g: Annotated[
        float | None, typer.Option(help="Grams authorised per course/cycle.")
    ] = None,
    pre_pregnancy_weight: Annotated[
        float | None, typer.Option(help="Pre-pregnancy weight kg (ontario-igum-5).")
    ] = None,
    override: Annotated[
        list[str] | None,
        typer.Option(help="ID=REASON: override a block finding or a dose limit (repeatable)."),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(
            help="A site price table (TOML, same shape as the shipped one; default: "
            "NEUROIG_PRICE_TABLE, else the built-in table)."
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(help="Currency of the cost (default: NEUROIG_CURRENCY, else GBP)."),
    ] = None,
    horizon_months: Annotated[int, typer.Option(help="Months of cycles to schedule.")] = 6,
    hold_min: Annotated[float, typer.Option(help="Minutes at the start rate.")] = 30.0,
    step_min: Annotated[float, typer.Option(help="Minutes between rate steps.")] = 30.0,
    step_factor: Annotated[float, typer.Option(help="Rate multiplier per step.")] = 2.0,
    resume_rate: Annotated[
        bool,
        typer.Option(
            metavar="", help="Start a continuing patient at the last tolerated rate (T2; a flag)."
        ),
    ] = True,
    prednisone_mg: Annotated[float, typer.Option(help="Prednisone mg/day.")] = 60.0,
    prednisone_weeks: Annotated[int, typer.Option(help="Weeks at full dose.")] = 12,
    exchanges: Annotated[int, typer.Option(help="Plasma exchanges in the course.")] = 10,
    exchange_weeks: Annotated[int, typer.Option(help="Weeks the course spans.")] = 4,
    at_risk_rate: Annotated[
        float | None,
        typer.Option(
            help="Site at-risk rate cap in mg/kg/min for products whose label gives none "
            "(default: NEUROIG_AT_RISK_RATE_MG_KG_MIN, else 3.3, decision T18)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", metavar="", help="Print neuroig-plan/1 JSON (a flag).")
    ] = False,
    ics: Annotated[Path | None, typer.Option(help="Write the schedule as iCalendar.")] = None,
) -> None:
    """Plan therapy for a case: dosing weight, regimen, sessions, safety, advice and cost.

    The case is evaluated first: an immunotherapy that its own assessment or treatment
    history argues against is blocked (exit 2) until each block is overridden with
    --override ID=REASON.

    Examples:

      neuroig plan case.json --regimen ivig-induction --product privigen --start 2026-12-01

      neuroig plan case.json --regimen ivig-maintenance --dose 0.8 --interval 28 --json

      neuroig plan case.json --regimen scig --product hizentra --ics plan.ics

      neuroig plan case.json --override GATE-DX-NONE="IVIg trial agreed at MDT"

    Exit codes: 0 plan ready; 2 invalid input or plan blocked.
    """
    done = plan_service(
        case_file,
        start=_date(start),
        prices=prices,
        regimen=cast(RegimenKind, regimen),  # PlanOptions validates the value
        product=product,
        weight_policy=cast(WeightPolicy | None, weight_policy),
        rounding=cast(Rounding, rounding),
        dose_g_per_kg=dose,
        days=days,
        interval_days=interval,
        ivig_dose_g_per_kg=ivig_dose,
        ivig_interval_days=ivig_interval,
        authorised_max_g=authorised_max_g,
        pre_pregnancy_weight_kg=pre_pregnancy_weight,
        overrides=_overrides(override or []),
        rate_schedule=RateSchedule(hold_min=hold_min, step_min=step_min, factor=step_factor),
        resume_tolerated_rate=resume_rate,
        currency=currency,
        horizon_months=horizon_months,
        prednisone_mg_per_day=prednisone_mg,
        prednisone_weeks=prednisone_weeks,
        exchanges=exchanges,
        exchange_weeks=exchange_weeks,
        at_risk_rate_mg_kg_min=at_risk_rate,
    )
    result = done.plan
    if as_json:
        sys.stdout.write(to_json(done.document, indent=True).decode("utf-8") + "\n")
    else:
        _print_sheet(done.case, result)
    if ics is not None and result.status == "ok":
        ics.write_bytes(plan_to_ics(result, stamp=datetime.now(UTC)))
        err_console.print(f"{ics}: schedule written", markup=False)
    if result.status == "blocked":
        for f in result.safety:
            if f.id in result.blocked_by:
                err_console.print(
                    f"safety.{f.id}: block: {f.text} (override with --override {f.id}=REASON)",
                    markup=False,
                )
        raise typer.Exit(EXIT_INVALID)
