"""Decision M5: review due dates and the dose-reduction (taper) suggestion."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.unit.monitoring.builders import case, doses, grip, induction, ivig, visit

from neuroig.monitoring.dose_review import review_due
from neuroig.monitoring.review import review


@pytest.mark.parametrize(
    ("as_of", "due"),
    [
        ("2022-01-10", "2022-07-10"),  # start + 6 months
        ("2022-07-09", "2022-07-10"),
        ("2022-07-10", "2023-07-10"),  # due date reached: the next one, 12 months on
        ("2025-03-10", "2025-07-10"),
    ],
)
def test_review_is_due_six_months_after_the_start_then_yearly(as_of: str, due: str) -> None:
    assert review_due(date(2022, 1, 10), as_of=date.fromisoformat(as_of)) == date.fromisoformat(due)


def test_review_due_clamps_to_the_end_of_the_month() -> None:
    assert review_due(date(2023, 8, 31), as_of=date(2023, 9, 1)) == date(2024, 2, 29)


# Induction 2022-01-10..14 (5 × 33 g), then 80 g every 21 days from 2022-01-31 (55 doses,
# the last on 2025-03-10). Review as of 2025-03-10: the 12-month window starts 2024-03-10.
INF = induction("2022-01-10", 5, 33) + doses("2022-01-31", 21, 55, 80)
STABLE = [
    visit("2022-01-10", grip=grip(38, 45), incat=(2, 3)),
    visit("2024-06-10", grip=grip(62, 67), incat=(1, 1)),
    visit("2025-03-10", grip=grip(61, 68), incat=(1, 1), timing="trough"),
]


def run(infusions: list[dict[str, Any]], visits: list[dict[str, Any]], **kw: Any) -> Any:
    c = case(treatments=[ivig("2022-01-10")], infusions=infusions, assessments=visits)
    return review(c, **kw).dose_review


def test_stable_for_twelve_months_on_one_regimen_suggests_a_taper() -> None:
    dr = run(INF, STABLE)
    assert dr.taper_suggested is True
    assert dr.regimen is not None
    assert (dr.regimen.dose_g, dr.regimen.interval_weeks, dr.regimen.route) == (80, 3, "iv")
    # 25 % steps of 80 g: 60, 40, 20 g; alternative: 80 g every 4 weeks
    assert [s.dose_g for s in dr.steps] == [60, 40, 20]
    assert dr.alternative is not None
    assert (dr.alternative.dose_g, dr.alternative.interval_weeks) == (80, 4)
    assert str(dr.next_review_due) == "2025-07-10"


def test_a_regimen_change_within_twelve_months_blocks_the_taper() -> None:
    # the last 4 doses 90 g instead of 80 g
    changed = INF[:-4] + [dict(x, dose_g=90) for x in INF[-4:]]
    dr = run(changed, STABLE)
    assert dr.taper_suggested is False
    assert "regimen changed" in dr.reason


def test_less_than_twelve_months_of_maintenance_blocks_the_taper() -> None:
    dr = run(INF, STABLE, as_of=date(2022, 12, 1))
    assert dr.taper_suggested is False
    assert "less than 12 months" in dr.reason


def test_worsening_by_an_mcid_blocks_the_taper() -> None:
    worse = [*STABLE[:2], visit("2025-03-10", grip=grip(54, 68), incat=(1, 1))]  # left 62 → 54: −8
    dr = run(INF, worse)
    assert dr.taper_suggested is False
    assert "not stable" in dr.reason


def test_stability_unknown_without_two_assessments_in_the_window() -> None:
    dr = run(INF, STABLE[:2])
    assert dr.taper_suggested is None


def test_scig_taper_steps_are_90_75_50_25_0_percent_every_12_weeks() -> None:
    sc = induction("2022-01-10", 5, 33) + doses("2022-01-31", 7, 170, 20, route="sc")
    c = case(
        treatments=[ivig("2022-01-10", "2022-01-14"), {"therapy": "scig", "start": "2022-01-31"}],
        infusions=sc,
        assessments=[
            visit("2022-01-10", grip=grip(38, 45)),
            visit("2024-09-02", grip=grip(60, 66)),
            visit("2025-04-28", grip=grip(61, 66)),
        ],
    )
    dr = review(c).dose_review
    assert dr.taper_suggested is True
    # 20 g weekly: 18, 15, 10, 5, 0 g at weeks 0, 12, 24, 36, 48
    assert [(s.dose_g, s.start_week) for s in dr.steps] == [
        (18, 0),
        (15, 12),
        (10, 24),
        (5, 36),
        (0, 48),
    ]
    assert dr.alternative is None


def test_no_ongoing_ig_course_means_no_review_date() -> None:
    c = case(
        treatments=[ivig("2022-01-10", "2022-03-14")],
        infusions=induction("2022-01-10", 5, 33) + doses("2022-01-31", 21, 3, 80),
        assessments=[
            visit("2022-01-10", grip=grip(40, 40)),
            visit("2022-09-01", grip=grip(40, 40)),
        ],
    )
    dr = review(c).dose_review
    assert (dr.taper_suggested, dr.next_review_due) == (None, None)


def test_last_review_due_is_the_latest_due_date_on_or_before_the_review() -> None:
    from datetime import date

    from neuroig.monitoring.dose_review import last_review_due

    start = date(2022, 1, 10)
    # due 2022-07-10 (6 months), then 2023-07-10, 2024-07-10 … (every 12 months)
    assert last_review_due(start, as_of=date(2022, 7, 9)) is None
    assert last_review_due(start, as_of=date(2022, 7, 10)) == date(2022, 7, 10)
    assert last_review_due(start, as_of=date(2025, 3, 10)) == date(2024, 7, 10)
