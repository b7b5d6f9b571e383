"""``neuroig-review/1``: the monitoring review of a treated case, stamped."""

from __future__ import annotations

from typing import Any, Literal

from neuroig.monitoring.review import Review, review_to_json
from neuroig.schemas._base import JsonObject, Model
from neuroig.schemas.stamp import stamp

__all__ = ["ReviewDocument", "review_document"]


class ReviewDocument(Model):
    """The ``neuroig-review/1`` document."""

    format: Literal["neuroig-review/1"]
    neuroig_version: str
    case_id: str
    input_sha256: str
    rules: dict[str, str]
    reference_tables: dict[str, str]
    as_of: str | None
    diagnosis: JsonObject
    summary: list[str]
    courses: list[JsonObject]
    wear_off: JsonObject
    declining_response: JsonObject
    dose_intensity: list[JsonObject]
    dosing_weight: JsonObject | None
    axonal_loss: list[JsonObject]
    cdas: int | None
    cdas_detail: JsonObject | None
    cumulative: JsonObject
    assessment_overdue: JsonObject | None
    next_review_due: str | None
    review_due_reason: str | None
    taper: JsonObject | None
    simon_2013: JsonObject | None
    suggestions: list[JsonObject]
    notes: list[str]


def review_document(rv: Review, *, input_sha256: str) -> ReviewDocument:
    """The document of a review computed now from a case with this input hash."""
    body: dict[str, Any] = review_to_json(rv)
    head = {k: body.pop(k) for k in ("format", "neuroig_version", "case_id")}
    return ReviewDocument.model_validate({**head, **stamp(input_sha256), **head, **body})
