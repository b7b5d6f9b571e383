"""The T4 dose limits: per day and per course/cycle, in g/kg of dosing weight.

The numbers are ``DOSE-DAY-MAX`` and ``DOSE-COURSE-MAX`` of ``data/therapy.toml``; above
them the plan is refused (:class:`~neuroig.errors.DoseLimitError`) unless the override of
the same id is recorded.
"""

from __future__ import annotations

from neuroig.errors import DoseLimitError
from neuroig.therapy.ig_context import EPS, IgNotes
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.params import param_value

__all__ = ["caps", "check_limits", "course_max_g_per_kg", "day_max_g_per_kg"]


def day_max_g_per_kg() -> float:
    """T4: never more than this many g/kg dosing weight per day (``DOSE-DAY-MAX``) ..."""
    return param_value("DOSE-DAY-MAX")


def course_max_g_per_kg() -> float:
    """... nor more than this per course or cycle (``DOSE-COURSE-MAX``) without an override."""
    return param_value("DOSE-COURSE-MAX")


def check_limits(
    *, dose_g_per_kg: float, days: int, options: PlanOptions, out: IgNotes, cycle: str
) -> tuple[bool, bool]:
    """Raise DoseLimitError unless within T4 or overridden; return (day, course) overridden."""
    course_over = dose_g_per_kg > course_max_g_per_kg() + EPS
    day_over = dose_g_per_kg / days > day_max_g_per_kg() + EPS
    course_ov = options.override("DOSE-COURSE-MAX")
    day_ov = options.override("DOSE-DAY-MAX")
    if course_over:
        if course_ov is None:
            raise DoseLimitError(
                "dose_g_per_kg",
                dose_g_per_kg,
                f"must be ≤ {course_max_g_per_kg():g} g/kg dosing weight per {cycle} (T4)",
                "record an override DOSE-COURSE-MAX with its clinical reason to exceed it",
            )
        out.overrides.append(course_ov)
        out.warnings.append(
            f"DOSE-COURSE-MAX overridden: {dose_g_per_kg:g} g/kg per {cycle} "
            f"(reason: {course_ov.reason})"
        )
    if day_over:
        if day_ov is None:
            raise DoseLimitError(
                "days",
                days,
                f"{dose_g_per_kg:g} g/kg over {days} day(s) is "
                f"{dose_g_per_kg / days:.3g} g/kg/day; must be ≤ {day_max_g_per_kg():g} g/kg "
                "dosing weight per day (T4)",
                "give more days, or record an override DOSE-DAY-MAX with its clinical reason",
            )
        out.overrides.append(day_ov)
        out.warnings.append(
            f"DOSE-DAY-MAX overridden: {dose_g_per_kg / days:.3g} g/kg/day "
            f"(reason: {day_ov.reason})"
        )
    return day_over, course_over


def caps(
    options: PlanOptions, dw_kg: float, day_ov: bool, course_ov: bool, computed: float
) -> tuple[float | None, float | None]:
    course_cap: float | None = None if course_ov else round(course_max_g_per_kg() * dw_kg, 2)
    if course_ov:
        course_cap = computed
    if options.authorised_max_g is not None:
        course_cap = (
            options.authorised_max_g
            if course_cap is None
            else min(course_cap, options.authorised_max_g)
        )
    day_cap = None if day_ov else round(day_max_g_per_kg() * dw_kg, 2)
    return course_cap, day_cap
