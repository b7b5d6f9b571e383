"""Infusion rates and durations (decision T2 and the local step schedule T9).

IV rates are computed on the **actual** body weight (the labels' basis, T2) and capped
at the product's maximum. The labels give only a start and a maximum rate; between
them neuroig uses a configurable step schedule (:class:`RateSchedule`, default: hold
the start rate 30 min, then double it every 30 min up to the maximum). Rates are
rounded **down** to 0.1 mL/h so that a displayed rate never exceeds the label's limit.

SC rates are per infusion site: all sites run in parallel, so the pump rate is
``sites × rate per site``, capped by a total-rate limit when the label gives one.

References
----------
1. docs/methods/therapy.md (rate arithmetic; Panzyga holds the start rate 30 min then
   increases every 15-30 min; Gammagard increases every 30 min) and §3 (label rates).
"""

from __future__ import annotations

import math

from neuroig.errors import InputError
from neuroig.record import Record
from neuroig.reference.products import Product

__all__ = [
    "RateSchedule",
    "RateStep",
    "ScSessionRates",
    "duration_min",
    "floor_rate",
    "iv_ramp",
    "sc_ramp",
]


class RateSchedule(Record, frozen=True):
    """How the rate steps up from the start rate to the maximum (local decision T9).

    ``hold_min``: minutes at the start rate (the label's own hold, when longer, wins);
    ``step_min``: minutes between steps; ``factor``: each step multiplies the rate.
    """

    hold_min: float = 30.0
    step_min: float = 30.0
    factor: float = 2.0

    def __post_init__(self) -> None:
        if not self.hold_min >= 0 or not math.isfinite(self.hold_min):
            raise InputError("rate_schedule.hold_min", self.hold_min, "must be ≥ 0 minutes")
        if not self.step_min > 0 or not math.isfinite(self.step_min):
            raise InputError("rate_schedule.step_min", self.step_min, "must be > 0 minutes")
        if not self.factor > 1 or not math.isfinite(self.factor):
            raise InputError("rate_schedule.factor", self.factor, "must be > 1")


class RateStep(Record, frozen=True):
    """From ``after_min`` minutes into the infusion, run at ``ml_per_h``."""

    after_min: float
    ml_per_h: float


def floor_rate(ml_per_h: float) -> float:
    """Round a rate down to 0.1 mL/h (never above the computed limit)."""
    return math.floor(ml_per_h * 10 + 1e-9) / 10


def _ramp(start: float, top: float, hold: float, schedule: RateSchedule) -> list[RateStep]:
    steps = [RateStep(0.0, start)]
    rate, t = start, hold
    while rate < top:
        rate = min(floor_rate(rate * schedule.factor), top)
        if rate <= steps[-1].ml_per_h:  # rounding could stall a tiny rate
            rate = top
        steps.append(RateStep(t, rate))
        t += schedule.step_min
    return steps


def duration_min(steps: list[RateStep], volume_ml: float) -> tuple[list[RateStep], int]:
    """Minutes to give ``volume_ml`` following ``steps`` (rounded up), and the steps used."""
    given = 0.0
    used: list[RateStep] = []
    for i, step in enumerate(steps):
        used.append(step)
        end = steps[i + 1].after_min if i + 1 < len(steps) else math.inf
        can = step.ml_per_h * (end - step.after_min) / 60.0
        if given + can >= volume_ml - 1e-9:
            minutes = step.after_min + (volume_ml - given) / step.ml_per_h * 60.0
            return used, math.ceil(minutes - 1e-9)
        given += can
    raise AssertionError("unreachable: the last step runs without end")  # pragma: no cover


def iv_ramp(
    *,
    product: Product,
    weight_kg: float,
    start_ml_h: float | None,
    max_ml_kg_min: float,
    schedule: RateSchedule,
) -> list[RateStep]:
    """The IV rate steps (mL/h) from the start rate to the maximum on ``weight_kg``.

    ``start_ml_h`` None starts at the label's initial rate (first infusion, product
    switch, gap > 8 weeks — T2); otherwise at that (previously tolerated) rate, capped.
    """
    if product.iv_rate_initial_ml_kg_min is None:  # pragma: no cover - caller checks
        raise ValueError(f"no initial rate on file for {product.id}")
    top = floor_rate(max_ml_kg_min * weight_kg * 60.0)
    initial = min(floor_rate(product.iv_rate_initial_ml_kg_min.value * weight_kg * 60.0), top)
    start = initial if start_ml_h is None else min(max(floor_rate(start_ml_h), initial), top)
    label_hold = product.iv_initial_hold_min.value if product.iv_initial_hold_min else 0.0
    hold = max(schedule.hold_min, label_hold) if start_ml_h is None else schedule.step_min
    return _ramp(start, top, hold, schedule)


class ScSessionRates(Record, frozen=True):
    """Sites, volume per site and pump rate steps of one SC session."""

    sites: int
    site_volume_ml: float
    steps: list[RateStep]
    per_site_start_ml_h: float
    per_site_max_ml_h: float


def sc_ramp(
    *,
    sites: int,
    volume_ml: float,
    per_site_start: float,
    per_site_max: float,
    total_max: float | None,
    ramp: bool,
    schedule: RateSchedule,
) -> ScSessionRates:
    """The SC pump rate steps for ``sites`` sites running in parallel."""

    def total(per_site: float) -> float:
        rate = per_site * sites
        return floor_rate(min(rate, total_max) if total_max is not None else rate)

    if ramp and per_site_start < per_site_max:
        steps = _ramp(total(per_site_start), total(per_site_max), schedule.hold_min, schedule)
    else:
        steps = [RateStep(0.0, total(per_site_start))]
    return ScSessionRates(
        sites=sites,
        site_volume_ml=round(volume_ml / sites, 1),
        steps=steps,
        per_site_start_ml_h=per_site_start,
        per_site_max_ml_h=per_site_max,
    )
