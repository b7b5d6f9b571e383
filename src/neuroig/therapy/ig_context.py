"""The resolved inputs of an immunoglobulin plan and the notes it collects."""

from __future__ import annotations

import msgspec

from neuroig.record import Record
from neuroig.reference.products import Product
from neuroig.therapy.dosing_weight import DosingWeight
from neuroig.therapy.history import IgHistory
from neuroig.therapy.model import Finding
from neuroig.therapy.options import Override

__all__ = ["EPS", "IgContext", "IgNotes"]

#: Tolerance of the float comparisons against limits.
EPS = 1e-9


class IgContext(Record, frozen=True):
    """Resolved inputs of an Ig plan."""

    kind: str
    route: str
    product: Product
    dosing_weight: DosingWeight
    actual_kg: float
    history: IgHistory
    risk_factors: tuple[str, ...] = ()

    @property
    def rate_kg(self) -> float:
        """T2 (revised): rates use the lower of actual and dosing weight."""
        return min(self.actual_kg, self.dosing_weight.kg)


class IgNotes(msgspec.Struct):
    """Notes, warnings, overrides, changes and findings collected while planning."""

    notes: list[str]
    warnings: list[str]
    overrides: list[Override]
    changes: list[str] = msgspec.field(default_factory=list)
    findings: list[Finding] = msgspec.field(default_factory=list)
