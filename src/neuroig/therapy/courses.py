"""Regimens other than immunoglobulin: prednisone and a plasma exchange course.

Prednisone (decision T23): 60-80 mg daily, review at 3 months before any taper, then —
if improved — a gradual taper to a maintenance of 20 mg on alternate days (the
in-between day first, then the alternate-day dose; steps configurable), with the
supportive care items (bone, gastric, glucose, blood pressure).

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
from neuroig.therapy.dates import add_months
from neuroig.therapy.model import Finding, RegimenPlan, Session, SteroidPhase
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.params import param, param_int, param_list, param_value

__all__ = ["plan_plasma_exchange", "plan_prednisone"]


def plan_prednisone(
    options: PlanOptions,
    *,
    weight_kg: float | None = None,
    conditions: frozenset[str] = frozenset(),
) -> tuple[RegimenPlan, list[str], list[str], list[Finding]]:
    """The prednisone plan (decision T23): full dose to the 3-month review, then a gradual
    taper to 20 mg on alternate days, with the supportive care items.

    The taper starts at the review, never before it. It first lowers the in-between day's
    dose by ``taper_step_mg`` every ``taper_step_weeks`` (daily → alternate days without a
    jump), then the alternate-day dose by the same step down to
    ``maintenance_mg_alternate_days``. A dose above 1 mg/kg/day is a ``warn``.
    """
    notes: list[str] = []
    warnings: list[str] = []
    findings: list[Finding] = []
    mg, weeks = options.prednisone_mg_per_day, options.prednisone_weeks
    lo, hi = param_list("PRED-RANGE-MG")
    if not lo <= mg <= hi:
        warnings.append(f"prednisone {mg:g} mg/day is outside the regimen's {lo:g}-{hi:g} mg/day")
    weeks_lo, weeks_hi = param_list("PRED-RANGE-WEEKS")
    if not weeks_lo <= weeks <= weeks_hi:
        warnings.append(f"{weeks} weeks at full dose is outside the regimen's 2-3 months")
    floor = options.maintenance_mg_alternate_days
    if floor > mg:
        raise InputError(
            "maintenance_mg_alternate_days",
            floor,
            f"must be ≤ the starting dose {mg:g} mg",
        )
    per_kg = param("PRED-WARN-MG-PER-KG-DAY")
    if weight_kg is None:
        findings.append(
            Finding(
                "PRED-DOSE-PER-KG",
                "warn",
                f"weight not recorded: {mg:g} mg/day is not checked against "
                f"{per_kg.value:g} mg/kg/day",
                f"{per_kg.source}",
                applies_to="regimen",
            )
        )
    elif mg / weight_kg > param_value("PRED-WARN-MG-PER-KG-DAY") + 1e-9:
        findings.append(
            Finding(
                "PRED-DOSE-PER-KG",
                "warn",
                f"{mg:g} mg/day on {weight_kg:g} kg = {mg / weight_kg:.2f} mg/kg/day, above "
                f"{per_kg.value:g} mg/kg/day",
                f"{per_kg.source}",
                applies_to="regimen",
            )
        )
    start = options.start
    review = add_months(start, param_int("PRED-REVIEW-MONTHS"))
    full_end = max(start + timedelta(days=weeks * 7), review)
    step, step_days = options.taper_step_mg, options.taper_step_weeks * 7
    phases = [
        SteroidPhase(
            start,
            full_end - timedelta(days=1),
            mg,
            "daily",
            f"{mg:g} mg daily to the review on {review} (taper only after it)",
        )
    ]
    day = full_end
    other = mg - step
    while other > 0:  # the in-between day lowered step by step (no jump to alternate days)
        phases.append(
            SteroidPhase(
                day,
                day + timedelta(days=step_days - 1),
                mg,
                "alternate days",
                f"{mg:g} mg and {other:g} mg on alternating days for "
                f"{options.taper_step_weeks} weeks",
                other_day_mg=other,
            )
        )
        day += timedelta(days=step_days)
        other -= step
    dose = mg
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
        dose = max(floor, dose - step)
    phases.append(
        SteroidPhase(
            day, None, floor, "alternate days", f"maintenance {floor:g} mg on alternate days"
        )
    )
    notes += [
        f"review at {param_value('PRED-REVIEW-MONTHS'):g} months ({review}) before any taper: "
        "taper only if improved; no response by then - a higher dose may be tried, or another "
        "treatment (CMDT; decision T23)",
        f"taper (decision T23, local schedule): the in-between day lowered by {step:g} mg every "
        f"{options.taper_step_weeks} weeks to none, then the alternate-day dose by {step:g} mg "
        f"every {options.taper_step_weeks} weeks to {floor:g} mg on alternate days "
        "(configurable)",
    ]
    care = [
        "bone protection: calcium and vitamin D; assess fracture risk for a bisphosphonate",
        "gastric protection (proton-pump inhibitor) where indicated: history of peptic ulcer, "
        "or with an NSAID, antiplatelet or anticoagulant",
        "glucose: baseline and during treatment"
        + (" - diabetes recorded: monitor closely" if conditions & _DIABETES else ""),
        "blood pressure: baseline and at each visit"
        + (" - hypertension recorded: monitor closely" if "hypertension" in conditions else ""),
    ]
    regimen = _non_ig_regimen(
        "prednisone",
        f"{mg:g} mg/day",
        days=None,
        sessions=(),
        phases=tuple(phases),
        review=review,
        care=tuple(care),
    )
    return regimen, notes, warnings, findings


_DIABETES = frozenset({"diabetes", "insulin_treated_diabetes"})


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
    care: tuple[str, ...] = (),
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
        care=care,
    )
