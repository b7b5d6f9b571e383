"""The top-level case: ``neuroig-case/1``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import InitErrorDetails

from neuroig.case.base import CaseModel, fail, problem
from neuroig.case.bounds import MAX_AGE_YEARS
from neuroig.case.course import Assessment, EmgMuscle, Infusion, Treatment
from neuroig.case.exam import Exam
from neuroig.case.labs import Biopsy, Imaging, Labs
from neuroig.case.ncs import Ncs
from neuroig.case.patient import History, Patient

__all__ = ["FORMAT", "Case"]

FORMAT = "neuroig-case/1"


class Case(CaseModel):
    """One patient: findings at presentation, studies and the course of treatment."""

    format: Literal["neuroig-case/1"]
    #: Printable text (decision P11 … P13: no control characters; no leading space).
    case_id: Annotated[
        str,
        Field(
            min_length=1, max_length=200, pattern=r"^[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        ),
    ]
    patient: Patient | None = None
    history: History | None = None
    exam: Exam | None = None
    labs: Labs | None = None
    imaging: Imaging | None = None
    biopsy: Biopsy | None = None
    ncs: Ncs | None = None
    emg: list[EmgMuscle] | None = None
    treatments: list[Treatment] | None = None
    infusions: list[Infusion] | None = None
    assessments: list[Assessment] | None = None

    @model_validator(mode="after")
    def _cross_checks(self) -> Case:
        errors = []
        birth = self.patient.birth_date if self.patient else None
        if birth is not None:
            for loc, when in self._dated_items():
                if when < birth:
                    errors.append(
                        problem(
                            loc, "date_order", f"date is before birth_date ({birth})", str(when)
                        )
                    )
        errors.extend(self._onset_checks())
        fail("Case", errors)
        return self

    def _index_date(self) -> date | None:
        if self.ncs and self.ncs.date:
            return self.ncs.date
        dates = [a.date for a in self.assessments or ()]
        return min(dates) if dates else None

    def _onset_checks(self) -> list[InitErrorDetails]:
        """Decision P11: onset not after the index date, onset age not above the age."""
        errors: list[InitErrorDetails] = []
        h, p = self.history, self.patient
        index = self._index_date()
        index_name = "ncs.date" if self.ncs and self.ncs.date else "the first assessment date"
        if (
            h is not None
            and h.onset_date is not None
            and index is not None
            and h.onset_date > index
        ):
            errors.append(
                problem(
                    ("history", "onset_date"),
                    "date_order",
                    f"onset {h.onset_date} is after {index_name} ({index}); "
                    "the onset comes before the study",
                    str(h.onset_date),
                )
            )
        age: float | None = None
        age_name = ""
        if p is not None and p.age_years is not None:
            age, age_name = p.age_years, "patient.age_years"
        elif p is not None and p.birth_date is not None and index is not None:
            age = (index - p.birth_date).days / 365.25
            age_name = "the age from patient.birth_date"
            if age > MAX_AGE_YEARS:
                errors.append(
                    problem(
                        ("patient", "birth_date"),
                        "implausible",
                        f"gives an age of {age:.0f} years at {index}; "
                        f"at most {MAX_AGE_YEARS} (decision P1)",
                        str(p.birth_date),
                    )
                )
        if (
            h is not None
            and h.onset_age_years is not None
            and age is not None
            and h.onset_age_years > age + 1e-9
        ):
            errors.append(
                problem(
                    ("history", "onset_age_years"),
                    "conflict",
                    f"onset age {h.onset_age_years:g} years is above {age_name} "
                    f"({age:.1f} years); the onset cannot come after the present",
                    h.onset_age_years,
                )
            )
        return errors

    def _dated_items(self) -> list[tuple[tuple[str | int, ...], date]]:
        items: list[tuple[tuple[str | int, ...], date]] = []
        if self.history and self.history.onset_date:
            items.append((("history", "onset_date"), self.history.onset_date))
        if self.ncs and self.ncs.date:
            items.append((("ncs", "date"), self.ncs.date))
        for i, t in enumerate(self.treatments or ()):
            items.append((("treatments", i, "start"), t.start))
        for i, inf in enumerate(self.infusions or ()):
            items.append((("infusions", i, "date"), inf.date))
        for i, a in enumerate(self.assessments or ()):
            items.append((("assessments", i, "date"), a.date))
        return items
