"""Closed vocabularies of the case format ``neuroig-case/1``.

Each is a ``Literal`` so that pydantic validates it, the JSON Schema lists it and a
typo gets a "did you mean" suggestion. Tables that grow with the shipped reference
data (muscles, products) are built in :mod:`neuroig.reference`.
"""

from __future__ import annotations

from typing import Literal, get_args

Sex = Literal["female", "male", "other"]
Side = Literal["left", "right"]
BloodGroup = Literal["O", "A", "B", "AB"]
Course = Literal["progressive", "stepwise_progressive", "relapsing_remitting", "monophasic"]
LimbLevel = Literal["upper", "lower"]
LimbPart = Literal["distal", "proximal"]
Limb4 = Literal["left_upper", "right_upper", "left_lower", "right_lower"]
Predominance = Literal["distal", "proximal", "both"]

Condition = Literal[
    "diabetes",
    "thrombosis",
    "heart_failure",
    "renal_impairment",
    "hypertension",
    "iga_deficiency",
    "pregnancy",
    "malignancy",
    "hiv",
    "hepatitis_c",
    "family_history_neuropathy",
    "pes_cavus",
    "neurotoxic_drugs",
    # additions used by the safety screen and the mimic flags (format may add values)
    "insulin_treated_diabetes",
    "point_of_care_glucose_testing",
    "hypercoagulable_state",
    "oestrogen_use",
    "central_venous_catheter",
    "immobilisation",
    "cardiovascular_risk_factors",
    "hyperviscosity",
    "cryoglobulinaemia",
    "hypertriglyceridaemia",
    "volume_depletion",
    "sepsis",
    "nephrotoxic_drugs",
    "fluid_restriction",
    "hereditary_fructose_intolerance",
    "hyperprolinaemia",
    "hyaluronidase_or_albumin_hypersensitivity",
    "severe_ig_reaction",
    "prior_aseptic_meningitis",
    "lyme_disease",
    "sphincter_disturbance",
    "prominent_pain",
    "autonomic_involvement",
    "weight_loss",
    "organomegaly",
    "skin_changes",
    "oedema",
    "sclerotic_bone_lesions",
]

Reflex = Literal["absent", "reduced", "normal", "brisk"]
UmnSign = Literal["babinski", "hoffmann", "spasticity", "clonus", "pseudobulbar"]
Bulbar = Literal["none", "mild", "marked"]
SensoryLoss = Literal["none", "minor_vibration_lower_limbs", "present"]

AntiGm1 = Literal["negative", "positive", "high_titer"]
NegPos = Literal["negative", "positive"]
Isotype = Literal["igm", "igg", "iga"]
LightChain = Literal["kappa", "lambda"]
NodalTarget = Literal["nf155", "cntn1", "caspr1", "nf186_140"]

MriFinding = Literal["normal", "enlarged", "t2_hyperintense", "enlarged_and_t2_hyperintense"]
UltrasoundEnlargement = Literal["none", "focal", "multifocal", "diffuse"]

MotorNerve = Literal[
    "median",
    "ulnar",
    "radial",
    "musculocutaneous",
    "axillary",
    "fibular",
    "tibial",
    "femoral",
    "facial",
    "accessory",
    "phrenic",
]
MotorSite = Literal[
    "palm",
    "wrist",
    "forearm",
    "below_elbow",
    "elbow",
    "above_elbow",
    "spiral_groove",
    "axilla",
    "erb",
    "ankle",
    "below_fibular_head",
    "popliteal_fossa",
    "above_fibular_head",
    "knee",
    "inguinal",
    "root",
    # additions for cranial/axial nerves (the format may add values)
    "stylomastoid",
    "neck",
]
SensoryNerve = Literal[
    "median",
    "ulnar",
    "radial",
    "sural",
    "superficial_fibular",
    "medial_antebrachial_cutaneous",
    "lateral_antebrachial_cutaneous",
]
SensorySite = Literal[
    "digit1",
    "digit2",
    "digit3",
    "digit4",
    "digit5",
    "palm",
    "wrist",
    "forearm",
    "elbow",
    "above_elbow",
    "axilla",
    "calf",
    "ankle",
    "dorsum_foot",
]
SensoryMethod = Literal["antidromic", "orthodromic"]

Recruitment = Literal["normal", "reduced", "discrete", "none"]

Therapy = Literal[
    "ivig",
    "scig",
    "prednisone",
    "methylprednisolone",
    "dexamethasone",
    "plasma_exchange",
    "azathioprine",
    "mycophenolate",
    "rituximab",
    "cyclophosphamide",
    "efgartigimod",
    "other",
]
TreatmentResponse = Literal["improved", "stable", "worsened", "unknown"]
StoppedBecause = Literal[
    "ineffective", "adverse_event", "remission", "patient_choice", "cost", "supply", "other"
]
Route = Literal["iv", "sc"]
AdverseEvent = Literal[
    "headache",
    "aseptic_meningitis",
    "thrombosis",
    "renal",
    "hemolysis",
    "anaphylaxis",
    "infusion_reaction",
    "rash",
    "other",
]
Severity = Literal["mild", "moderate", "severe"]
GripUnit = Literal["kpa", "kg"]
GripDevice = Literal["vigorimeter", "jamar"]
Timing = Literal["trough", "peak", "unspecified"]

#: Aliases accepted on input and normalised to the canonical name.
NERVE_ALIASES: dict[str, str] = {
    "peroneal": "fibular",
    "superficial_peroneal": "superficial_fibular",
}


def values(literal: object) -> tuple[str, ...]:
    """Return the allowed strings of a ``Literal`` type."""
    return tuple(str(v) for v in get_args(literal))
