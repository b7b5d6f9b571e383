"""Verdicts of criteria and of criteria sets, with the evidence and the missing inputs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Literal

from neuroig.evidence import Evidence, Explained
from neuroig.record import Record, field
from neuroig.tristate import UNKNOWN, Status

__all__ = [
    "CriteriaSetResult",
    "CriterionResult",
    "ExplainCriterion",
    "Kind",
    "LazyMissing",
    "Missing",
]

Kind = Literal[
    "clinical", "supportive_clinical", "exclusion", "electrodiagnostic", "supportive", "composite"
]


#: Builds a criterion's reason, evidence and needs when they are first read, and whether
#: what they rest on is verified (and-ed with the stated ``verified`` and the evidence's).
ExplainCriterion = Callable[[], tuple[str, Iterable[Evidence], Iterable[str], bool]]


class CriterionResult(Explained):
    """One criterion judged for one case.

    ``status`` is met / not_met / unknown. For an ``exclusion`` criterion, met means the
    excluding finding is present. ``needs`` names the inputs that would decide an
    unknown criterion (e.g. ``exam.umn_signs``); it is empty unless the status is
    unknown. ``verified`` is false when the rule or any evidence rests on an
    unconfirmed value.

    The status is decided when the result is built; a result built with :meth:`lazy`
    builds its reason, evidence and needs the first time one of them (or ``verified``)
    is read: a criterion that aggregates many nerves explains itself only when a full
    result is rendered.
    """

    __slots__ = (
        "_evidence",
        "_explain",
        "_needs",
        "_reason",
        "_verified",
        "_why",
        "cite",
        "id",
        "kind",
        "statement",
        "status",
    )

    id: str
    kind: Kind
    status: Status
    statement: str
    cite: str

    def __init__(
        self,
        id: str,
        kind: Kind,
        status: Status,
        statement: str,
        reason: str,
        cite: str,
        *,
        evidence: Iterable[Evidence] = (),
        needs: Iterable[str] = (),
        verified: bool = True,
    ) -> None:
        # about seventy per evaluation: the slots set directly
        self.id, self.kind, self.status, self.statement, self.cite = (
            id,
            kind,
            status,
            statement,
            cite,
        )
        ev = evidence if type(evidence) is tuple else tuple(evidence)
        self._reason, self._evidence, self._explain = reason, ev, None
        self._why: ExplainCriterion | None = None
        self._needs = (needs if type(needs) is tuple else tuple(needs)) if status == UNKNOWN else ()
        self._verified = verified and (not ev or all(e.verified for e in ev))

    @classmethod
    def lazy(
        cls,
        id: str,
        kind: Kind,
        status: Status,
        statement: str,
        cite: str,
        explain: ExplainCriterion,
        *,
        verified: bool = True,
    ) -> CriterionResult:
        """A result whose reason, evidence and needs ``explain`` builds when first read;
        ``verified`` is then also false if any evidence is unverified."""
        r = cls(id, kind, status, statement, "", cite, verified=verified)
        r._why = explain
        return r

    def _build(self) -> None:
        explain = self._why
        if explain is not None:
            reason, evidence, needs, verified = explain()
            self._reason, self._evidence = reason, tuple(evidence)
            self._needs = tuple(needs) if self.status == UNKNOWN else ()
            self._verified = self._verified and verified and all(e.verified for e in self._evidence)
            self._why = None

    @property
    def needs(self) -> tuple[str, ...]:
        self._build()
        return self._needs

    @property
    def verified(self) -> bool:
        self._build()
        return self._verified

    def _key(self) -> tuple[object, ...]:
        return (
            self.id,
            self.kind,
            self.status,
            self.statement,
            self.reason,
            self.cite,
            self.evidence,
            self.needs,
            self.verified,
        )

    def __repr__(self) -> str:
        names = ("id", "kind", "status", "statement", "reason", "cite", "evidence", "needs")
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._key(), strict=False))
        return f"CriterionResult({fields}, verified={self.verified!r})"

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


class LazyMissing:
    """A set's missing inputs, listed the first time they are read (they read the
    ``needs`` of its unknown criteria, whose explanations may cover every nerve)."""

    __slots__ = ("_items", "_list")

    def __init__(self, list_them: Callable[[], tuple[Missing, ...]]) -> None:
        self._list: Callable[[], tuple[Missing, ...]] | None = list_them
        self._items: tuple[Missing, ...] = ()

    def items(self) -> tuple[Missing, ...]:
        if self._list is not None:
            self._items = self._list()
            self._list = None
        return self._items

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyMissing) and self.items() == other.items()

    def __hash__(self) -> int:
        return hash(self.items())

    def __repr__(self) -> str:
        return repr(self.items())


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
    missing_inputs: LazyMissing
    category_status: dict[str, Status] = field(default_factory=dict)
    phenotype: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def missing(self) -> tuple[Missing, ...]:
        """The inputs that could lift the category, cheapest first (decision C18)."""
        return self.missing_inputs.items()

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
