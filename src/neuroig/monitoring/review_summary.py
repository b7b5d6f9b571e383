"""The review's summary lines (one per topic, as printed), the overdue outcome
assessment (M9) and the dose-count note.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from neuroig.monitoring.axonal import AxonalNerve
from neuroig.monitoring.cdas import Cdas
from neuroig.monitoring.cost import CumulativeUse
from neuroig.monitoring.dose_review import DoseReview, last_review_due
from neuroig.monitoring.intensity import (
    DecliningResponse,
)
from neuroig.monitoring.readings import Reading
from neuroig.monitoring.response import CourseResponse
from neuroig.monitoring.review_result import therapy_name
from neuroig.monitoring.schedule import Schedule
from neuroig.monitoring.wear_off import WearOff
from neuroig.reference.outcomes import rule_value

__all__ = ["assessment_overdue", "dose_count_note", "summary_lines"]


def summary_lines(
    *,
    rv_courses: tuple[CourseResponse, ...],
    wo: WearOff,
    dec: DecliningResponse,
    ax: tuple[AxonalNerve, ...],
    cd: Cdas | None,
    use: CumulativeUse,
    dr: DoseReview,
    diag_note: str,
    overdue: date | None = None,
    dose_note: str = "",
) -> list[str]:
    lines: list[str] = []
    if overdue is not None:
        lines.append(f"WARN outcome assessment overdue: none since the review due {overdue} (M9)")
    for c in rv_courses:
        line = (
            f"{c.course}: {therapy_name(c.therapy)} from {c.start} — {c.response.replace('_', '-')}"
        )
        if c.ig_dependent:
            line += " (immunoglobulin-dependent: relapse after withdrawal, M7)"
        if c.agreement == "disagree":
            line += (
                f" (computed {(c.computed or '').replace('_', '-')}, recorded judgement "
                f"{c.clinician}: they disagree, M7)"
            )
        elif c.clinician is not None:
            line += f"; recorded judgement {c.clinician}"
        if c.declines:
            line += "; worse than best: " + ", ".join(
                f"{x.label} by {abs(x.delta):g}" for x in c.declines
            )
        lines.append(line)
    state = {True: "detected", False: "not detected", None: "unknown"}
    lines.append(f"Wear-off: {state[wo.detected]}")
    lines.append(f"Declining response: {state[dec.detected]}")
    flagged = [f"{n.side} {n.nerve}" for n in ax if n.flagged]
    serial = [n for n in ax if n.flagged is not None]
    if flagged:
        lines.append("Axonal loss: " + ", ".join(flagged))
    elif serial:
        lines.append(f"Axonal loss: no nerve flagged ({len(serial)} followed)")
    elif ax:
        lines.append("Axonal loss: not judged (no serial nerve studies)")
    if cd is not None:
        lines.append(f"CDAS: {cd.number} ({cd.name})" if cd.number else "CDAS: not classified")
    cost = (
        f"{use.currency} {use.cost:,.0f}"
        if use.cost is not None
        else f"{use.currency} not computed"
    )
    if use.cost is not None and use.before_table:
        cost += f" ({use.before_table} infusion(s) at the earliest price, T24)"
    lines.append(f"Immunoglobulin: {use.grams:,.0f} g over {use.infusions} infusions; cost {cost}")
    if dose_note:
        lines.append(dose_note)
    if dr.next_review_due:
        lines.append(f"Next review due {dr.next_review_due}")
    if dr.taper_suggested:
        lines.append("Dose-reduction trial suggested")
    lines.append(f"Diagnosis: {diag_note}")
    return lines


def assessment_overdue(
    dr: DoseReview, readings: Sequence[Reading], *, as_of: date
) -> tuple[date | None, date | None]:
    """Decision M9: the review due date with no outcome assessment since, and the last one.

    Applies on immunoglobulin maintenance (an ongoing Ig therapy, M5): overdue when no
    outcome reading is dated on or after the latest review due date on or before the
    review date.
    """
    last = max((r.date for r in readings if r.date <= as_of), default=None)
    if dr.therapy_start is None:
        return None, last
    due = last_review_due(dr.therapy_start, as_of=as_of)
    if due is None or (last is not None and last >= due):
        return None, last
    return due, last


def dose_count_note(schedule: Schedule, infusions: int) -> str:
    """Why the number of infusions and of doses differ (decision M4a), or ''."""
    events = schedule.events
    if infusions == len(events):
        return ""
    split = [e for e in events if len(e.infusions) > 1]
    gap = int(rule_value("DOSE-EVENT-GAP-DAYS"))
    shown = "; ".join(
        f"{e.date}→{e.last_date}: {len(e.infusions)} infusions, {e.grams:g} g" for e in split[:4]
    )
    more = f"; and {len(split) - 4} more" if len(split) > 4 else ""
    return (
        f"{infusions} infusions make {len(events)} doses: infusions of one course at most "
        f"{gap} days apart are one dose (decision M4a), so {infusions - len(events)} "
        f"infusion(s) are part of a dose split over consecutive days ({shown}{more})"
    )
