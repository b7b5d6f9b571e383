"""Verdicts of criteria and of criteria sets, with the evidence and the missing inputs."""

from __future__ import annotations

from typing import Any, Literal

from neuroig.evidence import Evidence
from neuroig.record import Record, field
from neuroig.tristate import Status

__all__ = ["CriteriaSetResult", "CriterionResult", "Kind", "Missing"]

Kind = Literal[
    "clinical", "supportive_clinical", "exclusion", "electrodiagnostic", "supportive", "composite"
]


class CriterionResult(Record, frozen=True):
    """One criterion judged for one case.

    ``status`` is met / not_met / unknown. For an ``exclusion`` criterion, met means the
    excluding finding is present. ``needs`` names the inputs that would decide an
    unknown criterion (e.g. ``exam.umn_signs``).
    """

    id: str
    kind: Kind
    status: Status
    statement: str
    reason: str
    cite: str
    evidence: tuple[Evidence, ...] = ()
    needs: tuple[str, ...] = ()
    verified: bool = True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "statement": self.statement,
            "reason": self.reason,
            "cite": self.cite,
            "verified": self.verified,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.needs and self.status == "unknown":
            out["needs"] = list(self.needs)
        return out


class Missing(Record, frozen=True):
    """An input that could lift the category, and the category it could reach."""

    input: str
    could_reach: str
    kind: Literal["unknown_input", "further_study"] = "unknown_input"

    def to_dict(self) -> dict[str, Any]:
        return {"input": self.input, "could_reach": self.could_reach, "kind": self.kind}


class CriteriaSetResult(Record, frozen=True):
    """The result of one criteria set: category, what could change it, every criterion."""

    id: str
    title: str
    version: str
    cite: str
    category: str
    conditional_category: dict[str, Any] | None
    reachable: str | None
    criteria: tuple[CriterionResult, ...]
    missing: tuple[Missing, ...]
    category_status: dict[str, Status] = field(default_factory=dict)
    phenotype: str | None = None
    notes: tuple[str, ...] = ()

    def criterion(self, criterion_id: str) -> CriterionResult:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "version": self.version,
            "cite": self.cite,
            "category": self.category,
            "conditional_category": self.conditional_category,
            "reachable": self.reachable,
            "category_status": dict(self.category_status),
        }
        if self.id == "cidp_ean_pns_2021":
            out["phenotype"] = self.phenotype
        out["criteria"] = [c.to_dict() for c in self.criteria]
        out["missing"] = [m.to_dict() for m in self.missing]
        out["notes"] = list(self.notes)
        return out
