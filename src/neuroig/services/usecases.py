"""Earlier home of the shell's plan and review variants (kept for importers).

Returns the rich result objects; :mod:`neuroig.services.plan` and
:mod:`neuroig.services.review` also return the stamped documents.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from neuroig.assess import EvaluateOptions
from neuroig.monitoring.review import Review
from neuroig.services import plan as _plan
from neuroig.services import review as _review
from neuroig.services.source import CaseSource
from neuroig.therapy.dosing_weight import WeightPolicy
from neuroig.therapy.model import Plan

__all__ = ["plan_case", "review_case"]


def plan_case(
    case: CaseSource,
    *,
    start: date | None = None,
    prices: Path | None = None,
    evaluate_options: EvaluateOptions | None = None,
    **options: Any,
) -> Plan:
    """:func:`neuroig.services.plan.plan`'s plan (starts today unless ``start`` is given)."""
    return _plan.plan(
        case, start=start, prices=prices, evaluate_options=evaluate_options, **options
    ).plan


def review_case(
    case: CaseSource,
    *,
    as_of: date | None = None,
    weight_policy: WeightPolicy = "bloodstar-2026",
    currency: str = "GBP",
    prices: Path | None = None,
    simon_course: int | None = None,
    evaluate_options: EvaluateOptions | None = None,
) -> Review:
    """:func:`neuroig.services.review.review`'s review (``prices`` as a path)."""
    return _review.review(
        case,
        as_of=as_of,
        weight_policy=weight_policy,
        currency=currency,
        prices=prices,
        simon_course=simon_course,
        evaluate_options=evaluate_options,
    ).review
