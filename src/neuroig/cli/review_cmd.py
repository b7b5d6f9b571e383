"""``neuroig review``: the monitoring review of a treated case (text, JSON, chart).

Every string that came from the case is printed through :mod:`neuroig.escape`
(``plain_text`` for plain lines and table cells, which are never parsed as markup).
Tables are printed only when every value fits the terminal whole; otherwise the same
rows are printed as lines, so no clinical value is cut at the terminal width.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from neuroig.cli.console import err_console, fmt, handle_errors
from neuroig.errors import InputError
from neuroig.escape import plain_text
from neuroig.monitoring.review import Review, therapy_name
from neuroig.schemas.emit import to_json
from neuroig.services.review import review as review_service
from neuroig.therapy.dosing_weight import POLICIES

__all__ = ["review"]

_STATE = {True: "detected", False: "not detected", None: "unknown"}
_STATUS_STYLE = {
    "improved": "green",
    "worsened": "red",
    "mixed": "yellow",
    "unchanged": "",
    "not_judged": "dim",
}
#: The earliest review date accepted (decision P11: no case date before 1900).
_EARLIEST = date(1900, 1, 1)

Cell = str | Text


def _console() -> Console:
    """A console for this run: the width of ``COLUMNS`` when set, else the terminal's
    (132 when the output is not a terminal)."""
    columns = os.environ.get("COLUMNS", "")
    width: int | None = int(columns) if columns.isdigit() and int(columns) > 0 else None
    if width is None and not Console().is_terminal:
        width = 132
    return Console(highlight=False, soft_wrap=True, width=width)


def _parse_date(value: str | None, *, today: date) -> date | None:
    if value is None:
        return None
    try:
        when = date.fromisoformat(value)
    except ValueError:
        raise InputError("--on", value, "must be an ISO date YYYY-MM-DD") from None
    if not _EARLIEST <= when <= today:
        raise InputError(
            "--on",
            value,
            f"must be a date from {_EARLIEST} to today ({today})",
            "the review date cannot precede 1900 or lie in the future",
        )
    return when


class _Out:
    """Printing helpers bound to one console."""

    def __init__(self, console: Console) -> None:
        self.c = console

    def heading(self, text: str) -> None:
        self.c.print()
        self.c.print(Text(plain_text(text), style="bold underline"))

    def line(self, text: str) -> None:
        self.c.print(plain_text(text), markup=False)

    def table(
        self,
        columns: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        *,
        right: Sequence[str] = (),
        wrap: Sequence[str] = (),
    ) -> None:
        """A table whose cells are never cut: printed as lines when it cannot fit whole."""
        t = Table(show_edge=False, pad_edge=False)
        for col in columns:
            t.add_column(
                col,
                justify="right" if col in right else "left",
                no_wrap=col not in wrap,
                overflow="fold",
            )
        for row in rows:
            t.add_row(*(c if isinstance(c, Text) else Text(plain_text(c)) for c in row))
        if _min_width(columns, rows, wrap) <= self.c.width:
            self.c.print(t)
            return
        for row in rows:
            cells = [_plain(c) for c in row]
            self.line(
                "  " + "; ".join(f"{h}: {v}" for h, v in zip(columns, cells, strict=True) if v)
            )


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else plain_text(cell)


def _min_width(columns: Sequence[str], rows: Sequence[Sequence[Cell]], wrap: Sequence[str]) -> int:
    """The narrowest the table can be without cutting a value: every unwrapped cell and
    header whole, every wrapped column as wide as its longest word, 3 between columns."""
    widths = []
    for k, col in enumerate(columns):
        cells = [_plain(r[k]) for r in rows]
        if col in wrap:
            words = [w for c in [col, *cells] for w in c.split()]
            widths.append(max((cell_len(w) for w in words), default=1))
        else:
            widths.append(max(cell_len(c) for c in [col, *cells]))
    return sum(widths) + 3 * (len(columns) - 1)


def _status(status: str, counts: bool) -> Text:
    text = status.replace("_", " ") + ("" if counts else " (not counted)")
    return Text(text, style=_STATUS_STYLE[status])


def _courses(o: _Out, rv: Review) -> None:
    o.heading("Response per course (M2, M7, M8)")
    if not rv.courses:
        o.line("No treatment course recorded.")
    for c in rv.courses:
        head = f"{c.course}: {therapy_name(c.therapy)} from {c.start}"
        if c.end:
            head += f" to {c.end}"
        if c.implicit:
            head += " (implicit: no course recorded)"
        o.c.print(
            Text(plain_text(head), style="bold")
            + Text(f" — {c.response.replace('_', '-')}")
            + Text(" (immunoglobulin-dependent)" if c.ig_dependent else "")
        )
        o.line(
            f"  baseline {c.baseline_date or 'none'}; first dose {c.first_dose}; judged on "
            f"treatment from {c.follow_up_from} to {c.on_treatment_to or '—'}"
            + (" (stopped)" if c.stopped else "")
            + f"; {c.doses} dose(s), {fmt(c.grams)} g"
        )
        if c.clinician is not None:
            o.line(
                f"  computed {(c.computed or 'indeterminate').replace('_', '-')}; recorded "
                f"judgement {c.clinician}"
                + (
                    " (objective)"
                    if c.clinician_objective
                    else " (not objective)"
                    if c.clinician_objective is False
                    else ""
                )
                + f" — {c.agreement}"
            )
        if c.changes:
            o.table(
                ("Measure", "Baseline", "on", "Best on treatment", "on", "Δ", "MCID", "Status"),
                [
                    (
                        ch.label,
                        fmt(ch.baseline, 2),
                        str(ch.baseline_date),
                        fmt(ch.latest, 2),
                        str(ch.latest_date),
                        f"{ch.delta:+g}",
                        fmt(ch.mcid, 2) + ("" if ch.verified else "*"),
                        _status(ch.status, ch.counts),
                    )
                    for ch in c.changes
                ],
                right=("Baseline", "Best on treatment", "Δ", "MCID"),
            )
            for ch in c.changes:
                if ch.note:
                    o.line(f"  {ch.label}: {ch.note}")
        for x in c.declines:
            o.line(
                f"  worse than best (M8): {x.label} {fmt(x.baseline, 2)} ({x.baseline_date}) → "
                f"{fmt(x.latest, 2)} ({x.latest_date}), worse than best by {abs(x.delta):g}, "
                f"MCID {fmt(x.mcid, 2)}"
            )
        for x in c.relapse:
            o.line(
                f"  after the stop (M7): {x.label} best {fmt(x.baseline, 2)} ({x.baseline_date})"
                f" → {fmt(x.latest, 2)} ({x.latest_date}), worse by {abs(x.delta):g}, "
                f"MCID {fmt(x.mcid, 2)}"
            )
        o.line(f"  {c.reason}")
        for n in c.not_compared:
            o.line(f"  not compared: {n}")
    o.line("  * MCID not verified for this use (see docs/decisions.md, M1).")


def _wear_off(o: _Out, rv: Review) -> None:
    wo = rv.wear_off
    o.heading("Wear-off (M3)")
    o.line(f"{_STATE[wo.detected]}: {wo.reason}")
    if wo.cycles:
        rows = []
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
            rows.append(
                (
                    str(c.number),
                    str(c.start),
                    str(c.end),
                    str(c.peak_date or "—"),
                    str(c.trough_date or "—"),
                    c.status.replace("_", " "),
                    drops or c.reason,
                )
            )
        o.table(
            ("Cycle", "From", "To", "Peak", "Trough", "Status", "Drops (peak→trough, MCID)"),
            rows,
            wrap=("Drops (peak→trough, MCID)",),
        )
        o.line(f"{len(wo.cycles)} of {wo.cycles_total} cycles have assessments.")


def _intensity(o: _Out, rv: Review) -> None:
    o.heading("Dose intensity and declining response (M4)")
    w = rv.intensity.weight
    if w is not None:
        o.line(f"Dosing weight {fmt(w.kg, 2)} kg at the start of maintenance ({w.on}): {w.reason}.")
        if (
            rv.intensity.latest_weight_kg is not None
            and rv.intensity.latest_weight_kg != w.actual_kg
        ):
            o.line(
                f"Latest recorded weight {fmt(rv.intensity.latest_weight_kg)} kg "
                f"({rv.intensity.latest_weight_source}); intensity stays on the start weight."
            )
    if rv.intensity.periods:
        o.table(
            ("From", "To", "Route", "g per dose", "Interval d", "Doses", "g/kg per 28 d"),
            [
                (
                    str(p.start),
                    str(p.end),
                    p.route,
                    fmt(p.grams_per_dose),
                    fmt(p.interval_days),
                    str(p.doses),
                    f"{p.g_per_kg_per_28d:.2f}",
                )
                for p in rv.intensity.periods
            ],
            right=("g per dose", "Interval d", "Doses", "g/kg per 28 d"),
        )
    for n in rv.intensity.notes:
        if "no weight" in n:
            o.line(n)
    _smoothed_table(o, rv)
    dec = rv.declining
    o.line(f"Declining response: {_STATE[dec.detected]} — {dec.reason}.")
    for ch in dec.changes:
        o.line(
            f"  {ch.label}: {ch.baseline:g} ({ch.baseline_date}) → {ch.latest:g} "
            f"({ch.latest_date}), MCID {fmt(ch.mcid, 2)}: {ch.status}"
            + (f" — {ch.note}" if "(decision M8)" in ch.note else "")
        )


def _smoothed_table(o: _Out, rv: Review) -> None:
    """The 12-week means (M4b): the ones the declining-response rule quotes, the first and
    last, and the last of each calendar year."""
    pts = rv.intensity.smoothed
    if not pts:
        return
    dec = rv.declining
    quoted = {d for d in (dec.window_from, dec.window_to) if d is not None}
    keep: dict[date, None] = {pts[0].date: None}
    by_year: dict[int, date] = {}
    for p in pts:
        by_year[p.date.year] = p.date
    for d in by_year.values():
        keep[d] = None
    keep[pts[-1].date] = None
    for q in quoted:
        keep[q] = None
    rows = [
        (
            str(p.date),
            f"{p.g_per_kg_per_28d:.2f}",
            "quoted by M4" if p.date in quoted else "",
        )
        for p in pts
        if p.date in keep
    ]
    o.line(f"12-week mean dose intensity (M4b), {len(rows)} of {len(pts)} points:")
    o.table(("12 weeks to", "g/kg per 28 d", ""), rows, right=("g/kg per 28 d",))


def _axonal(o: _Out, rv: Review) -> None:
    o.heading("Axonal loss (M6)")
    if not rv.axonal:
        o.line("No motor nerve study recorded.")
        return
    flags = {True: Text("axonal loss likely", style="red"), False: Text("no"), None: Text("—")}
    o.table(
        ("Nerve", "Studies", "First mV", "on", "Latest mV", "on", "Change", "LLN mV", "Flag"),
        [
            (
                f"{n.side} {n.nerve}" + (f" ({n.recording})" if n.recording else ""),
                str(len(n.points)),
                f"{n.first_mv:g}",
                str(n.points[0].date),
                f"{n.latest_mv:g}",
                str(n.points[-1].date),
                f"{n.change_pct:+g} %" if n.change_pct is not None else "—",
                fmt(n.points[-1].lln_mv),
                flags[n.flagged],
            )
            for n in rv.axonal
        ],
        right=("Studies", "First mV", "Latest mV", "Change", "LLN mV"),
    )
    o.line("A nerve studied once is reported but neither flagged nor cleared (serial studies).")


def _cdas_and_cost(o: _Out, rv: Review) -> None:
    o.heading("CDAS (Gorson 2010)")
    if rv.cdas is None:
        o.line(rv.cdas_note)
    else:
        label = f"{rv.cdas.number} ({rv.cdas.name})" if rv.cdas.number else "not classified"
        o.line(f"{label}: {rv.cdas.reason}")
        if rv.cdas_note:
            o.line(rv.cdas_note)
    o.heading("Cumulative immunoglobulin")
    u = rv.use
    o.line(
        f"{fmt(u.grams)} g over {u.infusions} infusions"
        + (f" ({u.first} → {u.last})" if u.first else "")
        + f"; last 12 months {fmt(u.grams_last_12_months)} g"
    )
    if rv.dose_count_note:
        o.line(rv.dose_count_note)
    if u.grams_by_year:
        o.line("By year: " + ", ".join(f"{y}: {fmt(g)} g" for y, g in u.grams_by_year.items()))
    if u.cost is not None:
        o.line(f"Cost {u.currency} {u.cost:,.2f} ({u.reason})")
    else:
        o.line(
            f"Cost not computed: {u.reason}; priced part {u.currency} {u.cost_priced_part:,.2f}, "
            f"unpriced {fmt(u.unpriced_grams)} g"
        )
    if u.cost_by_product_route:
        o.table(
            ("Product (route)", f"Cost {u.currency}"),
            [(k, f"{v:,.2f}") for k, v in u.cost_by_product_route.items()],
            right=(f"Cost {u.currency}",),
        )
    for n in u.price_notes:
        o.line(f"  note: {n}")
    for s in u.price_sources:
        o.line(f"  price: {s}")


def _simon(o: _Out, rv: Review) -> None:
    s = rv.simon
    if s is None:
        return
    f = s.figures
    o.heading("Simon 2013 replay (IVIg in an LMN syndrome without block)")
    o.line(f"Applies: {s.trigger}.")
    if s.course is not None:
        o.line(f"Response: {s.course.response.replace('_', '-')} — {s.course.reason}")
        for ch in s.course.changes:
            o.line(
                f"  {ch.label}: {ch.baseline:g} → {ch.latest:g} (MCID {fmt(ch.mcid, 2)}): "
                f"{ch.status}"
            )
    o.line(s.reason + ".")
    o.line(
        f"Published: {f.responders}/{f.cohort} responded; the MMN-like triad was present in "
        f"{f.triad_in_responders}/{f.responders} responders and in "
        f"{f.triad_in_distal_onset_non_responders_pct:g} % of distal-onset non-responders. "
        f"Triad in this case: {_STATE.get(s.triad, 'unknown') if s.triad is None else s.triad}."
    )
    o.line(f"Response definition not verified: {f.response_definition_note}")


def _render(o: _Out, rv: Review) -> None:
    o.c.print(Text(plain_text(rv.case_id), style="bold") + Text(f" — review as of {rv.as_of}"))
    o.heading("Summary")
    for s in rv.summary:
        o.line(f"• {s}")
    _courses(o, rv)
    _wear_off(o, rv)
    _intensity(o, rv)
    _axonal(o, rv)
    _cdas_and_cost(o, rv)
    _simon(o, rv)
    o.heading("Suggestions")
    if not rv.suggestions:
        o.line("None.")
    for sg in rv.suggestions:
        tag = "WARN " if sg.severity == "warn" else ""
        o.line(f"[{tag}{sg.id}] {sg.text}")
        o.line(f"    basis: {sg.basis}")
    dr = rv.dose_review
    verdict = {True: "taper trial suggested", False: "no taper", None: "undecided"}
    o.line(f"Dose review (M5): {verdict[dr.taper_suggested]} — {dr.reason}.")
    o.line(f"Next review due: {dr.next_review_due or '—'} ({dr.review_reason}).")
    if rv.notes:
        o.heading("Notes")
        for n in rv.notes:
            o.line(f"- {n}")


@handle_errors
def review(
    file: Annotated[Path, typer.Argument(metavar="CASE", help="A case file.")],
    *,
    as_json: Annotated[
        bool,
        typer.Option("--json", metavar="", help="Print the neuroig-review/1 JSON document."),
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot", metavar="PNG", help="Write a PNG chart of the outcomes, doses and NCS."
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="Review date YYYY-MM-DD, 1900-01-01 to today (default: the case's last record).",
        ),
    ] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            metavar="CODE",
            help="Currency of the cost (default: NEUROIG_CURRENCY, else GBP).",
        ),
    ] = None,
    prices: Annotated[
        Path | None,
        typer.Option(
            "--prices",
            metavar="TOML",
            help="A site price table (TOML) instead of the built-in one.",
        ),
    ] = None,
    weight_policy: Annotated[
        str | None,
        typer.Option(
            "--weight-policy",
            metavar="POLICY",
            help=f"Dosing weight for dose intensity: {', '.join(POLICIES)} (default: "
            "NEUROIG_WEIGHT_POLICY, else bloodstar-2026).",
        ),
    ] = None,
    simon_course: Annotated[
        int | None,
        typer.Option(
            "--simon-course",
            metavar="N",
            help="Judge treatments[N] (an IVIg course) as in Simon 2013 (LMN syndrome trial).",
        ),
    ] = None,
) -> None:
    """Review a treated case: response, wear-off, dose intensity, axonal loss, dose review.

    Examples:

    neuroig review examples/mmn-declining-response.json

    neuroig review case.json --on 2024-06-30 --json

    neuroig review case.json --plot review.png --currency EUR --prices site-prices.toml
    """
    if weight_policy is not None and weight_policy not in POLICIES:
        raise InputError("--weight-policy", weight_policy, f"must be one of: {', '.join(POLICIES)}")
    review_date = _parse_date(on, today=date.today())
    done = review_service(
        file,
        as_of=review_date,
        weight_policy=weight_policy,
        currency=currency,
        prices=prices,
        simon_course=simon_course,
    )
    rv = done.review
    console = _console()
    if as_json:
        sys.stdout.write(to_json(done.document, indent=True).decode("utf-8") + "\n")
    else:
        _render(_Out(console), rv)
    if plot is not None:
        # matplotlib is imported only when a chart is asked for (CLI start-up time)
        from neuroig.report import review_chart

        width, height = review_chart(rv, plot)
        (err_console if as_json else console).print(
            f"chart written to {plain_text(plot)} ({width} × {height} px)", markup=False
        )
