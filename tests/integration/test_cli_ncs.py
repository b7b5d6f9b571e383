"""``neuroig ncs``: the neurophysiologist's table and the ``electro`` JSON object."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.cli.app import app

runner = CliRunner()
CASE = str(EXAMPLES / "mmn-definite.json")


def test_ncs_table_shows_segments_grades_and_percent_of_limits() -> None:
    result = runner.invoke(app, ["ncs", CASE])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "wrist to below elbow" in out  # segment in words, never cut
    assert "definite" in out
    assert "probable" in out
    assert "cubital tunnel" in out  # the elbow segment is an entrapment segment
    # left ulnar distal amplitude 8.0 mV of LLN 6.0 = 133 %; DML 3.0 of 3.3 = 91 %
    assert "8 (133%)" in out
    assert "3 (91%)" in out
    assert "EFNS-MMN-BLOCK-DEF" in out


def test_ncs_json_is_the_electro_object() -> None:
    result = runner.invoke(app, ["ncs", CASE, "--json"])
    assert result.exit_code == 0, result.stderr
    electro = json.loads(result.stdout)
    ulnar = electro["motor"][0]
    assert (ulnar["nerve"], ulnar["side"]) == ("ulnar", "left")
    seg = ulnar["segments"][0]
    assert seg == seg | {
        "from": "wrist",
        "to": "below_elbow",
        "kind": "segmental",
        "distance_mm": 230.0,
        "velocity_m_s": 52.3,  # 230 mm / (7.4 - 3.0) ms
        "amplitude_drop_pct": 63.8,  # 1 - 2.9/8.0
        "area_drop_pct": 62.1,  # 1 - 9.1/24.0
        "duration_increase_pct": 8.3,  # 6.5/6.0 - 1
        "entrapment_site": False,
        "block_efns_pns_2010": "definite",
        "block_ean_pns_2021": True,
    }
    elbow = ulnar["segments"][1]
    assert (elbow["entrapment_site"], elbow["block_efns_pns_2010"]) == (True, "none")
    floor = next(e for e in seg["efns_evidence"] if e["measure"] == "distal_amplitude_pct_lln")
    assert floor["value"] == 133.3
    assert floor["threshold"] == 20.0
    assert floor["limit"] == 6.0
    assert floor["limit_source"] == "case lab_reference (motor ulnar)"
    ids = {f["id"]: f["status"] for f in ulnar["findings"]}
    assert ids["EFNS-MMN-BLOCK-DEF"] == "met"
    assert ids["CIDP21-MOT-a"] == "not_met"
    assert [s["abnormal"] for s in electro["sensory"]] == [False, False, False, False]


def test_ncs_without_a_study_says_so(tmp_path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"format": "neuroig-case/1", "case_id": "no-ncs"}', encoding="utf-8")
    result = runner.invoke(app, ["ncs", str(path)])
    assert result.exit_code == 0
    assert "no nerve conduction study" in result.stdout


def test_amplitude_surrogate_option_labels_evidence(tmp_path) -> None:
    data = json.loads((EXAMPLES / "mmn-definite.json").read_text(encoding="utf-8"))
    for s in data["ncs"]["motor"][0]["sites"]:
        s.pop("area_mvms")
    path = tmp_path / "amp-only.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    plain = json.loads(runner.invoke(app, ["ncs", str(path), "--json"]).stdout)
    assert plain["motor"][0]["segments"][0]["block_efns_pns_2010"] == "unknown"
    surrogate = json.loads(
        runner.invoke(app, ["ncs", str(path), "--json", "--amplitude-surrogate"]).stdout
    )
    seg = surrogate["motor"][0]["segments"][0]
    assert seg["block_efns_pns_2010"] == "definite"  # amplitude 8.0 → 2.9 = 63.8 %
    assert any(e.get("surrogate") for e in seg["efns_evidence"])


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize(
    ("stem", "rows"),
    # rows = motor nerves + sensory nerves: mmn-definite 3 + 4, cidp-typical 4 + 4
    [("mmn-definite", 7), ("cidp-typical", 8)],
)
def test_ncs_plot_draws_a_heat_map_of_the_expected_size(
    tmp_path: Path, stem: str, rows: int
) -> None:
    from neuroig.report.heatmap import FOOTER_PX, HEADER_PX, ROW_PX, WIDTH_PX

    png = tmp_path / f"{stem}.png"
    result = runner.invoke(app, ["ncs", str(EXAMPLES / f"{stem}.json"), "--plot", str(png)])
    assert result.exit_code == 0, result.stderr
    # height = header 120 + footer 60 + 34 px per nerve: 7 -> 418, 8 -> 452
    assert _png_size(png) == (WIDTH_PX, HEADER_PX + FOOTER_PX + ROW_PX * rows)
    assert _png_size(png) == (1200, {7: 418, 8: 452}[rows])
    assert f"{png}" in result.stderr


def test_heat_map_rows_carry_percent_of_limit_and_the_largest_block() -> None:
    from neuroig import load_case
    from neuroig.electro import analyse
    from neuroig.report.heatmap import heatmap_rows

    electro = analyse(load_case(EXAMPLES / "mmn-definite.json"))
    assert electro is not None
    label, values = heatmap_rows(electro)[0]
    assert label == "left ulnar (motor)"
    # DML 3.0 of ULN 3.3 = 91 %; CMAP 8.0 of LLN 6.0 = 133 %; largest area reduction
    # outside the cubital tunnel: wrist -> below elbow 1 - 9.1/24.0 = 62.1 %
    assert round(values[0] or 0) == 91
    assert round(values[1] or 0) == 133
    assert values[6] is not None
    assert round(values[6], 1) == 62.1
