"""neuroig: decision support for CIDP, MMN and their mimics, with immunoglobulin therapy.

Public API::

    from datetime import date
    import neuroig

    case = neuroig.load_case("examples/mmn-definite.json")
    assessment = neuroig.evaluate(case)  # criteria: neuroig-assessment/1 via .to_dict()
    plan = neuroig.plan_case(case, start=date(2026, 12, 1), product="privigen")
    review = neuroig.review_case(case)  # monitoring review (neuroig-review/1: review_to_json)

``plan_case`` and ``review_case`` do what ``neuroig plan`` and ``neuroig review`` do: they
evaluate the case by the criteria first (the planner's advice and the review's MCID and
Simon 2013 replay read the diagnosis), then call the planner or the review. They are
pure like the rest of the core: ``plan_case`` never reads the clock, so ``start`` is
required (``neuroig.services.usecases.plan_case`` defaults it to today, as the CLI does).
"""

import dataclasses
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any

from neuroig._version import __version__
from neuroig.assess import Assessment, EvaluateOptions, evaluate
from neuroig.case import Case, case_json_schema, load_case, parse_case
from neuroig.errors import CaseValidationError, InputError, NeuroigError
from neuroig.monitoring.review import Review, review_to_json
from neuroig.monitoring.review import review as _review
from neuroig.reference import PriceTable
from neuroig.therapy.dosing_weight import WeightPolicy
from neuroig.therapy.export import plan_to_dict
from neuroig.therapy.model import Plan
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.plan import plan as _plan

__all__ = [
    "Assessment",
    "Case",
    "CaseSource",
    "CaseValidationError",
    "EvaluateOptions",
    "InputError",
    "NeuroigError",
    "Plan",
    "PlanOptions",
    "Review",
    "__version__",
    "case_json_schema",
    "evaluate",
    "load_case",
    "parse_case",
    "plan_case",
    "plan_to_dict",
    "review_case",
    "review_to_json",
]

#: A loaded case or the path of a case file (.json, .yaml, .yml).
CaseSource = Case | str | PathLike[str]

_PLAN_FIELDS = tuple(f.name for f in dataclasses.fields(PlanOptions))


def _case(source: CaseSource) -> Case:
    return source if isinstance(source, Case) else load_case(Path(source))


def plan_case(
    case: CaseSource,
    *,
    start: date,
    prices: PriceTable | None = None,
    evaluate_options: EvaluateOptions | None = None,
    **options: Any,
) -> Plan:
    """Plan therapy for a case, as ``neuroig plan`` does.

    ``start`` is the first session date. ``options`` are the other fields of
    :class:`neuroig.therapy.PlanOptions` (``regimen``, ``product``, ``weight_policy``,
    ``dose_g_per_kg``, ``overrides`` …). A plan that a safety finding blocks comes back
    with ``status == "blocked"`` and ``blocked_by`` naming the findings.

    Raises:
        CaseValidationError: the case file is invalid.
        InputError: an unknown option name, or an option value outside its range.
    """
    unknown = sorted(set(options) - set(_PLAN_FIELDS))
    if unknown:
        raise InputError(
            unknown[0],
            options[unknown[0]],
            "is not a plan option; allowed: " + ", ".join(_PLAN_FIELDS),
        )
    loaded = _case(case)
    plan_options = PlanOptions(start=start, **options)
    diagnosis = evaluate(loaded, evaluate_options).diagnosis
    return _plan(loaded, plan_options, diagnosis=diagnosis, prices=prices)


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
    return _review(
        loaded,
        diagnosis=evaluate(loaded, evaluate_options).diagnosis,
        as_of=as_of,
        weight_policy=weight_policy,
        currency=currency,
        prices=prices,
        simon_course=simon_course,
    )
