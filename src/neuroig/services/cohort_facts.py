"""One row of cohort facts per patient (table ``cohort_facts``), kept with its stored
result, so that cohort analytics are SQL aggregates (decision G14, ``docs/cohort.md``).

The facts are the latest version's: the disease whose criteria set is fulfilled
(decision G13), each set's category, the judged immunoglobulin course's response
(decision M2, as the review computes it; G15: the latest course that is not a
continuation, M2b), its time to response, immunoglobulin dependence (M7), the
immunoglobulin running now, the grams given and the years they span, the start of the
ongoing immunoglobulin, the last outcome assessment and the first review date after it
(the review calendar, G11),
whether a dose-reduction trial is suggested (M5), a declining response (M4), wear-off
(M3), whether the plan that would continue the immunoglobulin is blocked (G15) and the
immunoglobulin's cost.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from neuroig.case import Case
from neuroig.monitoring.course_judgement import course_responses
from neuroig.monitoring.dose_review import review_due

__all__ = ["DIAGNOSIS_SETS", "FACTS_VERSION", "IG_THERAPIES", "facts_of", "fulfils"]

#: the criteria sets of each disease a listing can filter on (decision G13)
DIAGNOSIS_SETS: Final[dict[str, tuple[str, ...]]] = {
    "mmn": ("mmn_efns_pns_2010", "mmn_aaem_2003"),
    "cidp": ("cidp_ean_pns_2021", "cidp_efns_pns_2010"),
}
_NOT_FULFILLED = frozenset({"not_fulfilled", "not_evaluable"})
IG_THERAPIES: Final = frozenset({"ivig", "scig"})
#: the version of what a row of cohort facts holds; part of the rules version, so that
#: ``reassess`` rewrites the facts of every patient when it changes
FACTS_VERSION: Final = 2


def fulfils(summary: dict[str, Any], diagnosis: str) -> bool:
    """Whether a stored summary fulfils a category (not a conditional one) of one of the
    disease's criteria sets."""
    categories = summary.get("categories") or {}
    for set_id in DIAGNOSIS_SETS[diagnosis]:
        entry = categories.get(set_id)
        category = entry.get("category") if isinstance(entry, dict) else entry
        if isinstance(category, str) and category not in _NOT_FULFILLED:
            return True
    return False


def _category(summary: dict[str, Any], set_id: str) -> str | None:
    entry = (summary.get("categories") or {}).get(set_id)
    value = entry.get("category") if isinstance(entry, dict) else entry
    return value if isinstance(value, str) else None


def facts_of(case: Case, summary: dict[str, Any]) -> dict[str, Any]:
    """The cohort facts of one case and its stored summary."""
    mmn, cidp = fulfils(summary, "mmn"), fulfils(summary, "cidp")
    diagnosis = "both" if mmn and cidp else "mmn" if mmn else "cidp" if cidp else "none"
    ig = [i for i in case.infusions or () if i.route in ("iv", "sc")]
    grams = sum(i.dose_g for i in ig if i.dose_g is not None)
    years = ((max(i.date for i in ig) - min(i.date for i in ig)).days + 1) / 365.25 if ig else 0.0
    courses = [c for c in course_responses(case, mmn=mmn) if c.therapy in IG_THERAPIES]
    judged = next((c for c in reversed(courses) if not c.continuation), None)
    if judged is None and courses:
        judged = courses[-1]
    days_to_response = (
        (judged.first_improved - judged.first_dose).days
        if judged is not None and judged.first_improved is not None
        else None
    )
    review = summary.get("review") or {}
    plan = review.get("plan")
    since, last = _day(review.get("ig_since")), _day(review.get("last_assessment"))
    return {
        "diagnosis": diagnosis,
        "mmn_category": _category(summary, "mmn_efns_pns_2010"),
        "cidp_category": _category(summary, "cidp_ean_pns_2021"),
        "ig_regimen": judged.therapy if judged else None,
        "response": judged.response if judged else None,
        "days_to_response": days_to_response,
        "ig_dependent": any(c.ig_dependent for c in courses) if courses else None,
        "current_regimen": courses[-1].therapy if courses and review.get("ig_since") else None,
        "ig_grams": float(grams),
        "ig_years": round(years, 6),
        "ig_since": since,
        "last_assessment": last,
        # the first review date after the last assessment: overdue from then on (M5, M9)
        "review_due_from": review_due(since, as_of=last or since) if since else None,
        "taper_suggested": _flag(review.get("taper_suggested")),
        "declining": _flag(review.get("declining")),
        "wear_off": _flag(review.get("wear_off")),
        "plan_status": plan.get("status") if isinstance(plan, dict) else None,
        "plan_blocked_by": ",".join(plan.get("blocked_by") or ())
        if isinstance(plan, dict)
        else None,
        "ig_cost": float(review["cost"]) if isinstance(review.get("cost"), int | float) else None,
        "currency": review.get("currency") if review.get("cost") is not None else None,
    }


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _day(text: Any) -> date | None:
    return date.fromisoformat(text) if isinstance(text, str) else None
