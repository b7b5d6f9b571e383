"""Calendar arithmetic of the monitoring rules: ``add_months`` (its one home is
``neuroig.therapy.dates``)."""

from __future__ import annotations

from neuroig.therapy.dates import add_months

__all__ = ["add_months"]
