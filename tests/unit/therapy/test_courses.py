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
    # 60 mg daily for 12 weeks from 2026-12-01: 84 days → last day 2027-02-22
    first = r.phases[0]
    assert (first.start, first.end, first.mg, first.every) == (
        date(2026, 12, 1),
        date(2027, 2, 22),
        60.0,
        "daily",
    )
    # then alternate days: 60, 50, 40, 30 mg for 4 weeks each (28 days), maintenance 20 mg
    assert [(ph.mg, ph.every) for ph in r.phases[1:]] == [
        (60.0, "alternate days"),
        (50.0, "alternate days"),
        (40.0, "alternate days"),
        (30.0, "alternate days"),
        (20.0, "alternate days"),
    ]
    assert r.phases[1].start == date(2027, 2, 23)
    # maintenance from 2027-02-23 + 4 × 28 days = 2027-06-15, open-ended
    assert (r.phases[-1].start, r.phases[-1].end) == (date(2027, 6, 15), None)
    # review at 3 months
    assert r.review_date == date(2027, 3, 1)
    assert any("taper only if improved" in n for n in p.notes)
    assert [f.id for f in p.safety] == ["SAFE-SCOPE"]


def test_prednisone_80_mg_with_15_mg_steps() -> None:
    p = run(regimen="prednisone", prednisone_mg_per_day=80, taper_step_mg=15)
    # 80 daily, then 80, 65, 50, 35 on alternate days, then 35 − 15 = 20 (the maintenance)
    assert [ph.mg for ph in p.regimen.phases] == [80, 80, 65, 50, 35, 20]
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
