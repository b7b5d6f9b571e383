"""The CLI's defaults come from the settings (NEUROIG_* variables), explicit options win."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.cli.app import app
from neuroig.settings import get_settings

runner = CliRunner()
CASE = str(EXAMPLES / "mmn-definite.json")  # male, 180 cm, 96 kg: IBW 74.99 kg
PLAN = ["plan", CASE, "--product", "privigen", "--start", "2026-12-01", "--json"]


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _dosing_weight(env: dict[str, str], *extra: str) -> float:
    result = runner.invoke(app, [*PLAN, *extra], env=env)
    assert result.exit_code == 0, result.stderr
    return float(json.loads(result.stdout)["dosing_weight"]["kg"])


def test_weight_policy_and_currency_follow_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    # default bloodstar-2026: 74.99 + 0.4 x (96 - 74.99) = 83.40 kg
    assert _dosing_weight({}) == pytest.approx(83.40, abs=0.01)
    monkeypatch.setenv("NEUROIG_WEIGHT_POLICY", "actual")
    get_settings.cache_clear()
    assert _dosing_weight({}) == pytest.approx(96.0)
    # an explicit option wins over the setting
    assert _dosing_weight({}, "--weight-policy", "bloodstar-2026") == pytest.approx(83.40, abs=0.01)


def test_a_bad_setting_is_an_input_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEUROIG_WEIGHT_POLICY", "heaviest")
    result = runner.invoke(app, PLAN)
    assert result.exit_code == 2
    assert "NEUROIG_WEIGHT_POLICY" in result.stderr and "heaviest" in result.stderr
