"""Reference lookups: composite muscles (C16), entrapment crossing (E4/E14), limits (E9)."""

from __future__ import annotations

import pytest

from neuroig.errors import ReferenceDataError
from neuroig.reference import (
    builtin_limit,
    entrapment_zone,
    muscle,
    sensory_nerve_for,
    site_rank,
)


@pytest.mark.parametrize(
    ("muscle_id", "nerve"),
    [
        ("finger_flexors", "median"),
        ("finger_extensors", "radial"),
        ("wrist_extensors", "radial"),
        ("iliopsoas", "femoral"),
        ("hamstrings", "sciatic"),
        ("gastrocnemius", "tibial"),
        ("tibialis_anterior", "fibular"),
        ("extensor_hallucis_longus", "fibular"),
        ("first_dorsal_interosseous", "ulnar"),
        ("deltoid", "axillary"),
    ],
)
def test_main_nerve_of_composite_and_common_muscles(muscle_id: str, nerve: str) -> None:
    assert muscle(muscle_id).main_nerve == nerve


def test_unknown_muscle_raises_reference_data_error() -> None:
    with pytest.raises(ReferenceDataError, match="not in the muscle table"):
        muscle("gluteus_maximus_typo")


@pytest.mark.parametrize(
    ("nerve", "distal", "proximal", "entrapment"),
    [
        ("median", "palm", "wrist", True),
        ("median", "wrist", "elbow", False),
        ("median", "elbow", "axilla", False),
        ("ulnar", "palm", "wrist", True),
        ("ulnar", "wrist", "below_elbow", False),
        ("ulnar", "below_elbow", "above_elbow", True),
        ("ulnar", "below_elbow", "elbow", True),
        ("ulnar", "elbow", "above_elbow", True),
        ("ulnar", "wrist", "above_elbow", True),  # a cumulative span crossing the elbow
        ("ulnar", "above_elbow", "axilla", False),
        ("ulnar", "axilla", "erb", False),
        ("fibular", "ankle", "below_fibular_head", False),
        ("fibular", "below_fibular_head", "above_fibular_head", True),
        ("fibular", "below_fibular_head", "knee", True),
        ("fibular", "below_fibular_head", "popliteal_fossa", True),
        ("fibular", "above_fibular_head", "popliteal_fossa", False),
        ("radial", "elbow", "above_elbow", False),
        ("radial", "above_elbow", "spiral_groove", True),
        ("radial", "spiral_groove", "axilla", True),
        ("radial", "elbow", "axilla", True),
        ("radial", "axilla", "erb", False),
        ("tibial", "ankle", "popliteal_fossa", False),
    ],
)
def test_entrapment_zone_crossing(nerve: str, distal: str, proximal: str, entrapment: bool) -> None:
    assert (entrapment_zone(nerve, distal, proximal) is not None) is entrapment


def test_site_rank_orders_distal_to_proximal() -> None:
    assert site_rank("ulnar", "wrist") == 2
    assert site_rank("ulnar", "above_elbow") == 6
    assert site_rank("ulnar", "spiral_groove") is None
    assert site_rank("tibial", "knee") == site_rank("tibial", "popliteal_fossa")


@pytest.mark.parametrize(
    ("motor", "sensory"),
    [
        ("median", "median"),
        ("ulnar", "ulnar"),
        ("radial", "radial"),
        ("musculocutaneous", "lateral_antebrachial_cutaneous"),
        ("fibular", "superficial_fibular"),
        ("tibial", None),
    ],
)
def test_sensory_nerve_for_motor_nerve_e14(motor: str, sensory: str | None) -> None:
    assert sensory_nerve_for(motor) == sensory


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (25.0, 4.9),
        (39.99, 4.9),
        (40.0, 3.8),
        (59.0, 3.8),
        (60.0, 3.0),
        (72.0, 1.0),
        (80.0, 0.0),
        (None, None),
    ],
)
def test_sural_amplitude_lln_is_age_banded(age: float | None, expected: float | None) -> None:
    row = builtin_limit(kind="sensory", nerve="sural", measure="amplitude_uv_lln", age_years=age)
    assert (row.value if row else None) == expected


def test_builtin_limit_is_tied_to_its_recording_muscle() -> None:
    apb = builtin_limit(
        kind="motor",
        nerve="median",
        measure="distal_latency_ms_uln",
        age_years=50,
        recording="abductor_pollicis_brevis",
    )
    assert apb is not None and apb.value == 4.2 and apb.verified
    other = builtin_limit(
        kind="motor",
        nerve="median",
        measure="distal_latency_ms_uln",
        age_years=50,
        recording="flexor_pollicis_longus",
    )
    assert other is None
    unnamed = builtin_limit(
        kind="motor", nerve="median", measure="distal_latency_ms_uln", age_years=50
    )
    assert unnamed is not None and unnamed.value == 4.2


def test_derived_limits_are_marked_unverified() -> None:
    row = builtin_limit(kind="motor", nerve="ulnar", measure="amplitude_mv_lln", age_years=50)
    assert row is not None and row.value == 7.4 and not row.verified and "derived" in row.note


def test_no_builtin_limit_means_none() -> None:
    assert (
        builtin_limit(kind="motor", nerve="radial", measure="amplitude_mv_lln", age_years=50)
        is None
    )
    assert (
        builtin_limit(kind="motor", nerve="fibular", measure="amplitude_mv_lln", age_years=55)
        is None
    )
