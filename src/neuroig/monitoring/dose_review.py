"""Dose review: taper suggestion and review due dates (decision M5).

* Review due ``M5-FIRST-REVIEW-MONTHS`` (6) months after the current immunoglobulin
  therapy started, then every ``M5-REVIEW-EVERY-MONTHS`` (12) months; the next due
  date is the first one after the review date.
* A dose-reduction trial is suggested when the patient has been on one regimen for
  ``M5-STABLE-MONTHS`` (12) months — every maintenance interval of that window with the
  same grams, route and whole-week interval, none after an induction or a break (a
  taper attempt would have changed the regimen) — and stable: no decision-M1 measure
  worse by its MCID between its first and last reading of the window. Not suggested
  with wear-off, a declining response, or a non-responding current course.
* Steps: IVIg — 25 % lower dose per step (ProCID) or the interval 1 week longer per
  step; SCIg — 90/75/50/25/0 % of the dose, one step every 12 weeks (Danish taper).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from neuroig.monitoring._dates import add_months
from neuroig.monitoring.intensity import outcome_over
from neuroig.monitoring.readings import EPS, Change, Reading
from neuroig.monitoring.schedule import CourseSpan, Schedule
from neuroig.record import Record
from neuroig.reference.outcomes import rule_param, rule_value

__all__ = [
    "DoseReview",
    "Regimen",
    "TaperStep",
    "dose_review",
    "last_review_due",
    "review_due",
]


class Regimen(Record, frozen=True):
    """The maintenance regimen of the last 12 months."""

    dose_g: float
    interval_weeks: int
    route: str
    since: date


class TaperStep(Record, frozen=True):
    """One step of a suggested dose-reduction trial."""

    label: str
    dose_g: float
    interval_weeks: int
    start_week: int | None


class DoseReview(Record, frozen=True):
    """Decision M5: whether to suggest a dose-reduction trial, and when review is due."""

    taper_suggested: bool | None
    reason: str
    regimen: Regimen | None
    steps: tuple[TaperStep, ...]
    alternative: TaperStep | None
    stability: tuple[Change, ...]
    therapy_start: date | None
    next_review_due: date | None
    review_reason: str


def _current_ig(schedule: Schedule, as_of: date) -> tuple[CourseSpan | None, date | None]:
    """The ongoing Ig course and the start of the continuous Ig therapy it belongs to."""
    gap = timedelta(days=rule_value("THERAPY-BREAK-DAYS"))
    ig = [c for c in schedule.courses if c.ig and c.start <= as_of]
    if not ig:
        return None, None
    current = max(ig, key=lambda c: (c.start, c.key))
    if current.end is not None and current.end < as_of:
        return None, None
    if current.end is None and current.events and as_of - current.events[-1].last_date > gap:
        return None, None
    start = current.start
    for c in sorted(ig, key=lambda c: (c.start, c.key), reverse=True):
        if c.key == current.key:
            continue
        end = c.end or (c.events[-1].last_date if c.events else c.start)
        if c.start < start and end + gap >= start:
            start = c.start
    return current, start


def review_due(therapy_start: date, *, as_of: date) -> date:
    """The first review date after ``as_of``: start + 6 months, then every 12 months (M5)."""
    first = int(rule_value("M5-FIRST-REVIEW-MONTHS"))
    every = int(rule_value("M5-REVIEW-EVERY-MONTHS"))
    k = 0
    while True:
        due = add_months(therapy_start, first + every * k)
        if due > as_of:
            return due
        k += 1


def last_review_due(therapy_start: date, *, as_of: date) -> date | None:
    """The latest review due date on or before ``as_of`` (M5 calendar), or None (M9)."""
    first = int(rule_value("M5-FIRST-REVIEW-MONTHS"))
    every = int(rule_value("M5-REVIEW-EVERY-MONTHS"))
    due = add_months(therapy_start, first)
    if due > as_of:
        return None
    k = 1
    while True:
        nxt = add_months(therapy_start, first + every * k)
        if nxt > as_of:
            return due
        due = nxt
        k += 1


def _steps(regimen: Regimen) -> tuple[tuple[TaperStep, ...], TaperStep | None]:
    if regimen.route == "sc":
        raw = rule_param("M5-SCIG-STEPS-PCT").value
        assert isinstance(raw, tuple)
        every = int(rule_value("M5-SCIG-STEP-WEEKS"))
        steps = tuple(
            TaperStep(
                label=f"{pct:g} % of the dose",
                dose_g=round(regimen.dose_g * pct / 100.0, 1),
                interval_weeks=regimen.interval_weeks,
                start_week=every * k,
            )
            for k, pct in enumerate(raw)
        )
        return steps, None
    pct = rule_value("M5-IV-STEP-PCT")
    plus = int(rule_value("M5-IV-STEP-INTERVAL-WEEKS"))
    steps = tuple(
        TaperStep(
            label=f"{100 - pct * k:g} % of the dose",
            dose_g=round(regimen.dose_g * (100 - pct * k) / 100.0, 1),
            interval_weeks=regimen.interval_weeks,
            start_week=None,
        )
        for k in range(1, int(100 // pct))
    )
    alternative = TaperStep(
        label=f"interval +{plus} week",
        dose_g=regimen.dose_g,
        interval_weeks=regimen.interval_weeks + plus,
        start_week=None,
    )
    return steps, alternative


def dose_review(
    schedule: Schedule,
    readings: Sequence[Reading],
    *,
    as_of: date,
    wear_off: bool | None,
    declining: bool | None,
    current_response: str | None,
) -> DoseReview:
    """Apply decision M5 as of ``as_of`` (``readings`` merged by day, in date order).

    References
    ----------
    Decision M5; Cornblath DR et al. (ProCID), Brain 2022 (25 % steps); Danish SCIg taper,
    J Neuromuscul Dis 2023 (90/75/50/25/0 % every 12 weeks); Ontario IGUM v5 (review at
    6 months, then yearly).
    """
    current, therapy_start = _current_ig(schedule, as_of)
    if current is None or therapy_start is None:
        return DoseReview(
            None,
            "no ongoing immunoglobulin course",
            None,
            (),
            None,
            (),
            None,
            None,
            "no ongoing immunoglobulin course: no review date",
        )
    due = review_due(therapy_start, as_of=as_of)
    review_reason = (
        f"immunoglobulin since {therapy_start}: review "
        f"{int(rule_value('M5-FIRST-REVIEW-MONTHS'))} months after the start, then every "
        f"{int(rule_value('M5-REVIEW-EVERY-MONTHS'))} months"
    )

    def no(flag: bool | None, reason: str, stability: Sequence[Change] = ()) -> DoseReview:
        return DoseReview(
            flag, reason, regimen, (), None, tuple(stability), therapy_start, due, review_reason
        )

    regimen: Regimen | None = None
    months = int(rule_value("M5-STABLE-MONTHS"))
    since = add_months(as_of, -months)
    maint = [iv for iv in schedule.intervals if iv.kind == "maintenance"]
    if not maint or maint[0].start > since:
        return no(False, f"on maintenance for less than {months} months")
    window = [iv for iv in schedule.intervals if iv.end > since and iv.start <= as_of]
    odd = [iv for iv in window if iv.kind != "maintenance"]
    if odd:
        return no(
            False,
            f"the regimen was interrupted within the last {months} months "
            f"({odd[0].start} → {odd[0].end}: {odd[0].kind.replace('_', ' ')})",
        )
    if not window:
        return no(None, f"no dosing interval recorded in the last {months} months")
    first = window[0]
    weeks = round(first.days / 7)
    for iv in window[1:]:
        if (
            abs(iv.grams - first.grams) > EPS
            or iv.route != first.route
            or round(iv.days / 7) != weeks
        ):
            return no(
                False,
                f"the regimen changed within the last {months} months: {first.grams:g} g every "
                f"{weeks} weeks → {iv.grams:g} g every {round(iv.days / 7)} weeks on {iv.start}",
            )
    regimen = Regimen(first.grams, weeks, first.route, first.start)
    if wear_off:
        return no(False, "wear-off detected: adjust the interval before any taper")
    if declining:
        return no(False, "declining response detected: a taper is not the question")
    stability = outcome_over(readings, since, as_of)
    if not stability:
        return no(
            None,
            f"one regimen for {months} months, but no measure was compared within "
            f"{since} → {as_of}: stability unknown",
        )
    worse = [c for c in stability if c.status in ("worsened", "mixed")]
    if worse:
        return no(
            False,
            "not stable: " + ", ".join(f"{c.label} worse by ≥ its MCID" for c in worse),
            stability,
        )
    if current_response == "non_responder":
        return no(
            False,
            "the current course is a non-responder: review whether to continue",
            stability,
        )
    steps, alternative = _steps(regimen)
    return DoseReview(
        True,
        f"stable on {regimen.dose_g:g} g every {regimen.interval_weeks} weeks ({regimen.route}) "
        f"for ≥ {months} months with no measure worse by its MCID and no taper attempt",
        regimen,
        steps,
        alternative,
        tuple(stability),
        therapy_start,
        due,
        review_reason,
    )
