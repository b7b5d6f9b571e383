"""Monitoring of treated patients: response, wear-off, dose intensity, axonal loss, review.

Pure core (no I/O). The one entry point is :func:`review`; :func:`review_to_json`
renders its result as ``neuroig-review/1``. Decisions M1-M9 and T24 (``docs/decisions.md``).
"""

from neuroig.monitoring.axonal import AxonalNerve, CmapPoint, axonal_loss
from neuroig.monitoring.cdas import Cdas, cdas, therapy_state
from neuroig.monitoring.cost import CumulativeUse, cumulative_use
from neuroig.monitoring.dose_review import DoseReview, Regimen, TaperStep, dose_review, review_due
from neuroig.monitoring.intensity import (
    DecliningResponse,
    DoseIntensity,
    DosingWeightUsed,
    IntensityInterval,
    IntensityPeriod,
    SmoothedPoint,
    declining_response,
    dose_intensity,
    maintenance_dosing_weight,
)
from neuroig.monitoring.readings import (
    Change,
    Reading,
    case_readings,
    compare,
    merge_same_day,
    mmn_muscle_change,
    readings_of,
    series_label,
)
from neuroig.monitoring.response import CourseResponse, classify, course_response
from neuroig.monitoring.review import (
    DIAGNOSIS_NOT_EVALUATED,
    FORMAT,
    Review,
    Suggestion,
    course_responses,
    latest_date,
    review,
    review_to_json,
    therapy_name,
)
from neuroig.monitoring.schedule import CourseSpan, DoseEvent, Interval, Schedule, build_schedule
from neuroig.monitoring.simon import SimonReplay, simon_replay
from neuroig.monitoring.wear_off import Cycle, Drop, WearOff, wear_off

__all__ = [
    "DIAGNOSIS_NOT_EVALUATED",
    "FORMAT",
    "AxonalNerve",
    "Cdas",
    "Change",
    "CmapPoint",
    "CourseResponse",
    "CourseSpan",
    "CumulativeUse",
    "Cycle",
    "DecliningResponse",
    "DoseEvent",
    "DoseIntensity",
    "DoseReview",
    "DosingWeightUsed",
    "Drop",
    "IntensityInterval",
    "IntensityPeriod",
    "Interval",
    "Reading",
    "Regimen",
    "Review",
    "Schedule",
    "SimonReplay",
    "SmoothedPoint",
    "Suggestion",
    "TaperStep",
    "WearOff",
    "axonal_loss",
    "build_schedule",
    "case_readings",
    "cdas",
    "classify",
    "compare",
    "course_response",
    "course_responses",
    "cumulative_use",
    "declining_response",
    "dose_intensity",
    "dose_review",
    "latest_date",
    "maintenance_dosing_weight",
    "merge_same_day",
    "mmn_muscle_change",
    "readings_of",
    "review",
    "review_due",
    "review_to_json",
    "series_label",
    "simon_replay",
    "therapy_name",
    "therapy_state",
    "wear_off",
]
