"""Decision M2: response of a course — baseline, time points, responder / non-responder."""

from __future__ import annotations

from tests.unit.monitoring.builders import case, doses, grip, induction, ivig, shift, visit

from neuroig.diagnosis import DiagnosisContext
from neuroig.monitoring.review import review

# First dose 2025-01-06, induction 5 days → last induction day 2025-01-10.
# Responder judged from 2025-01-10 + 21 d = 2025-01-31; non-responder from
# 2025-01-06 + 84 d = 2025-03-31.
START = "2025-01-06"
INFUSIONS = induction(START, 5, 25) + doses("2025-01-27", 21, 8, 65)


def one_course(
    *visits: dict[str, object], treatments: list[dict[str, object]] | None = None
) -> str:
    rv = review(
        case(
            treatments=treatments or [ivig(START)],
            infusions=INFUSIONS,
            assessments=list(visits),
        )
    )
    return rv.courses[0].response


def test_responder_needs_an_mcid_gain_at_three_weeks_after_induction() -> None:
    base = visit(START, grip=grip(40, 40))
    # day 20 after the last induction day: too early, ignored → nothing compared
    early = visit(shift("2025-01-10", 20), grip=grip(50, 50))
    assert one_course(base, early) == "indeterminate"
    # day 21: counts; +10 kPa ≥ 8 → responder
    on_time = visit(shift("2025-01-10", 21), grip=grip(50, 50))
    assert one_course(base, on_time) == "responder"


def test_baseline_is_the_last_assessment_on_or_before_the_first_dose() -> None:
    older = visit("2024-11-01", grip=grip(20, 20))
    same_day = visit(START, grip=grip(40, 40))  # taken before the dose
    later = visit("2025-02-10", grip=grip(47, 47))  # +7 vs 40, +27 vs 20
    rv = review(
        case(treatments=[ivig(START)], infusions=INFUSIONS, assessments=[older, same_day, later])
    )
    c = rv.courses[0]
    assert str(c.baseline_date) == START
    assert c.response == "indeterminate"  # +7 < 8 and only 5 weeks in
    assert [ch.delta for ch in c.changes] == [7.0, 7.0]


def test_a_worsened_measure_stops_a_responder() -> None:
    base = visit(START, grip=grip(40, 40), incat=(1, 2))
    mixed = visit("2025-04-07", grip=grip(50, 50), incat=(1, 3))  # grip +10, INCAT leg +1
    assert one_course(base, mixed) == "indeterminate"


def test_non_responder_needs_twelve_weeks() -> None:
    base = visit(START, grip=grip(40, 40), irods=50)
    day_83 = visit(shift(START, 83), grip=grip(42, 41), irods=52)
    assert one_course(base, day_83) == "indeterminate"
    day_84 = visit(shift(START, 84), grip=grip(42, 41), irods=52)
    assert one_course(base, day_84) == "non_responder"


def test_no_baseline_is_indeterminate() -> None:
    rv = review(
        case(
            treatments=[ivig(START)],
            infusions=INFUSIONS,
            assessments=[visit("2025-05-01", grip=grip(50, 50))],
        )
    )
    assert rv.courses[0].response == "indeterminate"
    assert "no baseline" in rv.courses[0].reason


def test_grip_is_never_compared_across_devices() -> None:
    base = visit(START, grip=grip(40, 40))
    jamar = visit("2025-05-01", grip=grip(30, 30, "jamar"))
    rv = review(case(treatments=[ivig(START)], infusions=INFUSIONS, assessments=[base, jamar]))
    c = rv.courses[0]
    assert c.changes == ()
    assert c.response == "indeterminate"
    assert any("device changed (vigorimeter → jamar)" in n for n in c.not_compared)


def test_two_assessments_on_the_same_day_are_averaged() -> None:
    base = visit(START, grip=grip(40, 40))
    a = visit("2025-05-01", grip=grip(44, 44))
    b = visit("2025-05-01", grip=grip(54, 54))  # mean 49 → +9 ≥ 8
    assert one_course(base, a, b) == "responder"
    assert one_course(base, b, a) == "responder"


def test_the_window_ends_at_the_next_course() -> None:
    base = visit(START, grip=grip(40, 40))
    flat = visit("2025-04-07", grip=grip(41, 41))
    after_pred = visit("2025-06-02", grip=grip(60, 60))
    treatments = [ivig(START), {"therapy": "prednisone", "start": "2025-05-05"}]
    rv = review(
        case(treatments=treatments, infusions=INFUSIONS, assessments=[base, flat, after_pred])
    )
    by_key = {c.course: c for c in rv.courses}
    # IVIg judged up to 2025-05-05 only: +1 kPa at ≥ 12 weeks → non-responder
    assert by_key["treatments[0]"].response == "non_responder"
    # prednisone: baseline 2025-04-07, 41 → 60 at 2025-06-02 → responder
    assert by_key["treatments[1]"].response == "responder"


MMN = DiagnosisContext(mmn_category="definite")


def mmn_visit(when: str, fdi: int, adm: int) -> dict[str, object]:
    return visit(
        when,
        strength=[
            {"muscle": "first_dorsal_interosseous", "side": "left", "mrc": fdi},
            {"muscle": "abductor_digiti_minimi", "side": "left", "mrc": adm},
        ],
    )


def test_mmn_per_muscle_mcid_counts_only_with_an_mmn_diagnosis() -> None:
    c = case(
        treatments=[ivig(START)],
        infusions=INFUSIONS,
        assessments=[mmn_visit(START, 3, 3), mmn_visit("2025-04-07", 4, 4)],
    )
    with_mmn = review(c, diagnosis=MMN).courses[0]
    assert with_mmn.response == "responder"
    assert [ch.measure for ch in with_mmn.changes] == ["mrc_muscles_mmn"]
    without = review(c).courses[0]
    assert without.response == "indeterminate"
    assert without.changes == ()


def test_an_ig_course_without_infusions_starts_at_its_start_date() -> None:
    base = visit(START, irods=40)
    later = visit("2025-02-10", irods=45)
    rv = review(case(treatments=[ivig(START)], assessments=[base, later]))
    c = rv.courses[0]
    assert (str(c.first_dose), c.response) == (START, "responder")


def test_infusions_without_a_course_form_an_implicit_course() -> None:
    rv = review(
        case(
            infusions=INFUSIONS,
            assessments=[visit(START, grip=grip(40, 40)), visit("2025-03-03", grip=grip(49, 40))],
        )
    )
    c = rv.courses[0]
    assert (c.course, c.implicit, c.response) == ("implicit-iv", True, "responder")


def test_a_switch_without_a_break_is_never_a_non_responder() -> None:
    # IVIg to 2025-03-17, then weekly SCIg from 2025-03-24: the SCIg baseline is on treatment
    iv = induction(START, 5, 25) + doses("2025-01-27", 21, 3, 65)
    sc = doses("2025-03-24", 7, 20, 20, route="sc")
    visits = [
        visit(START, grip=grip(40, 40)),
        visit("2025-03-24", grip=grip(55, 55)),
        visit("2025-07-14", grip=grip(54, 56)),
    ]
    treatments = [ivig(START, "2025-03-17"), {"therapy": "scig", "start": "2025-03-24"}]
    rv = review(case(treatments=treatments, infusions=iv + sc, assessments=visits))
    ivig_course, scig_course = rv.courses
    assert ivig_course.response == "responder"
    assert scig_course.response == "indeterminate"
    assert "effect maintained" in scig_course.reason
    assert "REVIEW-NON-RESPONDER" not in [s.id for s in rv.suggestions]
