"""Bad input gets a clear error naming the field; nothing is silently defaulted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.unit.therapy.helpers import infusion, make_case, opts, run

from neuroig.errors import InputError
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.plan import plan
from neuroig.therapy.rates import RateSchedule


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"regimen": "ivig"}, "regimen"),
        ({"rounding": "up"}, "rounding"),
        ({"weight_policy": "nhs"}, "weight_policy"),
        ({"days": 0}, "days"),
        ({"interval_days": 0}, "interval_days"),
        ({"interval_days": 400}, "interval_days"),
        ({"dose_g_per_kg": 0}, "dose_g_per_kg"),
        ({"dose_g_per_kg": -1}, "dose_g_per_kg"),
        ({"dose_g_per_kg": float("nan")}, "dose_g_per_kg"),
        ({"dose_g_per_kg": 6}, "dose_g_per_kg"),
        ({"days": 2.5}, "days"),
        ({"days": True}, "days"),
        ({"authorised_max_g": 0}, "authorised_max_g"),
        ({"currency": "pounds"}, "currency"),
        ({"horizon_months": 0}, "horizon_months"),
        ({"egfr_block_below": 70}, "egfr_block_below"),
        ({"exchanges": 0}, "exchanges"),
    ],
)
def test_bad_options_name_the_field(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        opts(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"hold_min": -1}, "rate_schedule.hold_min"),
        ({"step_min": 0}, "rate_schedule.step_min"),
        ({"factor": 1.0}, "rate_schedule.factor"),
    ],
)
def test_bad_rate_schedule(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InputError) as info:
        RateSchedule(**kwargs)
    assert info.value.field == field


def test_start_must_be_a_date() -> None:
    with pytest.raises(InputError) as info:
        PlanOptions(start="2026-12-01")
    assert info.value.field == "start"


def test_unknown_product_lists_the_catalogue() -> None:
    with pytest.raises(InputError) as info:
        run(product="privigenn")
    assert info.value.field == "product"
    assert "privigen" in info.value.allowed and "hizentra" in info.value.allowed


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"days": 1}, "days"),  # induction over 1 day
        ({"days": 6}, "days"),
        ({"regimen": "ivig-maintenance", "days": 6}, "days"),
        ({"regimen": "ivig-maintenance", "days": 3, "interval_days": 2}, "interval_days"),
    ],
)
def test_regimen_day_rules(kwargs: dict[str, Any], field: str) -> None:
    kwargs.setdefault("product", "privigen")
    with pytest.raises(InputError) as info:
        run(**kwargs)
    assert info.value.field == field


def test_sc_product_for_an_iv_regimen_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        run(product="hizentra", regimen="ivig-induction")
    assert info.value.field == "product"
    assert "not given by the IV route" in str(info.value)


def test_missing_height_with_a_policy_that_needs_it() -> None:
    with pytest.raises(InputError) as info:
        run(make_case(height_cm=None), product="privigen")
    assert info.value.field == "patient.height_cm"
    # the actual-weight policy does not need it
    p = run(make_case(height_cm=None), product="privigen", weight_policy="actual")
    assert p.dosing_weight is not None and p.dosing_weight.kg == 100


def test_missing_weight_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        run(make_case(weight_kg=None), product="privigen")
    assert info.value.field == "patient.weight_kg"


def test_missing_product_without_history_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        run()
    assert info.value.field == "product"


def test_product_and_regimen_defaults_are_noted() -> None:
    case = make_case(infusions=[infusion("2026-11-10", "gamunex_c")])
    p = plan(case, PlanOptions(start=date(2026, 12, 1)))
    assert p.regimen.kind == "ivig-maintenance"
    assert p.product is not None and p.product.id == "gamunex_c"
    assert any("regimen ivig-maintenance: the case records IV infusions" in n for n in p.notes)
    assert any("product gamunex_c: from the last IV infusion on 2026-11-10" in n for n in p.notes)


def test_vials_rounding_without_pack_sizes_plans_the_exact_dose() -> None:
    v = run(product="intratect_5")
    assert v.regimen.total_dispensed_g == 164.56  # 2 g/kg × 82.28, not rounded
    assert any("rounding 'vials' is not possible" in w for w in v.warnings)
    p = run(product="intratect_5", rounding="none")
    assert p.regimen.sessions[0].packs is None
    assert any("no pack sizes on file for intratect_5" in w for w in p.warnings)
    assert p.cost is not None and p.cost.grams_basis == "dose"


def test_gammagard_sd_is_planned_on_its_assumed_concentration() -> None:
    # T19: the low-IgA product must be plannable; 5 % is assumed (unverified) and said so
    p = run(product="gammagard_sd", rounding="none")
    assert p.regimen.sessions[0].volume_ml == 658.4  # 32.92 g × 100 / 5
    assert any("unverified catalogue values used (concentration" in w for w in p.warnings)


def test_scig_conversion_needs_both_ivig_options() -> None:
    with pytest.raises(InputError) as info:
        run(regimen="scig", product="hizentra", ivig_dose_g_per_kg=1.0)
    assert info.value.field == "ivig_interval_days"
    p = run(regimen="scig", product="hizentra", ivig_dose_g_per_kg=1.0, ivig_interval_days=28)
    # 1 g/kg every 28 days = 0.25 g/kg/week
    assert p.regimen.weekly_g_per_kg == 0.25


def test_scig_conversion_from_a_course_without_interval_names_the_field() -> None:
    case = make_case(
        treatments=[{"therapy": "ivig", "start": "2026-01-05", "regimen": {"dose_g_per_kg": 1.0}}]
    )
    with pytest.raises(InputError) as info:
        run(case, regimen="scig", product="hizentra")
    assert info.value.field == "treatments[0].regimen.interval_days"


def test_hyqvia_with_a_weekly_dose_needs_an_interval() -> None:
    with pytest.raises(InputError) as info:
        run(regimen="scig", product="hyqvia", dose_g_per_kg=0.3)
    assert info.value.field == "interval_days"


def test_duplicate_override_is_an_error() -> None:
    from neuroig.therapy.options import Override

    with pytest.raises(InputError, match="once"):
        opts(overrides=(Override("SAFE-PROLINE", "a"), Override("SAFE-PROLINE", "b")))


def test_override_id_shape() -> None:
    from neuroig.therapy.options import Override

    with pytest.raises(InputError) as info:
        Override("renal", "reason")
    assert info.value.field == "override.id"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"interval_days": 21}, "interval_days"),
        ({"ivig_dose_g_per_kg": 1.0, "ivig_interval_days": 21}, "ivig_dose_g_per_kg"),
        ({"regimen": "ivig-maintenance", "ivig_interval_days": 21}, "ivig_interval_days"),
    ],
)
def test_options_that_do_not_apply_are_errors(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InputError) as info:
        run(product="privigen", **kwargs)
    assert info.value.field == field
    assert "does not apply" in str(info.value)
