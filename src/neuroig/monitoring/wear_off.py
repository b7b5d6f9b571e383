"""End-of-dose wear-off (decision M3).

A *cycle* runs from one dose to the next (breaks excluded). In a cycle the
``trough`` assessment (up to and including the day of the next dose, taken before it)
is compared with the preceding ``peak`` assessment of the same cycle. A cycle is

* ``met`` when some measure is worse at the trough by at least its MCID and recovers
  by at least its MCID at the next cycle's peak;
* ``not_met`` when peak and trough were compared and nothing fell by an MCID, or what
  fell did not recover;
* ``unknown`` when it has assessments but no peak/trough pair (e.g. timing labels
  missing), no comparable measure, or the recovery was not observed;
* ``not_observed`` when no assessment falls in it.

Wear-off is detected with ``M3-CONSECUTIVE-CYCLES`` (2) consecutive ``met`` cycles;
it is *not* detected when every run of that many consecutive observed cycles holds a
``not_met`` cycle; otherwise it is unknown. Cycles without any assessment are outside
the judgement (the reason names the cycles observed).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from typing import Literal

from neuroig.monitoring.readings import Reading, compare, incompatibility, series_label
from neuroig.monitoring.schedule import Schedule
from neuroig.record import Record
from neuroig.reference.outcomes import outcome_measure, rule_value

__all__ = ["Cycle", "CycleStatus", "Drop", "WearOff", "wear_off"]

CycleStatus = Literal["met", "not_met", "unknown", "not_observed"]


class Drop(Record, frozen=True):
    """A measure worse at the trough than at the peak by at least its MCID."""

    measure: str
    label: str
    peak: float
    trough: float
    delta: float
    mcid: float
    peak_date: date
    trough_date: date
    recovered: bool | None
    recovery_value: float | None
    recovery_date: date | None


class Cycle(Record, frozen=True):
    """One dosing cycle and its wear-off status."""

    number: int
    start: date
    end: date
    status: CycleStatus
    peak_date: date | None
    trough_date: date | None
    drops: tuple[Drop, ...]
    reason: str


class WearOff(Record, frozen=True):
    """Decision M3 over the whole record."""

    detected: bool | None
    cycles: tuple[Cycle, ...]
    cycles_total: int
    run: tuple[int, ...]
    reason: str


def _judged(r: Reading) -> bool:
    if r.measure == "mrc_muscle":
        return False
    m = outcome_measure(r.measure)
    return m.in_m1 or (m.mcid_kind == "declared" and r.declared_mcid is not None)


def _latest_compatible(pool: Sequence[Reading], base: Reading, before: date) -> Reading | None:
    ok = [
        r
        for r in pool
        if r.key == base.key and r.date < before and incompatibility(r, base) is None
    ]
    return ok[-1] if ok else None


def wear_off(schedule: Schedule, readings: Sequence[Reading]) -> WearOff:
    """Judge end-of-dose wear-off (``readings`` merged by day and timing, in date order).

    References
    ----------
    Decision M3 (docs/decisions.md; a design rule: trough within 3 days before the next
    dose, peak 1-2 weeks after a dose); Van den Bergh PYK et al., EAN/PNS 2021 (end-of-dose
    deterioration warrants a higher dose or a shorter interval).
    """
    need = int(rule_value("M3-CONSECUTIVE-CYCLES"))
    spans = [iv for iv in schedule.intervals if iv.kind != "break"]
    events = {e.date: e for e in schedule.events}
    ranges = [(events[iv.start].last_date, iv.end, iv.start) for iv in spans]
    judged = [r for r in readings if _judged(r)]
    labelled = any(r.timing in ("peak", "trough") for r in judged)

    def in_range(k: int) -> list[Reading]:
        lo, hi, _ = ranges[k]
        return [r for r in judged if lo < r.date <= hi]

    pools = [in_range(k) for k in range(len(ranges))]
    cycles: list[Cycle] = []
    for k, (_lo, hi, start) in enumerate(ranges):
        rs = pools[k]
        if not rs:
            cycles.append(Cycle(k + 1, start, hi, "not_observed", None, None, (), "no assessment"))
            continue
        peaks = [r for r in rs if r.timing == "peak"]
        troughs = [r for r in rs if r.timing == "trough"]
        if not peaks or not troughs:
            missing = " and ".join(
                w for w, have in (("peak", peaks), ("trough", troughs)) if not have
            )
            unlabelled = sum(1 for r in rs if r.timing is None)
            extra = f"; {unlabelled} reading(s) carry no timing label" if unlabelled else ""
            cycles.append(
                Cycle(
                    k + 1,
                    start,
                    hi,
                    "unknown",
                    min((r.date for r in peaks), default=None),
                    max((r.date for r in troughs), default=None),
                    (),
                    f"no assessment labelled {missing}{extra}",
                )
            )
            continue
        contiguous = k + 1 < len(ranges) and spans[k].end == spans[k + 1].start
        next_peaks = [r for r in pools[k + 1] if r.timing == "peak"] if contiguous else []
        drops: list[Drop] = []
        compared = False
        for t in troughs:
            p = _latest_compatible(peaks, t, t.date)
            if p is None:
                continue
            compared = True
            change = compare(p, t)
            if change.status != "worsened" or change.mcid is None:
                continue
            recovered: bool | None = None
            value: float | None = None
            when: date | None = None
            later = [r for r in next_peaks if r.key == t.key and incompatibility(t, r) is None]
            if later:
                back = compare(t, later[0])
                recovered = back.status == "improved"
                value, when = later[0].value, later[0].date
            drops.append(
                Drop(
                    measure=t.key,
                    label=series_label(t.key),
                    peak=change.baseline,
                    trough=change.latest,
                    delta=change.delta,
                    mcid=change.mcid,
                    peak_date=p.date,
                    trough_date=t.date,
                    recovered=recovered,
                    recovery_value=value,
                    recovery_date=when,
                )
            )
        peak_date = min(r.date for r in peaks)
        trough_date = max(r.date for r in troughs)
        status: CycleStatus
        if any(d.recovered for d in drops):
            status = "met"
            reason = "trough worse than peak by ≥ MCID and recovered after the next dose"
        elif any(d.recovered is None for d in drops):
            status = "unknown"
            reason = "trough worse than peak by ≥ MCID; recovery after the next dose not observed"
        elif drops:
            status = "not_met"
            reason = "trough worse than peak by ≥ MCID but no recovery after the next dose"
        elif compared:
            status = "not_met"
            reason = "trough within the MCID of the peak"
        else:
            status = "unknown"
            reason = "peak and trough share no comparable measure"
        cycles.append(Cycle(k + 1, start, hi, status, peak_date, trough_date, tuple(drops), reason))
    return _aggregate(cycles, spans_contiguous=_contiguity(schedule), need=need, labelled=labelled)


def _contiguity(schedule: Schedule) -> list[bool]:
    spans = [iv for iv in schedule.intervals if iv.kind != "break"]
    return [a.end == b.start for a, b in itertools.pairwise(spans)]


def _aggregate(
    cycles: list[Cycle], *, spans_contiguous: list[bool], need: int, labelled: bool
) -> WearOff:
    observed = tuple(c for c in cycles if c.status != "not_observed")
    windows: list[list[Cycle]] = []
    for k in range(len(cycles) - need + 1):
        if all(spans_contiguous[k + i] for i in range(need - 1)):
            windows.append(cycles[k : k + need])
    full = [w for w in windows if all(c.status != "not_observed" for c in w)]
    met = next((w for w in full if all(c.status == "met" for c in w)), None)
    if met is not None:
        numbers = tuple(c.number for c in met)
        return WearOff(
            True,
            observed,
            len(cycles),
            numbers,
            f"wear-off in {need} consecutive cycles ({', '.join(map(str, numbers))}: "
            f"{met[0].start} → {met[-1].end})",
        )
    if not cycles:
        return WearOff(None, (), 0, (), "no dosing cycle: fewer than two immunoglobulin doses")
    if not labelled:
        return WearOff(
            None,
            (),
            len(cycles),
            (),
            "no assessment is labelled peak or trough: wear-off cannot be judged",
        )
    open_ = [w for w in full if all(c.status in ("met", "unknown") for c in w)]
    if open_:
        w = open_[0]
        return WearOff(
            None,
            observed,
            len(cycles),
            (),
            f"cycles {', '.join(str(c.number) for c in w)} could show wear-off but are "
            f"incomplete ({'; '.join(c.reason for c in w if c.status == 'unknown')})",
        )
    if full:
        return WearOff(
            False,
            observed,
            len(cycles),
            (),
            f"not detected in the {len(observed)} observed cycle(s) of {len(cycles)}: no "
            f"{need} consecutive cycles with a recovering trough drop",
        )
    return WearOff(
        None,
        observed,
        len(cycles),
        (),
        f"no {need} consecutive cycles were observed ({len(observed)} of {len(cycles)} cycles "
        "have assessments)",
    )
