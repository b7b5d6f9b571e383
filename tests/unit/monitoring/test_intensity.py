"""Decision M4: dose intensity on the dosing weight at maintenance start; declining response."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.unit.monitoring.builders import case, doses, grip, induction, ivig, visit

from neuroig.monitoring.review import review

ACTUAL_80 = {"sex": "male", "age_years": 50, "height_cm": 180, "weight_kg": 80}


def infusions(steps: list[tuple[int, float]], start: str = "2023-01-02") -> list[dict[str, Any]]:
    """Consecutive 28-day doses: ``[(n, grams), ...]``."""
    out: list[dict[str, Any]] = []
    when = date.fromisoformat(start)
    for n, grams in steps:
        for _ in range(n):
            out.append(
                {"date": when.isoformat(), "route": "iv", "product": "privigen", "dose_g": grams}
            )
            when += timedelta(days=28)
    return out


def run(steps: list[tuple[int, float]], visits: list[dict[str, Any]], **kw: Any) -> Any:
    c = case(
        treatments=[ivig("2023-01-02")],
        infusions=infusions(steps),
        assessments=visits,
        patient=ACTUAL_80,
    )
    return review(c, weight_policy="actual", **kw)


FLAT = [visit("2023-06-01", grip=grip(50, 50)), visit("2024-06-01", grip=grip(50, 50))]


def test_intensity_of_one_interval() -> None:
    # female, 165 cm, 72 kg, 55 y: BloodSTAR IBW 45.5 + 2.3 × (165 × 0.393701 − 60) = 56.91;
    # adjusted 56.91 + 0.4 × (72 − 56.91) = 62.95 kg; 65 g / 62.95 kg / 21 d × 28 = 1.377
    c = case(
        treatments=[ivig("2025-01-06")],
        infusions=induction("2025-01-06", 5, 25) + doses("2025-01-27", 21, 3, 65),
    )
    rv = review(c)
    assert rv.intensity.weight is not None
    assert (rv.intensity.weight.kg, rv.intensity.weight.policy) == (62.95, "bloodstar-2026")
    assert [iv.g_per_kg_per_28d for iv in rv.intensity.intervals] == [1.377, 1.377]
    # the interval after the 5-day induction is not maintenance
    assert str(rv.intensity.intervals[0].start) == "2025-01-27"


def test_a_25_percent_rise_with_flat_outcome_is_a_declining_response() -> None:
    # 80 g / 80 kg every 28 d = 1.00 → 100 g = 1.25: +25 %
    rv = run([(13, 80), (13, 100)], FLAT)
    dec = rv.declining
    assert dec.detected is True
    assert (dec.intensity_from, dec.intensity_to, dec.change_pct) == (1.0, 1.25, 25.0)
    assert [p.g_per_kg_per_28d for p in rv.intensity.periods] == [1.0, 1.25]


def test_a_rise_just_under_25_percent_is_not() -> None:
    # 99 g → 1.2375, rounded 1.238: +23.8 %
    rv = run([(13, 80), (13, 99)], FLAT)
    assert rv.declining.detected is False
    assert rv.declining.change_pct == 23.8


def test_a_rise_that_bought_an_mcid_improvement_is_not_declining() -> None:
    improving = [visit("2023-06-01", grip=grip(50, 50)), visit("2024-06-01", grip=grip(58, 50))]
    rv = run([(13, 80), (13, 100)], improving)
    assert rv.declining.detected is False
    assert "improved" in rv.declining.reason


def test_a_rise_without_outcome_data_is_unknown() -> None:
    rv = run([(13, 80), (13, 100)], [])
    assert rv.declining.detected is None


def test_a_rise_spread_over_more_than_24_months_is_not_declining() -> None:
    # +12.5 % then, 24 months later, +11.1 %: never 25 % within 24 months
    visits = [visit("2023-06-01", grip=grip(50, 50)), visit("2026-06-01", grip=grip(50, 50))]
    rv = run([(13, 80), (26, 90), (13, 100)], visits)
    assert rv.declining.detected is False


def test_one_late_infusion_is_not_a_dose_change() -> None:
    # 80 g every 28 d with one dose 7 days late (the next on time): per interval 0.80 (35 d) and
    # 1.333 (21 d) — a raw "rise" of 67 %. The 12-week mean moves between
    # (49 × 1.0 + 35 × 0.8) / 84 = 0.917 and (56 × 1.0 + 21 × 1.333 + 7 × 0.8) / 84 = 1.067: +16 %
    dates = [date(2023, 1, 2) + timedelta(days=28 * k) for k in range(20)]
    dates[10] += timedelta(days=7)
    inf = [
        {"date": d.isoformat(), "route": "iv", "product": "privigen", "dose_g": 80} for d in dates
    ]
    c = case(treatments=[ivig("2023-01-02")], infusions=inf, assessments=FLAT, patient=ACTUAL_80)
    rv = review(c, weight_policy="actual")
    per_interval = {iv.g_per_kg_per_28d for iv in rv.intensity.intervals}
    assert {0.8, 1.333, 1.0} <= per_interval
    smoothed = [p.g_per_kg_per_28d for p in rv.intensity.smoothed]
    assert (min(smoothed), max(smoothed)) == (0.917, 1.067)
    assert rv.declining.detected is False


def test_missing_height_falls_back_to_the_recorded_weight_with_a_note() -> None:
    c = case(
        treatments=[ivig("2025-01-06")],
        infusions=doses("2025-01-06", 21, 4, 70, weight_kg=75),
        patient={"sex": "male", "age_years": 60, "weight_kg": 90},
    )
    rv = review(c)
    w = rv.intensity.weight
    assert w is not None
    assert (w.kg, w.fallback, w.policy) == (75.0, True, "actual")
    assert "patient.height_cm" in w.reason and "75 kg" in w.reason
    assert w.reason in rv.notes


def test_weight_changes_between_courses_do_not_change_the_dosing_weight() -> None:
    # course 1 at 80 kg, stopped; course 2 a year later at 100 kg: intensity stays on 80 kg
    first = doses("2023-01-02", 28, 6, 80, weight_kg=80)
    second = doses("2024-06-03", 28, 6, 100, weight_kg=100)
    c = case(
        treatments=[ivig("2023-01-02", "2023-05-22"), ivig("2024-06-03")],
        infusions=first + second,
        patient=ACTUAL_80,
    )
    rv = review(c, weight_policy="actual")
    assert rv.intensity.weight is not None and rv.intensity.weight.actual_kg == 80
    # 100 g / 80 kg / 28 d × 28 = 1.25 for course 2; the break and the reload are not maintenance
    assert [iv.g_per_kg_per_28d for iv in rv.intensity.intervals] == [1.0] * 4 + [1.25] * 4
    assert rv.intensity.latest_weight_kg == 100


def test_a_fall_from_the_best_counts_as_worse_for_declining_response() -> None:
    # decision M8: grip L 50 → 66 (best) → 58. Every rising window starts on or before
    # 2023-10-09 (the last 1.00 point, 2024-01-01, − 84 days), so each holds all three
    # visits. First vs last: +8 = MCID (improved), so the M4 comparison alone says
    # "improved"; but 66 − 58 = 8 ≥ MCID 8 below the best → worse → detected
    rising = [
        visit("2023-10-09", grip=grip(50, 50)),
        visit("2024-04-01", grip=grip(66, 50)),
        visit("2024-06-01", grip=grip(58, 50)),
    ]
    rv = run([(13, 80), (13, 100)], rising)
    dec = rv.declining
    assert dec.detected is True
    (m8,) = [c for c in dec.changes if "(decision M8)" in c.note]
    assert (m8.measure, m8.baseline, m8.latest, m8.delta) == ("grip_kpa_left", 66, 58, -8)
    assert "worse than its best" in dec.reason


def test_a_dip_below_the_best_smaller_than_the_mcid_does_not_count() -> None:
    # 66 → 59: 7 < 8 below the best; first vs last +9 improved → not declining
    rising = [
        visit("2023-10-09", grip=grip(50, 50)),
        visit("2024-04-01", grip=grip(66, 50)),
        visit("2024-06-01", grip=grip(59, 50)),
    ]
    rv = run([(13, 80), (13, 100)], rising)
    assert rv.declining.detected is False
