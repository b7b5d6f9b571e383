"""Decision M6: axonal loss from serial distal CMAP amplitudes."""

from __future__ import annotations

from typing import Any

import pytest
from tests.unit.monitoring.builders import case, visit

from neuroig.monitoring.axonal import axonal_loss


def ulnar(
    amplitude: float | None, *, lln: float | None = 6.0, no_response: bool = False
) -> dict[str, Any]:
    site: dict[str, Any] = {"site": "wrist"}
    if no_response:
        site["no_response"] = True
    else:
        site.update(latency_ms=3.0, amplitude_mv=amplitude)
    study: dict[str, Any] = {
        "nerve": "ulnar",
        "side": "left",
        "recording": "abductor_digiti_minimi",
        "sites": [
            site,
            {"site": "below_elbow", "latency_ms": 7.0, "amplitude_mv": 1.0, "distance_mm": 230},
        ],
    }
    ncs: dict[str, Any] = {"motor": [study]}
    if lln is not None:
        ncs["lab_reference"] = {"motor": {"ulnar": {"amplitude_mv_lln": lln}}}
    return ncs


def follow(first: dict[str, Any], *later: tuple[str, dict[str, Any]]) -> Any:
    c = case(
        ncs={"date": "2020-01-06", **first},
        assessments=[visit(when, ncs=study) for when, study in later],
    )
    (nerve,) = axonal_loss(c)
    return nerve


@pytest.mark.parametrize(
    ("latest", "change", "flagged"),
    [
        (10.0, -50.0, True),  # 20 → 10 mV: a fall of exactly 50 %, above the LLN 6
        (10.2, -49.0, False),  # 49 %, above the LLN
    ],
)
def test_a_fall_of_half_the_first_amplitude_flags(
    latest: float, change: float, flagged: bool
) -> None:
    n = follow(ulnar(20.0), ("2023-01-09", ulnar(latest)))
    assert (n.change_pct, n.fall_flag, n.below_lln, n.flagged) == (change, flagged, False, flagged)


def test_below_the_lln_flags_without_a_large_fall() -> None:
    n = follow(ulnar(6.5), ("2023-01-09", ulnar(5.9)))  # −9.2 %, 5.9 < LLN 6.0
    assert (n.fall_flag, n.below_lln, n.flagged) == (False, True, True)
    assert n.points[-1].lln_source == "case lab_reference (motor ulnar)"


def test_the_lln_of_the_follow_up_study_is_used() -> None:
    # the follow-up lab's limit is 5.0: 5.9 is normal there
    n = follow(ulnar(6.5), ("2023-01-09", ulnar(5.9, lln=5.0)))
    assert (n.below_lln, n.flagged) == (False, False)


def test_one_study_is_reported_but_not_judged() -> None:
    c = case(ncs={"date": "2020-01-06", **ulnar(3.0)})
    (n,) = axonal_loss(c)
    assert (n.below_lln, n.fall_flag, n.flagged) == (True, None, None)


def test_no_lln_and_no_large_fall_is_unknown() -> None:
    # the built-in table has no radial motor amplitude limit and the case gives none
    def radial(amplitude: float) -> dict[str, Any]:
        return {
            "motor": [
                {
                    "nerve": "radial",
                    "side": "left",
                    "recording": "extensor_indicis",
                    "sites": [{"site": "forearm", "latency_ms": 2.4, "amplitude_mv": amplitude}],
                }
            ]
        }

    n = follow(radial(4.0), ("2023-01-09", radial(3.0)))  # −25 %
    assert (n.points[-1].lln_mv, n.below_lln, n.fall_flag, n.flagged) == (None, None, False, None)
    assert "no lower limit of normal" in n.reason


def test_no_response_counts_as_zero_amplitude() -> None:
    n = follow(ulnar(8.0), ("2023-01-09", ulnar(None, no_response=True)))
    assert (n.latest_mv, n.change_pct, n.flagged) == (0.0, -100.0, True)


def test_three_studies_compare_first_and_latest() -> None:
    n = follow(ulnar(8.0), ("2021-06-07", ulnar(5.0)), ("2023-01-09", ulnar(7.0)))
    assert [p.amplitude_mv for p in n.points] == [8.0, 5.0, 7.0]
    assert (n.change_pct, n.flagged) == (-12.5, False)


def test_each_study_carries_the_first_segment_velocity_for_the_serial_chart() -> None:
    from tests.conftest import EXAMPLES

    from neuroig import load_case

    nerves = axonal_loss(load_case(EXAMPLES / "mmn-declining-response.json"))
    (left_ulnar,) = [n for n in nerves if (n.side, n.nerve) == ("left", "ulnar")]
    # wrist 3.1 ms → below elbow 7.6 ms over 230 mm: 230 / 4.5 = 51.1 m/s
    assert left_ulnar.points[0].velocity_m_s == 51.1
    # a study without a second site has no segment velocity
    single = case(
        assessments=[visit("2024-01-01")],
        ncs={
            "date": "2024-01-01",
            "motor": [
                {
                    "nerve": "ulnar",
                    "side": "left",
                    "sites": [{"site": "wrist", "latency_ms": 3.0, "amplitude_mv": 7.0}],
                }
            ],
        },
    )
    assert [p.velocity_m_s for n in axonal_loss(single) for p in n.points] == [None]
