"""``exam`` section: strength, weakness summary, sensory, reflexes, UMN and bulbar signs."""

from __future__ import annotations

from typing import Annotated

from pydantic import model_validator

from neuroig.case.base import CaseModel, fail, problem
from neuroig.case.types import MrcGrade, canonical_nerve, mrc_value
from neuroig.case.vocab_tables import MuscleId
from neuroig.vocab import (
    Bulbar,
    Limb4,
    MotorNerve,
    Predominance,
    Reflex,
    SensoryLoss,
    Side,
    UmnSign,
)

__all__ = [
    "Exam",
    "NerveTerritory",
    "Reflexes",
    "SensoryExam",
    "StrengthEntry",
    "UmnSigns",
    "Weakness",
    "check_strength_list",
]


class StrengthEntry(CaseModel):
    """One muscle's MRC grade on one side."""

    muscle: MuscleId
    side: Side
    mrc: MrcGrade

    @property
    def grade(self) -> float:
        """Numeric grade; ``4-``/``4+`` count as 4 (decision C1)."""
        return mrc_value(self.mrc)


def check_strength_list(entries: list[StrengthEntry] | None, title: str, field: str) -> None:
    """Reject a muscle graded twice on the same side."""
    if not entries:
        return
    seen: set[tuple[str, str]] = set()
    errors = []
    for i, e in enumerate(entries):
        key = (e.muscle, e.side)
        if key in seen:
            errors.append(
                problem((field, i), "duplicate", f"{e.side} {e.muscle} graded twice", e.muscle)
            )
        seen.add(key)
    fail(title, errors)


class NerveTerritory(CaseModel):
    """A weak named-nerve territory (summary form)."""

    nerve: Annotated[MotorNerve, canonical_nerve]
    side: Side


class Weakness(CaseModel):
    """Summary of weakness when per-muscle grades are not recorded."""

    symmetric: bool | None = None
    limbs: list[Limb4] | None = None
    nerve_territories: list[NerveTerritory] | None = None
    predominance: Predominance | None = None


class SensoryExam(CaseModel):
    """Objective sensory findings and symptoms."""

    objective_loss: SensoryLoss | None = None
    limbs: list[Limb4] | None = None
    symptoms: bool | None = None
    ataxia: bool | None = None


class Reflexes(CaseModel):
    """Tendon reflexes per limb."""

    left_upper: Reflex | None = None
    right_upper: Reflex | None = None
    left_lower: Reflex | None = None
    right_lower: Reflex | None = None


class UmnSigns(CaseModel):
    """Upper-motor-neuron signs."""

    present: bool
    signs: list[UmnSign] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> UmnSigns:
        if not self.present and self.signs:
            fail(
                "UmnSigns",
                [
                    problem(
                        ("signs",),
                        "conflict",
                        "signs are listed but present is false",
                        list(self.signs),
                    )
                ],
            )
        return self


class Exam(CaseModel):
    """Neurological examination at presentation."""

    strength: list[StrengthEntry] | None = None
    weakness: Weakness | None = None
    sensory: SensoryExam | None = None
    reflexes: Reflexes | None = None
    umn_signs: UmnSigns | None = None
    bulbar: Bulbar | None = None
    cranial_nerves: bool | None = None
    respiratory: bool | None = None
    fasciculations: bool | None = None
    cramps: bool | None = None
    atrophy: bool | None = None
    tremor: bool | None = None

    @model_validator(mode="after")
    def _unique_muscles(self) -> Exam:
        check_strength_list(self.strength, "Exam", "strength")
        return self
