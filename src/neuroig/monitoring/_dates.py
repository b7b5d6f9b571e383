"""Calendar arithmetic used by the monitoring rules (``add_months`` has one home:
``neuroig.therapy.dates``)."""

from __future__ import annotations

from datetime import date

from neuroig.therapy.dates import add_months

__all__ = ["add_months", "days_between"]


def days_between(start: date, end: date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days
