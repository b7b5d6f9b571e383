"""Prednisone and plasma-exchange regimens (issue 5; taper steps: local decision T11)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.unit.therapy.helpers import make_case, run

from neuroig.errors import InputError


def test_prednisone_default_plan() -> None:
    p = run(regimen="prednisone")
    r = p.regimen
    assert (p.status, p.dosing_weight, p.product, p.cost) == ("ok", None, None, None)
    # T23: 60 mg daily up to the review at 3 months (2027-03-01); the taper starts there,
    # never before it (12 weeks would end 2027-02-22, before the review)
    first = r.phases[0]
    assert (first.start, first.end, first.mg, first.every) == (
        date(2026, 12, 1),
        date(2027, 2, 28),
        60.0,
        "daily",
    )
    assert r.review_date == date(2027, 3, 1)
    assert r.phases[1].start == date(2027, 3, 1)
    # gradual: the in-between day 50, 40, 30, 20, 10 mg (60 mg on the other), then 60, 50,
    # 40, 30 mg on alternate days, each for 4 weeks, then maintenance 20 mg on alternate days
    assert [(ph.mg, ph.other_day_mg) for ph in r.phases[1:]] == [
        (60.0, 50.0),
        (60.0, 40.0),
        (60.0, 30.0),
        (60.0, 20.0),
        (60.0, 10.0),
        (60.0, None),
        (50.0, None),
        (40.0, None),
        (30.0, None),
        (20.0, None),
    ]
    # maintenance from 2027-03-01 + 9 × 28 days = 2027-11-08, open-ended
    assert (r.phases[-1].start, r.phases[-1].end) == (date(2027, 11, 8), None)
    assert any("taper only if improved" in n for n in p.notes)
    assert any("a higher dose may be tried" in n for n in p.notes)
    # supportive care items (T23)
    assert [c.split(":")[0].split(" (")[0] for c in r.care] == [
        "bone protection",
        "gastric protection",
        "glucose",
        "blood pressure",
    ]
    # 60 mg on 100 kg = 0.6 mg/kg/day: no dose warning
    assert [f.id for f in p.safety] == ["SAFE-SCOPE"]


def test_prednisone_above_1_mg_per_kg_warns() -> None:
    p = run(make_case(weight_kg=55, conditions=["diabetes"]), regimen="prednisone")
    # 60 / 55 = 1.09 mg/kg/day > 1 (T23)
    (f,) = [f for f in p.safety if f.id == "PRED-DOSE-PER-KG"]
    assert (f.severity, f.applies_to) == ("warn", "regimen")
    assert "1.09 mg/kg/day" in f.text
    assert "diabetes recorded" in p.regimen.care[2]
    assert not [
        f
        for f in run(make_case(weight_kg=60), regimen="prednisone").safety
        if f.id == "PRED-DOSE-PER-KG"
    ]  # 60 / 60 = 1.0, not above


def test_prednisone_80_mg_with_15_mg_steps() -> None:
    p = run(regimen="prednisone", prednisone_mg_per_day=80, taper_step_mg=15)
    # 80 daily; in-between day 65, 50, 35, 20, 5; then 80, 65, 50, 35 on alternate days,
    # then 35 − 15 = 20 (the maintenance)
    assert [(ph.mg, ph.other_day_mg) for ph in p.regimen.phases] == [
        (80, None),
        (80, 65),
        (80, 50),
        (80, 35),
        (80, 20),
        (80, 5),
        (80, None),
        (65, None),
        (50, None),
        (35, None),
        (20, None),
    ]
    assert p.warnings == ()


def test_prednisone_outside_the_regimen_range_warns() -> None:
    p = run(regimen="prednisone", prednisone_mg_per_day=40, prednisone_weeks=6)
    assert any("outside the regimen's 60-80 mg/day" in w for w in p.warnings)
    assert any("outside the regimen's 2-3 months" in w for w in p.warnings)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"prednisone_mg_per_day": 0}, "prednisone_mg_per_day"),
        ({"prednisone_mg_per_day": 150}, "prednisone_mg_per_day"),
        ({"prednisone_weeks": 0}, "prednisone_weeks"),
        ({"prednisone_mg_per_day": 60, "maintenance_mg_alternate_days": 70}, None),
    ],
)
def test_prednisone_bad_input(kwargs: dict[str, float], field: str | None) -> None:
    with pytest.raises(InputError) as info:
        run(regimen="prednisone", **kwargs)
    assert info.value.field == (field or "maintenance_mg_alternate_days")


def test_plasma_exchange_default_course() -> None:
    p = run(regimen="plasma-exchange")
    # 10 exchanges over 28 days, every 2.8 days rounded: offsets 0 3 6 8 11 14 17 20 22 25
    offsets = [(s.date - date(2026, 12, 1)).days for s in p.regimen.sessions]
    assert offsets == [0, 3, 6, 8, 11, 14, 17, 20, 22, 25]
    assert p.regimen.sessions[0].label == "exchange 1 of 10"
    assert any("8 of 12" in n for n in p.notes)


def test_plasma_exchange_six_over_three_weeks() -> None:
    p = run(regimen="plasma-exchange", exchanges=6, exchange_weeks=3)
    # 21 / 6 = 3.5 days: 0, 3.5 → 4, 7, 10.5 → 11, 14, 17.5 → 18
    assert [(s.date - date(2026, 12, 1)).days for s in p.regimen.sessions] == [
        0,
        4,
        7,
        11,
        14,
        18,
    ]


def test_plasma_exchange_more_exchanges_than_days_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        run(regimen="plasma-exchange", exchanges=10, exchange_weeks=1)
    assert info.value.field == "exchanges"


def test_non_ig_regimens_need_no_weight() -> None:
    case = make_case(weight_kg=None, height_cm=None)
    assert run(case, regimen="prednisone").status == "ok"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"product": "privigen"}, "product"),
        ({"dose_g_per_kg": 1.0}, "dose_g_per_kg"),
        ({"days": 2}, "days"),
        ({"interval_days": 21}, "interval_days"),
    ],
)
def test_ig_options_on_a_non_ig_regimen_are_errors(kwargs: dict[str, object], field: str) -> None:
    for regimen in ("prednisone", "plasma-exchange"):
        with pytest.raises(InputError) as info:
            run(regimen=regimen, **kwargs)
        assert info.value.field == field
