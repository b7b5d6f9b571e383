"""Evidence: the values, thresholds and limits behind a finding, so a clinician can check it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Any

from neuroig.record import Record

__all__ = ["Evidence", "Explain", "Explained"]


class Evidence(Record, frozen=True):
    """One value compared with one threshold.

    ``measure`` names what was compared (``area_drop_pct``, ``distal_latency_pct_uln``…),
    ``value`` the case's value in that unit, ``threshold`` the rule's cut-off in the same
    unit and ``comparator`` how they were compared. ``limit`` is the normative limit the
    percentage was computed against (ms, mV, m/s…), with its source and ``verified`` flag.
    """

    measure: str
    value: float | str | bool | None
    threshold: float | None = None
    comparator: str = ""
    nerve: str | None = None
    side: str | None = None
    segment: str | None = None
    limit: float | None = None
    limit_source: str | None = None
    verified: bool = True
    surrogate: bool = False
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form; empty optional keys are left out."""
        value = self.value
        out: dict[str, Any] = {
            "measure": self.measure,
            "value": round(value, 2) if isinstance(value, float) else value,
        }
        for key in _OPTIONAL:
            v = getattr(self, key)
            if v is not None and v != "" and v is not False:
                out[key] = v
        out["verified"] = self.verified
        return out


_OPTIONAL = (
    "threshold",
    "comparator",
    "nerve",
    "side",
    "segment",
    "limit",
    "limit_source",
    "surrogate",
    "note",
)


#: Builds a result's reason and evidence when they are first read (status-first engine).
Explain = Callable[[], tuple[str, Iterable[Evidence]]]


class Explained(ABC):
    """Base of a result whose status is decided when it is built and whose reason and
    evidence may be built the first time either is read (:meth:`_lazy_from`).

    Subclasses add their own slots and define :meth:`_key`, the values that make two
    results equal (and hashable alike).
    """

    __slots__ = ("_evidence", "_explain", "_reason")

    def _explained(self, reason: str, evidence: Iterable[Evidence] = ()) -> None:
        self._reason = reason
        self._evidence = tuple(evidence)
        self._explain: Explain | None = None

    def _lazy_from(self, explain: Explain) -> None:
        self._explain = explain

    def _build(self) -> None:
        if self._explain is not None:
            reason, evidence = self._explain()
            self._reason, self._evidence = reason, tuple(evidence)
            self._explain = None

    @property
    def reason(self) -> str:
        self._build()
        return self._reason

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        self._build()
        return self._evidence

    @abstractmethod
    def _key(self) -> tuple[object, ...]:
        """The values that make two results equal."""

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Explained)
            and type(other) is type(self)
            and self._key() == other._key()
        )

    def __hash__(self) -> int:
        return hash(self._key())
