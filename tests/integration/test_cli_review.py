"""``neuroig review``: text, --json (neuroig-review/1), --plot, options and exit codes."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES, example_data
from typer.testing import CliRunner

from neuroig.cli.app import app

runner = CliRunner()
WriteCase = Callable[[dict[str, Any] | str, str], Path]

MMN = str(EXAMPLES / "mmn-declining-response.json")
TAPER = str(EXAMPLES / "cidp-stable-taper-due.json")


def test_text_review_leads_with_a_summary_then_one_section_per_question() -> None:
    result = runner.invoke(app, ["review", MMN])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    sections = [
        "Summary",
        "Response per course (M2, M7, M8)",
        "Wear-off (M3)",
        "Dose intensity and declining response (M4)",
        "Axonal loss (M6)",
        "CDAS (Gorson 2010)",
        "Cumulative immunoglobulin",
        "Suggestions",
    ]
    positions = [out.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "Declining response: detected" in out
    assert "axonal loss likely" in out
    # the criteria result is read: definite MMN, so the MMN per-muscle MCID applies (M1)
    assert "Diagnosis: MMN (EFNS/PNS 2010): definite" in out
    assert "MMN per-muscle MCID applies" in out
    assert "Next review due: 2023-12-03" in out


def test_json_review_is_neuroig_review_1() -> None:
    result = runner.invoke(app, ["review", TAPER, "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "neuroig-review/1"
    assert doc["case_id"] == "example-cidp-stable-taper-due"
    assert doc["next_review_due"] == "2025-07-10"
    assert doc["taper"]["suggested"] is True
    assert doc["diagnosis"] == {
        "evaluated": True,
        "mmn": False,
        "note": "MMN (EFNS/PNS 2010): not fulfilled; CIDP (EAN/PNS 2021): CIDP, typical",
    }
    assert [s["id"] for s in doc["suggestions"]] == ["REVIEW-TAPER", "REVIEW-DUE"]


def test_plot_writes_a_png_of_the_expected_size(tmp_path: Path) -> None:
    out = tmp_path / "mmn.png"
    result = runner.invoke(app, ["review", MMN, "--plot", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)  # the chart message goes to stderr, stdout stays JSON
    assert "chart written to" in result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # MRC sum, grip, dose intensity, serial NCS amplitude and velocity: 5 panels
    # → 1200 × (100 + 5 × 300) = 1200 × 1600
    assert struct.unpack(">II", data[16:24]) == (1200, 1600)


def test_on_reviews_the_case_as_it_stood_then() -> None:
    result = runner.invoke(app, ["review", TAPER, "--json", "--on", "2023-06-01"])
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2023-06-01"
    assert doc["next_review_due"] == "2023-07-10"
    assert doc["cumulative"]["last"] <= "2023-06-01"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--on", "01/06/2023"], "--on: got '01/06/2023'; must be an ISO date YYYY-MM-DD"),
        (["--weight-policy", "ideal"], "--weight-policy: got 'ideal'"),
        (["--simon-course", "5"], "simon_course: got 5; must index a treatment course"),
    ],
)
def test_bad_options_exit_2_with_the_field_named(args: list[str], fragment: str) -> None:
    result = runner.invoke(app, ["review", TAPER, *args])
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_a_bad_price_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "prices.toml"
    bad.write_text("[[prices]]\nregion = 1\n", encoding="utf-8")
    result = runner.invoke(app, ["review", TAPER, "--prices", str(bad)])
    assert result.exit_code == 2
    assert "--prices" in result.stderr


def test_currency_and_site_prices_change_the_cost(tmp_path: Path) -> None:
    table = tmp_path / "prices.toml"
    table.write_text(
        '[[prices]]\nregion = "X"\ncurrency = "CHF"\nprice_per_g = 10\neffective = "2000-01-01"\n'
        'source = "site"\nverified = true\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["review", TAPER, "--json", "--currency", "chf", "--prices", str(table)]
    )
    doc = json.loads(result.stdout)
    assert (doc["cumulative"]["currency"], doc["cumulative"]["cost"]) == (
        "CHF",
        45650.0,
    )  # 4565 g × 10


def test_simon_replay_can_be_requested_from_the_command_line(write_case: WriteCase) -> None:
    data = example_data("cidp-ivig-non-responder")
    result = runner.invoke(
        app, ["review", str(write_case(data, "c.json")), "--json", "--simon-course", "0"]
    )
    assert result.exit_code == 0, result.stderr
    simon = json.loads(result.stdout)["simon_2013"]
    assert simon["requested"] is True
    assert simon["definition_verified"] is False
    # the case records a Kleyweg sum (56 → 55) and no symptom score: no MCID gain → non-responder
    assert simon["response"] == "non_responder"


def test_invalid_case_exits_2(write_case: WriteCase) -> None:
    path = write_case('{"format": "neuroig-case/1"}', "bad.json")
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 2
    assert "case_id" in result.stderr


def test_a_case_with_nothing_dated_exits_2(write_case: WriteCase) -> None:
    path = write_case({"format": "neuroig-case/1", "case_id": "empty"}, "e.json")
    result = runner.invoke(app, ["review", str(path)])
    assert result.exit_code == 2
    assert "as_of: got None" in result.stderr


def test_review_of_the_lmn_case_replays_simon_2013_from_the_criteria_result() -> None:
    from tests.conftest import EXAMPLES

    result = runner.invoke(app, ["review", str(EXAMPLES / "lmn-no-block.json")])
    assert result.exit_code == 0, result.stderr
    assert "progressive LMN syndrome without conduction block" in result.stdout
    assert "Simon 2013 replay" in result.stdout


@pytest.mark.parametrize("on", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_review_date_that_breaks_the_arithmetic_exits_2_with_a_sentence(on: str) -> None:
    result = runner.invoke(app, ["review", MMN, "--on", on])
    assert result.exit_code == 2
    assert f"--on: got '{on}'; must be a date from 1900-01-01 to today" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_core_refuses_a_review_date_outside_its_calendar() -> None:
    from neuroig import load_case
    from neuroig.errors import InputError
    from neuroig.monitoring.review import review

    with pytest.raises(InputError, match="as_of: got '0001-01-01'"):
        review(load_case(MMN), as_of=date(1, 1, 1))


@pytest.mark.parametrize("columns", ["80", "160"])
def test_no_clinical_value_is_cut_at_the_terminal_width(columns: str) -> None:
    result = runner.invoke(app, ["review", MMN], env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "…" not in out
    for whole in (
        "Grip left, Vigorimeter (kPa)",
        "left ulnar (abductor_digiti_minimi)",
        "-60.3 %",
        "2022-06-13",
        "383,520.00",
        "axonal loss likely",
    ):
        assert whole in out, whole
    # tables fit the width (plain lines may be longer: the terminal wraps them whole)
    for line in out.splitlines():
        if "│" in line or "┃" in line:
            assert len(line) <= int(columns), line


def test_the_12_week_means_quoted_by_m4_are_rows_of_a_table() -> None:
    result = runner.invoke(app, ["review", MMN], env={"COLUMNS": "160"})
    rows = [ln for ln in result.stdout.splitlines() if "quoted by M4" in ln]
    # declining response: 0.88 → 1.23 g/kg per 28 days, 2018-09-27 → 2020-03-13
    assert [r.split("│")[0].strip() for r in rows] == ["2018-09-27", "2020-03-13"]
    assert [r.split("│")[1].strip() for r in rows] == ["0.88", "1.23"]
    assert "(0.88 → 1.23 g/kg per 28 days, 2018-09-27 → 2020-03-13)" in result.stdout


def test_infusions_and_doses_are_reconciled() -> None:
    result = runner.invoke(app, ["review", MMN])
    # the 4-day induction (2013-06-03 → 06-06) is one dose: 157 − 3 = 154
    assert "157 infusions make 154 doses" in result.stdout
    assert "2013-06-03→2013-06-06: 4 infusions, 160 g" in result.stdout
    assert "154 dose(s)" in result.stdout


def test_help_shows_flags_as_flags_and_examples() -> None:
    result = runner.invoke(app, ["review", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    out = result.stdout
    assert "Examples" in out
    assert "neuroig review case.json --on 2024-06-30 --json" in out
    (json_line,) = [ln for ln in out.splitlines() if "--json" in ln and "Print" in ln]
    assert "<bool>" not in json_line
    (on_line,) = [ln for ln in out.splitlines() if "--on " in ln and "│" in ln]
    assert "DATE" in on_line


def test_case_strings_are_escaped_in_text_and_chart(write_case: WriteCase, tmp_path: Path) -> None:
    data = example_data("mmn-declining-response")
    # control characters in case_id are refused at the boundary (P15): markup and mathtext
    data["case_id"] = "$\\frac{1}{$ [bold]x[/bold][31m"
    png = tmp_path / "c.png"
    result = runner.invoke(app, ["review", str(write_case(data, "c.json")), "--plot", str(png)])
    assert result.exit_code == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("$\\frac{1}{$ [bold]x[/bold][31m — review as of 2023-11-13")
    assert "\x1b" not in result.stdout
    data_png = png.read_bytes()
    assert struct.unpack(">II", data_png[16:24]) == (1200, 1600)


def test_relapse_after_withdrawal_reads_as_ig_dependence_end_to_end(write_case: WriteCase) -> None:
    from tests.clinical.test_review_scenarios import _withdrawal

    path = write_case(_withdrawal({"values": (2, 41, 43, 47)}), "w.json")
    text = runner.invoke(app, ["review", str(path)], env={"COLUMNS": "160"})
    assert text.exit_code == 0, text.stderr
    assert "responder (immunoglobulin-dependent: relapse after withdrawal, M7)" in text.stdout
    assert "[WARN REVIEW-RESTART]" in text.stdout
    assert "REVIEW-NON-RESPONDER" not in text.stdout
    doc = json.loads(runner.invoke(app, ["review", str(path), "--json"]).stdout)
    (course,) = doc["courses"]
    assert (course["response"], course["computed_response"], course["ig_dependent"]) == (
        "responder",
        "responder",
        True,
    )
    assert (course["on_treatment_to"], course["stopped"]) == ("2026-02-09", True)
    assert [x["measure"] for x in course["relapse_after_withdrawal"]] == [
        "grip_kpa_left",
        "grip_kpa_right",
        "incat_adjusted",
        "irods_centile",
    ]
    restart = next(s for s in doc["suggestions"] if s["id"] == "REVIEW-RESTART")
    assert restart["severity"] == "warn"


def test_the_diagnosis_line_speaks_words_not_python_values() -> None:
    result = runner.invoke(app, ["review", str(EXAMPLES / "mmn-declining-response.json")])
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "Diagnosis:" in x)
    assert "CIDP (EAN/PNS 2021): not fulfilled" in line and "_" not in line
