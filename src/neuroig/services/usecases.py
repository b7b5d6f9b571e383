"""The main jobs for the shell: ``neuroig.plan_case`` with the CLI's defaults.

The pure functions are :func:`neuroig.plan_case` and :func:`neuroig.review_case`
(the core never reads the clock). This module adds what a command needs: the plan
starts today unless a date is given, and a site price table may be given as a path.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from neuroig import CaseSource, EvaluateOptions, Plan, Review
from neuroig import plan_case as _plan_case
from neuroig import review_case as _review_case
from neuroig.services.prices import load_price_table
from neuroig.therapy.dosing_weight import WeightPolicy

__all__ = ["plan_case", "review_case"]


def plan_case(
    case: CaseSource,
    *,
    start: date | None = None,
    prices: Path | None = None,
    evaluate_options: EvaluateOptions | None = None,
    **options: Any,
) -> Plan:
    """:func:`neuroig.plan_case` starting today unless ``start`` is given.

    ``prices`` is the path of a site price table (TOML) or None for the built-in one.
    """
    return _plan_case(
        case,
        start=start or datetime.now(UTC).date(),
        prices=load_price_table(prices),
        evaluate_options=evaluate_options,
        **options,
    )


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
    """:func:`neuroig.review_case` with a site price table given as a path."""
    return _review_case(
        case,
        as_of=as_of,
        weight_policy=weight_policy,
        currency=currency,
        prices=load_price_table(prices),
        simon_course=simon_course,
        evaluate_options=evaluate_options,
    )
