"""Unknown is never reported as none: each input removed in turn gives ``unknown``.

Base: left ulnar, wrist → below-elbow with a definite block (area 24.0 → 9.1 mV·ms =
62.1 % drop, duration 6.0 → 6.5 ms = +8.3 %, distal 8.0 mV vs LLN 6.0 mV = 133 %),
lab limits for every measure, F-wave recorded, 20 Hz filter, sensory ulnar normal.
Recorded from first dorsal interosseous so that no built-in limit (tied to ADM) can
stand in when a lab limit is removed; ``test_builtin_limit_stands_in`` shows that it
does for ADM (decision E9).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from neuroig.case import Ncs
from neuroig.electro import ElectroResult, analyse_ncs

BASE: dict[str, Any] = {
    "date": "2026-10-02",
    "temperature_c": 33,
    "low_frequency_filter_hz": 20,
    "lab_reference": {
        "motor": {
            "ulnar": {
                "distal_latency_ms_uln": 3.3,
                "amplitude_mv_lln": 6.0,
                "velocity_m_s_lln": 49,
                "f_latency_ms_uln": 32,
            }
        },
        "sensory": {"ulnar": {"amplitude_uv_lln": 10, "velocity_m_s_lln": 50}},
    },
    "motor": [
        {
            "nerve": "ulnar",
            "side": "left",
            "recording": "first_dorsal_interosseous",
            "sites": [
                {
                    "site": "wrist",
                    "latency_ms": 3.0,
                    "amplitude_mv": 8.0,
                    "area_mvms": 24.0,
                    "duration_ms": 6.0,
                    "distance_mm": 80,
                },
                {
                    "site": "below_elbow",
                    "latency_ms": 7.4,
                    "amplitude_mv": 2.9,
                    "area_mvms": 9.1,
                    "duration_ms": 6.5,
                    "distance_mm": 230,
                },
            ],
            "f_wave": {"min_latency_ms": 30.1, "persistence_pct": 40},
        }
    ],
    "sensory": [
        {
            "nerve": "ulnar",
            "side": "left",
            "from_site": "wrist",
            "to_site": "digit5",
            "amplitude_uv": 22,
            "velocity_m_s": 56,
        }
    ],
}


def run(mutate: Callable[[dict[str, Any]], None] | None = None) -> ElectroResult:
    data = copy.deepcopy(BASE)
    if mutate:
        mutate(data)
    return analyse_ncs(Ncs.model_validate(data), age_years=50)


def site(i: int) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda d: d["motor"][0]["sites"][i]


def test_base_is_a_definite_block() -> None:
    seg = run().motor[0].segments[0]
    assert seg.efns.grade == "definite"
    assert round(seg.area_drop_pct or 0, 1) == 62.1


@pytest.mark.parametrize(
    ("name", "mutate", "definite", "probable", "grade"),
    [
        (
            "distal area missing",
            lambda d: d["motor"][0]["sites"][0].pop("area_mvms"),
            "unknown",
            "unknown",
            "unknown",
        ),
        (
            "proximal area missing",
            lambda d: d["motor"][0]["sites"][1].pop("area_mvms"),
            "unknown",
            "unknown",
            "unknown",
        ),
        (
            "distal amplitude missing",
            lambda d: d["motor"][0]["sites"][0].pop("amplitude_mv"),
            "unknown",
            "unknown",
            "unknown",
        ),
        (
            "amplitude LLN missing",
            lambda d: d["lab_reference"]["motor"]["ulnar"].pop("amplitude_mv_lln"),
            "unknown",
            "unknown",
            "unknown",
        ),
        # 62 % drop: definite if duration ≤ 30 %, probable (b) if > 30 %: at least probable.
        (
            "proximal duration missing",
            lambda d: d["motor"][0]["sites"][1].pop("duration_ms"),
            "unknown",
            "met",
            "probable",
        ),
        (
            "distal duration missing",
            lambda d: d["motor"][0]["sites"][0].pop("duration_ms"),
            "unknown",
            "met",
            "probable",
        ),
    ],
)
def test_missing_input_makes_block_unknown_not_none(
    name: str, mutate: Callable[[dict[str, Any]], None], definite: str, probable: str, grade: str
) -> None:
    seg = run(mutate).motor[0].segments[0]
    assert (seg.efns.definite, seg.efns.probable, seg.efns.grade) == (definite, probable, grade), (
        name
    )
    assert seg.efns.grade != "none"


def test_a_35_percent_drop_over_a_segment_of_unknown_length_is_unknown() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["motor"][0]["sites"][1].update(area_mvms=15.6, amplitude_mv=5.2)  # 24.0 → 15.6 = 35 %
        d["motor"][0]["sites"][1].pop("distance_mm")

    seg = run(mutate).motor[0].segments[0]
    assert seg.long_segment is None
    assert seg.efns.grade == "unknown"
    assert seg.efns.definite == "not_met"


def test_a_35_percent_drop_over_230_mm_is_probable() -> None:
    seg = (
        run(lambda d: d["motor"][0]["sites"][1].update(area_mvms=15.6, amplitude_mv=5.2))
        .motor[0]
        .segments[0]
    )
    assert seg.efns.grade == "probable"


@pytest.mark.parametrize(
    ("finding", "mutate"),
    [
        (
            "CIDP21-MOT-a",
            lambda d: d["lab_reference"]["motor"]["ulnar"].pop("distal_latency_ms_uln"),
        ),
        ("CIDP21-MOT-a", lambda d: d["motor"][0]["sites"][0].pop("latency_ms")),
        ("CIDP21-MOT-b", lambda d: d["lab_reference"]["motor"]["ulnar"].pop("velocity_m_s_lln")),
        ("CIDP21-MOT-b", lambda d: d["motor"][0]["sites"][1].pop("distance_mm")),
        ("CIDP21-MOT-c", lambda d: d["motor"][0].pop("f_wave")),
        ("CIDP21-MOT-c", lambda d: d["lab_reference"]["motor"]["ulnar"].pop("f_latency_ms_uln")),
        ("CIDP21-MOT-d", lambda d: d["motor"][0].pop("f_wave")),
        ("CIDP21-MOT-e", lambda d: d["motor"][0].update(sites=d["motor"][0]["sites"][:1])),
        ("EFNS-MMN-BLOCK-DEF", lambda d: d["motor"][0].update(sites=d["motor"][0]["sites"][:1])),
    ],
)
def test_missing_input_makes_finding_unknown(
    finding: str, mutate: Callable[[dict[str, Any]], None]
) -> None:
    assert run().motor[0].finding(finding).status in {"met", "not_met"}
    assert run(mutate).motor[0].finding(finding).status == "unknown"


def _adm(d: dict[str, Any]) -> None:
    d["motor"][0]["recording"] = "abductor_digiti_minimi"


@pytest.mark.parametrize(
    ("finding", "mutate"),
    [
        ("CIDP21-MOT-g", lambda d: d.pop("low_frequency_filter_hz")),
        ("CIDP21-MOT-g", lambda d: d.update(low_frequency_filter_hz=3)),
        ("CIDP21-MOT-g", lambda d: d["motor"][0]["sites"][0].pop("duration_ms")),
        ("CIDP21-MOT-g", lambda d: d["motor"][0].update(recording="first_dorsal_interosseous")),
        ("CIDP10-MOT-g", lambda d: d["motor"][0]["sites"][0].pop("duration_ms")),
        ("CIDP10-MOT-g", lambda d: d["motor"][0].update(recording="first_dorsal_interosseous")),
    ],
)
def test_missing_filter_or_duration_makes_duration_finding_unknown(
    finding: str, mutate: Callable[[dict[str, Any]], None]
) -> None:
    # ADM, 20 Hz: distal duration 6.0 ms vs 2021 cut-off > 7.8 ms and 2010 cut-off >= 6.7 ms
    assert run(_adm).motor[0].finding(finding).status == "not_met"

    def both(d: dict[str, Any]) -> None:
        _adm(d)
        mutate(d)

    assert run(both).motor[0].finding(finding).status == "unknown"


def test_sensory_limit_missing_makes_sensory_unknown_and_across_block_unknown() -> None:
    assert run().sensory_across("ulnar", "left")[0] == "met"
    result = run(lambda d: d["lab_reference"]["sensory"]["ulnar"].pop("amplitude_uv_lln"))
    assert result.sensory[0].abnormal is None
    assert result.sensory_across("ulnar", "left")[0] == "unknown"


def test_no_sensory_study_makes_across_block_unknown() -> None:
    result = run(lambda d: d.pop("sensory"))
    status, reason = result.sensory_across("ulnar", "left")
    assert status == "unknown"
    assert "not studied" in reason


def test_tibial_has_no_sensory_pair() -> None:
    assert run().sensory_across("tibial", "left")[0] == "unknown"


def test_abnormal_sensory_makes_across_block_not_met() -> None:
    result = run(lambda d: d["sensory"][0].update(amplitude_uv=6))
    assert result.sensory[0].abnormal is True
    assert result.sensory_across("ulnar", "left")[0] == "not_met"


def test_absent_snap_is_abnormal_and_sural_absent_at_80_is_normal() -> None:
    result = run(
        lambda d: d["sensory"].__setitem__(
            0, {"nerve": "ulnar", "side": "left", "no_response": True}
        )
    )
    assert result.sensory[0].abnormal is True

    data = copy.deepcopy(BASE)
    data["sensory"] = [
        {
            "nerve": "sural",
            "side": "left",
            "from_site": "calf",
            "to_site": "ankle",
            "no_response": True,
        }
    ]
    old = analyse_ncs(Ncs.model_validate(data), age_years=80)
    assert old.sensory[0].abnormal is False  # LLN 0 from 75 y (elderly sural study)
    young = analyse_ncs(Ncs.model_validate(data), age_years=60)
    assert young.sensory[0].abnormal is True  # LLN 3 µV at 60-70 y
    unknown_age = analyse_ncs(Ncs.model_validate(data), age_years=None)
    assert unknown_age.sensory[0].abnormal is None


def test_builtin_limit_stands_in_for_a_missing_lab_limit() -> None:
    def mutate(d: dict[str, Any]) -> None:
        d["motor"][0]["recording"] = "abductor_digiti_minimi"
        d["lab_reference"]["motor"]["ulnar"].pop("amplitude_mv_lln")

    nerve = run(mutate).motor[0]
    limit = nerve.limits["amplitude_mv_lln"]
    assert limit is not None
    assert (limit.value, limit.origin, limit.verified) == (7.4, "builtin", False)
    # 8.0 mV is 108.1 % of the built-in 7.4 mV: the floor holds, the block is still definite,
    # and the evidence says the limit is unverified.
    seg = nerve.segments[0]
    assert seg.efns.grade == "definite"
    floor = next(e for e in seg.efns.evidence if e.measure == "distal_amplitude_pct_lln")
    assert floor.verified is False
    assert floor.limit_source is not None
    assert "Buschbacher" in floor.limit_source
