"""Pack arithmetic (T3) and rate steps (T2, T9) in isolation, with hand arithmetic."""

from __future__ import annotations

import pytest

from neuroig.reference.products import product
from neuroig.therapy.packs import PackCount, pack_set
from neuroig.therapy.rates import RateSchedule, RateStep, duration_min, floor_rate, iv_ramp, sc_ramp

PRIVIGEN = pack_set((5.0, 10.0, 20.0, 40.0))
GAMUNEX = pack_set((1.0, 2.5, 5.0, 10.0, 20.0, 40.0))


def test_unit_is_the_gcd_of_the_packs() -> None:
    assert PRIVIGEN.unit_cg == 500  # 5 g
    assert GAMUNEX.unit_cg == 50  # 0.5 g (1 and 2.5)
    assert pack_set((0.99, 1.65)).unit_cg == 33


def test_reachable_totals() -> None:
    assert PRIVIGEN.reachable(35) and not PRIVIGEN.reachable(33)
    # 1 and 2.5 g packs reach 2, 2.5, 3, 3.5 … but not 1.5 g
    assert GAMUNEX.reachable(3.5) and not GAMUNEX.reachable(1.5)
    assert GAMUNEX.max_packs(3.5) == 2  # 2.5 + 1
    assert GAMUNEX.max_packs(1.5) == -1


def test_fewest_packs_prefers_large_packs() -> None:
    assert PRIVIGEN.fewest_packs(75) == (
        PackCount(40.0, 1),
        PackCount(20.0, 1),
        PackCount(10.0, 1),
        PackCount(5.0, 1),
    )
    # 27 g of Gamunex: 20 + 5 + 1 + 1 (4 packs; no 3-pack combination makes 27)
    assert GAMUNEX.fewest_packs(27) == (PackCount(20.0, 1), PackCount(5.0, 1), PackCount(1.0, 2))
    with pytest.raises(ValueError, match="cannot be made up"):
        PRIVIGEN.fewest_packs(33)


def test_closest_total_ties_to_the_lower() -> None:
    # 32.5 is 2.5 from both 30 and 35 → 30
    assert PRIVIGEN.candidates(32.5, cap_g=None)[0] == 30.0
    assert PRIVIGEN.candidates(32.6, cap_g=None)[0] == 35.0
    # never above the cap: 34.9 capped at 34 → 30
    assert PRIVIGEN.candidates(34.9, cap_g=34)[0] == 30.0


def test_covering_total() -> None:
    assert PRIVIGEN.covering(33) == 35.0
    assert PRIVIGEN.covering(35) == 35.0
    assert GAMUNEX.covering(1.2) == 2.0


def test_split_is_balanced_and_respects_the_day_cap() -> None:
    assert PRIVIGEN.split(160, 5, cap_g=None) == [30.0, 30.0, 35.0, 30.0, 35.0]
    assert PRIVIGEN.split(80, 2, cap_g=None) == [40.0, 40.0]
    # 164.5 g of Panzyga-sized packs in 2 days with ≤ 82.28 g a day: 82 + 82.5 breaks the cap
    panzyga = pack_set((1.0, 2.5, 5.0, 10.0, 20.0, 30.0))
    assert panzyga.split(164.5, 2, cap_g=82.28) is None
    assert panzyga.split(164.0, 2, cap_g=82.28) == [82.0, 82.0]
    # a single 40 g pack cannot be split over two days
    assert pack_set((40.0,)).split(40, 2, cap_g=None) is None


def test_pack_sizes_must_be_positive() -> None:
    with pytest.raises(ValueError, match="> 0"):
        pack_set((0.0, 5.0))


def test_floor_rate_never_rounds_up() -> None:
    assert floor_rate(24.69) == 24.6
    assert floor_rate(0.5 / 60 * 100 * 60) == 50.0  # float noise below 50 is not a step down


def test_duration_integrates_the_steps() -> None:
    steps = [RateStep(0, 30), RateStep(30, 60), RateStep(60, 120)]
    # 15 mL in 30 min, 30 mL in the next 30, then 120 mL/h: 100 mL → 55 mL more = 27.5 min
    used, minutes = duration_min(steps, 100)
    assert (minutes, used) == (88, steps)
    # 10 mL finishes in the first step: 20 min
    assert duration_min(steps, 10) == ([RateStep(0, 30)], 20)


def test_iv_ramp_privigen_on_82_3_kg_matches_the_research_example() -> None:
    # docs/methods/therapy.md: Privigen on 82.3 kg: start ≈ 24.7 mL/h, max ≈ 395 mL/h
    # 0.005 × 82.3 × 60 = 24.69 → 24.6 (rounded down); 0.08 × 82.3 × 60 = 395.04 → 395.0
    steps = iv_ramp(
        product=product("privigen"),
        weight_kg=82.3,
        start_ml_h=None,
        max_ml_kg_min=0.08,
        schedule=RateSchedule(),
    )
    assert [s.ml_per_h for s in steps] == [24.6, 49.2, 98.4, 196.8, 393.6, 395.0]
    assert [s.after_min for s in steps] == [0, 30, 60, 90, 120, 150]


def test_iv_ramp_from_a_tolerated_rate() -> None:
    steps = iv_ramp(
        product=product("privigen"),
        weight_kg=100,
        start_ml_h=300,
        max_ml_kg_min=0.08,
        schedule=RateSchedule(step_min=20),
    )
    # 300 mL/h, then after one step (20 min) min(600, 480) = 480
    assert steps == [RateStep(0, 300.0), RateStep(20, 480.0)]
    # a tolerated rate above the maximum is capped at it
    capped = iv_ramp(
        product=product("privigen"),
        weight_kg=100,
        start_ml_h=900,
        max_ml_kg_min=0.08,
        schedule=RateSchedule(),
    )
    assert capped == [RateStep(0, 480.0)]


def test_sc_ramp_total_rate_cap() -> None:
    # 4 sites × 60 mL/h = 240 mL/h, capped at 200 mL/h total
    r = sc_ramp(
        sites=4,
        volume_ml=200,
        per_site_start=60,
        per_site_max=60,
        total_max=200,
        ramp=False,
        schedule=RateSchedule(),
    )
    assert (r.steps, r.site_volume_ml) == ([RateStep(0, 200.0)], 50.0)
