"""``patient`` and ``history`` sections."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from neuroig.case.base import CaseModel, fail, problem
from neuroig.case.bounds import AgeYears, HeightCm, WeightKg
from neuroig.case.types import CaseDate
from neuroig.vocab import BloodGroup, Condition, Course, LimbLevel, LimbPart, Sex, Side

__all__ = ["History", "OnsetRegion", "Patient"]


class Patient(CaseModel):
    """Demographics. Give ``birth_date`` or ``age_years``, not both."""

    sex: Sex | None = None
    birth_date: CaseDate | None = None
    age_years: AgeYears | None = None
    height_cm: HeightCm | None = None
    weight_kg: WeightKg | None = None
    blood_group: BloodGroup | None = None

    @model_validator(mode="after")
    def _one_age(self) -> Patient:
        if self.birth_date is not None and self.age_years is not None:
            fail(
                "Patient",
                [
                    problem(
                        ("age_years",),
                        "conflict",
                        "give birth_date or age_years, not both",
                        self.age_years,
                    )
                ],
            )
        return self


class OnsetRegion(CaseModel):
    """Where the weakness began."""

    limb: LimbLevel | None = None
    part: LimbPart | None = None
    side: Side | None = None


class History(CaseModel):
    """Onset, course and relevant history."""

    onset_date: CaseDate | None = None
    onset_age_years: AgeYears | None = None
    duration_months: Annotated[float, Field(ge=0, le=1440, allow_inf_nan=False)] | None = None
    course: Course | None = None
    time_to_nadir_weeks: Annotated[float, Field(ge=0, le=5200, allow_inf_nan=False)] | None = None
    onset_region: OnsetRegion | None = None
    early_diffuse_symmetric_weakness: bool | None = None
    conditions: list[Condition] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> History:
        errors = []
        if self.onset_date is not None and self.onset_age_years is not None:
            errors.append(
                problem(
                    ("onset_age_years",),
                    "conflict",
                    "give onset_date or onset_age_years, not both",
                    self.onset_age_years,
                )
            )
        if self.conditions is not None:
            seen: set[str] = set()
            for i, c in enumerate(self.conditions):
                if c in seen:
                    errors.append(problem(("conditions", i), "duplicate", "listed twice", c))
                seen.add(c)
        fail("History", errors)
        return self
