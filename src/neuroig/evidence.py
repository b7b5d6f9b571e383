"""Evidence: the values, thresholds and limits behind a finding, so a clinician can check it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Evidence"]


@dataclass(frozen=True, slots=True)
class Evidence:
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
