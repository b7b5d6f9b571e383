"""Response to a treatment course (decisions M2, M7 and M8).

Baseline = the last assessment on or before the course's first dose (an assessment
on the day of a dose is taken before it). The response is judged *on treatment*
(decision M7): each series present at baseline is compared with its **best**
comparable reading from ``M2-MIN-WEEKS-AFTER-INDUCTION`` weeks after the induction to
one dosing interval after the course's last dose (or the next course's first dose,
or the review date, whichever comes first).

* responder — at least one measure improved by its MCID and none worsened by its MCID;
* non-responder — no measure improved by its MCID on treatment, with at least one
  compared ``M2-NON-RESPONSE-WEEKS`` weeks or more after the first dose;
* indeterminate — otherwise (no baseline, nothing compared yet, too early, or mixed).

A decline after the course was stopped, following an on-treatment improvement by an
MCID, is *relapse after withdrawal*: the course is a responder and, for
immunoglobulin, Ig-dependent (EAN/PNS 2021: restart). A fall of the latest
on-treatment reading from the best one by an MCID is reported as "worse than best"
(decision M8). A recorded clinician judgement (``response``, ``objective``) is shown
beside the computed class; when they disagree the course is indeterminate (M7).

An Ig course that continues Ig therapy without a break (a switch of product or route)
has an on-treatment baseline: it is never called a non-responder for lack of a further
gain; the reason says whether the effect was maintained (decision M2b).
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Sequence
from datetime import date, timedelta
from typing import Literal

from neuroig.monitoring.readings import (
    Change,
    Reading,
    compare,
    gain,
    incompatibility,
    mmn_muscle_change,
    series_label,
)
from neuroig.monitoring.schedule import CourseSpan
from neuroig.record import Record, replace
from neuroig.reference.outcomes import rule_value

__all__ = [
    "CourseResponse",
    "ResponseClass",
    "classify",
    "course_response",
    "gain",
    "on_treatment_end",
]

ResponseClass = Literal["responder", "non_responder", "indeterminate"]


class CourseResponse(Record, frozen=True):
    """The response of one course with the changes that decided it.

    ``changes`` compare the baseline with the best on-treatment reading of each series
    (M7); ``declines`` compare the best with the latest on-treatment reading where it
    fell by an MCID (M8); ``relapse`` compares the best on-treatment reading with an
    off-treatment reading worse by an MCID (M7, relapse after withdrawal). ``computed``
    is the class the readings give; ``response`` is the class after the clinician's
    recorded judgement (``clinician``) is taken into account.
    """

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
    computed: ResponseClass | None = None
    on_treatment_to: date | None = None
    stopped: bool = False
    declines: tuple[Change, ...] = ()
    relapse: tuple[Change, ...] = ()
    ig_dependent: bool = False
    clinician: str | None = None
    clinician_objective: bool | None = None
    agreement: str = "not recorded"
    #: the first on-treatment date a counted measure was improved by its MCID over the
    #: baseline (a responder's time to response starts at ``first_dose``)
    first_improved: date | None = None
    #: the course continues immunoglobulin without a break (decision M2b)
    continuation: bool = False


_DEVICE_PAIR = {"grip_kpa": "grip_kg", "grip_kg": "grip_kpa"}

#: Clinician judgement (``treatments[].response``) → the computed class it agrees with.
_CLINICIAN_CLASS: dict[str, ResponseClass] = {
    "improved": "responder",
    "stable": "non_responder",
    "worsened": "non_responder",
}


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


def _names(cs: Sequence[Change]) -> str:
    return ", ".join(
        f"{c.label} {c.baseline:g}→{c.latest:g} (MCID {c.mcid:g})"
        if c.measure != "mrc_muscles_mmn"
        else f"{c.label} ({c.note})"
        for c in cs
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
    if improved and not worsened:
        return "responder", f"improved by at least its MCID: {_names(improved)}; none worsened"
    if not improved:
        late = [c for c in counted if c.latest_date >= nonresponse_from]
        if late:
            worse = f"; worsened: {_names(worsened)}" if worsened else ""
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
        f"mixed: improved {_names(improved)}; worsened {_names(worsened)}",
    )


def _interval_days(course: CourseSpan) -> int:
    """The course's dosing interval: its regimen, else the median gap of its doses (M7a)."""
    if course.interval_days is not None:
        return round(course.interval_days)
    gaps = [(b.date - a.date).days for a, b in zip(course.events, course.events[1:], strict=False)]
    if gaps:
        return round(statistics.median(gaps))
    return int(rule_value("THERAPY-BREAK-DAYS"))


def on_treatment_end(course: CourseSpan, *, as_of: date) -> tuple[date, bool]:
    """The last day a reading counts as *on treatment* for ``course`` and whether it stopped.

    Decision M7 (and the local rule M7a): a course has stopped when its recorded end is
    before the review date, or (an open Ig course) its last dose lies more than
    ``THERAPY-BREAK-DAYS`` before it. A stopped course is on treatment until one dosing
    interval after its last dose (Ig) or its end (other therapies); an ongoing course
    until the review date. The next course's first dose caps it.
    """
    events = course.events
    last = events[-1].last_date if events else None
    gap = int(rule_value("THERAPY-BREAK-DAYS"))
    stopped = (course.end is not None and course.end < as_of) or (
        course.end is None and last is not None and (as_of - last).days > gap
    )
    if not stopped:
        end = as_of
    elif last is not None:
        end = last + timedelta(days=_interval_days(course))
    else:
        assert course.end is not None
        extra = course.interval_days or 0
        end = course.end + timedelta(days=round(extra))
    end = min(end, as_of)
    if course.window_end is not None:
        end = min(end, course.window_end)
    return end, stopped


def _best(base: Reading, pool: Sequence[Reading]) -> Change:
    """Compare ``base`` with each reading of ``pool``; the best gain wins (ties: latest)."""
    best: Change | None = None
    for r in pool:
        c = compare(base, r)
        if best is None or gain(c) >= gain(best):
            best = c
    assert best is not None
    return best


def _first_improved(base: Reading, pool: Sequence[Reading]) -> date:
    """The date of the first reading of ``pool`` improved over ``base`` by its MCID."""
    return next(
        r.date for r in pool if (c := compare(base, r)).counts and c.status in ("improved", "mixed")
    )


def _reading_of(change: Change, pool: Sequence[Reading]) -> Reading:
    return next(r for r in reversed(pool) if r.date == change.latest_date)


def _decline(best: Reading, latest: Reading) -> Change | None:
    """Decision M8: the latest on-treatment reading worse than the best by its MCID."""
    if latest.date <= best.date:
        return None
    c = compare(best, latest)
    if not c.counts or c.status != "worsened":
        return None
    note = f"worse than best by {abs(c.delta):g} (best {c.baseline:g} on {c.baseline_date})"
    return replace(c, note=(c.note + "; " if c.note else "") + note)


def _clinician(
    response: ResponseClass, reason: str, judged: str | None, objective: bool | None
) -> tuple[ResponseClass, str, str]:
    """Reconcile the computed class with the recorded clinician judgement (M7, M7b)."""
    if judged is None or judged == "unknown":
        return response, reason, "not recorded"
    expected = _CLINICIAN_CLASS[judged]
    label = f"clinician: {judged}" + (
        " (objective)" if objective else " (not objective)" if objective is False else ""
    )
    if response == "indeterminate":
        return response, f"{reason}; {label}", "not compared (computed indeterminate)"
    if expected == response:
        return response, f"{reason}; {label} — agrees", "agree"
    if objective is False and response == "non_responder":
        return (
            response,
            f"{reason}; {label} — a subjective improvement does not override an objective "
            "non-response (decision M7b)",
            "disagree (subjective judgement, not counted)",
        )
    return (
        "indeterminate",
        f"computed {response.replace('_', '-')} ({reason}) but {label}: the two disagree, "
        "so the course is indeterminate (decision M7) — re-examine the record",
        "disagree",
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
    clinician: str | None = None,
    clinician_objective: bool | None = None,
) -> CourseResponse:
    """Judge one course by decisions M2, M7 and M8 (``readings`` merged by day, in date order).

    ``measures`` restricts the series used (the Simon 2013 replay uses the MRC sum
    score and the symptom score); ``follow_up_from`` and ``nonresponse_from`` override
    the M2 time points. With ``mmn`` True the MMN per-muscle MCID also counts.
    ``clinician`` and ``clinician_objective`` are the course's recorded ``response`` and
    ``objective``; a disagreement makes the course indeterminate (M7).

    References
    ----------
    Decisions M1, M2, M7, M8 (docs/decisions.md); Van den Bergh PYK et al., EAN/PNS
    CIDP guideline 2021 (objective response; restart after relapse on withdrawal).
    """
    weeks = rule_value("M2-MIN-WEEKS-AFTER-INDUCTION")
    if follow_up_from is None:
        follow_up_from = course.induction_end + timedelta(weeks=weeks)
    if nonresponse_from is None:
        nonresponse_from = course.first_dose + timedelta(weeks=rule_value("M2-NON-RESPONSE-WEEKS"))
    stop = min(course.window_end, as_of) if course.window_end is not None else as_of
    on_end, stopped = on_treatment_end(course, as_of=as_of)

    def wanted(r: Reading) -> bool:
        return measures is None or r.measure in measures

    before = [r for r in readings if r.date <= course.first_dose]
    baseline_date = max((r.date for r in before), default=None)
    base = [r for r in before if r.date == baseline_date]
    follow = [r for r in readings if follow_up_from <= r.date <= on_end]
    off = [r for r in readings if max(on_end, follow_up_from) < r.date <= stop]
    changes: list[Change] = []
    declines: list[Change] = []
    relapse: list[Change] = []
    off_improved: list[Change] = []
    not_compared: list[str] = []
    improved_on: list[date] = []
    for b in base:
        if b.measure == "mrc_muscle" or not wanted(b):
            continue
        same = [r for r in follow if r.key == b.key]
        ok = [r for r in same if incompatibility(b, r) is None]
        off_ok = [r for r in off if r.key == b.key and incompatibility(b, r) is None]
        if ok:
            best = _best(b, ok)
            changes.append(best)
            if best.counts and best.status in ("improved", "mixed"):
                improved_on.append(_first_improved(b, ok))
            best_r = _reading_of(best, ok)
            latest = ok[-1]
            peers = [r for r in ok if latest.timing is None or r.timing == latest.timing]
            top = _reading_of(_best(b, peers), peers)
            d = _decline(top, latest)
            if d is not None:
                declines.append(d)
            if off_ok and best.counts and best.status == "improved":
                worst = min((compare(best_r, r) for r in off_ok), key=gain)
                if worst.status == "worsened":
                    relapse.append(worst)
            continue
        if off_ok:
            later = compare(b, off_ok[-1])
            if later.counts and later.status == "improved":
                off_improved.append(later)
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
                if mm.counts and mm.status in ("improved", "mixed"):
                    improved_on.append(mm.latest_date)  # judged on the latest visit only
    response, reason = classify(
        changes, nonresponse_from=nonresponse_from, baseline=baseline_date is not None
    )
    if not changes and baseline_date is not None:
        # No on-treatment reading: the follow-up after the stop still shows no improvement.
        late_off = [
            compare(b, r)
            for b in base
            if b.measure != "mrc_muscle" and wanted(b)
            for r in off
            if r.key == b.key and incompatibility(b, r) is None
        ]
        if late_off and not off_improved:
            response, reason = classify(late_off, nonresponse_from=nonresponse_from, baseline=True)
            if response == "non_responder":
                changes = late_off
                reason += " (no reading on treatment; judged on the follow-up after the stop)"
            else:
                response, reason = (
                    "indeterminate",
                    "no reading on treatment; the follow-up after the stop is not enough to "
                    "judge the course",
                )
    if off_improved and response != "responder":
        response = "indeterminate"
        reason += (
            "; improved only after the course was stopped: "
            + _names(off_improved)
            + " — not credited to the course"
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
    ig_dependent = False
    if relapse and stopped:
        response = "responder"
        ig_dependent = course.ig
        improved = [c for c in changes if c.counts and c.status == "improved"]
        reason = (
            f"relapse after withdrawal (decision M7): improved on treatment ({_names(improved)}) "
            f"and worse than the best on-treatment reading by at least its MCID after the "
            f"stop ({_names(relapse)})" + (" — immunoglobulin-dependent" if course.ig else "")
        )
    if declines:
        reason += "; on treatment worse than best: " + ", ".join(
            f"{c.label} by {abs(c.delta):g} ({c.baseline:g} on {c.baseline_date} → "
            f"{c.latest:g} on {c.latest_date}, MCID {c.mcid:g})"
            for c in declines
        )
    computed = response
    response, reason, agreement = _clinician(response, reason, clinician, clinician_objective)
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
        computed=computed,
        on_treatment_to=on_end,
        stopped=stopped,
        declines=tuple(declines),
        relapse=tuple(relapse),
        ig_dependent=ig_dependent,
        clinician=clinician if clinician != "unknown" else None,
        clinician_objective=clinician_objective,
        agreement=agreement,
        first_improved=min(improved_on) if response == "responder" and improved_on else None,
        continuation=course.continuation,
    )
