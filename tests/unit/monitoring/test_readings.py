"""Decision M1: outcome measures, their MCIDs and how two readings compare."""

from __future__ import annotations

import json
from datetime import date

import pytest

from neuroig import parse_case
from neuroig.monitoring.readings import (
    Reading,
    compare,
    incompatibility,
    merge_same_day,
    mmn_muscle_change,
    readings_of,
)
from neuroig.reference.outcomes import outcome_measure

D0 = date(2025, 1, 1)
D1 = date(2025, 3, 1)


def r(key: str, measure: str, value: float, when: date = D0, **kw: object) -> Reading:
    return Reading(key=key, measure=measure, date=when, value=value, **kw)


# ------------------------------------------------------------------ thresholds, both sides


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [
        (40.0, 48.0, "improved"),  # +8 kPa = MCID 8
        (40.0, 47.9, "unchanged"),  # +7.9 < 8
        (40.0, 32.0, "worsened"),  # −8
        (40.0, 32.1, "unchanged"),  # −7.9
    ],
)
def test_vigorimeter_grip_mcid_is_8_kpa(before: float, after: float, status: str) -> None:
    change = compare(
        r("grip_kpa_left", "grip_kpa", before, scale="vigorimeter"),
        r("grip_kpa_left", "grip_kpa", after, D1, scale="vigorimeter"),
    )
    assert (change.status, change.mcid, change.counts) == (status, 8.0, True)


@pytest.mark.parametrize(
    ("before", "after", "status"), [(30.0, 36.0, "improved"), (30.0, 35.9, "unchanged")]
)
def test_jamar_grip_mcid_is_6_kg_and_unverified(before: float, after: float, status: str) -> None:
    change = compare(
        r("grip_kg_right", "grip_kg", before, scale="jamar"),
        r("grip_kg_right", "grip_kg", after, D1, scale="jamar"),
    )
    assert (change.status, change.mcid, change.verified) == (status, 6.0, False)


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [(50.0, 54.0, "improved"), (50.0, 53.5, "unchanged"), (50.0, 46.0, "worsened")],
)
def test_irods_mcid_is_4_centile_points(before: float, after: float, status: str) -> None:
    change = compare(
        r("irods_centile", "irods_centile", before), r("irods_centile", "irods_centile", after, D1)
    )
    assert change.status == status


def incat(arm: float, leg: float, when: date = D0) -> Reading:
    return r("incat_adjusted", "incat_adjusted", arm + leg, when, arm=arm, leg=leg)


@pytest.mark.parametrize(
    ("before", "after", "delta", "status"),
    [
        ((2, 3), (2, 2), -1.0, "improved"),  # leg −1 = MCID
        ((2, 3), (2, 3), 0.0, "unchanged"),
        ((0, 2), (1, 2), 0.0, "unchanged"),  # arm 0→1 ignored (adjusted INCAT)
        ((1, 2), (0, 2), 0.0, "unchanged"),  # arm 1→0 ignored
        ((1, 2), (2, 2), 1.0, "worsened"),  # arm 1→2 counts
        ((0, 2), (2, 2), 2.0, "worsened"),  # 0→2 is not a change "between 0 and 1"
    ],
)
def test_adjusted_incat_ignores_arm_changes_between_0_and_1(
    before: tuple[int, int], after: tuple[int, int], delta: float, status: str
) -> None:
    change = compare(incat(*before), incat(*after, when=D1))
    assert (change.delta, change.status) == (delta, status)


def mrc(score: float, max_: float = 60, when: date = D0, scale: str = "") -> Reading:
    return r("mrc_sum", "mrc_sum", score, when, max=max_, scale=scale)


@pytest.mark.parametrize(
    ("max_", "gain", "mcid", "status", "verified"),
    [
        (60, 2.0, 2.0, "improved", True),  # Kleyweg: 2 points
        (60, 1.0, 2.0, "unchanged", True),
        (100, 3.3, 3.33, "unchanged", False),  # 2 × 100 / 60 = 3.333…
        (100, 3.4, 3.33, "improved", False),
        (180, 6.0, 6.0, "improved", False),  # 2 × 180 / 60 = 6
    ],
)
def test_mrc_sum_mcid_is_2_points_per_60(
    max_: float, gain: float, mcid: float, status: str, verified: bool
) -> None:
    change = compare(mrc(40, max_), mrc(40 + gain, max_, D1))
    assert (change.mcid, change.status, change.verified) == (mcid, status, verified)


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [
        (10.0, 7.2, "improved"),  # −2.8 s = 28 % of 10 s
        (10.0, 7.3, "unchanged"),  # −27 %
        (10.0, 12.8, "worsened"),  # +28 %
        (10.0, 12.7, "unchanged"),
    ],
)
def test_ten_metre_walk_mcid_is_28_percent_of_baseline(
    before: float, after: float, status: str
) -> None:
    change = compare(
        r("walk_10m_s", "walk_10m_s", before), r("walk_10m_s", "walk_10m_s", after, D1)
    )
    assert (change.status, change.mcid) == (status, 2.8)


def test_rankin_is_shown_but_not_counted() -> None:
    change = compare(r("rankin", "rankin", 3), r("rankin", "rankin", 1, D1))
    assert change.status == "improved"
    assert change.counts is False
    assert "not counted" in change.note


def test_symptom_score_without_declared_scale_is_not_judged() -> None:
    change = compare(r("nss", "nss", 20), r("nss", "nss", 5, D1))
    assert (change.status, change.mcid, change.counts) == ("not_judged", None, False)


@pytest.mark.parametrize(
    ("higher_is_better", "after", "status"),
    [(False, 15.0, "improved"), (False, 16.0, "unchanged"), (True, 15.0, "worsened")],
)
def test_symptom_score_uses_the_declared_direction_and_mcid(
    higher_is_better: bool, after: float, status: str
) -> None:
    kw = {"scale": "UCSF-NSS", "higher_is_better": higher_is_better, "declared_mcid": 5.0}
    change = compare(r("nss", "nss", 20, **kw), r("nss", "nss", after, D1, **kw))
    assert (change.status, change.counts, change.verified) == (status, True, False)


# ------------------------------------------------------------------ comparability


def test_mrc_scores_of_different_maxima_or_variants_are_never_compared() -> None:
    assert incompatibility(mrc(50, 60), mrc(50, 70)) == "MRC sum score maxima differ (60 vs 70)"
    assert incompatibility(mrc(50, 60, scale="kleyweg"), mrc(50, 60, scale="other")) is not None
    assert (
        incompatibility(mrc(50, 60, scale="kleyweg"), mrc(50, 60)) is None
    )  # unnamed: no conflict


def _assessment(**fields: object) -> list[Reading]:
    data = {
        "format": "neuroig-case/1",
        "case_id": "x",
        "assessments": [{"date": "2025-01-01", **fields}],
    }
    case = parse_case(json.dumps(data))
    assert case.assessments is not None
    readings, _ = readings_of(case.assessments[0])
    return readings


def test_grip_devices_make_different_series() -> None:
    vig = _assessment(grip={"left": 40, "unit": "kpa", "device": "vigorimeter"})
    jam = _assessment(grip={"left": 40, "unit": "kg", "device": "jamar"})
    assert [x.key for x in vig] == ["grip_kpa_left"]
    assert [x.key for x in jam] == ["grip_kg_left"]


def test_irods_raw_score_is_never_converted() -> None:
    data = {
        "format": "neuroig-case/1",
        "case_id": "x",
        "assessments": [{"date": "2025-01-01", "irods": {"raw": 30}}],
    }
    case = parse_case(json.dumps(data))
    assert case.assessments is not None
    readings, notes = readings_of(case.assessments[0])
    assert readings == []
    assert "raw score 30 not used" in notes[0]


def test_kleyweg_sum_is_derived_from_twelve_graded_muscles() -> None:
    muscles = [
        "deltoid",
        "biceps",
        "wrist_extensors",
        "iliopsoas",
        "quadriceps",
        "tibialis_anterior",
    ]
    strength = [{"muscle": m, "side": s, "mrc": 4} for m in muscles for s in ("left", "right")]
    readings = _assessment(strength=strength)
    sums = [x for x in readings if x.key == "mrc_sum"]
    # 12 muscles graded 4 → 48 of 60
    assert [(x.value, x.max, x.scale) for x in sums] == [(48.0, 60.0, "kleyweg")]
    partial = _assessment(strength=strength[:-1])
    assert [x for x in partial if x.key == "mrc_sum"] == []


def test_same_day_values_are_averaged_whatever_their_order() -> None:
    a = r("grip_kpa_left", "grip_kpa", 40, scale="vigorimeter")
    b = r("grip_kpa_left", "grip_kpa", 45, scale="vigorimeter")
    one, notes = merge_same_day([a, b])
    two, _ = merge_same_day([b, a])
    assert one == two
    assert [(x.value, x.count) for x in one] == [(42.5, 2)]  # (40 + 45) / 2
    assert "mean 42.5" in notes[0]


def test_same_day_peak_and_trough_stay_apart_when_merging_by_timing() -> None:
    peak = r("grip_kpa_left", "grip_kpa", 60, timing="peak", scale="vigorimeter")
    trough = r("grip_kpa_left", "grip_kpa", 50, timing="trough", scale="vigorimeter")
    merged, _ = merge_same_day([peak, trough], by_timing=True)
    assert sorted(x.value for x in merged) == [50, 60]


# ------------------------------------------------------------------ MMN per-muscle MCID


def muscles(grades: dict[str, float], when: date) -> list[Reading]:
    return [r(f"mrc_muscle:{m}:left", "mrc_muscle", g, when) for m, g in grades.items()]


@pytest.mark.parametrize(
    ("after", "status"),
    [
        ({"fdi": 4, "adm": 4, "ext": 4}, "improved"),  # 2 affected muscles +1
        ({"fdi": 4, "adm": 3, "ext": 4}, "unchanged"),  # only 1
        ({"fdi": 3, "adm": 3, "ext": 3}, "unchanged"),  # 1 lost
        ({"fdi": 2, "adm": 2, "ext": 4}, "worsened"),  # 2 lost
    ],
)
def test_mmn_mcid_is_one_grade_in_two_affected_muscles(
    after: dict[str, float], status: str
) -> None:
    before = muscles({"fdi": 3, "adm": 3, "ext": 4}, D0)
    change = mmn_muscle_change(before, muscles(after, D1), latest_date=D1)
    assert change is not None
    assert change.status == status
    assert change.mcid == outcome_measure("mrc_muscles_mmn").mcid == 2.0


def test_mmn_mcid_ignores_gains_of_muscles_that_were_not_affected() -> None:
    before = muscles({"a": 5, "b": 5, "c": 3}, D0)
    after = muscles({"a": 5, "b": 5, "c": 4}, D1)
    change = mmn_muscle_change(before, after, latest_date=D1)
    assert change is not None and change.status == "unchanged"
