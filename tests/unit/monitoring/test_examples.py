"""The longitudinal examples reach the conclusions their x_note states."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES

from neuroig import load_case
from neuroig.diagnosis import DiagnosisContext
from neuroig.monitoring.review import FORMAT, Review, review, review_to_json
from neuroig.report import chart_panels, chart_size_px, review_chart


def rv(name: str, **kw: object) -> Review:
    return review(load_case(EXAMPLES / f"{name}.json"), **kw)


def change(r: Review, measure: str) -> tuple[float, float, float | None, str]:
    (c,) = [c for c in r.courses[0].changes if c.measure == measure]
    return c.baseline, c.latest, c.mcid, c.status


def test_responder() -> None:
    r = rv("cidp-ivig-responder")
    assert [c.response for c in r.courses] == ["responder"]
    assert change(r, "incat_adjusted") == (5, 2, 1, "improved")
    assert change(r, "grip_kpa_left") == (42, 63, 8, "improved")
    # 10-metre walk 14.2 → 9.8 s: −4.4 s ≥ 28 % × 14.2 = 3.98 s
    assert change(r, "walk_10m_s") == (14.2, 9.8, 3.98, "improved")
    assert r.intensity.weight is not None and r.intensity.weight.kg == 62.95
    assert [p.g_per_kg_per_28d for p in r.intensity.periods] == [1.377]  # 65 / 62.95 / 21 × 28
    assert r.declining.detected is False
    assert r.dose_review.taper_suggested is False  # < 12 months of maintenance
    assert str(r.dose_review.next_review_due) == "2027-04-06"
    assert r.cdas is not None and r.cdas.number == 4
    assert (r.use.grams, r.use.cost) == (710.0, 24140.0)  # 125 + 9 × 65 g; × GBP 34


def test_non_responder() -> None:
    r = rv("cidp-ivig-non-responder")
    assert [c.response for c in r.courses] == ["non_responder"]
    # unadjusted INCAT 2 → 3, but the arm went 0 → 1: adjusted change 0
    assert change(r, "incat_adjusted") == (2, 3, 1, "unchanged")
    assert [s.id for s in r.suggestions] == ["REVIEW-NON-RESPONDER"]
    assert r.dose_review.next_review_due is None
    assert r.cdas is not None and r.cdas.number is None
    assert r.use.cost == 16320.0  # 4 × 40 + 4 × 80 = 480 g × 34


def test_wear_off() -> None:
    r = rv("cidp-wear-off")
    assert r.courses[0].response == "responder"
    wo = r.wear_off
    assert wo.detected is True
    assert {c.number: c.status for c in wo.cycles if c.peak_date} == {
        15: "met",
        16: "met",
        17: "met",
        18: "met",
        19: "unknown",
    }
    assert wo.run == (15, 16)
    assert r.dose_review.taper_suggested is False
    assert "wear-off" in r.dose_review.reason
    assert "REVIEW-WEAR-OFF" in [s.id for s in r.suggestions]
    assert r.declining.detected is False


def test_mmn_declining_response() -> None:
    r = rv("mmn-declining-response")
    assert r.courses[0].response == "responder"
    dec = r.declining
    assert dec.detected is True
    assert dec.change_pct is not None and dec.change_pct >= 25
    assert {c.status for c in dec.changes} <= {"unchanged", "worsened"}
    # the dosing weight is fixed at the start of maintenance (82 kg actual → 77.8 kg adjusted)
    assert r.intensity.weight is not None and r.intensity.weight.kg == 77.8
    assert r.intensity.latest_weight_kg == 90
    flagged = [(n.side, n.nerve) for n in r.axonal if n.flagged]
    assert flagged == [("left", "ulnar")]
    (ulnar,) = [n for n in r.axonal if (n.side, n.nerve) == ("left", "ulnar")]
    assert (ulnar.first_mv, ulnar.latest_mv, ulnar.change_pct) == (7.8, 3.1, -60.3)
    assert r.dose_review.taper_suggested is False
    # T24: the 79 infusions before the first GBP row (2019-03-31) take its price, with a note
    assert r.use.cost == 383520.0  # 11,280 g × GBP 34
    assert r.use.before_table == 79
    assert any("earliest" in n for n in r.use.price_notes)
    assert "REVIEW-DECLINING" in [s.id for s in r.suggestions]


def test_mmn_declining_response_with_an_mmn_diagnosis() -> None:
    r = rv("mmn-declining-response", diagnosis=DiagnosisContext(mmn_category="definite"))
    assert r.cdas is None
    mm = [c for c in r.courses[0].changes if c.measure == "mrc_muscles_mmn"]
    # left wrist extensors 4 → 5 and right APB 4 → 5: two affected muscles gained a grade
    assert [c.status for c in mm] == ["improved"]


def test_stable_taper_due() -> None:
    r = rv("cidp-stable-taper-due")
    assert r.courses[0].response == "responder"
    dr = r.dose_review
    assert dr.taper_suggested is True
    assert [s.dose_g for s in dr.steps][:1] == [60]  # 80 g − 25 %
    assert dr.alternative is not None and dr.alternative.interval_weeks == 4
    assert str(dr.next_review_due) == "2025-07-10"
    assert r.intensity.weight is not None and r.intensity.weight.kg == 82.28
    assert r.cdas is not None and r.cdas.number == 3
    assert r.use.cost == 155210.0  # (165 + 55 × 80) g × 34


LONGITUDINAL = [
    "cidp-ivig-responder",
    "cidp-ivig-non-responder",
    "cidp-wear-off",
    "mmn-declining-response",
    "cidp-stable-taper-due",
]


@pytest.mark.parametrize("name", LONGITUDINAL)
def test_json_has_the_review_format_keys(name: str) -> None:
    doc = review_to_json(rv(name))
    assert doc["format"] == FORMAT == "neuroig-review/1"
    for key in (
        "case_id",
        "courses",
        "wear_off",
        "declining_response",
        "dose_intensity",
        "axonal_loss",
        "cdas",
        "next_review_due",
        "suggestions",
    ):
        assert key in doc
    assert doc["cdas"] is None or doc["cdas"] in {1, 2, 3, 4, 5}
    assert {c["response"] for c in doc["courses"]} <= {
        "responder",
        "non_responder",
        "indeterminate",
    }
    assert doc["wear_off"]["detected"] in (True, False, None)
    for p in doc["dose_intensity"]:
        assert set(p) >= {"from", "to", "g_per_kg_per_28d"}


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


# panels: one per measure group drawn, plus dose intensity, plus two for serial NCS
EXPECTED_PANELS = {
    "cidp-ivig-responder": 7,  # INCAT, I-RODS, MRC, grip kPa, walk, Rankin, intensity
    "cidp-ivig-non-responder": 7,  # INCAT, I-RODS, MRC, grip kg, walk, Rankin, intensity
    "cidp-wear-off": 6,  # INCAT, I-RODS, MRC, grip kPa, walk, intensity
    # MRC (10 pairs), grip kPa, intensity, serial NCS amplitude and velocity (3 studies)
    "mmn-declining-response": 5,
    "cidp-stable-taper-due": 7,  # INCAT, I-RODS, MRC, grip kPa, walk, Rankin, intensity
}


@pytest.mark.parametrize("name", LONGITUDINAL)
def test_a_chart_is_drawn_for_each_longitudinal_example(name: str, tmp_path: Path) -> None:
    r = rv(name)
    assert len(chart_panels(r)) == EXPECTED_PANELS[name]
    out = tmp_path / f"{name}.png"
    size = review_chart(r, out)
    # 1200 px wide; 100 px header + 300 px per panel
    assert size == chart_size_px(EXPECTED_PANELS[name]) == (1200, 100 + 300 * EXPECTED_PANELS[name])
    assert png_size(out) == size
    assert out.stat().st_size > 20_000


def test_chart_shades_the_wear_off_cycles_that_met_m3() -> None:
    from matplotlib.figure import Figure

    from neuroig.report.charts import _wear_off_cycles

    def spans(name: str) -> int:
        ax = Figure().add_subplot()
        _wear_off_cycles(ax, rv(name))
        return len(ax.patches)

    assert spans("cidp-wear-off") == 4  # cycles 15-18 met M3; cycle 19 unknown
    assert spans("cidp-ivig-responder") == 0  # no peak/trough labels


def test_chart_mcid_band_spans_only_the_measured_dates() -> None:
    from matplotlib.dates import num2date
    from matplotlib.figure import Figure

    from neuroig.report.charts import _mcid_bands, _series

    r = rv("mmn-declining-response")
    rs = _series(r, "grip_kpa_left", "")
    ax = Figure().add_subplot()
    assert _mcid_bands(ax, r, "grip_kpa_left", rs) is True
    (band,) = ax.collections
    xs = band.get_paths()[0].vertices[:, 0]
    # from the baseline (2013-06-03) to the last grip reading on treatment (2023-11-13)
    assert {num2date(x).date().isoformat() for x in (xs.min(), xs.max())} == {
        "2013-06-03",
        "2023-11-13",
    }
    # a series with only its baseline reading gets no band
    ax2 = Figure().add_subplot()
    assert _mcid_bands(ax2, r, "grip_kpa_left", rs[:1]) is False
    assert not ax2.collections
