"""Dose intensity over time (g/kg per 28 days) and declining response (decision M4).

Dose intensity of a maintenance interval = grams of its dose ÷ dosing weight ÷ days
to the next dose × 28 (1 g/kg every 3 weeks = 1 × 28 / 21 = 1.33). The
dosing weight is fixed: the one at the start of maintenance (decision T1 policy,
bloodstar-2026 by default), so that a change in intensity is a change in grams or
interval, not in weight. When the policy cannot be applied (height, sex or age
missing) the recorded weight is used and the note says so — never silently.

Decision M4b: intensity is also read *smoothed*, as grams per 28 days over the
trailing 12 weeks (``M4-SMOOTHING-DAYS``), so one late or early infusion is not
mistaken for a dose change. Declining response compares smoothed values.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from datetime import date, timedelta

from neuroig.case import Case, age_at
from neuroig.errors import InputError
from neuroig.monitoring._dates import add_months
from neuroig.monitoring.readings import EPS, Change, Reading, compare, gain, incompatibility
from neuroig.monitoring.schedule import Interval, Schedule, weight_at
from neuroig.record import Record, replace
from neuroig.reference.outcomes import rule_value
from neuroig.therapy.dosing_weight import WeightPolicy, dosing_weight

__all__ = [
    "DecliningResponse",
    "DoseIntensity",
    "DosingWeightUsed",
    "IntensityInterval",
    "IntensityPeriod",
    "SmoothedPoint",
    "declining_response",
    "dose_intensity",
    "maintenance_dosing_weight",
    "outcome_over",
]


class DosingWeightUsed(Record, frozen=True):
    """The fixed weight dose intensity is expressed on, and why."""

    kg: float
    policy: str
    actual_kg: float
    on: date
    weight_source: str
    reason: str
    fallback: bool


class IntensityInterval(Record, frozen=True):
    """Dose intensity of one maintenance interval."""

    start: date
    end: date
    days: int
    grams: float
    route: str
    g_per_kg_per_28d: float


class IntensityPeriod(Record, frozen=True):
    """Consecutive maintenance intervals with the same grams, route and whole-week interval."""

    start: date
    end: date
    g_per_kg_per_28d: float
    grams_per_dose: float
    interval_days: float
    doses: int
    route: str


class SmoothedPoint(Record, frozen=True):
    """Grams per kg per 28 days over the 12 weeks before ``date`` (decision M4b)."""

    date: date
    g_per_kg_per_28d: float


class DoseIntensity(Record, frozen=True):
    """Dose intensity of the whole maintenance record."""

    weight: DosingWeightUsed | None
    intervals: tuple[IntensityInterval, ...]
    periods: tuple[IntensityPeriod, ...]
    smoothed: tuple[SmoothedPoint, ...]
    latest_weight_kg: float | None
    latest_weight_source: str
    notes: tuple[str, ...]


def maintenance_dosing_weight(
    case: Case, schedule: Schedule, *, policy: WeightPolicy
) -> DosingWeightUsed | None:
    """The dosing weight at the start of maintenance (decisions M4 and T1).

    Falls back to the recorded weight, with the reason, when the policy needs a height,
    sex or age that the case lacks. None when no maintenance interval or no weight exists.
    """
    first = next((iv for iv in schedule.intervals if iv.kind == "maintenance"), None)
    if first is None:
        return None
    event = next(e for e in schedule.events if e.date == first.start)
    found = weight_at(case, first.start, event)
    if found is None:
        return None
    actual, source = found
    p = case.patient
    pregnant = bool(
        case.history and case.history.conditions and "pregnancy" in case.history.conditions
    )
    try:
        dw = dosing_weight(
            weight_kg=actual,
            height_cm=p.height_cm if p else None,
            sex=p.sex if p else None,
            age_years=age_at(case, first.start),
            pregnant=pregnant,
            policy=policy,
        )
    except InputError as exc:
        return DosingWeightUsed(
            kg=round(actual, 2),
            policy="actual",
            actual_kg=actual,
            on=first.start,
            weight_source=source,
            reason=(
                f"the {policy} dosing weight cannot be computed ({exc}); the recorded weight "
                f"{actual:g} kg ({source}) is used instead"
            ),
            fallback=True,
        )
    return DosingWeightUsed(
        kg=dw.kg,
        policy=dw.policy,
        actual_kg=actual,
        on=first.start,
        weight_source=source,
        reason=dw.reason,
        fallback=False,
    )


def _periods(intervals: Sequence[IntensityInterval], kg: float) -> list[IntensityPeriod]:
    out: list[IntensityPeriod] = []
    run: list[IntensityInterval] = []

    def flush() -> None:
        if not run:
            return
        grams = math.fsum(r.grams for r in run)
        days = sum(r.days for r in run)
        out.append(
            IntensityPeriod(
                start=run[0].start,
                end=run[-1].end,
                g_per_kg_per_28d=round(grams / kg / days * 28.0, 3),
                grams_per_dose=run[0].grams,
                interval_days=round(days / len(run), 1),
                doses=len(run),
                route=run[0].route,
            )
        )
        run.clear()

    for iv in intervals:
        if run:
            last = run[-1]
            same = (
                last.end == iv.start
                and abs(last.grams - iv.grams) < EPS
                and last.route == iv.route
                and round(last.days / 7) == round(iv.days / 7)
            )
            if not same:
                flush()
        run.append(iv)
    flush()
    return out


def _smoothed(intervals: Sequence[IntensityInterval]) -> list[SmoothedPoint]:
    window = int(rule_value("M4-SMOOTHING-DAYS"))
    out: list[SmoothedPoint] = []
    for iv in intervals:
        t = iv.end
        lo = t - timedelta(days=window)
        covered = 0
        weighted = 0.0
        for other in intervals:
            a = max(other.start, lo)
            b = min(other.end, t)
            overlap = (b - a).days
            if overlap > 0:
                covered += overlap
                weighted += other.g_per_kg_per_28d * overlap
        if covered == window:
            out.append(SmoothedPoint(t, round(weighted / window, 3)))
    return out


def dose_intensity(case: Case, schedule: Schedule, *, policy: WeightPolicy) -> DoseIntensity:
    """Dose intensity of every maintenance interval, merged periods and the smoothed curve."""
    notes: list[str] = []
    weight = maintenance_dosing_weight(case, schedule, policy=policy)
    maint: list[Interval] = [iv for iv in schedule.intervals if iv.kind == "maintenance"]
    latest = _latest_weight(case)
    if weight is None:
        if maint:
            notes.append("no weight is recorded: dose intensity (g/kg) cannot be computed")
        return DoseIntensity(None, (), (), (), latest[0], latest[1], tuple(notes))
    rows = [
        IntensityInterval(
            start=iv.start,
            end=iv.end,
            days=iv.days,
            grams=iv.grams,
            route=iv.route,
            g_per_kg_per_28d=round(iv.grams / weight.kg / iv.days * 28.0, 3),
        )
        for iv in maint
    ]
    skipped = [iv for iv in schedule.intervals if iv.kind != "maintenance"]
    for iv in skipped:
        why = "follows an induction dose" if iv.kind == "after_induction" else "is a break"
        notes.append(f"interval {iv.start} → {iv.end} {why}; it is not maintenance")
    return DoseIntensity(
        weight,
        tuple(rows),
        tuple(_periods(rows, weight.kg)),
        tuple(_smoothed(rows)),
        latest[0],
        latest[1],
        tuple(notes),
    )


def _latest_weight(case: Case) -> tuple[float | None, str]:
    dated: list[tuple[date, float, str]] = [
        (a.date, a.weight_kg, "assessment") for a in case.assessments or () if a.weight_kg
    ]
    dated += [(i.date, i.weight_kg, "infusion") for i in case.infusions or () if i.weight_kg]
    if not dated:
        return None, ""
    d, kg, what = max(dated)
    return kg, f"{what} of {d}"


class DecliningResponse(Record, frozen=True):
    """Decision M4: intensity up >= 25 % within 24 months while the outcome is flat or worse."""

    detected: bool | None
    change_pct: float | None
    window_from: date | None
    window_to: date | None
    intensity_from: float | None
    intensity_to: float | None
    changes: tuple[Change, ...]
    reason: str


def outcome_over(readings: Sequence[Reading], start: date, end: date) -> list[Change]:
    """Compare each counted series between its first and last reading in [start, end].

    Only decision-M1 measures (and a symptom score with a declared MCID) are used; the
    per-muscle MRC grades are not (they are judged by the course-response rule). When
    the first reading carries a timing label (peak/trough) the last reading with the
    same label is preferred, so that a trough is not compared with a peak.
    """
    dates = [r.date for r in readings]
    lo = bisect.bisect_left(dates, start)
    hi = bisect.bisect_right(dates, end)
    by_key: dict[str, list[Reading]] = {}
    for r in readings[lo:hi]:
        if r.measure == "mrc_muscle":
            continue
        by_key.setdefault(r.key, []).append(r)
    out: list[Change] = []
    for rs in by_key.values():
        first = rs[0]
        later = [r for r in rs if r.date > first.date and incompatibility(first, r) is None]
        if not later:
            continue
        alike = [r for r in later if first.timing is not None and r.timing == first.timing]
        change = compare(first, (alike or later)[-1])
        if change.counts:
            out.append(change)
    return out


def declines_from_best(readings: Sequence[Reading], start: date, end: date) -> list[Change]:
    """Decision M8 within [start, end]: each counted series whose last reading is worse than
    its best earlier reading of the window (same timing label when the last has one) by
    at least its MCID. The change runs from that best reading to the last one.
    """
    dates = [r.date for r in readings]
    lo = bisect.bisect_left(dates, start)
    hi = bisect.bisect_right(dates, end)
    by_key: dict[str, list[Reading]] = {}
    for r in readings[lo:hi]:
        if r.measure != "mrc_muscle":
            by_key.setdefault(r.key, []).append(r)
    out: list[Change] = []
    for rs in by_key.values():
        last = rs[-1]
        peers = [
            r
            for r in rs[:-1]
            if r.date < last.date
            and incompatibility(r, last) is None
            and (last.timing is None or r.timing == last.timing)
        ]
        worst: Change | None = None
        for p in peers:
            c = compare(p, last)
            if c.counts and c.status == "worsened" and (worst is None or gain(c) < gain(worst)):
                worst = c
        if worst is not None:
            out.append(
                replace(
                    worst,
                    note=(worst.note + "; " if worst.note else "")
                    + f"worse than best by {abs(worst.delta):g} (decision M8)",
                )
            )
    return out


def declining_response(intensity: DoseIntensity, readings: Sequence[Reading]) -> DecliningResponse:
    """Decision M4 over every rolling 24-month window of the smoothed intensity.

    For each pair of smoothed points t1 < t2 at most ``M4-WINDOW-MONTHS`` apart whose
    intensity rose by >= ``M4-RISE-PCT``, the outcome is compared from 12 weeks before t1
    to t2. Detected when some such window shows no measure improved by its MCID (flat
    or worse), or a measure whose last reading of the window is worse than its best by
    its MCID (decision M8), even when another comparison improved. Not detected when
    the intensity never rose so, or when every rising window
    that can be judged shows an MCID improvement; a rising window without two readings
    of a measure is skipped (decision M4c), and the result is unknown only when no
    rising window can be judged.

    References
    ----------
    Decisions M4 and M8 (docs/decisions.md); van den Berg-Vos RM et al. 2012 review;
    Herraets IJT et al., Neurology 2020.
    """
    rise_pct = rule_value("M4-RISE-PCT")
    months = int(rule_value("M4-WINDOW-MONTHS"))
    back = timedelta(days=int(rule_value("M4-SMOOTHING-DAYS")))
    pts = intensity.smoothed
    if intensity.weight is None:
        return DecliningResponse(
            None, None, None, None, None, None, (), "dose intensity cannot be computed"
        )
    if len(pts) < 2:
        return DecliningResponse(
            None,
            None,
            None,
            None,
            None,
            None,
            (),
            "fewer than two 12-week dose-intensity readings in maintenance",
        )
    best_rise: tuple[float, int, int] | None = None
    detected: tuple[float, int, int, list[Change]] | None = None
    unknown: tuple[float, int, int] | None = None
    improved: tuple[float, int, int, list[Change]] | None = None
    for j, p2 in enumerate(pts):
        earliest = add_months(p2.date, -months)
        pairs = [
            (p2.g_per_kg_per_28d / p1.g_per_kg_per_28d - 1.0, i)
            for i, p1 in enumerate(pts[:j])
            if p1.date >= earliest and p1.g_per_kg_per_28d > 0
        ]
        for rise, i in sorted(pairs, key=lambda x: (-x[0], x[1])):
            if best_rise is None or rise > best_rise[0] + EPS:
                best_rise = (rise, i, j)
            if rise * 100.0 < rise_pct - EPS:
                break
            changes = outcome_over(readings, pts[i].date - back, p2.date)
            declines = declines_from_best(readings, pts[i].date - back, p2.date)
            if not changes and not declines:
                if unknown is None or rise > unknown[0]:
                    unknown = (rise, i, j)
                continue
            if declines:
                changes = [c for c in changes if c.status != "improved"] + declines
            elif any(c.status in ("improved", "mixed") for c in changes):
                if improved is None:
                    improved = (rise, i, j, changes)
                continue
            if detected is None or rise > detected[0] + EPS or abs(rise - detected[0]) <= EPS:
                detected = (rise, i, j, changes)
            break

    def result(
        flag: bool | None, pair: tuple[float, int, int], changes: list[Change], reason: str
    ) -> DecliningResponse:
        rise, i, j = pair
        return DecliningResponse(
            flag,
            round(rise * 100.0, 1),
            pts[i].date,
            pts[j].date,
            pts[i].g_per_kg_per_28d,
            pts[j].g_per_kg_per_28d,
            tuple(changes),
            reason,
        )

    if detected is not None:
        rise, i, j, changes = detected
        worse = [
            c.label for c in changes if c.status == "worsened" and "(decision M8)" not in c.note
        ]
        best = [
            f"{c.label} {c.baseline:g}→{c.latest:g}" for c in changes if "(decision M8)" in c.note
        ]
        state = "worse (" + ", ".join(worse) + ")" if worse else "flat"
        if best:
            state = (
                (state if worse else "")
                + ("; " if worse else "")
                + "worse than its best by at least the MCID (decision M8: "
                + ", ".join(best)
                + ")"
            )
        return result(
            True,
            (rise, i, j),
            changes,
            f"dose intensity rose {rise * 100:.1f} % ({pts[i].g_per_kg_per_28d:.2f} → "
            f"{pts[j].g_per_kg_per_28d:.2f} g/kg per 28 days, {pts[i].date} → {pts[j].date}) "
            f"while the outcome was {state}"
            + ("" if best else ": no measure improved by its MCID"),
        )
    if improved is not None:
        rise, i, j, changes = improved
        return result(
            False,
            (rise, i, j),
            changes,
            f"dose intensity rose {rise * 100:.1f} % ({pts[i].date} → {pts[j].date}) and the "
            "outcome improved by at least one MCID: not a declining response",
        )
    if unknown is not None:
        rise, i, j = unknown
        return result(
            None,
            (rise, i, j),
            [],
            f"dose intensity rose {rise * 100:.1f} % ({pts[i].date} → {pts[j].date}) but no "
            "outcome measure was recorded twice in that window",
        )
    if best_rise is None:
        return DecliningResponse(
            None,
            None,
            None,
            None,
            None,
            None,
            (),
            f"no two dose-intensity readings lie within {months} months",
        )
    rise, i, j = best_rise
    return result(
        False,
        (rise, i, j),
        [],
        f"dose intensity never rose by {rise_pct:g} % within {months} months "
        f"(largest change {rise * 100:+.1f} %)",
    )
