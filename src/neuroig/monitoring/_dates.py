"""Calendar arithmetic used by the monitoring rules (months and years, clamped)."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["add_months", "days_between"]


def add_months(when: date, months: int) -> date:
    """Return ``when`` moved by ``months`` calendar months (day clamped to the month's end).

    >>> add_months(date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    total = when.year * 12 + (when.month - 1) + months
    year, month = divmod(total, 12)
    day = min(when.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def days_between(start: date, end: date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days
