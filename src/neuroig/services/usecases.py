"""The three main jobs as plain functions: evaluate, plan and review one case.

``plan_case`` and ``review_case`` do what ``neuroig plan`` and ``neuroig review`` do:
evaluate the case by the criteria first (the planner's advice and the review's MCID and
Simon 2013 replay read the diagnosis), then call the pure core. They accept a loaded
:class:`~neuroig.case.Case` or the path of a case file, and are exported from the
``neuroig`` package::

    import neuroig
    plan = neuroig.plan_case("examples/mmn-definite.json", product="privigen")
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from os import PathLike
from pathlib import Path
from typing import Any

from neuroig.assess import EvaluateOptions, evaluate
from neuroig.case import Case, load_case
from neuroig.errors import InputError
from neuroig.monitoring.review import Review
from neuroig.monitoring.review import review as run_review
from neuroig.reference import PriceTable
from neuroig.therapy.dosing_weight import WeightPolicy
from neuroig.therapy.model import Plan
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.plan import plan as make_plan

__all__ = ["CaseSource", "plan_case", "review_case"]

#: A loaded case or the path of a case file (.json, .yaml, .yml).
CaseSource = Case | str | PathLike[str]

_PLAN_FIELDS = tuple(f.name for f in dataclasses.fields(PlanOptions))


def _case(source: CaseSource) -> Case:
    return source if isinstance(source, Case) else load_case(Path(source))


def plan_case(
    case: CaseSource,
    *,
    prices: PriceTable | None = None,
    evaluate_options: EvaluateOptions | None = None,
    **options: Any,
) -> Plan:
    """Plan therapy for a case, as ``neuroig plan`` does.

    ``options`` are the fields of :class:`neuroig.therapy.PlanOptions` (``regimen``,
    ``product``, ``weight_policy``, ``dose_g_per_kg``, ``overrides`` …); ``start``
    defaults to today. A plan that a safety finding blocks comes back with
    ``status == "blocked"`` and ``blocked_by`` naming the findings.

    Raises:
        CaseValidationError: the case file is invalid.
        InputError: an unknown option name or an option value outside its range.
    """
    unknown = sorted(set(options) - set(_PLAN_FIELDS))
    if unknown:
        raise InputError(
            unknown[0],
            options[unknown[0]],
            "is not a plan option; allowed: " + ", ".join(_PLAN_FIELDS),
        )
    loaded = _case(case)
    start = options.pop("start", None)
    plan_options = PlanOptions(start=start or datetime.now(UTC).date(), **options)
    diagnosis = evaluate(loaded, evaluate_options).diagnosis
    return make_plan(loaded, plan_options, diagnosis=diagnosis, prices=prices)


def review_case(
    case: CaseSource,
    *,
    as_of: date | None = None,
    weight_policy: WeightPolicy = "bloodstar-2026",
    currency: str = "GBP",
    prices: PriceTable | None = None,
    simon_course: int | None = None,
    evaluate_options: EvaluateOptions | None = None,
) -> Review:
    """Review a treated case, as ``neuroig review`` does.

    ``as_of`` defaults to the case's last dated record; the other options are those of
    :func:`neuroig.monitoring.review`.

    Raises:
        CaseValidationError: the case file is invalid.
        InputError: an option value outside its range.
    """
    loaded = _case(case)
    return run_review(
        loaded,
        diagnosis=evaluate(loaded, evaluate_options).diagnosis,
        as_of=as_of,
        weight_policy=weight_policy,
        currency=currency,
        prices=prices,
        simon_course=simon_course,
    )
