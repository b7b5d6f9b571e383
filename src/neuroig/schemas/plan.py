"""``neuroig-plan/1``: a therapy plan, stamped with the case's input hash."""

from __future__ import annotations

from typing import Any, Literal

from neuroig.schemas._base import JsonObject, Model
from neuroig.schemas.stamp import stamp
from neuroig.therapy.export import plan_to_dict
from neuroig.therapy.model import Plan

__all__ = ["PlanDocument", "plan_document"]


class SafetyFinding(Model):
    """A safety finding: a block, a warning or information, and its override."""

    id: str
    severity: Literal["block", "warn", "info"]
    text: str
    source: str
    verified: bool
    applies_to: str | None
    overridden: bool
    override_reason: str | None


class PlanDocument(Model):
    """The ``neuroig-plan/1`` document."""

    format: Literal["neuroig-plan/1"]
    neuroig_version: str
    case_id: str
    input_sha256: str
    rules: dict[str, str]
    reference_tables: dict[str, str]
    status: Literal["ok", "blocked"]
    blocked_by: list[str]
    dosing_weight: JsonObject | None
    product: JsonObject | None
    regimen: JsonObject
    rate_schedule: dict[str, float]
    safety: list[SafetyFinding]
    overrides: list[dict[str, str]]
    advice: list[JsonObject]
    cost: JsonObject | None
    notes: list[str]
    warnings: list[str]


def plan_document(plan: Plan, *, input_sha256: str) -> PlanDocument:
    """The document of a plan computed now from a case with this input hash."""
    body: dict[str, Any] = plan_to_dict(plan)
    head = {k: body.pop(k) for k in ("format", "neuroig_version", "case_id")}
    return PlanDocument.model_validate({**head, **stamp(input_sha256), **head, **body})
