"""``neuroig review``: the monitoring review of a treated case (text, JSON, chart)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from neuroig.assess import evaluate
from neuroig.case import load_case
from neuroig.cli.console import err_console, fmt, handle_errors, out_console
from neuroig.errors import InputError
from neuroig.monitoring import Review, review_to_json, therapy_name
from neuroig.monitoring import review as run_review
from neuroig.services.prices import load_price_table
from neuroig.therapy import POLICIES

__all__ = ["review"]

_STATE = {True: "detected", False: "not detected", None: "unknown"}
_STATUS_STYLE = {
    "improved": "green",
    "worsened": "red",
    "mixed": "yellow",
    "unchanged": "",
    "not_judged": "dim",
}


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError("--on", value, "must be an ISO date YYYY-MM-DD") from None


def _heading(text: str) -> None:
    out_console.print()
    out_console.print(f"[bold underline]{text}[/bold underline]")


def _line(text: str) -> None:
    out_console.print(text, markup=False)


def _courses(rv: Review) -> None:
    _heading("Response per course (M2)")
    if not rv.courses:
        _line("No treatment course recorded.")
    for c in rv.courses:
        head = f"{c.course}: {therapy_name(c.therapy)} from {c.start}"
        if c.end:
            head += f" to {c.end}"
        if c.implicit:
            head += " (implicit: no course recorded)"
        out_console.print(f"[bold]{head}[/bold] — {c.response.replace('_', '-')}", highlight=False)
        _line(
            f"  baseline {c.baseline_date or 'none'}; first dose {c.first_dose}; judged from "
            f"{c.follow_up_from}; {c.doses} dose(s), {fmt(c.grams)} g"
        )
        if c.changes:
            t = Table(show_edge=False, pad_edge=False)
            for col in ("Measure", "Baseline", "Latest", "Δ", "MCID", "Status", "Note"):
                t.add_column(
                    col, justify="right" if col in {"Baseline", "Latest", "Δ", "MCID"} else "left"
                )
            for ch in c.changes:
                style = _STATUS_STYLE[ch.status]
                status = ch.status.replace("_", " ") + ("" if ch.counts else " (not counted)")
                t.add_row(
                    ch.label,
                    f"{fmt(ch.baseline, 2)} ({ch.baseline_date})",
                    f"{fmt(ch.latest, 2)} ({ch.latest_date})",
                    f"{ch.delta:+g}",
                    fmt(ch.mcid, 2) + ("" if ch.verified else "*"),
                    f"[{style}]{status}[/{style}]" if style else status,
                    ch.note,
                )
            out_console.print(t)
        _line(f"  {c.reason}")
        for n in c.not_compared:
            _line(f"  not compared: {n}")
    _line("  * MCID not verified for this use (see docs/decisions.md, M1).")


def _wear_off(rv: Review) -> None:
    wo = rv.wear_off
    _heading("Wear-off (M3)")
    _line(f"{_STATE[wo.detected]}: {wo.reason}")
    if wo.cycles:
        t = Table(show_edge=False, pad_edge=False)
        for col in ("Cycle", "From", "To", "Peak", "Trough", "Status", "Drops (peak→trough, MCID)"):
            t.add_column(col)
        for c in wo.cycles:
            drops = "; ".join(
                f"{d.label} {d.peak:g}→{d.trough:g} ({d.mcid:g})"
                + (
                    f", next peak {d.recovery_value:g}"
                    if d.recovery_value is not None
                    else ", recovery not observed"
                )
                for d in c.drops
            )
            t.add_row(
                str(c.number),
                str(c.start),
                str(c.end),
                str(c.peak_date or "—"),
                str(c.trough_date or "—"),
                c.status.replace("_", " "),
                drops or c.reason,
            )
        out_console.print(t)
        _line(f"{len(wo.cycles)} of {wo.cycles_total} cycles have assessments.")


def _intensity(rv: Review) -> None:
    _heading("Dose intensity and declining response (M4)")
    w = rv.intensity.weight
    if w is not None:
        _line(f"Dosing weight {fmt(w.kg, 2)} kg at the start of maintenance ({w.on}): {w.reason}.")
        if (
            rv.intensity.latest_weight_kg is not None
            and rv.intensity.latest_weight_kg != w.actual_kg
        ):
            _line(
                f"Latest recorded weight {fmt(rv.intensity.latest_weight_kg)} kg "
                f"({rv.intensity.latest_weight_source}); intensity stays on the start weight."
            )
    if rv.intensity.periods:
        t = Table(show_edge=False, pad_edge=False)
        for col in ("From", "To", "Route", "g per dose", "Interval d", "Doses", "g/kg per 28 d"):
            t.add_column(col, justify="left" if col in {"From", "To", "Route"} else "right")
        for p in rv.intensity.periods:
            t.add_row(
                str(p.start),
                str(p.end),
                p.route,
                fmt(p.grams_per_dose),
                fmt(p.interval_days),
                str(p.doses),
                f"{p.g_per_kg_per_28d:.2f}",
            )
        out_console.print(t)
    for n in rv.intensity.notes:
        if "no weight" in n:
            _line(n)
    dec = rv.declining
    _line(f"Declining response: {_STATE[dec.detected]} — {dec.reason}.")
    for ch in dec.changes:
        _line(
            f"  {ch.label}: {ch.baseline:g} ({ch.baseline_date}) → {ch.latest:g} "
            f"({ch.latest_date}), MCID {ch.mcid:g}: {ch.status}"
        )


def _axonal(rv: Review) -> None:
    _heading("Axonal loss (M6)")
    if not rv.axonal:
        _line("No motor nerve study recorded.")
        return
    t = Table(show_edge=False, pad_edge=False)
    for col in ("Nerve", "Studies", "First mV", "Latest mV", "Change", "LLN mV", "Flag"):
        t.add_column(col, justify="left" if col in {"Nerve", "Flag"} else "right")
    for n in rv.axonal:
        flag = {True: "[red]axonal loss likely[/red]", False: "no", None: "—"}[n.flagged]
        t.add_row(
            f"{n.side} {n.nerve}" + (f" ({n.recording})" if n.recording else ""),
            str(len(n.points)),
            f"{n.first_mv:g} ({n.points[0].date})",
            f"{n.latest_mv:g} ({n.points[-1].date})",
            f"{n.change_pct:+g} %" if n.change_pct is not None else "—",
            fmt(n.points[-1].lln_mv),
            flag,
        )
    out_console.print(t)
    _line("A nerve studied once is reported but neither flagged nor cleared (serial studies).")


def _cdas_and_cost(rv: Review) -> None:
    _heading("CDAS (Gorson 2010)")
    if rv.cdas is None:
        _line(rv.cdas_note)
    else:
        label = f"{rv.cdas.number} ({rv.cdas.name})" if rv.cdas.number else "not classified"
        _line(f"{label}: {rv.cdas.reason}")
        if rv.cdas_note:
            _line(rv.cdas_note)
    _heading("Cumulative immunoglobulin")
    u = rv.use
    _line(
        f"{fmt(u.grams)} g over {u.infusions} infusions"
        + (f" ({u.first} → {u.last})" if u.first else "")
        + f"; last 12 months {fmt(u.grams_last_12_months)} g"
    )
    if u.grams_by_year:
        _line("By year: " + ", ".join(f"{y}: {fmt(g)} g" for y, g in u.grams_by_year.items()))
    if u.cost is not None:
        _line(f"Cost {u.currency} {u.cost:,.2f} ({u.reason})")
    else:
        _line(
            f"Cost not computed: {u.reason}; priced part {u.currency} {u.cost_priced_part:,.2f}, "
            f"unpriced {fmt(u.unpriced_grams)} g"
        )
    for s in u.price_sources:
        _line(f"  price: {s}")


def _simon(rv: Review) -> None:
    s = rv.simon
    if s is None:
        return
    f = s.figures
    _heading("Simon 2013 replay (IVIg in an LMN syndrome without block)")
    _line(f"Applies: {s.trigger}.")
    if s.course is not None:
        _line(f"Response: {s.course.response.replace('_', '-')} — {s.course.reason}")
        for ch in s.course.changes:
            _line(
                f"  {ch.label}: {ch.baseline:g} → {ch.latest:g} (MCID {fmt(ch.mcid, 2)}): "
                f"{ch.status}"
            )
    _line(s.reason + ".")
    _line(
        f"Published: {f.responders}/{f.cohort} responded; the MMN-like triad was present in "
        f"{f.triad_in_responders}/{f.responders} responders and in "
        f"{f.triad_in_distal_onset_non_responders_pct:g} % of distal-onset non-responders. "
        f"Triad in this case: {_STATE.get(s.triad, 'unknown') if s.triad is None else s.triad}."
    )
    _line(f"Response definition not verified: {f.response_definition_note}")


def _render(rv: Review) -> None:
    out_console.print(f"[bold]{rv.case_id}[/bold] — review as of {rv.as_of}", highlight=False)
    _heading("Summary")
    for s in rv.summary:
        _line(f"• {s}")
    _courses(rv)
    _wear_off(rv)
    _intensity(rv)
    _axonal(rv)
    _cdas_and_cost(rv)
    _simon(rv)
    _heading("Suggestions")
    if not rv.suggestions:
        _line("None.")
    for sg in rv.suggestions:
        _line(f"[{sg.id}] {sg.text}")
        _line(f"    basis: {sg.basis}")
    dr = rv.dose_review
    verdict = {True: "taper trial suggested", False: "no taper", None: "undecided"}
    _line(f"Dose review (M5): {verdict[dr.taper_suggested]} — {dr.reason}.")
    _line(f"Next review due: {dr.next_review_due or '—'} ({dr.review_reason}).")
    if rv.notes:
        _heading("Notes")
        for n in rv.notes:
            _line(f"- {n}")


@handle_errors
def review(
    file: Annotated[Path, typer.Argument(help="A case file.")],
    *,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print the neuroig-review/1 JSON document.")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write a PNG chart of the outcomes and doses.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help="Review date YYYY-MM-DD (default: the case's last record)."),
    ] = None,
    currency: Annotated[str, typer.Option("--currency", help="Currency of the cost.")] = "GBP",
    prices: Annotated[
        Path | None,
        typer.Option("--prices", help="A site price table (TOML) instead of the built-in one."),
    ] = None,
    weight_policy: Annotated[
        str,
        typer.Option(
            "--weight-policy", help=f"Dosing weight for dose intensity: {', '.join(POLICIES)}."
        ),
    ] = "bloodstar-2026",
    simon_course: Annotated[
        int | None,
        typer.Option(
            "--simon-course",
            help="Judge treatments[N] (an IVIg course) as in Simon 2013 (LMN syndrome trial).",
        ),
    ] = None,
) -> None:
    """Review a treated case: response, wear-off, dose intensity, axonal loss, dose review."""
    if weight_policy not in POLICIES:
        raise InputError("--weight-policy", weight_policy, f"must be one of: {', '.join(POLICIES)}")
    case = load_case(file)
    rv = run_review(
        case,
        diagnosis=evaluate(case).diagnosis,  # MMN MCID, Simon 2013 replay (the criteria result)
        as_of=_parse_date(on),
        weight_policy=weight_policy,
        currency=currency,
        prices=load_price_table(prices),
        simon_course=simon_course,
    )
    if json_out:
        out_console.print_json(json.dumps(review_to_json(rv), ensure_ascii=False))
    else:
        _render(rv)
    if plot is not None:
        # matplotlib is imported only when a chart is asked for (CLI start-up time)
        from neuroig.report import review_chart

        width, height = review_chart(rv, plot)
        (err_console if json_out else out_console).print(
            f"chart written to {plot} ({width} × {height} px)", markup=False
        )
