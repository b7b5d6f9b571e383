"""The public API: ``neuroig.plan_case`` and ``neuroig.review_case`` beside ``evaluate``.

Each does what the CLI command does, so the JSON of the function's result equals the
command's ``--json`` output for the same options.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from tests.conftest import EXAMPLES, example_data
from typer.testing import CliRunner

import neuroig
from neuroig.cli.app import app
from neuroig.services import usecases

runner = CliRunner()
MMN = EXAMPLES / "mmn-definite.json"
DECLINING = EXAMPLES / "mmn-declining-response.json"


def _cli_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _cli_bytes(*args: str) -> bytes:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def test_public_names_are_exported() -> None:
    for name in ("load_case", "evaluate", "plan_case", "review_case", "plan_to_dict"):
        assert name in neuroig.__all__
        assert callable(getattr(neuroig, name))


def test_plan_case_from_a_path_matches_the_cli() -> None:
    plan = neuroig.plan_case(str(MMN), product="privigen", start=date(2026, 12, 1))
    # 96 kg, 180 cm male → IBW 74.99 kg, adjusted 74.99 + 0.4 × (96 − 74.99) = 83.40 kg;
    # 2 g/kg × 83.40 = 166.8 g → 165 g of whole packs
    assert plan.status == "ok"
    assert plan.dosing_weight is not None
    assert plan.dosing_weight.kg == pytest.approx(83.40, abs=0.005)
    assert plan.regimen.total_dispensed_g == 165
    expected = _cli_bytes("plan", str(MMN), "--product", "privigen", "--start", "2026-12-01")
    stamp = neuroig.input_sha256(neuroig.load_case(MMN))
    document = neuroig.plan_document(plan, input_sha256=stamp)
    assert neuroig.to_json(document, indent=True) + b"\n" == expected


def test_plan_case_from_a_loaded_case_is_blocked_by_a_safety_finding() -> None:
    data = example_data("mmn-definite")
    data["labs"]["egfr_ml_min"] = 24  # < 30 mL/min: SAFE-RENAL-EGFR blocks
    case = neuroig.parse_case(json.dumps(data))
    plan = neuroig.plan_case(case, product="privigen", start=date(2026, 12, 1))
    assert plan.status == "blocked"
    assert plan.blocked_by == ("SAFE-RENAL-EGFR",)


def test_plan_case_rejects_an_unknown_option_by_name() -> None:
    with pytest.raises(neuroig.InputError) as info:
        neuroig.plan_case(str(MMN), start=date(2026, 12, 1), prodcut="privigen")
    assert info.value.field == "prodcut"
    assert "allowed: start, regimen, product" in info.value.allowed


def test_the_shell_variant_starts_today_and_reads_a_price_file(tmp_path: Any) -> None:
    # the core never reads the clock: neuroig.plan_case needs start; the shell's
    # variant (what the CLI uses) defaults it to today, like `neuroig plan`
    with pytest.raises(TypeError):
        neuroig.plan_case(str(MMN), product="privigen")
    today = datetime.now(UTC).date()
    plan = usecases.plan_case(MMN, product="privigen")
    assert plan.regimen.sessions[0].date in {today, today + timedelta(days=1)}
    missing = tmp_path / "none.toml"
    with pytest.raises(neuroig.InputError) as info:
        usecases.plan_case(MMN, product="privigen", prices=missing)
    assert info.value.field == "--prices"
    review = usecases.review_case(DECLINING)
    assert neuroig.review_to_json(review) == neuroig.review_to_json(neuroig.review_case(DECLINING))


def test_plan_case_reports_an_invalid_option_value() -> None:
    with pytest.raises(neuroig.InputError) as info:
        neuroig.plan_case(str(MMN), regimen="ivig-forever", start=date(2026, 12, 1))
    assert info.value.field == "regimen"


def test_review_case_matches_the_cli() -> None:
    review = neuroig.review_case(DECLINING)
    expected = _cli_json("review", str(DECLINING))
    stamp = neuroig.input_sha256(neuroig.load_case(DECLINING))
    document = neuroig.review_document(review, input_sha256=stamp)
    assert neuroig.to_json(document, indent=True) + b"\n" == _cli_bytes("review", str(DECLINING))
    assert review.as_of == date.fromisoformat(expected["as_of"])


def test_review_case_as_of_ignores_later_records() -> None:
    full = neuroig.review_case(DECLINING)
    earlier = neuroig.review_case(DECLINING, as_of=date(2020, 1, 1))
    assert earlier.as_of == date(2020, 1, 1)
    assert earlier.as_of < full.as_of


def test_invalid_case_file_raises_case_validation_error(tmp_path: Any) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "neuroig-case/1", "case_id": ""}), encoding="utf-8")
    with pytest.raises(neuroig.CaseValidationError):
        neuroig.review_case(path)
