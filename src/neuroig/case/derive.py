"""Values derived from a case (age at a date, disease duration) with no I/O."""

from __future__ import annotations

from datetime import date

from neuroig.case.model import Case

__all__ = ["age_at", "disease_duration_months", "reference_date"]


def reference_date(case: Case) -> date | None:
    """The case's index date: the NCS date, else the first assessment, else None."""
    if case.ncs and case.ncs.date:
        return case.ncs.date
    dates = [a.date for a in case.assessments or ()]
    return min(dates) if dates else None


def age_at(case: Case, when: date | None) -> float | None:
    """Age in years at ``when`` (birth date), or ``age_years`` as given; None if unknown.

    ``age_years`` is taken as the age at the case's index date.
    """
    p = case.patient
    if p is None:
        return None
    if p.birth_date is not None and when is not None:
        return (when - p.birth_date).days / 365.25
    return p.age_years


def disease_duration_months(case: Case) -> float | None:
    """Months from onset to the index date; ``history.duration_months`` when given."""
    h = case.history
    if h is None:
        return None
    if h.duration_months is not None:
        return h.duration_months
    when = reference_date(case)
    if h.onset_date is not None and when is not None:
        return (when - h.onset_date).days / 30.4375
    if h.onset_age_years is not None:
        age = age_at(case, when)
        if age is not None:
            return max(0.0, (age - h.onset_age_years) * 12.0)
    return None
