"""The result of a monitoring review: :class:`Review`, its :class:`Suggestion` items,
and the names the review prints (``FORMAT``, therapy names).
"""

from __future__ import annotations

from datetime import date

from neuroig.diagnosis import DiagnosisContext
from neuroig.monitoring.axonal import AxonalNerve
from neuroig.monitoring.cdas import Cdas
from neuroig.monitoring.cost import CumulativeUse
from neuroig.monitoring.dose_review import DoseReview
from neuroig.monitoring.intensity import (
    DecliningResponse,
    DoseIntensity,
)
from neuroig.monitoring.readings import Reading
from neuroig.monitoring.response import CourseResponse
from neuroig.monitoring.schedule import Schedule
from neuroig.monitoring.simon import SimonReplay
from neuroig.monitoring.wear_off import WearOff
from neuroig.record import Record

__all__ = ["DIAGNOSIS_NOT_EVALUATED", "FORMAT", "Review", "Suggestion", "therapy_name"]

FORMAT = "neuroig-review/1"


DIAGNOSIS_NOT_EVALUATED = "diagnosis not evaluated — diagnosis-specific rules not applied"

_THERAPY_NAMES = {
    "ivig": "IVIg",
    "scig": "SCIg",
    "plasma_exchange": "plasma exchange",
}


def therapy_name(therapy: str) -> str:
    """A readable name of a therapy code."""
    return _THERAPY_NAMES.get(therapy, therapy.replace("_", " "))


class Suggestion(Record, frozen=True):
    """A suggestion for the clinician with the rule and source it rests on."""

    id: str
    text: str
    basis: str
    severity: str = "info"


class Review(Record, frozen=True):
    """Everything the review found, with the evidence for each answer."""

    case_id: str
    as_of: date
    diagnosis: DiagnosisContext | None
    diagnosis_note: str
    mmn: bool | None
    schedule: Schedule
    readings: tuple[Reading, ...]
    timed_readings: tuple[Reading, ...]
    courses: tuple[CourseResponse, ...]
    wear_off: WearOff
    intensity: DoseIntensity
    declining: DecliningResponse
    dose_review: DoseReview
    axonal: tuple[AxonalNerve, ...]
    cdas: Cdas | None
    cdas_note: str
    use: CumulativeUse
    simon: SimonReplay | None
    suggestions: tuple[Suggestion, ...]
    summary: tuple[str, ...]
    notes: tuple[str, ...]
    assessment_overdue_since: date | None = None
    last_assessment: date | None = None
    dose_count_note: str = ""
