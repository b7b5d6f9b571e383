"""Rule thresholds as data: each has an id, value, comparator, unit, source and ``verified``."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from functools import cache
from types import MappingProxyType
from typing import Literal

from neuroig.errors import ReferenceDataError
from neuroig.record import Record
from neuroig.reference._load import raw_table
from neuroig.reference.sources import cite_row

__all__ = ["Threshold", "threshold", "thresholds"]

Comparator = Literal[">=", ">", "<=", "<"]


class Threshold(Record, frozen=True):
    """A rule's cut-off: ``value <comparator> threshold`` means the condition holds."""

    id: str
    value: float
    comparator: Comparator
    unit: str
    statement: str
    source: str
    verified: bool

    def holds(self, value: float) -> bool:
        """True when ``value`` meets the threshold (``value <comparator> threshold``)."""
        return _COMPARE[self.comparator](value, self.value)

    def holds_or_none(self, value: float | None) -> bool | None:
        """Like :meth:`holds`, but None when the value is unknown."""
        return None if value is None else _COMPARE[self.comparator](value, self.value)


#: Each comparator of the tables as the comparison it names.
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


@cache
def thresholds() -> Mapping[str, Threshold]:
    """Every shipped threshold keyed by id (read-only)."""
    doc = raw_table("thresholds")
    return MappingProxyType(
        {
            row["id"]: Threshold(
                id=row["id"],
                value=float(row["value"]),
                comparator=row["comparator"],
                unit=row["unit"],
                statement=row["statement"],
                source=cite_row(row),
                verified=bool(row["verified"]),
            )
            for row in doc["thresholds"]
        }
    )


def threshold(threshold_id: str) -> Threshold:
    """Return one threshold; raise :class:`ReferenceDataError` if it is not shipped."""
    try:
        return thresholds()[threshold_id]
    except KeyError:
        raise ReferenceDataError(f"threshold {threshold_id!r} is not in thresholds.toml") from None
