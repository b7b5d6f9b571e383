"""CDAS (Gorson 2010) read from the treatment record and the outcome measures."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.unit.monitoring.builders import case, doses, grip, induction, ivig, visit

from neuroig.diagnosis import DiagnosisContext
from neuroig.monitoring.review import review

INF = induction("2022-01-10", 5, 33) + doses("2022-01-31", 21, 55, 80)  # to 2025-03-10


def cdas_of(
    treatments: list[dict[str, Any]],
    infusions: list[dict[str, Any]],
    visits: list[dict[str, Any]],
    **kw: Any,
) -> tuple[int | None, str]:
    rv = review(case(treatments=treatments, infusions=infusions, assessments=visits), **kw)
    assert rv.cdas is not None
    return rv.cdas.number, rv.cdas.reason


def test_stable_on_therapy_for_a_year_is_class_3() -> None:
    visits = [
        visit("2022-01-10", grip=grip(38, 45)),
        visit("2024-06-10", grip=grip(60, 66)),
        visit("2025-03-10", grip=grip(61, 66)),
    ]
    assert cdas_of([ivig("2022-01-10")], INF, visits)[0] == 3


def test_worse_by_an_mcid_on_therapy_is_class_5() -> None:
    visits = [
        visit("2022-01-10", grip=grip(38, 45)),
        visit("2024-06-10", grip=grip(60, 66)),
        visit("2025-03-10", grip=grip(52, 66)),
    ]
    number, reason = cdas_of([ivig("2022-01-10")], INF, visits)
    assert number == 5 and "refractory" in reason


def test_improving_within_the_first_year_is_class_4() -> None:
    visits = [visit("2022-01-10", grip=grip(38, 45)), visit("2022-04-04", grip=grip(50, 50))]
    assert cdas_of([ivig("2022-01-10")], INF, visits, as_of=date(2022, 6, 1))[0] == 4


def test_no_response_within_the_first_year_is_class_5() -> None:
    visits = [visit("2022-01-10", grip=grip(38, 45)), visit("2022-05-02", grip=grip(39, 45))]
    assert cdas_of([ivig("2022-01-10")], INF, visits, as_of=date(2022, 6, 1))[0] == 5


OFF = induction("2015-01-05", 5, 30) + doses("2015-01-26", 28, 36, 70)  # last dose 2017-10-02


def test_stable_off_therapy_for_five_years_is_class_1_and_less_is_class_2() -> None:
    treatments = [ivig("2015-01-05", "2017-10-02", stopped_because="remission")]
    visits = [
        visit("2015-01-05", grip=grip(30, 30)),
        visit("2017-10-02", grip=grip(55, 56)),
        visit("2022-10-03", grip=grip(54, 57)),
    ]
    # 2017-10-02 → 2022-10-03 = 1827 d = 5.002 years (÷ 365.25): class 1
    assert cdas_of(treatments, OFF, visits)[0] == 1
    # one day less (1826 d = 4.999 years): class 2
    short = [*visits[:2], visit("2022-10-02", grip=grip(54, 57))]
    assert cdas_of(treatments, OFF, short)[0] == 2
    # as of 2021-01-04 (3.3 years off) with the same readings up to then
    early = [*visits[:2], visit("2021-01-04", grip=grip(54, 57))]
    assert cdas_of(treatments, OFF, early)[0] == 2


def test_off_therapy_after_an_ineffective_course_is_not_remission() -> None:
    treatments = [ivig("2015-01-05", "2015-05-04", stopped_because="ineffective")]
    visits = [visit("2015-01-05", grip=grip(30, 30)), visit("2016-01-04", grip=grip(31, 30))]
    number, reason = cdas_of(treatments, OFF[:9], visits)
    assert number is None and "without response" in reason


def test_an_ig_course_without_an_end_whose_last_dose_is_long_past_counts_as_stopped() -> None:
    visits = [
        visit("2015-01-05", grip=grip(30, 30)),
        visit("2017-10-02", grip=grip(55, 56)),
        visit("2019-01-07", grip=grip(55, 55)),
    ]
    number, _ = cdas_of([ivig("2015-01-05")], OFF, visits)
    assert number == 2


def test_treatment_naive_and_worsening_is_class_5() -> None:
    visits = [visit("2020-01-06", grip=grip(50, 50)), visit("2020-07-06", grip=grip(41, 50))]
    assert cdas_of([], [], visits)[0] == 5
    stable = [visit("2020-01-06", grip=grip(50, 50)), visit("2020-07-06", grip=grip(49, 50))]
    assert cdas_of([], [], stable)[0] is None


def test_cdas_is_not_applied_to_mmn() -> None:
    visits = [visit("2022-01-10", grip=grip(38, 45)), visit("2025-03-10", grip=grip(61, 66))]
    rv = review(
        case(treatments=[ivig("2022-01-10")], infusions=INF, assessments=visits),
        diagnosis=DiagnosisContext(mmn_category="probable"),
    )
    assert rv.cdas is None
    assert "not applied to MMN" in rv.cdas_note


def test_one_year_on_therapy_separates_class_4_from_class_3() -> None:
    visits = [
        visit("2022-01-10", grip=grip(38, 45)),
        visit("2022-04-04", grip=grip(50, 50)),
        visit("2022-12-12", grip=grip(51, 50)),
    ]
    # start 2022-01-10: one year is reached on 2023-01-10
    assert cdas_of([ivig("2022-01-10")], INF, visits, as_of=date(2023, 1, 9))[0] == 4
    assert cdas_of([ivig("2022-01-10")], INF, visits, as_of=date(2023, 1, 10))[0] == 3
