"""Therapy planning: dosing weight, products, regimens, schedules, safety screen, cost.

The entry point is :func:`plan` (``plan(case, options, diagnosis=..., prices=...)``);
:func:`plan_to_dict` and :func:`plan_to_ics` render its result.
"""

from neuroig.therapy.advice import NO_DIAGNOSIS_NOTE, advise
from neuroig.therapy.dosing_weight import (
    POLICIES,
    DosingWeight,
    WeightPolicy,
    dosing_weight,
    ideal_body_weight_kg,
)
from neuroig.therapy.export import PLAN_FORMAT, plan_to_dict, plan_to_ics, session_dates
from neuroig.therapy.model import (
    Advice,
    Cost,
    Finding,
    Plan,
    RegimenPlan,
    Session,
    SteroidPhase,
)
from neuroig.therapy.options import REGIMENS, ROUNDINGS, Override, PlanOptions
from neuroig.therapy.packs import PackCount, PackSet, pack_set
from neuroig.therapy.plan import plan
from neuroig.therapy.rates import RateSchedule, RateStep

__all__ = [
    "NO_DIAGNOSIS_NOTE",
    "PLAN_FORMAT",
    "POLICIES",
    "REGIMENS",
    "ROUNDINGS",
    "Advice",
    "Cost",
    "DosingWeight",
    "Finding",
    "Override",
    "PackCount",
    "PackSet",
    "Plan",
    "PlanOptions",
    "RateSchedule",
    "RateStep",
    "RegimenPlan",
    "Session",
    "SteroidPhase",
    "WeightPolicy",
    "advise",
    "dosing_weight",
    "ideal_body_weight_kg",
    "pack_set",
    "plan",
    "plan_to_dict",
    "plan_to_ics",
    "session_dates",
]
