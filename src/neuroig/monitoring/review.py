"""The review of a treated case: one function that answers the monitoring questions.

:func:`review` takes a validated case (and optionally the diagnostic context) and
returns a :class:`Review`: the response of each course judged on treatment, with
relapse after withdrawal, the recorded judgement and declines from the best reading
(M2, M7, M8), end-of-dose wear-off (M3), dose intensity and declining response (M4),
dose review and review due date (M5), an overdue outcome assessment (M9), axonal loss
(M6), CDAS (Gorson 2010), cumulative grams and cost per product and route (T24), the
Simon 2013 replay when it applies, and suggestions. Pure: no I/O, no clock (the review
date defaults to the last dated record of the case).

The parts live in modules named for what they hold: :mod:`~neuroig.monitoring.review_result`
(the :class:`Review` and :class:`Suggestion` types), :mod:`~neuroig.monitoring.suggestions`,
:mod:`~neuroig.monitoring.review_summary` (summary lines, M9 overdue assessment) and
:mod:`~neuroig.monitoring.review_json` (:func:`review_to_json`, the ``neuroig-review/1``
data that ``neuroig.schemas.review`` stamps). Their public names stay importable here.
"""

from __future__ import annotations

from datetime import date

from neuroig.case import Case
from neuroig.diagnosis import DiagnosisContext
from neuroig.errors import InputError
from neuroig.monitoring.axonal import axonal_loss
from neuroig.monitoring.cdas import Cdas, cdas
from neuroig.monitoring.cost import cumulative_use
from neuroig.monitoring.course_judgement import (
    as_of_view,
    judge_courses,
    latest_date,
)
from neuroig.monitoring.dose_review import dose_review
from neuroig.monitoring.intensity import (
    declining_response,
    dose_intensity,
)
from neuroig.monitoring.readings import case_readings, merge_same_day
from neuroig.monitoring.review_json import review_to_json
from neuroig.monitoring.review_result import (
    DIAGNOSIS_NOT_EVALUATED,
    FORMAT,
    Review,
    Suggestion,
    therapy_name,
)
from neuroig.monitoring.review_summary import assessment_overdue, dose_count_note, summary_lines
from neuroig.monitoring.schedule import build_schedule
from neuroig.monitoring.simon import simon_replay
from neuroig.monitoring.suggestions import review_suggestions
from neuroig.monitoring.wear_off import wear_off
from neuroig.record import replace
from neuroig.reference import PriceTable, builtin_price_table
from neuroig.therapy.dosing_weight import POLICIES, WeightPolicy

__all__ = [
    "DIAGNOSIS_NOT_EVALUATED",
    "FORMAT",
    "Review",
    "Suggestion",
    "latest_date",
    "review",
    "review_to_json",
    "therapy_name",
]
#: Review dates the calendar arithmetic accepts (case dates start in 1900, decision P11).
_EARLIEST_AS_OF = date(1900, 1, 1)
_LATEST_AS_OF = date(9000, 12, 31)


def _words(category: str) -> str:
    """A category value in words (``not_fulfilled`` → ``not fulfilled``)."""
    return category.replace("possible_cidp", "possible CIDP").replace("_", " ")


def _diagnosis_note(diagnosis: DiagnosisContext | None) -> tuple[str, bool | None]:
    if diagnosis is None:
        return DIAGNOSIS_NOT_EVALUATED, None
    mmn = diagnosis.mmn
    parts = []
    if diagnosis.mmn_category is not None:
        parts.append(f"MMN (EFNS/PNS 2010): {_words(diagnosis.mmn_category)}")
    if diagnosis.cidp_category is not None:
        phen = f", {diagnosis.cidp_phenotype}" if diagnosis.cidp_phenotype else ""
        cidp = "CIDP" if diagnosis.cidp_category == "cidp" else _words(diagnosis.cidp_category)
        parts.append(f"CIDP (EAN/PNS 2021): {cidp}{phen}")
    if diagnosis.lmn_without_block:
        parts.append("progressive LMN syndrome without conduction block")
    if mmn:
        parts.append("MMN per-muscle MCID applies (M1)")
    return "; ".join(parts) or "diagnosis evaluated: no category met", mmn


def review(
    case: Case,
    *,
    diagnosis: DiagnosisContext | None = None,
    as_of: date | None = None,
    weight_policy: WeightPolicy = "bloodstar-2026",
    currency: str = "GBP",
    prices: PriceTable | None = None,
    simon_course: int | None = None,
) -> Review:
    """Review a treated case: response, wear-off, dose intensity, axonal loss, dose review.

    Parameters
    ----------
    case
        A validated case.
    diagnosis
        The criteria summary; None means "not evaluated" and the review says so.
    as_of
        The review date; later records are ignored. Default: the case's last dated record.
    weight_policy
        Dosing-weight policy for dose intensity (decision T1).
    currency, prices
        Currency and price table for the cumulative cost (default: the built-in table).
    simon_course
        Index into ``treatments`` of an IVIg course to judge as in Simon 2013 even when
        the diagnosis does not call for it.

    Raises
    ------
    InputError
        No dated record and no ``as_of``; an ``as_of`` outside 1900-01-01 … 9000-12-31; an
        unknown weight policy; a bad ``simon_course``.

    References
    ----------
    Decisions M1-M9 (docs/decisions.md); Van den Bergh PYK et al., EAN/PNS CIDP
    guideline 2021; Gorson KC et al. 2010 (CDAS);
    Simon 2013.
    """
    if weight_policy not in POLICIES:
        raise InputError("weight_policy", weight_policy, f"must be one of: {', '.join(POLICIES)}")
    if as_of is None:
        as_of = latest_date(case)
        if as_of is None:
            raise InputError(
                "as_of",
                None,
                "the case has no dated assessment, infusion or treatment",
                "give a review date",
            )
    if not _EARLIEST_AS_OF <= as_of <= _LATEST_AS_OF:
        raise InputError(
            "as_of",
            as_of.isoformat(),
            f"must be a date from {_EARLIEST_AS_OF} to {_LATEST_AS_OF}",
            "case dates start in 1900 (decision P11); the rules look years before and after it",
        )
    return _review(
        case,
        diagnosis=diagnosis,
        as_of=as_of,
        weight_policy=weight_policy,
        currency=currency,
        prices=prices,
        simon_course=simon_course,
    )


def _review(
    case: Case,
    *,
    diagnosis: DiagnosisContext | None,
    as_of: date,
    weight_policy: WeightPolicy,
    currency: str,
    prices: PriceTable | None,
    simon_course: int | None,
) -> Review:
    view = as_of_view(case, as_of)
    schedule = build_schedule(view)
    raw, notes = case_readings(view)
    by_day, day_notes = merge_same_day(raw)
    by_timing, _ = merge_same_day(raw, by_timing=True)
    diag_note, mmn = _diagnosis_note(diagnosis)
    courses = judge_courses(view, schedule, by_day, as_of=as_of, mmn=mmn)
    wo = wear_off(schedule, by_timing)
    intensity = dose_intensity(view, schedule, policy=weight_policy)
    dec = declining_response(intensity, by_day)
    current = next((c.response for c in reversed(courses) if c.therapy in ("ivig", "scig")), None)
    dr = dose_review(
        schedule,
        by_day,
        as_of=as_of,
        wear_off=wo.detected,
        declining=dec.detected,
        current_response=current,
    )
    ax = axonal_loss(view)
    if diagnosis is not None and diagnosis.mmn:
        cd: Cdas | None = None
        cdas_note = "CDAS (Gorson 2010) is defined for CIDP; not applied to MMN"
    else:
        cd = cdas(schedule.courses, courses, by_day, as_of=as_of)
        cdas_note = (
            "CDAS is defined for CIDP; the diagnosis is not evaluated" if diagnosis is None else ""
        )
    use = cumulative_use(
        view, currency=currency, prices=prices or builtin_price_table(), as_of=as_of
    )
    simon = simon_replay(
        schedule, by_day, as_of=as_of, diagnosis=diagnosis, course_index=simon_course
    )
    all_notes = list(notes) + day_notes + list(schedule.notes) + list(intensity.notes)
    if diagnosis is None:
        all_notes.insert(0, DIAGNOSIS_NOT_EVALUATED)
    if intensity.weight is not None and intensity.weight.fallback:
        all_notes.append(intensity.weight.reason)
    overdue, last_assessment = assessment_overdue(dr, by_day, as_of=as_of)
    if overdue is not None and dr.taper_suggested:
        # M9 shapes the dose review: no dose-reduction trial on an unassessed effect
        dr = replace(
            dr,
            taper_suggested=None,
            reason=(
                f"outcome assessment overdue since {overdue} (M9): assess before any "
                f"dose-reduction trial (otherwise {dr.reason})"
            ),
            steps=(),
            alternative=None,
        )
    dose_note = dose_count_note(schedule, use.infusions)
    suggestions = review_suggestions(
        courses=courses,
        wo=wo,
        dec=dec,
        dr=dr,
        ax=ax,
        simon=simon,
        mmn=mmn,
        overdue=overdue,
        last_assessment=last_assessment,
    )
    return Review(
        case_id=case.case_id,
        as_of=as_of,
        diagnosis=diagnosis,
        diagnosis_note=diag_note,
        mmn=mmn,
        schedule=schedule,
        readings=tuple(by_day),
        timed_readings=tuple(by_timing),
        courses=courses,
        wear_off=wo,
        intensity=intensity,
        declining=dec,
        dose_review=dr,
        axonal=ax,
        cdas=cd,
        cdas_note=cdas_note,
        use=use,
        simon=simon,
        suggestions=tuple(suggestions),
        summary=tuple(
            summary_lines(
                rv_courses=courses,
                wo=wo,
                dec=dec,
                ax=ax,
                cd=cd,
                use=use,
                dr=dr,
                diag_note=diag_note,
                overdue=overdue,
                dose_note=dose_note,
            )
        ),
        notes=tuple(all_notes),
        assessment_overdue_since=overdue,
        last_assessment=last_assessment,
        dose_count_note=dose_note,
    )
