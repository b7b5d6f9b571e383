"""``neuroig-assessment/1``: the full assessment of one case, and its summary form.

The full document is what ``neuroig evaluate --json`` prints; the summary (categories,
per-nerve block grades, criteria not met or unknown, flags) is what a batch writes by
default: a few kilobytes per case instead of the whole trace.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from neuroig.assess import ASSESSMENT_FORMAT, SET_ORDER, Assessment
from neuroig.schemas._base import JsonObject, Model
from neuroig.schemas.electro import ElectroObject
from neuroig.schemas.stamp import MONITORING_RULES_VERSION, THERAPY_RULES_VERSION, reference_tables

__all__ = [
    "AssessmentDocument",
    "AssessmentSummary",
    "assessment_document",
    "assessment_summary",
]

Severity = Literal["block", "warn", "info"]


class AssessmentOptions(Model):
    """The evaluation options the result was computed with."""

    amplitude_surrogate: bool
    include_unconfirmed: bool


class FlagDoc(Model):
    """A raised flag: a mimic, a red flag or a supporting finding."""

    id: str
    severity: Severity
    text: str
    cite: str


class AssessmentDocument(Model):
    """The full ``neuroig-assessment/1`` document."""

    format: Literal["neuroig-assessment/1"]
    neuroig_version: str
    case_id: str
    input_sha256: str
    rules: dict[str, str]
    reference_tables: dict[str, str]
    options: AssessmentOptions
    criteria: dict[str, JsonObject]
    electro: ElectroObject | None
    flags: list[FlagDoc]
    lmn_ivig_trial: JsonObject | None
    warnings: list[str]
    # where a batch line came from (left out of single-case documents)
    source: str | None = Field(default=None, exclude_if=lambda v: v is None)
    line: int | None = Field(default=None, exclude_if=lambda v: v is None)


class SetCategory(Model):
    """A criteria set's answer: category, conditional category, reachable category."""

    category: str
    conditional_category: str | None
    reachable: str | None


class SetCriteria(Model):
    """The ids of a set's criteria that are not met, and of those that are unknown."""

    not_met: list[str]
    unknown: list[str]


class BlockGrade(Model):
    """Conduction block of one motor segment by EFNS/PNS 2010 and EAN/PNS 2021."""

    nerve: str
    side: str | None
    segment: str
    efns_pns_2010: str | None
    ean_pns_2021: bool | None


class FlagId(Model):
    """A raised flag's id and severity."""

    id: str
    severity: Severity


class LmnTrialSummary(Model):
    """Whether the LMN IVIg-trial question applies, and whether a trial is suggested."""

    applies: str
    suggested: bool | None


class AssessmentSummary(Model):
    """The summary form of ``neuroig-assessment/1`` (``detail: summary``)."""

    format: Literal["neuroig-assessment/1"]
    detail: Literal["summary"]
    neuroig_version: str
    case_id: str
    input_sha256: str
    rules: dict[str, str]
    reference_tables: dict[str, str]
    options: AssessmentOptions
    categories: dict[str, SetCategory]
    criteria: dict[str, SetCriteria]
    block_grades: list[BlockGrade]
    flags: list[FlagId]
    lmn_ivig_trial: LmnTrialSummary | None
    warnings: list[str]
    source: str | None = Field(default=None, exclude_if=lambda v: v is None)
    line: int | None = Field(default=None, exclude_if=lambda v: v is None)


def _stamp(a: Assessment) -> dict[str, Any]:
    """The stamp, from the values the assessment recorded when it was computed."""
    rules = {k: a.sets[k].version for k in SET_ORDER}
    rules["therapy"] = THERAPY_RULES_VERSION
    rules["monitoring"] = MONITORING_RULES_VERSION
    return {
        "neuroig_version": a.neuroig_version,
        "case_id": a.case_id,
        "input_sha256": a.input_sha256,
        "rules": rules,
        "reference_tables": dict(reference_tables()),
    }


def _where(source: str | None, line: int | None) -> dict[str, Any]:
    return {"source": source, "line": line}


def assessment_document(
    a: Assessment, *, source: str | None = None, line: int | None = None
) -> AssessmentDocument:
    """The full document of an assessment (``source``/``line`` for a batch line)."""
    body = a.to_dict()
    head = {k: body.pop(k) for k in ("format", "neuroig_version", "case_id", "input_sha256")}
    return AssessmentDocument.model_validate({**head, **_stamp(a), **body, **_where(source, line)})


def _block_grades(a: Assessment) -> list[dict[str, Any]]:
    """Each motor segment's block grade (the same values as ``electro.motor[].segments``)."""
    if a.electro is None:
        return []
    return [
        {
            "nerve": m.nerve,
            "side": m.side,
            "segment": f"{seg.from_site}-{seg.to_site}",
            "efns_pns_2010": seg.efns.grade,
            "ean_pns_2021": seg.ean_block,
        }
        for m in a.electro.motor
        for seg in m.segments
    ]


def assessment_summary(
    a: Assessment, *, source: str | None = None, line: int | None = None
) -> AssessmentSummary:
    """The summary form of an assessment: a few kilobytes, the answers without the trace."""
    trial = a.lmn_trial
    return AssessmentSummary.model_validate(
        {
            "format": ASSESSMENT_FORMAT,
            "detail": "summary",
            **_stamp(a),
            "options": {
                "amplitude_surrogate": a.options.amplitude_surrogate,
                "include_unconfirmed": a.options.include_unconfirmed,
            },
            "categories": {
                k: {
                    "category": a.sets[k].category,
                    "conditional_category": (a.sets[k].conditional_category or {}).get("category"),
                    "reachable": a.sets[k].reachable,
                }
                for k in SET_ORDER
            },
            "criteria": {
                k: {
                    "not_met": [c.id for c in a.sets[k].criteria if c.status == "not_met"],
                    "unknown": [c.id for c in a.sets[k].criteria if c.status == "unknown"],
                }
                for k in SET_ORDER
            },
            "block_grades": _block_grades(a),
            "flags": [{"id": f.id, "severity": f.severity} for f in a.flags],
            "lmn_ivig_trial": None
            if trial.applies == "not_met"
            else {"applies": trial.applies, "suggested": trial.suggested},
            "warnings": list(a.warnings),
            **_where(source, line),
        }
    )
