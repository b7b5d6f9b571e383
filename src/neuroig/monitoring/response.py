"""Response to a treatment course (decision M2).

Baseline = the last assessment on or before the course's first dose (an assessment
on the day of a dose is taken before it). Each series present at baseline is
compared with its latest comparable reading from ``M2-MIN-WEEKS-AFTER-INDUCTION``
weeks after the induction until the next course's first dose.

* responder — at least one measure improved by its MCID and none worsened by its MCID;
* non-responder — no measure improved by its MCID, with at least one compared
  ``M2-NON-RESPONSE-WEEKS`` weeks or more after the first dose;
* indeterminate — otherwise (no baseline, nothing compared yet, too early, or mixed).

An Ig course that continues Ig therapy without a break (a switch of product or route)
has an on-treatment baseline: it is never called a non-responder for lack of a further
gain; the reason says whether the effect was maintained (decision M2b).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from neuroig.monitoring.readings import (
    Change,
    Reading,
    compare,
    incompatibility,
    mmn_muscle_change,
    series_label,
)
from neuroig.monitoring.schedule import CourseSpan
from neuroig.reference.outcomes import rule_value

__all__ = ["CourseResponse", "ResponseClass", "classify", "course_response"]

ResponseClass = Literal["responder", "non_responder", "indeterminate"]


@dataclass(frozen=True, slots=True)
class CourseResponse:
    """The response of one course with the changes that decided it."""

    course: str
    index: int | None
    therapy: str
    start: date
    end: date | None
    implicit: bool
    first_dose: date
    induction_end: date
    baseline_date: date | None
    follow_up_from: date
    follow_up_date: date | None
    response: ResponseClass
    reason: str
    changes: tuple[Change, ...]
    not_compared: tuple[str, ...]
    doses: int
    grams: float
    mmn_rule: bool


_DEVICE_PAIR = {"grip_kpa": "grip_kg", "grip_kg": "grip_kpa"}


def _device_note(base: Reading, follow: Sequence[Reading]) -> str | None:
    other = _DEVICE_PAIR.get(base.measure)
    if other is None:
        return None
    side = base.key.rsplit("_", 1)[1]
    swapped = [r for r in follow if r.key == f"{other}_{side}"]
    if not swapped:
        return None
    return (
        f"{side} grip: the device changed ({base.scale} → {swapped[-1].scale}); readings of "
        "different devices are never compared"
    )


def classify(
    changes: Sequence[Change], *, nonresponse_from: date, baseline: bool
) -> tuple[ResponseClass, str]:
    """Apply decision M2 to the changes of one course; return the class and the reason."""
    if not baseline:
        return "indeterminate", "no assessment on or before the first dose (no baseline)"
    counted = [c for c in changes if c.counts]
    if not counted:
        return (
            "indeterminate",
            "no outcome measure of the baseline was compared after the induction",
        )
    improved = [c for c in counted if c.status in ("improved", "mixed")]
    worsened = [c for c in counted if c.status in ("worsened", "mixed")]

    def names(cs: Sequence[Change]) -> str:
        return ", ".join(
            f"{c.label} {c.baseline:g}→{c.latest:g} (MCID {c.mcid:g})"
            if c.measure != "mrc_muscles_mmn"
            else f"{c.label} ({c.note})"
            for c in cs
        )

    if improved and not worsened:
        return "responder", f"improved by at least its MCID: {names(improved)}; none worsened"
    if not improved:
        late = [c for c in counted if c.latest_date >= nonresponse_from]
        if late:
            worse = f"; worsened: {names(worsened)}" if worsened else ""
            return (
                "non_responder",
                f"no measure improved by its MCID by {max(c.latest_date for c in late)} "
                f"(at least {int(rule_value('M2-NON-RESPONSE-WEEKS'))} weeks after the first "
                f"dose){worse}",
            )
        return (
            "indeterminate",
            "no measure improved by its MCID yet, but the latest comparison is earlier than "
            f"{int(rule_value('M2-NON-RESPONSE-WEEKS'))} weeks after the first dose "
            f"({nonresponse_from})",
        )
    return (
        "indeterminate",
        f"mixed: improved {names(improved)}; worsened {names(worsened)}",
    )


def course_response(
    course: CourseSpan,
    readings: Sequence[Reading],
    *,
    as_of: date,
    mmn: bool | None,
    measures: Collection[str] | None = None,
    follow_up_from: date | None = None,
    nonresponse_from: date | None = None,
) -> CourseResponse:
    """Judge one course by decision M2 (``readings`` merged by day, in date order).

    ``measures`` restricts the series used (the Simon 2013 replay uses the MRC sum
    score and the symptom score); ``follow_up_from`` and ``nonresponse_from`` override
    the M2 time points. With ``mmn`` True the MMN per-muscle MCID also counts.

    References
    ----------
    Decisions M1 and M2; therapy-research.md §5.3.
    """
    weeks = rule_value("M2-MIN-WEEKS-AFTER-INDUCTION")
    if follow_up_from is None:
        follow_up_from = course.induction_end + timedelta(weeks=weeks)
    if nonresponse_from is None:
        nonresponse_from = course.first_dose + timedelta(weeks=rule_value("M2-NON-RESPONSE-WEEKS"))
    stop = min(course.window_end, as_of) if course.window_end is not None else as_of

    def wanted(r: Reading) -> bool:
        return measures is None or r.measure in measures

    before = [r for r in readings if r.date <= course.first_dose]
    baseline_date = max((r.date for r in before), default=None)
    base = [r for r in before if r.date == baseline_date]
    follow = [r for r in readings if follow_up_from <= r.date <= stop]
    changes: list[Change] = []
    not_compared: list[str] = []
    for b in base:
        if b.measure == "mrc_muscle" or not wanted(b):
            continue
        same = [r for r in follow if r.key == b.key]
        ok = [r for r in same if incompatibility(b, r) is None]
        if ok:
            changes.append(compare(b, ok[-1]))
            continue
        if same:
            reason = incompatibility(b, same[-1])
            not_compared.append(f"{series_label(b.key)}: not compared — {reason}")
            continue
        device = _device_note(b, follow)
        if device is not None:
            not_compared.append(device)
    use_mmn = bool(mmn) and (measures is None or "mrc_muscles_mmn" in measures)
    if use_mmn:
        base_m = [r for r in base if r.measure == "mrc_muscle"]
        follow_m = [r for r in follow if r.measure == "mrc_muscle"]
        if base_m and follow_m:
            last = max(r.date for r in follow_m)
            mm = mmn_muscle_change(
                base_m, [r for r in follow_m if r.date == last], latest_date=last
            )
            if mm is not None:
                changes.append(mm)
    response, reason = classify(
        changes, nonresponse_from=nonresponse_from, baseline=baseline_date is not None
    )
    if course.continuation and response == "non_responder":
        worse = [c for c in changes if c.counts and c.status in ("worsened", "mixed")]
        response = "indeterminate"
        reason = (
            "continues immunoglobulin without a break, so its baseline is on treatment and no "
            "gain is expected (decision M2b): "
            + (
                "worse by an MCID: " + ", ".join(c.label for c in worse)
                if worse
                else "effect maintained (no measure worse by its MCID)"
            )
        )
    return CourseResponse(
        course=course.key,
        index=course.index,
        therapy=course.therapy,
        start=course.start,
        end=course.end,
        implicit=course.implicit,
        first_dose=course.first_dose,
        induction_end=course.induction_end,
        baseline_date=baseline_date,
        follow_up_from=follow_up_from,
        follow_up_date=max((c.latest_date for c in changes), default=None),
        response=response,
        reason=reason,
        changes=tuple(changes),
        not_compared=tuple(not_compared),
        doses=len(course.events),
        grams=round(sum(e.grams for e in course.events), 2),
        mmn_rule=use_mmn,
    )
