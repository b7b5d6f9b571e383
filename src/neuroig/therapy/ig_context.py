"""The resolved inputs of an immunoglobulin plan and the notes it collects."""

from __future__ import annotations

from dataclasses import dataclass, field

from neuroig.reference.products import Product
from neuroig.therapy.dosing_weight import DosingWeight
from neuroig.therapy.history import IgHistory
from neuroig.therapy.model import Finding
from neuroig.therapy.options import Override

__all__ = ["EPS", "IgContext", "IgNotes"]

#: Tolerance of the float comparisons against limits.
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class IgContext:
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


@dataclass(slots=True)
class IgNotes:
    """Notes, warnings, overrides, changes and findings collected while planning."""

    notes: list[str]
    warnings: list[str]
    overrides: list[Override]
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
