"""``neuroig plan`` end to end: the sheet, --json, --ics, --prices, errors and blocks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from icalendar import Calendar
from tests.conftest import EXAMPLES, example_data
from typer.testing import CliRunner

from neuroig.cli.app import app

runner = CliRunner()
WriteCase = Callable[[dict[str, Any] | str, str], Path]
MMN = str(EXAMPLES / "mmn-definite.json")
# the example: male, 180 cm, 96 kg, 46 y → IBW 74.99 kg, adjusted 83.40 kg


def invoke(*args: str) -> Any:
    return runner.invoke(app, ["plan", *args])


def test_sheet_shows_patient_weight_product_sessions_safety_cost_and_advice() -> None:
    result = invoke(MMN, "--product", "privigen", "--start", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Therapy plan — example-mmn-definite  (ivig-induction)" in out
    assert "male, 46 y, 180 cm, 96 kg, group A" in out
    assert "Dosing weight: 83.40 kg (bloodstar-2026, IBW 74.99 kg, actual 96 kg)" in out
    assert "adjusted weight = IBW 74.99 + 0.4 × (96 − 74.99)" in out
    assert "Product: Privigen (CSL Behring), 10 %, packs 5, 10, 20, 40 g" in out
    # 2 × 83.40 = 166.8 g → 165 g of packs (not above 166.8), 35/30/35/30/35
    assert "Computed 166.8 g; dispensed 165 g (rounding vials" in out
    assert "2026-12-01" in out and "20+10+5 g" in out
    # T2 (revised): rates on the lower of actual and dosing weight, 83.40 kg (BMI 29.6: no
    # risk factor): 0.005 × 83.4 × 60 = 25.0 mL/h, doubling to 400 (max 0.08 × 83.4 × 60 =
    # 400.3); 350 mL: 12.5 + 25 + 50 + 100 = 187.5 by 120 min, 162.5 at 400 = 24.4 → 2:25
    assert "25→50→100→200→400" in out
    assert "2:25" in out
    assert "WARN  SAFE-HAEMOLYSIS" in out
    assert "Cost (GBP, 34/g on issued grams): per course 5,610.00; per year n/a" in out
    assert "azathioprine" in out  # second line: MMN is met (T14)
    # T6 reads the case's criteria result: EFNS/PNS 2010 definite MMN
    assert "not recommended: MMN (definite): corticosteroids are not recommended" in out
    assert "not recommended: MMN (definite): plasma exchange is not recommended" in out
    assert "diagnosis not evaluated" not in out


def test_plan_for_the_lmn_syndrome_shows_the_simon_trial_advice() -> None:
    result = invoke(
        str(EXAMPLES / "lmn-no-block.json"), "--product", "privigen", "--start", "2026-12-01"
    )
    assert result.exit_code == 0, result.stderr
    assert "Simon" in result.stdout
    assert "3 of 31" in result.stdout or "3/31" in result.stdout


def test_json_is_neuroig_plan_1() -> None:
    result = invoke(
        MMN, "--product", "privigen", "--start", "2026-12-01", "--rounding", "nearest-5g", "--json"
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "neuroig-plan/1"
    assert doc["case_id"] == "example-mmn-definite"
    assert doc["dosing_weight"]["kg"] == 83.4
    # 166.8 → nearest 5 g = 165 g (≤ 2 g/kg); packs per session to minimise wastage (T21):
    # 35, 30, 35, 30, 35 of whole packs instead of 5 × 33 g from 35 g of packs each
    assert (doc["regimen"]["total_computed_g"], doc["regimen"]["total_dispensed_g"]) == (
        166.8,
        165.0,
    )
    assert [s["dose_g"] for s in doc["regimen"]["sessions"]] == [35.0, 30.0, 35.0, 30.0, 35.0]
    assert doc["regimen"]["total_wastage_g"] == 0.0
    assert doc["cost"]["currency"] == "GBP"


def test_ics_file_is_written(tmp_path: Path) -> None:
    ics = tmp_path / "plan.ics"
    result = invoke(
        MMN,
        "--product",
        "privigen",
        "--regimen",
        "ivig-maintenance",
        "--start",
        "2026-12-01",
        "--ics",
        str(ics),
    )
    assert result.exit_code == 0, result.stderr
    events = list(Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    # the first cycle and 8 more every 21 days within 6 months
    assert len(events) == 9
    assert f"{ics}: schedule written" in result.stderr


def test_site_price_table_and_currency(tmp_path: Path) -> None:
    prices = tmp_path / "prices.toml"
    prices.write_text(
        '[[prices]]\nregion = "DE"\ncurrency = "EUR"\nproduct = "privigen"\nroute = "iv"\n'
        'price_per_g = 50\neffective = 2026-01-01\nsource = "site contract 2026"\n'
        "verified = true\n",
        encoding="utf-8",
    )
    result = invoke(
        MMN,
        "--product",
        "privigen",
        "--regimen",
        "ivig-maintenance",
        "--start",
        "2026-12-01",
        "--prices",
        str(prices),
        "--currency",
        "EUR",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    cost = json.loads(result.stdout)["cost"]
    # 83.40 g → 80 g (1 g/kg/day cap) × €50 = €4,000 per cycle; × 365.25 / 21 = €69,571.43
    assert (cost["currency"], cost["per_course"], cost["per_year"]) == ("EUR", 4000.0, 69571.43)
    assert cost["price_source"] == "site contract 2026"


def test_missing_price_is_a_warning_not_a_silent_zero() -> None:
    result = invoke(MMN, "--product", "privigen", "--start", "2026-12-01", "--currency", "JPY")
    assert result.exit_code == 0
    assert "warning: no JPY price for privigen (iv)" in result.stdout


def test_prednisone_sheet() -> None:
    cidp = str(EXAMPLES / "cidp-typical.json")
    result = invoke(cidp, "--regimen", "prednisone", "--start", "2026-12-01")
    assert result.exit_code == 0, result.stderr
    assert "60 mg daily to the review on 2027-03-01 (taper only after it)" in result.stdout
    assert "60 mg and 50 mg on alternating days for 4 weeks" in result.stdout
    assert "Review: 2027-03-01" in result.stdout
    assert "bone protection" in result.stdout
    assert "hypertension recorded" in result.stdout


def test_prednisone_in_definite_mmn_is_blocked_with_the_override_syntax() -> None:
    result = invoke(MMN, "--regimen", "prednisone", "--start", "2026-12-01")
    assert result.exit_code == 2
    assert "PLAN BLOCKED by GATE-MMN-STEROIDS" in result.stdout
    assert "--override GATE-MMN-STEROIDS=REASON" in result.stdout
    # the blocked plan prints no taper as if it were usable
    assert "alternating days" not in result.stdout
    assert "safety.GATE-MMN-STEROIDS: block" in result.stderr


def test_bad_input_exit_2_naming_the_field() -> None:
    cases = [
        (["--product", "nope"], "product: got 'nope'"),
        (["--product", "privigen", "--days", "0"], "days: got 0"),
        (
            ["--product", "privigen", "--regimen", "ivig-maintenance", "--interval", "0"],
            "interval_days: got 0",
        ),
        (["--product", "privigen", "--start", "1 Dec"], "start: got '1 Dec'"),
        (["--product", "privigen", "--override", "SAFE-X"], "override: got 'SAFE-X'"),
        (["--product", "privigen", "--dose", "2.5"], "dose_g_per_kg: got 2.5"),
    ]
    for args, message in cases:
        result = (
            invoke(MMN, "--start", "2026-12-01", *args)
            if "--start" not in args
            else invoke(MMN, *args)
        )
        assert result.exit_code == 2, (args, result.stdout)
        assert message in result.stderr, (args, result.stderr)


def test_missing_height_names_the_field(write_case: WriteCase) -> None:
    data = example_data("mmn-definite")
    del data["patient"]["height_cm"]
    path = write_case(data, "noheight.json")
    result = invoke(str(path), "--product", "privigen", "--start", "2026-12-01")
    assert result.exit_code == 2
    assert "patient.height_cm: got None; is required by the bloodstar-2026 policy" in result.stderr
    ok = invoke(
        str(path), "--product", "privigen", "--start", "2026-12-01", "--weight-policy", "actual"
    )
    assert ok.exit_code == 0, ok.stderr


def test_block_exits_2_and_override_is_recorded(write_case: WriteCase, tmp_path: Path) -> None:
    data = example_data("mmn-definite")
    data["labs"]["egfr_ml_min"] = 24
    path = write_case(data, "renal.json")
    ics = tmp_path / "blocked.ics"
    blocked = invoke(str(path), "--product", "privigen", "--start", "2026-12-01", "--ics", str(ics))
    assert blocked.exit_code == 2
    assert "PLAN BLOCKED by SAFE-RENAL-EGFR" in blocked.stdout
    assert blocked.stderr.startswith("safety.SAFE-RENAL-EGFR: block: eGFR 24 mL/min < 30")
    assert not ics.exists()
    ok = invoke(
        str(path),
        "--product",
        "privigen",
        "--start",
        "2026-12-01",
        "--override",
        "SAFE-RENAL-EGFR=on dialysis, nephrology agrees",
        "--json",
    )
    assert ok.exit_code == 0, ok.stderr
    doc = json.loads(ok.stdout)
    assert doc["status"] == "ok"
    assert doc["overrides"] == [
        {"id": "SAFE-RENAL-EGFR", "reason": "on dialysis, nephrology agrees"}
    ]
    renal = next(f for f in doc["safety"] if f["id"] == "SAFE-RENAL-EGFR")
    assert renal["overridden"] is True


def test_invalid_case_exit_2(write_case: WriteCase) -> None:
    path = write_case({"format": "neuroig-case/1", "case_id": "x", "patient": {"weight_kg": 1}})
    result = invoke(str(path), "--product", "privigen")
    assert result.exit_code == 2
    assert "patient.weight_kg" in result.stderr
