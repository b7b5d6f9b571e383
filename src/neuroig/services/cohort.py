"""Cohort analytics: SQL aggregates of the cohort facts of the actor's sites (decision
G14, ``docs/cohort.md``); one audit entry per report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select

from neuroig.services import registry
from neuroig.services.registry import REVIEW_DUE_WITHIN_DAYS, review_calendar, sa_true
from neuroig.store import audit
from neuroig.store.models import CaseVersion, CohortFact, Patient, ReassessProgress
from neuroig.store.permissions import Actor, authorize
from neuroig.store.repository import write_session

__all__ = ["CohortReport", "cohort_report"]


@dataclass(frozen=True, slots=True)
class CohortReport:
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
    #: the installed rules version; patients whose figures were made under other rules
    #: (``neuroig reassess`` brings them up to date); patients whose categories, flags
    #: or IVIg-trial gate changed when reassessed under the installed rules
    rules: dict[str, Any] = field(default_factory=dict)

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
        rows += [
            ("dose_reduction_candidates", "", "", str(self.dose_reduction_candidates)),
            ("declining_response", "", "", str(self.declining_response)),
        ]
        rows += [("rules", k, "", str(v)) for k, v in self.rules.items()]
        return rows

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
            "rules": self.rules,
        }


@registry.service(patient_data=True)
def cohort_report(engine: Engine, actor: Actor, *, today: date) -> CohortReport:
    """The cohort of the actor's sites, aggregated in SQL; refused without ``case.list``."""
    authorize(actor, "case.list")
    mine = CohortFact.site_id.in_(actor.site_ids) | sa_true(actor.all_sites)
    with write_session(engine) as s:
        latest = (
            select(CaseVersion.patient_id, func.max(CaseVersion.version).label("v"))
            .group_by(CaseVersion.patient_id)
            .subquery()
        )
        listed = (
            s.scalar(
                select(func.count())
                .select_from(CaseVersion)
                .join(
                    latest,
                    (latest.c.patient_id == CaseVersion.patient_id)
                    & (latest.c.v == CaseVersion.version),
                )
                .join(Patient, Patient.id == CaseVersion.patient_id)
                .where(
                    Patient.site_id.in_(actor.site_ids) | sa_true(actor.all_sites),
                    CaseVersion.deleted.is_(False),
                )
            )
            or 0
        )
        by_diagnosis: dict[str, int] = {
            str(d): n
            for d, n in s.execute(
                select(CohortFact.diagnosis, func.count())
                .where(mine)
                .group_by(CohortFact.diagnosis)
            ).all()
        }
        categories: dict[str, dict[str, int]] = {}
        for name, column in (
            ("mmn_efns_pns_2010", CohortFact.mmn_category),
            ("cidp_ean_pns_2021", CohortFact.cidp_category),
        ):
            rows = s.execute(select(column, func.count()).where(mine).group_by(column))
            categories[name] = {str(k): n for k, n in rows}
        response: dict[str, dict[str, int]] = {}
        for diagnosis, regimen, klass, n in s.execute(
            select(CohortFact.diagnosis, CohortFact.ig_regimen, CohortFact.response, func.count())
            .where(mine, CohortFact.response.is_not(None))
            .group_by(CohortFact.diagnosis, CohortFact.ig_regimen, CohortFact.response)
        ):
            response.setdefault(f"{diagnosis}/{regimen}", {})[str(klass)] = n
        grams = {
            d: round(g / y, 1)
            for d, g, y in s.execute(
                select(
                    CohortFact.diagnosis,
                    func.sum(CohortFact.ig_grams),
                    func.sum(CohortFact.ig_years),
                )
                .where(mine, CohortFact.ig_years > 0)
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
                .where(mine, CohortFact.ig_years > 0, CohortFact.ig_cost.is_not(None))
                .group_by(CohortFact.diagnosis, CohortFact.currency)
            ).all()
            if y and total is not None
        }
        taper, declining = s.execute(
            select(
                func.count().filter(CohortFact.taper_suggested.is_(True)),
                func.count().filter(CohortFact.declining.is_(True)),
            ).where(mine)
        ).one()
        installed = registry.rules_version()
        stale = s.scalar(select(func.count()).where(mine, CohortFact.rules_version != installed))
        changed = s.scalar(
            select(func.count())
            .select_from(ReassessProgress)
            .join(CohortFact, CohortFact.patient_id == ReassessProgress.patient_id)
            .where(
                mine,
                ReassessProgress.rules_version == installed,
                ReassessProgress.changed != "[]",
            )
        )
        review = {"overdue": 0, "due": 0}
        for since, last in s.execute(
            select(CohortFact.ig_since, CohortFact.last_assessment).where(
                mine, CohortFact.ig_since.is_not(None)
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
        facts = sum(by_diagnosis.values())
        audit.append(
            s,
            actor=actor.name,
            action="cohort.report",
            object_type="cohort",
            object_id="*",
            detail={"patients": facts},
        )
    return CohortReport(
        as_of=today,
        patients=listed,
        without_facts=max(0, listed - facts),
        by_diagnosis=by_diagnosis,
        categories=categories,
        response=response,
        grams_per_patient_year=grams,
        review=review,
        cost_per_patient_year=cost,
        dose_reduction_candidates=int(taper),
        declining_response=int(declining),
        rules={
            "installed": installed,
            "patients_under_other_rules": int(stale or 0),
            "changed_when_reassessed": int(changed or 0),
        },
    )
