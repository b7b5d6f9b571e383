"""Evidence: the values, thresholds and limits behind a finding, so a clinician can check it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

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


class Explained:
    """Base of a result whose status is decided when it is built and whose reason and
    evidence may be built the first time either is read (:meth:`_lazy_from`).

    Subclasses hold ``_reason``, ``_evidence`` and ``_explain`` (slots, or the fields of
    a ``neuroig.record.LazyRecord``) and define :meth:`_key`, the values that make two
    results equal (and hashable alike).
    """

    # no storage of its own (a msgspec Struct may then use it as a base)
    __slots__ = ()

    _reason: str
    _evidence: tuple[Evidence, ...]
    _explain: Explain | None

    def _explained(self, reason: str, evidence: Iterable[Evidence] = ()) -> None:
        _store(self, reason, tuple(evidence), None)

    def _lazy_from(self, explain: Explain) -> None:
        _store(self, self._reason, self._evidence, explain)

    def _build(self) -> None:
        if self._explain is not None:
            reason, evidence = self._explain()
            _store(self, reason, tuple(evidence), None)

    @property
    def reason(self) -> str:
        self._build()
        return self._reason

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        self._build()
        return self._evidence

    def _key(self) -> tuple[object, ...]:
        """The values that make two results equal.

        Every subclass defines it (``tests/meta/test_records.py`` checks). Not an
        ``abc.abstractmethod``: ABCMeta cannot be combined with msgspec's metaclass,
        which a ``neuroig.record.LazyRecord`` subclass (a motor finding) also has.
        """
        # Justified: the abstract hook of the base (see above); never reached by a shipped
        # class, since tests/meta/test_records.py fails when a subclass does not define it.
        raise NotImplementedError(f"{type(self).__name__} must define _key")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Explained)
            and type(other) is type(self)
            and self._key() == other._key()
        )

    def __hash__(self) -> int:
        return hash(self._key())


class _Holder(Protocol):
    """What holds an explanation (an :class:`Explained` subclass)."""

    _reason: str
    _evidence: tuple[Evidence, ...]
    _explain: Explain | None


def _store(
    result: _Holder, reason: str, evidence: tuple[Evidence, ...], explain: Explain | None
) -> None:
    """Set the explanation of ``result`` (the subclass holds the attributes)."""
    result._reason, result._evidence, result._explain = reason, evidence, explain
