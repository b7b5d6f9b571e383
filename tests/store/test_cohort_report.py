"""Cohort figures of a generated cohort are the generator's known truth (decision G14),
on SQLite and PostgreSQL; sites limit them; every report is audited."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, func, select, update
from tests.store.conftest import make_user

from neuroig.assess import evaluate
from neuroig.case import case_from_data
from neuroig.cohort.generate import CohortSpec, generate
from neuroig.monitoring.review import review
from neuroig.services import registry
from neuroig.services.cohort import QUERIES, cohort_report, run_query
from neuroig.store.models import AuditEntry, CohortFact, StoredResult
from neuroig.store.permissions import Actor, PermissionDeniedError

TODAY = date(2026, 12, 1)
GROUP_DIAGNOSIS = {"cidp": "cidp", "mmn": "mmn", "mimic": "none"}


@pytest.fixture
def cohort(engine: Engine, admin: Actor) -> list[dict[str, Any]]:
    documents = list(generate(CohortSpec(patients=40, seed=21)))
    for n, document in enumerate(documents):
        registry.save_case(engine, admin, document, site="site-a" if n % 4 else "site-b")
    return documents


def _truth(documents: list[dict[str, Any]]) -> dict[str, Any]:
    by_diagnosis: Counter[str] = Counter()
    response: dict[str, Counter[str]] = {}
    grams: Counter[str] = Counter()
    years: Counter[str] = Counter()
    for d in documents:
        truth = d["x_synthetic"]["truth"]
        diagnosis = GROUP_DIAGNOSIS[truth["group"]]
        by_diagnosis[diagnosis] += 1
        if truth["treated"]:
            klass = "responder" if truth["responder"] else "non_responder"
            response.setdefault(f"{diagnosis}/ivig", Counter())[klass] += 1
            days = [date.fromisoformat(i["date"]) for i in d["infusions"]]
            grams[diagnosis] += sum(i["dose_g"] for i in d["infusions"])
            years[diagnosis] += ((max(days) - min(days)).days + 1) / 365.25
    return {
        "by_diagnosis": dict(by_diagnosis),
        "response": {k: dict(v) for k, v in response.items()},
        "grams": {k: round(grams[k] / years[k], 1) for k in grams},
    }


def test_the_figures_are_the_generators_truth(
    engine: Engine, admin: Actor, cohort: list[dict[str, Any]]
) -> None:
    report = cohort_report(engine, admin, today=TODAY)
    truth = _truth(cohort)
    assert report.patients == len(cohort)
    assert report.without_facts == 0
    assert report.by_diagnosis == truth["by_diagnosis"]
    assert report.response == truth["response"]
    assert report.grams_per_patient_year == pytest.approx(truth["grams"], abs=0.11)
    templates = Counter(d["x_synthetic"]["truth"]["template"] for d in cohort)
    definite = templates["mmn_definite"]
    assert report.categories["mmn_efns_pns_2010"].get("definite", 0) == definite
    assert report.categories["mmn_efns_pns_2010"].get("probable", 0) == templates["mmn_probable"]
    treated = sum(1 for d in cohort if d["x_synthetic"]["truth"]["treated"])
    assert 0 < sum(report.review.values()) <= treated
    # the figures the review gives, patient by patient (decisions M4, M5; costs)
    taper = declining = 0
    cost: Counter[str] = Counter()
    years: Counter[str] = Counter()
    for d in cohort:
        truth = d["x_synthetic"]["truth"]
        if not truth["treated"]:
            continue
        case = case_from_data(d)
        reviewed = review(case, diagnosis=evaluate(case).diagnosis)
        taper += reviewed.dose_review.taper_suggested is True
        declining += reviewed.declining.detected is True
        key = f"{GROUP_DIAGNOSIS[truth['group']]} {reviewed.use.currency}"
        days = [date.fromisoformat(i["date"]) for i in d["infusions"]]
        cost[key] += reviewed.use.cost or 0.0
        years[key] += ((max(days) - min(days)).days + 1) / 365.25
        if truth["responder"] is False:
            assert reviewed.dose_review.taper_suggested is not True  # only responders taper
    assert report.dose_reduction_candidates == taper > 0
    assert report.declining_response == declining
    assert report.cost_per_patient_year == pytest.approx(
        {k: round(cost[k] / years[k], 2) for k in cost}, abs=0.011
    )


def _nearest_rank(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return float(ordered[max(1, math.ceil(q * len(ordered))) - 1])


def test_outcome_figures_are_the_course_patterns_the_generator_made(
    engine: Engine, admin: Actor
) -> None:
    """Dependence, current regimen, time to response, wear-off, declining response and
    blocked plans (decisions M3, M4, M7, G15) of 100 generated patients."""
    documents = list(generate(CohortSpec(patients=100, seed=1)))
    outcomes = list(
        registry.import_documents(
            engine, admin, ((d["case_id"], d) for d in documents), site="site-a", reason="test"
        )
    )
    assert not [o for _, o in outcomes if isinstance(o, Exception)]
    report = cohort_report(engine, admin, today=TODAY)
    treated = [d["x_synthetic"]["truth"] for d in documents if d["x_synthetic"]["truth"]["treated"]]
    patterns = Counter(t["pattern"] for t in treated)
    assert all(patterns[p] for p in ("dependent", "wear_off", "declining", "switch_scig"))
    dependent = Counter(
        f"{GROUP_DIAGNOSIS[t['group']]}/ivig" for t in treated if t["pattern"] == "dependent"
    )
    assert report.ig_dependent == dict(dependent)
    responders = len(treated) - patterns["non_responder"]
    assert report.current_regimen == {
        "ivig": responders - patterns["switch_scig"],
        "scig": patterns["switch_scig"],
    }
    assert report.wear_off == patterns["wear_off"]
    assert report.declining_response == patterns["declining"]
    assert report.plans == {"ok": responders, "blocked": patterns["non_responder"]}
    assert report.blocked_by == {"GATE-HX-IG": patterns["non_responder"]}
    rates = report.response_rates()
    for diagnosis in ("cidp", "mmn"):
        judged = [t for t in treated if GROUP_DIAGNOSIS[t["group"]] == diagnosis]
        responders = sum(1 for t in judged if t["responder"])
        dependent = sum(1 for t in judged if t["pattern"] == "dependent")
        assert rates[f"{diagnosis}/ivig"] == {
            "courses": len(judged),
            "responder": round(responders / len(judged), 4),
            "non_responder": round((len(judged) - responders) / len(judged), 4),
            "dependent_of_responders": round(dependent / responders, 4),
        }
    for diagnosis in ("cidp", "mmn"):
        days = [
            t["days_to_response"]
            for t in treated
            if t["responder"] and GROUP_DIAGNOSIS[t["group"]] == diagnosis
        ]
        assert report.time_to_response[diagnosis] == {
            "patients": len(days),
            "q1_days": _nearest_rank(days, 0.25),
            "median_days": _nearest_rank(days, 0.5),
            "q3_days": _nearest_rank(days, 0.75),
        }
    # the review figures counted in SQL are the review calendar of each patient, also on
    # days before some patients' last assessment (those are judged one by one)
    with engine.connect() as c:
        pairs = c.execute(select(CohortFact.ig_since, CohortFact.last_assessment)).all()
    for day in (TODAY, date(2025, 3, 1), date(2023, 7, 15)):
        expected = Counter(
            registry.review_calendar(
                {
                    "ig_since": since.isoformat() if since else None,
                    "last_assessment": last.isoformat() if last else None,
                },
                today=day,
                within_days=registry.REVIEW_DUE_WITHIN_DAYS,
            ).status
            for since, last in pairs
        )
        found = run_query(engine, admin, "review_calendar", today=day)["review"]
        assert found == {"overdue": expected["overdue"], "due": expected["due"]}, day
        assert sum(found.values()) > 0
    # each dashboard query alone gives the report's own fields
    whole = report.to_dict()
    for name in QUERIES:
        for key, value in run_query(engine, admin, name, today=TODAY).items():
            assert orjson.loads(orjson.dumps(value)) == whole[key], (name, key)
    rows = report.csv_rows()
    assert ("blocked_by", "GATE-HX-IG", "", str(patterns["non_responder"])) in rows
    assert ("wear_off", "", "", str(patterns["wear_off"])) in rows


def test_a_user_sees_the_figures_of_their_sites_only(
    engine: Engine, cohort: list[dict[str, Any]]
) -> None:
    clinician = make_user(engine, "cl-b", "clinician", ["site-b"])
    report = cohort_report(engine, clinician, today=TODAY)
    assert report.patients == len(cohort[::4])
    assert sum(report.by_diagnosis.values()) == len(cohort[::4])


def test_reports_are_audited_and_refused_without_the_listing_right(
    engine: Engine, admin: Actor, cohort: list[dict[str, Any]]
) -> None:
    auditor = make_user(engine, "aud", "auditor", ["site-a"])
    with pytest.raises(PermissionDeniedError):
        cohort_report(engine, auditor, today=TODAY)
    cohort_report(engine, admin, today=TODAY)
    with engine.connect() as c:
        rows = c.execute(
            select(AuditEntry.actor, func.count())
            .where(AuditEntry.action.in_(["cohort.report", "case.list"]))
            .group_by(AuditEntry.actor)
        ).all()
    assert dict(rows) == {"aud": 1, "root-admin": 1}


def test_a_deleted_patient_leaves_the_cohort(
    engine: Engine, admin: Actor, cohort: list[dict[str, Any]]
) -> None:
    first = cohort[1]["case_id"]
    registry.delete_case(engine, admin, first, base_version=1, reason="duplicate")
    assert cohort_report(engine, admin, today=TODAY).patients == len(cohort) - 1
    assert sum(cohort_report(engine, admin, today=TODAY).by_diagnosis.values()) == len(cohort) - 1


def test_a_rules_upgrade_shows_who_is_behind_and_who_changed(
    engine: Engine, admin: Actor, cohort: list[dict[str, Any]]
) -> None:
    report = cohort_report(engine, admin, today=TODAY)
    assert report.rules == {
        "installed": registry.rules_version(),
        "patients_under_other_rules": 0,
        "changed_when_reassessed": 0,
    }
    # pretend two patients' figures were made by older rules that called them "definite"
    older = orjson.dumps(
        {"categories": {"mmn_efns_pns_2010": "definite"}, "flags": [], "lmn_ivig_trial": None},
        option=orjson.OPT_SORT_KEYS,
    ).decode()
    with engine.connect() as c:
        two = list(c.execute(select(CohortFact.patient_id).limit(2)).scalars())
    with engine.begin() as conn:
        conn.execute(
            update(CohortFact).where(CohortFact.patient_id.in_(two)).values(rules_version="old")
        )
        conn.execute(
            update(StoredResult)
            .where(StoredResult.patient_id.in_(two))
            .values(rules_version="old", summary=older)
        )
    behind = cohort_report(engine, admin, today=TODAY).rules
    assert (behind["patients_under_other_rules"], behind["changed_when_reassessed"]) == (2, 0)
    registry.reassess(engine, admin)
    after = cohort_report(engine, admin, today=TODAY).rules
    assert (after["patients_under_other_rules"], after["changed_when_reassessed"]) == (0, 2)
