"""Cohort analytics: SQL aggregates of the cohort facts of the actor's sites (decision
G14, ``docs/cohort.md``); one audit entry per report."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from neuroig.record import Record, field
from neuroig.services import registry
from neuroig.services.registry import REVIEW_DUE_WITHIN_DAYS, review_calendar, sa_true
from neuroig.store import audit
from neuroig.store.models import CaseVersion, CohortFact, Patient, ReassessProgress
from neuroig.store.permissions import Actor, authorize
from neuroig.store.repository import query_session, write_session

__all__ = ["QUERIES", "CohortReport", "cohort_report", "run_query"]


class CohortReport(Record, frozen=True):
    """The figures of a cohort report (``neuroig cohort report``)."""

    as_of: date
    #: patients of the actor's sites whose latest version is not deleted
    patients: int
    #: of those, patients with no facts yet (saved before the facts existed: run reassess)
    without_facts: int
    by_diagnosis: dict[str, int] = field(default_factory=dict)
    #: criteria set → category → patients
    categories: dict[str, dict[str, int]] = field(default_factory=dict)
    #: "diagnosis/regimen" → response class (decision M2) → patients
    response: dict[str, dict[str, int]] = field(default_factory=dict)
    #: diagnosis → grams of immunoglobulin per patient-year on it
    grams_per_patient_year: dict[str, float] = field(default_factory=dict)
    #: overdue / due (within 30 days) outcome reviews (decisions M5, M9, G11)
    review: dict[str, int] = field(default_factory=dict)
    #: "diagnosis currency" → immunoglobulin cost per patient-year
    cost_per_patient_year: dict[str, float] = field(default_factory=dict)
    #: patients for whom a dose-reduction trial is suggested (decision M5)
    dose_reduction_candidates: int = 0
    #: patients with a declining response (decision M4)
    declining_response: int = 0
    #: "diagnosis/regimen" → patients with an immunoglobulin-dependent course (M7)
    ig_dependent: dict[str, int] = field(default_factory=dict)
    #: immunoglobulin running now (ivig, scig) → patients
    current_regimen: dict[str, int] = field(default_factory=dict)
    #: diagnosis → responders with a time to response, and its median and quartiles in
    #: days from the judged course's first dose (decision G15)
    time_to_response: dict[str, dict[str, float]] = field(default_factory=dict)
    #: patients with wear-off before the next dose (decision M3)
    wear_off: int = 0
    #: the plan that would continue each patient's immunoglobulin (decision G15):
    #: ok / blocked / not_planned → patients
    plans: dict[str, int] = field(default_factory=dict)
    #: the finding that blocks → patients whose plan it blocks
    blocked_by: dict[str, int] = field(default_factory=dict)
    #: the installed rules version; patients whose figures were made under other rules
    #: (``neuroig reassess`` brings them up to date); patients whose categories, flags
    #: or IVIg-trial gate changed when reassessed under the installed rules
    rules: dict[str, Any] = field(default_factory=dict)

    def response_rates(self) -> dict[str, dict[str, float]]:
        """Per "diagnosis/regimen": the judged courses, the shares of responders and
        non-responders among them, and (with responders) the share of responders who are
        immunoglobulin-dependent; shares rounded to 4 places."""
        rates: dict[str, dict[str, float]] = {}
        for group, counts in self.response.items():
            total = sum(counts.values())
            if not total:
                continue
            responders = counts.get("responder", 0)
            rates[group] = {
                "courses": total,
                "responder": round(responders / total, 4),
                "non_responder": round(counts.get("non_responder", 0) / total, 4),
            }
            if responders:
                dependent = self.ig_dependent.get(group, 0)
                rates[group]["dependent_of_responders"] = round(dependent / responders, 4)
        return rates

    def csv_rows(self) -> list[tuple[str, str, str, str]]:
        """The figures as CSV rows: figure, group, class, value (a header row first)."""
        rows = [("figure", "group", "class", "value"), ("patients", "", "", str(self.patients))]
        rows += [("by_diagnosis", k, "", str(v)) for k, v in sorted(self.by_diagnosis.items())]
        for set_id, counts in sorted(self.categories.items()):
            rows += [("category", set_id, k, str(v)) for k, v in sorted(counts.items())]
        for group, counts in sorted(self.response.items()):
            rows += [("response", group, k, str(v)) for k, v in sorted(counts.items())]
        for name, figures in (
            ("grams_per_patient_year", self.grams_per_patient_year),
            ("cost_per_patient_year", self.cost_per_patient_year),
        ):
            rows += [(name, k, "", f"{v:g}") for k, v in sorted(figures.items())]
        rows += [("review", "", k, str(v)) for k, v in sorted(self.review.items())]
        for group, shares in sorted(self.response_rates().items()):
            rows += [("response_rate", group, k, f"{v:g}") for k, v in shares.items()]
        rows += [("ig_dependent", k, "", str(v)) for k, v in sorted(self.ig_dependent.items())]
        rows += [
            ("current_regimen", k, "", str(v)) for k, v in sorted(self.current_regimen.items())
        ]
        for group, stats in sorted(self.time_to_response.items()):
            rows += [("time_to_response", group, k, f"{v:g}") for k, v in stats.items()]
        rows += [
            ("dose_reduction_candidates", "", "", str(self.dose_reduction_candidates)),
            ("declining_response", "", "", str(self.declining_response)),
            ("wear_off", "", "", str(self.wear_off)),
        ]
        rows += [("plans", "", k, str(v)) for k, v in sorted(self.plans.items())]
        rows += [("blocked_by", k, "", str(v)) for k, v in sorted(self.blocked_by.items())]
        rows += [("rules", k, "", str(v)) for k, v in self.rules.items()]
        return rows

    def csv_text(self) -> str:
        """The CSV rows as text (RFC 4180 line ends)."""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(self.csv_rows())
        return buffer.getvalue()

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "patients": self.patients,
            "without_facts": self.without_facts,
            "by_diagnosis": self.by_diagnosis,
            "categories": self.categories,
            "response": self.response,
            "grams_per_patient_year": self.grams_per_patient_year,
            "review": self.review,
            "cost_per_patient_year": self.cost_per_patient_year,
            "dose_reduction_candidates": self.dose_reduction_candidates,
            "declining_response": self.declining_response,
            "response_rates": self.response_rates(),
            "ig_dependent": self.ig_dependent,
            "current_regimen": self.current_regimen,
            "time_to_response": self.time_to_response,
            "wear_off": self.wear_off,
            "plans": self.plans,
            "blocked_by": self.blocked_by,
            "rules": self.rules,
        }


class _Scope:
    """What every query of one report filters on: the actor's sites, and the day."""

    def __init__(self, actor: Actor, today: date) -> None:
        self.actor = actor
        self.today = today
        self.mine = CohortFact.site_id.in_(actor.site_ids) | sa_true(actor.all_sites)


def _patients(s: Session, scope: _Scope) -> dict[str, Any]:
    latest = (
        select(CaseVersion.patient_id, func.max(CaseVersion.version).label("v"))
        .group_by(CaseVersion.patient_id)
        .subquery()
    )
    listed = s.scalar(
        select(func.count())
        .select_from(CaseVersion)
        .join(
            latest,
            (latest.c.patient_id == CaseVersion.patient_id) & (latest.c.v == CaseVersion.version),
        )
        .join(Patient, Patient.id == CaseVersion.patient_id)
        .where(
            Patient.site_id.in_(scope.actor.site_ids) | sa_true(scope.actor.all_sites),
            CaseVersion.deleted.is_(False),
        )
    )
    return {"patients": int(listed or 0)}


def _by_diagnosis(s: Session, scope: _Scope) -> dict[str, Any]:
    rows = s.execute(
        select(CohortFact.diagnosis, func.count()).where(scope.mine).group_by(CohortFact.diagnosis)
    )
    return {"by_diagnosis": {str(d): n for d, n in rows}}


def _categories(s: Session, scope: _Scope) -> dict[str, Any]:
    categories: dict[str, dict[str, int]] = {}
    for name, column in (
        ("mmn_efns_pns_2010", CohortFact.mmn_category),
        ("cidp_ean_pns_2021", CohortFact.cidp_category),
    ):
        rows = s.execute(select(column, func.count()).where(scope.mine).group_by(column))
        categories[name] = {str(k): n for k, n in rows}
    return {"categories": categories}


def _response(s: Session, scope: _Scope) -> dict[str, Any]:
    response: dict[str, dict[str, int]] = {}
    for diagnosis, regimen, klass, n in s.execute(
        select(CohortFact.diagnosis, CohortFact.ig_regimen, CohortFact.response, func.count())
        .where(scope.mine, CohortFact.response.is_not(None))
        .group_by(CohortFact.diagnosis, CohortFact.ig_regimen, CohortFact.response)
    ):
        response.setdefault(f"{diagnosis}/{regimen}", {})[str(klass)] = n
    dependent = {
        f"{d}/{r}": n
        for d, r, n in s.execute(
            select(CohortFact.diagnosis, CohortFact.ig_regimen, func.count())
            .where(scope.mine, CohortFact.ig_dependent.is_(True))
            .group_by(CohortFact.diagnosis, CohortFact.ig_regimen)
        )
    }
    current = {
        str(r): n
        for r, n in s.execute(
            select(CohortFact.current_regimen, func.count())
            .where(scope.mine, CohortFact.current_regimen.is_not(None))
            .group_by(CohortFact.current_regimen)
        )
    }
    return {"response": response, "ig_dependent": dependent, "current_regimen": current}


def _time_to_response(s: Session, scope: _Scope) -> dict[str, Any]:
    days: dict[str, list[tuple[int, int]]] = {}
    for d, value, n in s.execute(
        select(CohortFact.diagnosis, CohortFact.days_to_response, func.count())
        .where(scope.mine, CohortFact.days_to_response.is_not(None))
        .group_by(CohortFact.diagnosis, CohortFact.days_to_response)
        .order_by(CohortFact.diagnosis, CohortFact.days_to_response)
    ):
        if value is not None:
            days.setdefault(str(d), []).append((int(value), int(n)))
    return {"time_to_response": {d: _quartiles(counts) for d, counts in days.items()}}


def _use(s: Session, scope: _Scope) -> dict[str, Any]:
    grams = {
        d: round(g / y, 1)
        for d, g, y in s.execute(
            select(
                CohortFact.diagnosis,
                func.sum(CohortFact.ig_grams),
                func.sum(CohortFact.ig_years),
            )
            .where(scope.mine, CohortFact.ig_years > 0)
            .group_by(CohortFact.diagnosis)
        )
        if y
    }
    cost = {
        f"{d} {c}": round(total / y, 2)
        for d, c, total, y in s.execute(
            select(
                CohortFact.diagnosis,
                CohortFact.currency,
                func.sum(CohortFact.ig_cost),
                func.sum(CohortFact.ig_years),
            )
            .where(scope.mine, CohortFact.ig_years > 0, CohortFact.ig_cost.is_not(None))
            .group_by(CohortFact.diagnosis, CohortFact.currency)
        ).all()
        if y and total is not None
    }
    return {"grams_per_patient_year": grams, "cost_per_patient_year": cost}


def _flags(s: Session, scope: _Scope) -> dict[str, Any]:
    taper, declining, wear_off = s.execute(
        select(
            func.count().filter(CohortFact.taper_suggested.is_(True)),
            func.count().filter(CohortFact.declining.is_(True)),
            func.count().filter(CohortFact.wear_off.is_(True)),
        ).where(scope.mine)
    ).one()
    return {
        "dose_reduction_candidates": int(taper),
        "declining_response": int(declining),
        "wear_off": int(wear_off),
    }


def _plans(s: Session, scope: _Scope) -> dict[str, Any]:
    plans: dict[str, int] = {}
    blocked_by: dict[str, int] = {}
    for status, why, n in s.execute(
        select(CohortFact.plan_status, CohortFact.plan_blocked_by, func.count())
        .where(scope.mine, CohortFact.plan_status.is_not(None))
        .group_by(CohortFact.plan_status, CohortFact.plan_blocked_by)
    ):
        plans[str(status)] = plans.get(str(status), 0) + n
        for finding in filter(None, (why or "").split(",")):
            blocked_by[finding] = blocked_by.get(finding, 0) + n
    return {"plans": plans, "blocked_by": blocked_by}


def _review(s: Session, scope: _Scope) -> dict[str, Any]:
    """Overdue and due reviews (decisions M5, M9, G11) counted in SQL: overdue from the
    first review date after the last assessment (``review_due_from``), due when that
    date is within 30 days. A patient assessed after the report's day (a report for an
    earlier day), or whose facts predate the column, is judged by the calendar itself."""
    today = scope.today
    soon = today + timedelta(days=REVIEW_DUE_WITHIN_DAYS)
    due_from = CohortFact.review_due_from
    exact = due_from.is_not(None) & (
        CohortFact.last_assessment.is_(None) | (CohortFact.last_assessment <= today)
    )
    overdue, due = s.execute(
        select(
            func.count().filter(due_from <= today),
            func.count().filter(due_from > today, due_from <= soon),
        ).where(scope.mine, CohortFact.ig_since.is_not(None), exact)
    ).one()
    review = {"overdue": int(overdue), "due": int(due)}
    for since, last in s.execute(
        select(CohortFact.ig_since, CohortFact.last_assessment).where(
            scope.mine, CohortFact.ig_since.is_not(None), ~exact
        )
    ):
        calendar = review_calendar(
            {
                "ig_since": since.isoformat() if since else None,
                "last_assessment": last.isoformat() if last else None,
            },
            today=today,
            within_days=REVIEW_DUE_WITHIN_DAYS,
        )
        if calendar.status is not None:
            review[calendar.status] += 1
    return {"review": review}


def _rules(s: Session, scope: _Scope) -> dict[str, Any]:
    installed = registry.rules_version()
    stale = s.scalar(select(func.count()).where(scope.mine, CohortFact.rules_version != installed))
    changed = s.scalar(
        select(func.count())
        .select_from(ReassessProgress)
        .join(CohortFact, CohortFact.patient_id == ReassessProgress.patient_id)
        .where(
            scope.mine,
            ReassessProgress.rules_version == installed,
            ReassessProgress.changed != "[]",
        )
    )
    return {
        "rules": {
            "installed": installed,
            "patients_under_other_rules": int(stale or 0),
            "changed_when_reassessed": int(changed or 0),
        }
    }


#: the dashboard's queries by name, each giving some of the report's fields (the
#: benchmark times them one by one: benchmarks/cohort.py)
QUERIES: Final[dict[str, Callable[[Session, _Scope], dict[str, Any]]]] = {
    "patients": _patients,
    "by_diagnosis": _by_diagnosis,
    "categories": _categories,
    "response": _response,
    "time_to_response": _time_to_response,
    "use_and_cost": _use,
    "flags": _flags,
    "plans": _plans,
    "review_calendar": _review,
    "rules": _rules,
}


@registry.service(patient_data=True)
def run_query(engine: Engine, actor: Actor, name: str, *, today: date) -> dict[str, Any]:
    """One dashboard query by name (:data:`QUERIES`), authorised and audited like the
    whole report; the benchmark times the queries one by one with it."""
    authorize(actor, "case.list")
    with query_session(engine) as s:
        fields = QUERIES[name](s, _Scope(actor, today))
    with write_session(engine) as s:
        audit.append(
            s,
            actor=actor.name,
            action="cohort.query",
            object_type="cohort",
            object_id=name,
            detail={},
        )
    return fields


@registry.service(patient_data=True)
def cohort_report(engine: Engine, actor: Actor, *, today: date) -> CohortReport:
    """The cohort of the actor's sites, aggregated in SQL; refused without ``case.list``."""
    authorize(actor, "case.list")
    scope = _Scope(actor, today)
    fields: dict[str, Any] = {}
    # the queries read one snapshot without the write lock (so saves and audited reads
    # never wait for a report); the figures leave only after their audit entry is written
    with query_session(engine) as s:
        if engine.dialect.name == "postgresql":
            s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        for query in QUERIES.values():
            fields |= query(s, scope)
    facts = sum(fields["by_diagnosis"].values())
    with write_session(engine) as s:
        audit.append(
            s,
            actor=actor.name,
            action="cohort.report",
            object_type="cohort",
            object_id="*",
            detail={"patients": facts},
        )
    return CohortReport(as_of=today, without_facts=max(0, fields["patients"] - facts), **fields)


def _quartiles(counts: list[tuple[int, int]]) -> dict[str, float]:
    """Patients, and the median and quartiles (nearest rank) of (value, count) pairs in
    ascending order."""
    total = sum(n for _, n in counts)

    def rank(q: float) -> float:
        wanted = max(1, math.ceil(q * total))
        seen = 0
        for value, n in counts:
            seen += n
            if seen >= wanted:
                return float(value)
        return float(counts[-1][0])

    return {
        "patients": total,
        "q1_days": rank(0.25),
        "median_days": rank(0.5),
        "q3_days": rank(0.75),
    }
