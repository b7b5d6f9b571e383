"""What the case's infusion record says about the next infusion (decision T2).

The first infusion, a product (or route) switch, or a gap of more than 8 weeks since
the last infusion starts at the label's initial rate. So does an infusion after one
with a recorded adverse event (local decision T9). Otherwise the next infusion may
start at the rate tolerated last time (``rate_max_ml_h``), when it was recorded.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from neuroig.case import Case, Infusion
from neuroig.record import Record
from neuroig.reference.outcomes import rule_value

__all__ = ["IgHistory", "RecordedMaintenance", "gap_days", "ig_history", "recorded_maintenance"]


def gap_days() -> int:
    """A gap longer than this (8 weeks) restarts at the initial rate (T2).

    One home with the monitoring's therapy break: ``THERAPY-BREAK-DAYS`` of
    ``data/outcome_measures.toml`` (decisions T2, M4a).
    """
    return int(rule_value("THERAPY-BREAK-DAYS"))


class IgHistory(Record, frozen=True):
    """The infusion record as it bears on the next infusion of ``product`` by ``route``."""

    last: Infusion | None
    restart_initial: bool
    reason: str
    tolerated_ml_h: float | None
    same_product_count: int
    any_prior_infusion: bool


def ig_history(case: Case, *, product_id: str, route: str, on: date) -> IgHistory:
    """Summarise the infusions recorded before ``on`` for a planned ``product_id`` infusion."""
    past = sorted((i for i in case.infusions or () if i.date < on), key=lambda i: i.date)
    if not past:
        return IgHistory(None, True, "first infusion (no infusion recorded)", None, 0, False)
    last = past[-1]
    gap = (on - last.date).days
    if last.product != product_id or last.route != route:
        reason = f"product switch ({last.product} {last.route} on {last.date})"
        return IgHistory(last, True, reason, None, 0, True)
    limit = gap_days()
    if gap > limit:
        weeks = f"{limit // 7} weeks" if limit % 7 == 0 else f"{limit} days"
        reason = f"gap of {gap} days since the last infusion on {last.date} (> {weeks})"
        return IgHistory(last, True, reason, None, 0, True)
    count = 1
    for prev, cur in zip(reversed(past[:-1]), reversed(past[1:]), strict=True):
        if prev.product != product_id or prev.route != route or (cur.date - prev.date).days > limit:
            break
        count += 1
    if last.adverse_events:
        events = ", ".join(e.event for e in last.adverse_events)
        reason = f"adverse event at the last infusion on {last.date} ({events})"
        return IgHistory(last, True, reason, None, count, True)
    reason = f"continuing {product_id} (last infusion {last.date}, {gap} days before)"
    return IgHistory(last, False, reason, last.rate_max_ml_h, count, True)


#: Infusions closer than this belong to the same cycle (a cycle is given over ≤ 5 days).
CYCLE_DAYS = 5


class RecordedMaintenance(Record, frozen=True):
    """The maintenance regimen the infusion record shows (decision T17).

    ``grams`` is the total of the last cycle (its infusions on ``days`` days from
    ``last_start``); ``interval_days`` the median of the last three intervals between
    cycle starts (None with a single cycle).
    """

    grams: float
    days: int
    last_start: date
    interval_days: int | None
    intervals: tuple[int, ...]

    def describe(self) -> str:
        interval = (
            f"every {self.interval_days} days (median of the last intervals "
            f"{', '.join(str(i) for i in self.intervals)} days)"
            if self.interval_days is not None
            else "interval not recorded (one cycle)"
        )
        return (
            f"recorded: {self.grams:g} g per cycle over {self.days} day(s) "
            f"(last cycle {self.last_start}), {interval}"
        )


def recorded_maintenance(case: Case, *, route: str, on: date) -> RecordedMaintenance | None:
    """The current maintenance regimen of ``route`` from the infusions before ``on``."""
    past = sorted(
        (i for i in case.infusions or () if i.route == route and i.date < on), key=lambda i: i.date
    )
    if not past:
        return None
    cycles: list[list[Infusion]] = []
    for inf in past:
        if cycles and (inf.date - cycles[-1][0].date).days < CYCLE_DAYS:
            cycles[-1].append(inf)
        else:
            cycles.append([inf])
    last = cycles[-1]
    starts = [c[0].date for c in cycles]
    intervals = tuple((b - a).days for a, b in pairwise(starts))[-3:]
    median = None
    if intervals:
        ordered = sorted(intervals)
        mid = len(ordered) // 2
        median = ordered[mid] if len(ordered) % 2 else round((ordered[mid - 1] + ordered[mid]) / 2)
    return RecordedMaintenance(
        grams=round(sum(i.dose_g for i in last), 2),
        days=len({i.date for i in last}),
        last_start=last[0].date,
        interval_days=median,
        intervals=intervals,
    )
