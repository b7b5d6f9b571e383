"""The top-level case: ``neuroig-case/1``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from neuroig.case.base import CaseModel, fail, problem
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
    case_id: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\s].*$")]
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
        fail("Case", errors)
        return self

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
