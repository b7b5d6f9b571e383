"""The printable report's use case: one case (a file or a registry patient) → everything
the report shows, computed once: the assessment, a plan, the review, and the core results
its figures are drawn from. ``neuroig.report.printable`` renders it (HTML, PDF)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import Engine

from neuroig.case import Case
from neuroig.electro import ElectroResult
from neuroig.errors import InputError
from neuroig.monitoring.review import Review
from neuroig.record import Record
from neuroig.schemas.emit import to_data
from neuroig.services import registry
from neuroig.services.assess import assess
from neuroig.services.plan import plan
from neuroig.services.review import review
from neuroig.services.source import CaseSource, load_source
from neuroig.store.permissions import Actor
from neuroig.therapy.model import Plan
from neuroig.therapy.options import Override

__all__ = ["MAX_BLOCKED_SCAN", "ReportData", "patient_report_data", "plan_blocks", "report_data"]


class ReportData(Record, frozen=True):
    """What one printable report shows; the documents are the public JSON models."""

    case: Case
    assessment: dict[str, Any]
    electro: ElectroResult | None
    plan: dict[str, Any] | None
    plan_problem: str | None
    review: Review | None
    review_document: dict[str, Any] | None
    generated_at: datetime
    version: int | None = None
    plan_result: Plan | None = None


def report_data(
    source: CaseSource,
    *,
    product: str | None = None,
    regimen: str | None = None,
    start: date | None = None,
    version: int | None = None,
    overrides: tuple[Override, ...] = (),
    weight_policy: str | None = None,
) -> ReportData:
    """Evaluate, plan (when a product or regimen is asked, or the case is treatable) and
    review (when the case records treatment) one case for its report.

    A plan that cannot be made with the given options is shown as the reason (the
    report still prints the assessment); an invalid case raises as everywhere.
    """
    case = load_source(source)
    assessed = assess(case)
    plan_doc: dict[str, Any] | None = None
    plan_problem: str | None = None
    plan_result: Plan | None = None
    try:
        planned = plan(
            case,
            start=start,
            product=product,
            regimen=regimen,
            overrides=overrides,
            weight_policy=weight_policy,
        )
        plan_doc = to_data(planned.document)
        plan_result = planned.plan
    except InputError as exc:
        plan_problem = str(exc)
    reviewed = None
    review_doc = None
    if case.treatments or case.infusions:
        done = review(case)
        reviewed = done.review
        review_doc = to_data(done.document)
    return ReportData(
        case=case,
        assessment=to_data(assessed.document),
        electro=assessed.assessment.electro,
        plan=plan_doc,
        plan_problem=plan_problem,
        review=reviewed,
        review_document=review_doc,
        generated_at=datetime.now(UTC),
        version=version,
        plan_result=plan_result,
    )


def patient_report_data(
    engine: Engine,
    actor: Actor,
    case_id: str,
    *,
    version: int | None = None,
    product: str | None = None,
    regimen: str | None = None,
    start: date | None = None,
    overrides: tuple[Override, ...] = (),
    weight_policy: str | None = None,
) -> ReportData:
    """The report of a registry patient's version (default: the latest); the read is
    audited (``case.read``) and refused outside the actor's role and sites. The plan of
    the latest version is made with the overrides recorded for it and ``overrides``."""
    stored = registry.read_case(engine, actor, case_id, version=version)
    if version is None or version == stored.latest_version:
        given = {o.id for o in overrides}
        recorded = tuple(
            Override(rule, reason)
            for rule, reason in registry.recorded_overrides(engine, actor, case_id)
            if rule not in given
        )
        overrides = recorded + tuple(overrides)
    return report_data(
        orjson.loads(stored.document),
        product=product,
        regimen=regimen,
        start=start,
        version=stored.version,
        overrides=overrides,
        weight_policy=weight_policy,
    )


#: the most patients the "blocked plans" filter plans at once (each plan is computed)
MAX_BLOCKED_SCAN = 500


def plan_blocks(engine: Engine, actor: Actor, case_id: str) -> tuple[str, ...] | None:
    """The safety findings that block the plan the planner would make for the patient's
    latest version (its own regimen and product, the site's settings, the overrides
    recorded for that version); empty when the plan is ready, None when no plan can be
    made (the reason is on the patient page). The read is audited (``case.read``)."""
    stored = registry.read_case(engine, actor, case_id)
    overrides = tuple(
        Override(rule, reason)
        for rule, reason in registry.recorded_overrides(engine, actor, case_id)
    )
    try:
        planned = plan(orjson.loads(stored.document), overrides=overrides)
    except InputError:
        return None
    return tuple(planned.plan.blocked_by) if planned.plan.status == "blocked" else ()
