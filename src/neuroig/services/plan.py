"""The plan use case: a case → its therapy plan and ``neuroig-plan/1`` document.

The case is evaluated first: the planner's gates and advice read the case's own
assessment (decisions T6, T14) through :func:`diagnosis_of`, the same for the CLI,
the Python API and a future web service.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, get_args

from neuroig.assess import Assessment, EvaluateOptions, evaluate, input_sha256
from neuroig.case import Case
from neuroig.diagnosis import DiagnosisContext, SetSummary
from neuroig.errors import InputError
from neuroig.record import Record, replace
from neuroig.reference import PriceTable
from neuroig.reference.products import products
from neuroig.schemas.plan import PlanDocument, plan_document
from neuroig.services.prices import load_price_table
from neuroig.services.source import CaseSource, load_source
from neuroig.settings import get_settings
from neuroig.therapy.dosing_weight import WeightPolicy
from neuroig.therapy.model import Plan
from neuroig.therapy.options import REGIMENS, PlanOptions
from neuroig.therapy.plan import plan as make_plan

__all__ = ["Planned", "continuation_status", "diagnosis_of", "plan", "plan_case", "product_choices"]

_PLAN_FIELDS = PlanOptions.__struct_fields__


class Planned(Record, frozen=True):
    """A plan, the case it was made for, and its public document."""

    case: Case
    plan: Plan
    document: PlanDocument


def diagnosis_of(assessment: Assessment) -> DiagnosisContext:
    """The planner's view of the case's own assessment (T14): the summary plus every
    criteria set's category, conditional category and reachable category."""
    return replace(
        assessment.diagnosis,
        sets=tuple(
            SetSummary(
                key,
                r.category,
                (r.conditional_category or {}).get("category"),
                r.reachable,
            )
            for key, r in assessment.sets.items()
        ),
    )


def _options(start: date, options: dict[str, Any]) -> PlanOptions:
    unknown = sorted(set(options) - set(_PLAN_FIELDS))
    if unknown:
        raise InputError(
            unknown[0],
            options[unknown[0]],
            "is not a plan option; allowed: " + ", ".join(_PLAN_FIELDS),
        )
    return PlanOptions(start=start, **options)


def plan_case(
    case: CaseSource,
    *,
    start: date,
    prices: PriceTable | None = None,
    evaluate_options: EvaluateOptions | None = None,
    **options: Any,
) -> Plan:
    """Plan therapy for a case, as ``neuroig plan`` does (never reads the clock).

    ``start`` is the first session date. ``options`` are the other fields of
    :class:`neuroig.therapy.PlanOptions` (``regimen``, ``product``, ``weight_policy``,
    ``dose_g_per_kg``, ``overrides`` …). A plan that a safety finding blocks comes back
    with ``status == "blocked"`` and ``blocked_by`` naming the findings.

    Raises:
        CaseValidationError: the case file is invalid.
        InputError: an unknown option name, or an option value outside its range.
    """
    plan_options = _options(start, options)
    loaded = load_source(case)
    diagnosis = diagnosis_of(evaluate(loaded, evaluate_options))
    return make_plan(loaded, plan_options, diagnosis=diagnosis, prices=prices)


def plan(
    source: CaseSource,
    *,
    start: date | None = None,
    prices: Path | PriceTable | None = None,
    evaluate_options: EvaluateOptions | None = None,
    **options: Any,
) -> Planned:
    """Plan therapy as the CLI does: the plan starts today unless ``start`` is given, and
    ``prices`` may be the path of a site price table (TOML). What is not given (``prices``,
    ``currency``, ``weight_policy``, ``at_risk_rate_mg_kg_min``) comes from
    :func:`neuroig.settings.get_settings`. The document is stamped
    with the case's input hash when the plan is made.

    Raises:
        CaseValidationError: the case is invalid.
        InputError: an unknown option, an option value outside its range, or a price
            table that cannot be read.
    """
    settings = get_settings()
    if prices is None:
        prices = settings.price_table
    table = load_price_table(prices) if isinstance(prices, Path) else prices
    for key in ("currency", "weight_policy", "at_risk_rate_mg_kg_min"):
        if options.get(key) is None:  # not given: the site's setting (decision S1)
            options[key] = getattr(settings, key)
    first = start or datetime.now(UTC).date()
    plan_options = _options(first, options)
    case = load_source(source)
    result = make_plan(
        case, plan_options, diagnosis=diagnosis_of(evaluate(case, evaluate_options)), prices=table
    )
    return Planned(case, result, plan_document(result, input_sha256=input_sha256(case)))


def continuation_status(
    case: Case, assessment: Assessment, *, start: date
) -> tuple[str, tuple[str, ...]] | None:
    """Whether the immunoglobulin the record gives could go on (decision G15): the plan
    the planner makes by default from ``start`` (the record's product and maintenance by
    its last route, the site's settings) — ``("ok", ())`` or ``("blocked", finding
    ids)``. None when the record holds no immunoglobulin infusion; ``("not_planned",
    ())`` when the planner cannot plan it (e.g. a product it does not know)."""
    infusions = sorted(case.infusions or (), key=lambda i: i.date)
    if not infusions:
        return None
    settings = get_settings()
    options: dict[str, Any] = {
        "regimen": "scig" if infusions[-1].route == "sc" else None,
        "currency": settings.currency,
        "weight_policy": settings.weight_policy,
        "at_risk_rate_mg_kg_min": settings.at_risk_rate_mg_kg_min,
    }
    try:
        result = make_plan(
            case, _options(start, options), diagnosis=diagnosis_of(assessment), prices=None
        )
    except InputError:
        return "not_planned", ()
    return result.status, tuple(result.blocked_by)


def regimen_choices() -> list[str]:
    """The regimens the planner makes."""
    return list(REGIMENS)


def weight_policy_choices() -> list[str]:
    """The dosing-weight policies (decision T2; docs/methods/therapy.md)."""
    return list(get_args(WeightPolicy))


def product_choices() -> list[tuple[str, str]]:
    """(id, name) of every immunoglobulin product the planner knows, by name."""
    return sorted(((p.id, p.name) for p in products().values()), key=lambda item: item[1])
