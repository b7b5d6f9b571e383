"""Decision T1: dosing weight policies, with the research's worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuroig.errors import InputError
from neuroig.therapy.dosing_weight import dosing_weight, ideal_body_weight_kg


@pytest.mark.parametrize(
    ("sex", "height", "weight", "ibw", "kg"),
    [
        # docs/methods/therapy.md worked examples
        ("male", 175, 100, 70.46, 82.28),
        ("female", 160, 90, 52.38, 67.43),
    ],
)
def test_bloodstar_worked_examples(
    sex: str, height: float, weight: float, ibw: float, kg: float
) -> None:
    dw = dosing_weight(weight_kg=weight, height_cm=height, sex=sex, age_years=50)
    assert (dw.ibw_kg, dw.kg, dw.policy) == (ibw, kg, "bloodstar-2026")
    assert "adjusted weight" in dw.reason


def test_bloodstar_short_patient_gets_actual_weight() -> None:
    dw = dosing_weight(weight_kg=80, height_cm=150, sex="female", age_years=50)
    assert dw.kg == 80
    assert "height under 152 cm" in dw.reason


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"age_years": 17.9}, "age under 18"),
        ({"pregnant": True}, "pregnancy"),
        ({"weight_kg": 60}, "actual is below the adjusted weight"),
    ],
)
def test_bloodstar_exclusions(kwargs: dict[str, object], reason: str) -> None:
    args: dict[str, object] = {"weight_kg": 100, "height_cm": 175, "sex": "male", "age_years": 50}
    args.update(kwargs)
    dw = dosing_weight(**args)
    assert dw.kg == args["weight_kg"]
    assert reason in dw.reason


def test_ontario_thresholds() -> None:
    # 152.4 cm is the threshold (not 152): 152.2 cm gets actual weight.
    short = dosing_weight(
        weight_kg=90, height_cm=152.2, sex="female", age_years=40, policy="ontario-igum-5"
    )
    assert short.kg == 90
    tall = dosing_weight(
        weight_kg=90, height_cm=160, sex="female", age_years=40, policy="ontario-igum-5"
    )
    assert tall.kg == 67.43
    light = dosing_weight(
        weight_kg=50, height_cm=160, sex="male", age_years=40, policy="ontario-igum-5"
    )
    assert light.kg == 50  # not above 50 kg for a male


def test_ontario_pregnancy_uses_pre_pregnancy_weight() -> None:
    dw = dosing_weight(
        weight_kg=95,
        height_cm=160,
        sex="female",
        age_years=30,
        pregnant=True,
        policy="ontario-igum-5",
        pre_pregnancy_weight_kg=90,
    )
    assert dw.kg == 67.43
    with pytest.raises(InputError, match="pre_pregnancy_weight_kg"):
        dosing_weight(
            weight_kg=95,
            height_cm=160,
            sex="female",
            age_years=30,
            pregnant=True,
            policy="ontario-igum-5",
        )


def test_actual_policy() -> None:
    dw = dosing_weight(weight_kg=100, height_cm=None, sex=None, age_years=None, policy="actual")
    assert (dw.kg, dw.ibw_kg) == (100, None)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"height_cm": None}, "patient.height_cm"),
        ({"sex": None}, "patient.sex"),
        ({"sex": "other"}, "patient.sex"),
        ({"age_years": None}, "patient.age_years"),
        ({"policy": "nhs"}, "weight_policy"),
    ],
)
def test_missing_inputs_are_clear_errors(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"weight_kg": 100, "height_cm": 175, "sex": "male", "age_years": 50}
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        dosing_weight(**args)
    assert info.value.field == field


def test_devine_ibw_at_60_inches() -> None:
    assert ideal_body_weight_kg(height_cm=60 / 0.393701, sex="male") == pytest.approx(50.0)
    assert ideal_body_weight_kg(height_cm=60 / 0.393701, sex="female") == pytest.approx(45.5)


@given(
    w=st.floats(20, 350),
    h=st.floats(152, 210),
    sex=st.sampled_from(["male", "female"]),
    extra=st.floats(0.1, 50),
)
def test_dosing_weight_is_monotone_in_actual_weight(
    w: float, h: float, sex: str, extra: float
) -> None:
    a = dosing_weight(weight_kg=w, height_cm=h, sex=sex, age_years=40)
    b = dosing_weight(weight_kg=min(w + extra, 350), height_cm=h, sex=sex, age_years=40)
    assert b.kg >= a.kg
    assert a.kg <= w + 0.005
