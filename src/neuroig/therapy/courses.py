"""Regimens other than immunoglobulin: prednisone and a plasma exchange course.

Prednisone (issue 5 regimen): 60-80 mg daily for 2-3 months, review at 3 months,
then — if improved — a taper to a maintenance of 20 mg on alternate days. The taper
steps are a local default (T11: switch the daily dose to the same dose on alternate
days, then lower it by 10 mg every 4 weeks down to 20 mg), configurable.

Plasma exchange: the randomised trials gave 10 exchanges over 4 weeks (Hahn 1996) and
6 over 3 weeks (Dyck 1986); the default is the first, spaced evenly.

References
----------
1. Van den Bergh PYK, et al. EAN/PNS guideline on CIDP, 2021 (corticosteroids and
   plasma exchange strongly recommended; see :mod:`neuroig.therapy.advice`).
2. Dyck PJ, et al. Prednisone improves CIDP more than no treatment. Ann Neurol
   1982;11:136-41. van Schaik IN, et al. PREDICT. Lancet Neurol 2010;9:245-53
   (daily prednisolone 60 mg arm).
3. Mehndiratta MM, Hughes RAC, Pritchard J. Plasma exchange for CIDP. Cochrane Database
   Syst Rev 2015;CD003906 (10 exchanges over 4 weeks; 6 over 3 weeks; rapid
   deterioration after exchange in 8 of 12 who improved).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from neuroig.errors import InputError
from neuroig.therapy.ig import add_months
from neuroig.therapy.model import RegimenPlan, Session, SteroidPhase
from neuroig.therapy.options import PlanOptions

__all__ = ["plan_plasma_exchange", "plan_prednisone"]

PRED_RANGE_MG = (60.0, 80.0)
PRED_RANGE_WEEKS = (8, 13)  # "2-3 months"
REVIEW_MONTHS = 3


def plan_prednisone(options: PlanOptions) -> tuple[RegimenPlan, list[str], list[str]]:
    """The prednisone plan: full dose, review at 3 months, taper to maintenance."""
    notes: list[str] = []
    warnings: list[str] = []
    mg, weeks = options.prednisone_mg_per_day, options.prednisone_weeks
    lo, hi = PRED_RANGE_MG
    if not lo <= mg <= hi:
        warnings.append(f"prednisone {mg:g} mg/day is outside the regimen's {lo:g}-{hi:g} mg/day")
    if not PRED_RANGE_WEEKS[0] <= weeks <= PRED_RANGE_WEEKS[1]:
        warnings.append(f"{weeks} weeks at full dose is outside the regimen's 2-3 months")
    floor = options.maintenance_mg_alternate_days
    if floor > mg:
        raise InputError(
            "maintenance_mg_alternate_days",
            floor,
            f"must be ≤ the starting dose {mg:g} mg",
        )
    start = options.start
    step_days = options.taper_step_weeks * 7
    taper_start = start + timedelta(days=weeks * 7)
    phases = [
        SteroidPhase(
            start,
            taper_start - timedelta(days=1),
            mg,
            "daily",
            f"{mg:g} mg daily for {weeks} weeks",
        )
    ]
    dose, day = mg, taper_start
    while dose > floor:
        phases.append(
            SteroidPhase(
                day,
                day + timedelta(days=step_days - 1),
                dose,
                "alternate days",
                f"{dose:g} mg on alternate days for {options.taper_step_weeks} weeks",
            )
        )
        day += timedelta(days=step_days)
        dose = max(floor, dose - options.taper_step_mg)
    phases.append(
        SteroidPhase(
            day, None, floor, "alternate days", f"maintenance {floor:g} mg on alternate days"
        )
    )
    review = add_months(start, REVIEW_MONTHS)
    notes += [
        f"review at 3 months ({review}): taper only if improved; otherwise reconsider "
        "the treatment",
        "taper steps are a local default (T11): same dose on alternate days, then "
        f"-{options.taper_step_mg:g} mg every {options.taper_step_weeks} weeks to "
        f"{floor:g} mg on alternate days",
        "steroid monitoring (glucose, blood pressure, bone and gastric protection) follows the "
        "local protocol: it is not screened by neuroig",
    ]
    regimen = _non_ig_regimen(
        "prednisone", f"{mg:g} mg/day", days=None, sessions=(), phases=tuple(phases), review=review
    )
    return regimen, notes, warnings


def plan_plasma_exchange(options: PlanOptions) -> tuple[RegimenPlan, list[str], list[str]]:
    """A course of ``exchanges`` plasma exchanges spread evenly over ``exchange_weeks``."""
    n, span = options.exchanges, options.exchange_weeks * 7
    if n > span:
        raise InputError(
            "exchanges", n, f"must be ≤ {span} (one a day over {options.exchange_weeks} weeks)"
        )
    step = span / n
    offsets = [math.floor(i * step + 0.5) for i in range(n)]
    sessions = tuple(
        Session(date=options.start + timedelta(days=o), label=f"exchange {i + 1} of {n}")
        for i, o in enumerate(offsets)
    )
    notes = [
        f"{n} exchanges over {options.exchange_weeks} weeks (trials: 10 over 4 weeks, Hahn 1996; "
        "6 over 3 weeks, Dyck 1986)",
        "rapid deterioration after exchange occurred in 8 of 12 who improved: plan the "
        "maintenance treatment",
        "exchange volume, replacement fluid and vascular access follow the local apheresis "
        "protocol: not computed by neuroig",
    ]
    regimen = _non_ig_regimen(
        "plasma-exchange",
        f"{n} exchanges over {options.exchange_weeks} weeks",
        days=n,
        sessions=sessions,
    )
    return regimen, notes, []


def _non_ig_regimen(
    kind: str,
    dose_basis: str,
    *,
    days: int | None,
    sessions: tuple[Session, ...],
    phases: tuple[SteroidPhase, ...] = (),
    review: date | None = None,
) -> RegimenPlan:
    """A regimen without immunoglobulin: every gram and rate field is empty."""
    return RegimenPlan(
        kind=kind,
        route=None,
        dose_g_per_kg=None,
        dose_basis=dose_basis,
        days=days,
        interval_days=None,
        rounding=None,
        total_computed_g=None,
        total_dispensed_g=None,
        total_issued_g=None,
        total_wastage_g=None,
        weekly_g_per_kg=None,
        per_day_g_per_kg=None,
        sessions=sessions,
        schedule=(),
        phases=phases,
        review_date=review,
    )
