"""The review use case: a treated case → its monitoring review and ``neuroig-review/1``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from neuroig.assess import EvaluateOptions, evaluate, input_sha256
from neuroig.case import Case
from neuroig.monitoring.review import Review
from neuroig.monitoring.review import review as make_review
from neuroig.record import Record
from neuroig.reference import PriceTable
from neuroig.schemas.review import ReviewDocument, review_document
from neuroig.services.prices import load_price_table
from neuroig.services.source import CaseSource, load_source
from neuroig.settings import get_settings
from neuroig.therapy.dosing_weight import WeightPolicy

__all__ = ["Reviewed", "review", "review_case"]


class Reviewed(Record, frozen=True):
    """A review, the case it reviews, and its public document."""

    case: Case
    review: Review
    document: ReviewDocument


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

    ``as_of`` defaults to the case's last dated record. The case is evaluated first:
    the MMN MCID and the Simon 2013 replay read its criteria result.

    Raises:
        CaseValidationError: the case file is invalid.
        InputError: an option value outside its range.
    """
    loaded = load_source(case)
    return make_review(
        loaded,
        diagnosis=evaluate(loaded, evaluate_options).diagnosis,
        as_of=as_of,
        weight_policy=weight_policy,
        currency=currency,
        prices=prices,
        simon_course=simon_course,
    )


def review(
    source: CaseSource,
    *,
    as_of: date | None = None,
    weight_policy: WeightPolicy | None = None,
    currency: str | None = None,
    prices: Path | PriceTable | None = None,
    simon_course: int | None = None,
    evaluate_options: EvaluateOptions | None = None,
) -> Reviewed:
    """Review a case as the CLI does (``prices`` may be a path); stamp the document.

    What is not given (``weight_policy``, ``currency``, ``prices``) comes from
    :func:`neuroig.settings.get_settings`.
    """
    settings = get_settings()
    weight_policy = weight_policy or settings.weight_policy
    currency = currency or settings.currency
    if prices is None:
        prices = settings.price_table
    table = load_price_table(prices) if isinstance(prices, Path) else prices
    case = load_source(source)
    result = review_case(
        case,
        as_of=as_of,
        weight_policy=weight_policy,
        currency=currency,
        prices=table,
        simon_course=simon_course,
        evaluate_options=evaluate_options,
    )
    return Reviewed(case, result, review_document(result, input_sha256=input_sha256(case)))
