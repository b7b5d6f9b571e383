"""The planner reads its clinical numbers from data/therapy.toml, not from code.

Each test changes one row (through the loader's own mapping) and shows the plan follow
it; the shipped values are checked against their decision text.
"""

from __future__ import annotations

from types import MappingProxyType

import pytest
from tests.unit.therapy.helpers import make_case, opts, run

from neuroig.errors import DoseLimitError
from neuroig.record import replace
from neuroig.therapy import params as params_module
from neuroig.therapy.params import param, param_int, param_list, param_text, param_value


def _with(monkeypatch: pytest.MonkeyPatch, **values: float | tuple[float, ...] | str) -> None:
    real = params_module.params()
    changed = dict(real)
    for key, value in values.items():
        row_id = key.replace("_", "-")
        changed[row_id] = replace(real[row_id], value=value)
    frozen = MappingProxyType(changed)
    monkeypatch.setattr(params_module, "params", lambda: frozen)


def test_the_shipped_values_are_those_of_the_decisions() -> None:
    # T4: <= 1 g/kg/day, <= 2 g/kg per course; induction 2 g/kg over 5 days (2-5);
    # maintenance 1 g/kg every 21 days
    assert (param_value("DOSE-DAY-MAX"), param_value("DOSE-COURSE-MAX")) == (1.0, 2.0)
    assert param_value("IVIG-INDUCTION-G-PER-KG") == 2.0
    assert param_int("IVIG-INDUCTION-DAYS") == 5
    assert param_list("IVIG-INDUCTION-DAYS-RANGE") == (2.0, 5.0)
    assert param_value("IVIG-MAINTENANCE-G-PER-KG") == 1.0
    assert param_int("IVIG-MAINTENANCE-INTERVAL-DAYS") == 21
    # T7 eGFR 30/60, T10 ACIP 8/10/11 months, T23 prednisone 60 mg, T8 GBP
    assert (param_value("EGFR-BLOCK-BELOW"), param_value("EGFR-WARN-BELOW")) == (30.0, 60.0)
    assert param_list("LIVE-VACCINE-MONTHS") == (8.0, 10.0, 11.0)
    assert param_value("PRED-MG-PER-DAY") == 60.0
    assert param_text("DEFAULT-CURRENCY") == "GBP"
    assert param_value("SC-LOW-WEIGHT-KG") == 40.0
    row = param("DOSE-DAY-MAX")
    assert row.verified and row.decision == "T4" and "ontarioIgum5" in row.keys
    assert "Ontario maximum of 1 g/kg/day" in row.source


def test_the_defaults_of_the_options_come_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    _with(monkeypatch, DEFAULT_CURRENCY="EUR", EGFR_BLOCK_BELOW=25.0, PRED_MG_PER_DAY=70.0)
    o = opts()
    assert (o.currency, o.egfr_block_below, o.prednisone_mg_per_day) == ("EUR", 25.0, 70.0)


def test_the_per_day_limit_is_read_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2 g/kg over 5 days is 0.4 g/kg/day: within 1.0, above a limit of 0.3
    assert run(product="privigen", regimen="ivig-induction").status == "ok"
    _with(monkeypatch, DOSE_DAY_MAX=0.3)
    with pytest.raises(DoseLimitError) as err:
        run(product="privigen", regimen="ivig-induction")
    assert err.value.field == "days" and "≤ 0.3 g/kg" in err.value.allowed


def test_the_induction_default_is_read_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # dosing weight 82.28 kg (make_case): 2 g/kg → 164.56 g; 1.5 g/kg → 123.42 g
    assert (
        run(product="privigen", regimen="ivig-induction", rounding="none").regimen.total_computed_g
        == 164.56
    )
    _with(monkeypatch, IVIG_INDUCTION_G_PER_KG=1.5)
    p = run(product="privigen", regimen="ivig-induction", rounding="none")
    assert p.regimen.total_computed_g == 123.42
    assert p.regimen.dose_basis == "default 1.5 g/kg per course (T4)"


def test_the_live_vaccine_months_are_read_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    _with(monkeypatch, LIVE_VACCINE_MONTHS=(7.0, 9.0, 12.0))
    p = run(make_case(), product="privigen", regimen="ivig-induction")
    (f,) = [f for f in p.safety if f.id == "SAFE-LIVE-VACCINES"]
    assert "defer them 12 months" in f.text  # 2 g/kg is above the last band (1 g/kg)
