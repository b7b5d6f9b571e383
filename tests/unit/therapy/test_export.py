"""``neuroig-plan/1`` JSON (the neuroig-plan/1 output format) and the iCalendar schedule."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from icalendar import Calendar
from tests.unit.therapy.helpers import make_case, run

from neuroig.therapy.export import plan_to_dict, plan_to_ics, session_dates

STAMP = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_json_has_every_key_of_the_spec() -> None:
    doc = plan_to_dict(run(product="privigen", rounding="nearest-5g"))
    json.dumps(doc)  # serialisable
    assert doc["format"] == "neuroig-plan/1"
    assert {"format", "case_id", "dosing_weight", "regimen", "safety", "cost"} <= set(doc)
    assert doc["dosing_weight"] == {
        "kg": 82.28,
        "policy": "bloodstar-2026",
        "ibw_kg": 70.46,
        "adjusted_kg": 82.28,
        "actual_kg": 100.0,
        "reason": doc["dosing_weight"]["reason"],
    }
    r = doc["regimen"]
    assert {
        "kind",
        "dose_g_per_kg",
        "total_computed_g",
        "total_dispensed_g",
        "rounding",
        "interval_days",
        "sessions",
    } <= set(r)
    assert (r["kind"], r["total_computed_g"], r["total_dispensed_g"], r["interval_days"]) == (
        "ivig-induction",
        164.56,
        160.0,  # nearest 5 g never above the 2 g/kg limit (T21)
        None,
    )
    s = r["sessions"][0]
    assert {"date", "dose_g", "volume_ml", "packs", "rate_steps", "duration_min"} <= set(s)
    assert (s["date"], s["dose_g"], s["volume_ml"]) == ("2026-12-01", 30.0, 300.0)
    assert s["packs"][0] == {"grams": 20.0, "count": 1}
    assert s["rate_steps"][0] == {"after_min": 0, "ml_per_h": 24.6}  # 0.005 × 82.28 × 60
    cap = next(f for f in doc["safety"] if f["id"] == "RATE-CAP-AT-RISK")
    assert cap["applies_to"] == "rates"
    assert all({"id", "severity", "text"} <= set(f) for f in doc["safety"])
    assert {"currency", "per_course", "per_year", "price_source"} <= set(doc["cost"])
    assert doc["cost"]["per_year"] is None


def test_json_maintenance_has_a_schedule() -> None:
    doc = plan_to_dict(run(product="privigen", regimen="ivig-maintenance"))
    assert doc["regimen"]["schedule"][:2] == ["2026-12-22", "2027-01-12"]
    assert doc["cost"]["per_year"] == 47308.57


def test_json_of_a_blocked_plan() -> None:
    p = run(make_case(labs={"egfr_ml_min": 20}), product="privigen")
    doc = plan_to_dict(p)
    assert doc["status"] == "blocked"
    assert doc["blocked_by"] == ["SAFE-RENAL-EGFR"]
    assert doc["regimen"]["sessions"] == [] and doc["cost"] is None


def test_session_dates_repeat_the_cycle() -> None:
    p = run(product="privigen", regimen="ivig-maintenance", dose_g_per_kg=2.0, days=2)
    days = session_dates(p)
    # 2 days per cycle, 9 cycles (the first + 8 scheduled) in 6 months
    assert len(days) == 18
    assert days[:4] == [
        (date(2026, 12, 1), p.regimen.sessions[0], 1),
        (date(2026, 12, 2), p.regimen.sessions[1], 1),
        (date(2026, 12, 22), p.regimen.sessions[0], 2),
        (date(2026, 12, 23), p.regimen.sessions[1], 2),
    ]


def test_ics_is_valid_and_has_one_event_per_session_day() -> None:
    p = run(product="privigen")
    cal = Calendar.from_ical(plan_to_ics(p, stamp=STAMP))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 5
    first = events[0]
    assert first.get("dtstart").dt == date(2026, 12, 1)
    assert first.get("dtend").dt == date(2026, 12, 2)
    assert str(first.get("summary")) == "ivig-induction: Privigen 30 g (300 mL)"
    assert "1 × 20 g, 1 × 10 g" in str(first.get("description"))
    assert len({str(e.get("uid")) for e in events}) == 5


def test_ics_of_a_plasma_exchange_course() -> None:
    p = run(regimen="plasma-exchange", exchanges=6, exchange_weeks=3)
    events = list(Calendar.from_ical(plan_to_ics(p, stamp=STAMP)).walk("VEVENT"))
    assert [str(e.get("summary")) for e in events][:2] == [
        "plasma-exchange: exchange 1 of 6",
        "plasma-exchange: exchange 2 of 6",
    ]


def test_ics_of_a_prednisone_plan_marks_phases_and_review() -> None:
    p = run(regimen="prednisone")
    summaries = [
        str(e.get("summary"))
        for e in Calendar.from_ical(plan_to_ics(p, stamp=STAMP)).walk("VEVENT")
    ]
    assert (
        summaries[0] == "prednisone: 60 mg daily to the review on 2027-03-01 (taper only after it)"
    )
    assert summaries[-1] == "prednisone: review"
    assert len(summaries) == 12  # 11 phases and the review
