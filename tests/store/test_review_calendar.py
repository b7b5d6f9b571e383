"""The review calendar of the registry (decisions M5, M9, G11), hand-computed dates."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine
from tests.store.conftest import EXAMPLES

from neuroig.errors import InputError
from neuroig.services import registry
from neuroig.services.registry import ReviewCalendar, review_calendar
from neuroig.store.permissions import Actor

# Ig started 2025-01-15: reviews 2025-07-15 (6 months), then 2026-07-15, 2027-07-15 (yearly)
START = {"ig_since": "2025-01-15", "last_assessment": None, "as_of": "2025-01-15"}


def _with_last(day: str | None) -> dict[str, str | None]:
    return {**START, "last_assessment": day}


@pytest.mark.parametrize(
    ("review", "today", "expected"),
    [
        # no treatment recorded / no ongoing Ig: no calendar
        (None, date(2026, 1, 1), ReviewCalendar(None, None)),
        ({**START, "ig_since": None}, date(2026, 1, 1), ReviewCalendar(None, None)),
        # before the first review: next is 2025-07-15, 15 days ahead -> due
        (START, date(2025, 6, 30), ReviewCalendar("due", date(2025, 7, 15))),
        # 2025-06-14 is 31 days before -> not yet due
        (START, date(2025, 6, 14), ReviewCalendar(None, date(2025, 7, 15))),
        # 2025-06-15 is 30 days before -> due (the window includes its last day)
        (START, date(2025, 6, 15), ReviewCalendar("due", date(2025, 7, 15))),
        # the first review passed with no assessment -> overdue since 2025-07-15
        (START, date(2025, 7, 20), ReviewCalendar("overdue", date(2025, 7, 15))),
        # an assessment on the review day counts (on or after)
        (_with_last("2025-07-15"), date(2025, 7, 20), ReviewCalendar(None, date(2026, 7, 15))),
        # an assessment the day before does not
        (
            _with_last("2025-07-14"),
            date(2025, 7, 20),
            ReviewCalendar("overdue", date(2025, 7, 15)),
        ),
        # assessed after the first review; the yearly one is 25 days ahead -> due
        (_with_last("2025-08-01"), date(2026, 6, 20), ReviewCalendar("due", date(2026, 7, 15))),
        # and once it has passed without a new assessment -> overdue since 2026-07-15
        (
            _with_last("2025-08-01"),
            date(2026, 12, 2),
            ReviewCalendar("overdue", date(2026, 7, 15)),
        ),
    ],
)
def test_review_calendar(
    review: dict[str, str | None] | None, today: date, expected: ReviewCalendar
) -> None:
    assert review_calendar(review, today=today, within_days=30) == expected


def test_the_review_day_itself_counts_as_passed() -> None:
    # M9 reads the latest review date on or before the day: on 2025-07-15 with no
    # assessment the review is overdue since that day, whatever the window
    assert review_calendar(START, today=date(2025, 7, 15), within_days=0) == ReviewCalendar(
        "overdue", date(2025, 7, 15)
    )
    assert review_calendar(START, today=date(2025, 7, 14), within_days=0) == ReviewCalendar(
        None, date(2025, 7, 15)
    )


def _example(name: str) -> dict[str, object]:
    path = next(p for p in EXAMPLES if p.stem == name)
    data: dict[str, object] = json.loads(path.read_text("utf-8"))
    return data


def test_the_review_due_listing(engine: Engine, admin: Actor) -> None:
    # the examples' Ig starts (first infusion of the ongoing course) and last assessments:
    #   mmn-declining-response: 2013-06-03, last 2023-11-13 -> reviews every 3 June and
    #     3 December ... the last passed on 2026-12-02 is 2025-12-03 -> overdue since then
    #   cidp-wear-off: 2023-01-09, last 2024-06-24 -> overdue since 2026-07-09
    #   cidp-stable-taper-due: 2022-01-10, last 2025-03-10 -> overdue since 2026-07-10
    #   cidp-ivig-responder: 2025-10-06, last 2026-04-13 (after the 2026-04-06 review)
    #     -> next 2027-04-06, not due within 30 days
    #   mmn-definite: no treatment -> no calendar
    for name in (
        "mmn-declining-response",
        "cidp-wear-off",
        "cidp-stable-taper-due",
        "cidp-ivig-responder",
        "mmn-definite",
    ):
        registry.save_case(engine, admin, _example(name), site="site-a")
    rows = registry.list_patients(engine, admin, review_due=True, today=date(2026, 12, 2))
    assert [(r.case_id, r.review) for r in rows] == [
        ("example-mmn-declining-response", ReviewCalendar("overdue", date(2025, 12, 3))),
        ("example-cidp-wear-off", ReviewCalendar("overdue", date(2026, 7, 9))),
        ("example-cidp-stable-taper-due", ReviewCalendar("overdue", date(2026, 7, 10))),
    ]
    everyone = {r.case_id: r.review for r in registry.list_patients(engine, admin)}
    assert everyone["example-cidp-ivig-responder"] is not None
    assert len(everyone) == 5
    # on 2027-03-10 the responder's review (2027-04-06) is 27 days ahead: due
    later = registry.list_patients(engine, admin, review_due=True, today=date(2027, 3, 10))
    assert ("example-cidp-ivig-responder", ReviewCalendar("due", date(2027, 4, 6))) in [
        (r.case_id, r.review) for r in later
    ]


def test_an_outcome_assessment_clears_the_overdue_review(engine: Engine, admin: Actor) -> None:
    # the maintenance course goes on (an infusion on 2026-06-25, 14 days before the
    # visit); the 2026-07-09 review is then met by an outcome assessment on that day
    saved = registry.save_case(engine, admin, _example("cidp-wear-off"), site="site-a")
    infusion = {
        "date": "2026-06-25",
        "route": "iv",
        "product": "kiovig",
        "dose_g": 60,
        "duration_min": 180,
        "weight_kg": 65,
    }
    registry.append_record(
        engine, admin, saved.case_id, "infusion", infusion, base_version=1, reason="infusion"
    )
    (row,) = registry.list_patients(engine, admin, today=date(2026, 12, 2))
    assert row.review == ReviewCalendar("overdue", date(2026, 7, 9))
    registry.append_record(
        engine,
        admin,
        saved.case_id,
        "assessment",
        {"date": "2026-07-09", "incat": {"arm": 1, "leg": 1}},
        base_version=2,
        reason="yearly review",
    )
    rows = registry.list_patients(engine, admin, review_due=True, today=date(2026, 12, 2))
    assert [r.case_id for r in rows] == []
    (row,) = registry.list_patients(engine, admin, today=date(2026, 12, 2))
    assert row.review == ReviewCalendar(None, date(2027, 7, 9))


def test_a_patient_without_a_current_result_stays_listed_as_unknown(
    engine: Engine, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry.save_case(engine, admin, _example("cidp-wear-off"), site="site-a")
    monkeypatch.setattr(registry, "rules_version", lambda: "another-rules-version")
    (row,) = registry.list_patients(engine, admin, review_due=True, today=date(2026, 12, 2))
    assert (row.case_id, row.summary, row.review) == ("example-cidp-wear-off", None, None)


def test_the_window_is_checked(engine: Engine, admin: Actor) -> None:
    with pytest.raises(InputError, match="0 to 366"):
        registry.list_patients(engine, admin, review_due=True, within_days=400)
