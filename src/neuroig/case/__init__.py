"""The case format ``neuroig-case/1``: frozen models, reading JSON/YAML, JSON Schema."""

from typing import Any

from neuroig.case.checks import case_warnings, weak_territories
from neuroig.case.course import (
    AdverseEventEntry,
    Assessment,
    EmgMuscle,
    Grip,
    Incat,
    Infusion,
    Irods,
    MrcSumScore,
    Regimen,
    Treatment,
)
from neuroig.case.derive import age_at, disease_duration_months, reference_date
from neuroig.case.exam import Exam, StrengthEntry, Weakness
from neuroig.case.labs import Biopsy, Imaging, Labs
from neuroig.case.load import case_from_data, case_to_data, case_to_json, load_case, parse_case
from neuroig.case.model import FORMAT, Case
from neuroig.case.ncs import (
    FWave,
    LabReference,
    MotorLimits,
    MotorSiteResult,
    MotorStudy,
    Ncs,
    SensoryLimits,
    SensoryStudy,
)
from neuroig.case.patient import History, Patient
from neuroig.case.types import mrc_value


def case_json_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``neuroig-case/1``."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://neuroig.example/schema/neuroig-case-1.json"
    schema["title"] = "neuroig-case/1"
    return schema


__all__ = [
    "FORMAT",
    "AdverseEventEntry",
    "Assessment",
    "Biopsy",
    "Case",
    "EmgMuscle",
    "Exam",
    "FWave",
    "Grip",
    "History",
    "Imaging",
    "Incat",
    "Infusion",
    "Irods",
    "LabReference",
    "Labs",
    "MotorLimits",
    "MotorSiteResult",
    "MotorStudy",
    "MrcSumScore",
    "Ncs",
    "Patient",
    "Regimen",
    "SensoryLimits",
    "SensoryStudy",
    "StrengthEntry",
    "Treatment",
    "Weakness",
    "age_at",
    "case_from_data",
    "case_json_schema",
    "case_to_data",
    "case_to_json",
    "case_warnings",
    "disease_duration_months",
    "load_case",
    "mrc_value",
    "parse_case",
    "reference_date",
    "weak_territories",
]
