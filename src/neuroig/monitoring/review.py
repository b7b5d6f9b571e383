"""The review of a treated case: one function that answers the monitoring questions.

:func:`review` takes a validated case (and optionally the diagnostic context) and
returns a :class:`Review`: the response of each course judged on treatment, with
relapse after withdrawal, the recorded judgement and declines from the best reading
(M2, M7, M8), end-of-dose wear-off (M3), dose intensity and declining response (M4),
dose review and review due date (M5), an overdue outcome assessment (M9), axonal loss
(M6), CDAS (Gorson 2010), cumulative grams and cost per product and route (T24), the
Simon 2013 replay when it applies, and suggestions. :func:`review_to_json` renders it as
``neuroig-review/1``. Pure: no I/O, no clock (the review date defaults to the last
dated record of the case).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from neuroig._version import __version__
from neuroig.case import Case
from neuroig.diagnosis import DiagnosisContext
from neuroig.errors import InputError
from neuroig.monitoring.axonal import AxonalNerve, axonal_loss
from neuroig.monitoring.cdas import Cdas, cdas
from neuroig.monitoring.cost import CumulativeUse, cumulative_use
from neuroig.monitoring.dose_review import DoseReview, TaperStep, dose_review, last_review_due
from neuroig.monitoring.intensity import (
    DecliningResponse,
    DoseIntensity,
    declining_response,
    dose_intensity,
)
from neuroig.monitoring.readings import Change, Reading, case_readings, merge_same_day
from neuroig.monitoring.response import CourseResponse, course_response
from neuroig.monitoring.schedule import Schedule, build_schedule
from neuroig.monitoring.simon import SimonReplay, simon_replay
from neuroig.monitoring.wear_off import WearOff, wear_off
from neuroig.reference import PriceTable, builtin_price_table
from neuroig.reference.outcomes import rule_value
from neuroig.therapy import POLICIES, WeightPolicy

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

FORMAT = "neuroig-review/1"

#: Review dates the calendar arithmetic accepts (case dates start in 1900, decision P11).
_EARLIEST_AS_OF = date(1900, 1, 1)
_LATEST_AS_OF = date(9000, 12, 31)

DIAGNOSIS_NOT_EVALUATED = "diagnosis not evaluated — diagnosis-specific rules not applied"

_THERAPY_NAMES = {
    "ivig": "IVIg",
    "scig": "SCIg",
    "plasma_exchange": "plasma exchange",
}


def therapy_name(therapy: str) -> str:
    """A readable name of a therapy code."""
    return _THERAPY_NAMES.get(therapy, therapy.replace("_", " "))


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggestion for the clinician with the rule and source it rests on."""

    id: str
    text: str
    basis: str
    severity: str = "info"


@dataclass(frozen=True, slots=True)
class Review:
    """Everything the review found, with the evidence for each answer."""

    case_id: str
    as_of: date
    diagnosis: DiagnosisContext | None
    diagnosis_note: str
    mmn: bool | None
    schedule: Schedule
    readings: tuple[Reading, ...]
    timed_readings: tuple[Reading, ...]
    courses: tuple[CourseResponse, ...]
    wear_off: WearOff
    intensity: DoseIntensity
    declining: DecliningResponse
    dose_review: DoseReview
    axonal: tuple[AxonalNerve, ...]
    cdas: Cdas | None
    cdas_note: str
    use: CumulativeUse
    simon: SimonReplay | None
    suggestions: tuple[Suggestion, ...]
    summary: tuple[str, ...]
    notes: tuple[str, ...]
    assessment_overdue_since: date | None = None
    last_assessment: date | None = None
    dose_count_note: str = ""


def latest_date(case: Case) -> date | None:
    """The last dated record of the case: assessment, infusion or NCS (else a course start).

    A planned course's start is not a record of what happened, so it counts only when
    nothing else is dated.
    """
    dates: list[date] = [a.date for a in case.assessments or ()]
    dates += [i.date for i in case.infusions or ()]
    if case.ncs is not None and case.ncs.date is not None:
        dates.append(case.ncs.date)
    if not dates:
        dates = [t.start for t in case.treatments or ()]
    return max(dates) if dates else None


def _as_of_view(case: Case, as_of: date) -> Case:
    """The case as it stood on ``as_of``: later assessments and infusions dropped.

    Treatments are kept (their indices name the courses); courses starting later are
    left out of the review by their start date.
    """
    update: dict[str, Any] = {}
    if case.assessments is not None:
        update["assessments"] = [a for a in case.assessments if a.date <= as_of]
    if case.infusions is not None:
        update["infusions"] = [i for i in case.infusions if i.date <= as_of]
    return case.model_copy(update=update)


def _diagnosis_note(diagnosis: DiagnosisContext | None) -> tuple[str, bool | None]:
    if diagnosis is None:
        return DIAGNOSIS_NOT_EVALUATED, None
    mmn = diagnosis.mmn
    parts = []
    if diagnosis.mmn_category is not None:
        parts.append(f"MMN (EFNS/PNS 2010): {diagnosis.mmn_category}")
    if diagnosis.cidp_category is not None:
        phen = f", {diagnosis.cidp_phenotype}" if diagnosis.cidp_phenotype else ""
        parts.append(f"CIDP (EAN/PNS 2021): {diagnosis.cidp_category}{phen}")
    if diagnosis.lmn_without_block:
        parts.append("progressive LMN syndrome without conduction block")
    if mmn:
        parts.append("MMN per-muscle MCID applies (M1)")
    return "; ".join(parts) or "diagnosis evaluated: no category met", mmn


def _suggestions(
    *,
    courses: tuple[CourseResponse, ...],
    wo: WearOff,
    dec: DecliningResponse,
    dr: DoseReview,
    ax: tuple[AxonalNerve, ...],
    simon: SimonReplay | None,
    mmn: bool | None,
    overdue: date | None = None,
    last_assessment: date | None = None,
) -> list[Suggestion]:
    out: list[Suggestion] = []
    if overdue is not None:
        out.append(
            Suggestion(
                "REVIEW-ASSESSMENT-OVERDUE",
                f"Outcome assessment overdue: on immunoglobulin maintenance with no outcome "
                f"assessment since the review due {overdue}"
                + (f" (last assessment {last_assessment})" if last_assessment else "")
                + ". Assess disability and strength (adjusted INCAT, I-RODS, grip) before "
                "continuing: the effect of the current dose is not known.",
                "M9; M5 review calendar (Ontario IGUM v5: effectiveness review at 6 months, "
                "then yearly)",
                "warn",
            )
        )
    ig_running = any(c.therapy in ("ivig", "scig") and not c.stopped for c in courses)
    for c in courses:
        if c.agreement == "disagree":
            out.append(
                Suggestion(
                    "REVIEW-JUDGEMENT-DISAGREES",
                    f"{c.course} ({therapy_name(c.therapy)} from {c.start}): the readings give "
                    f"{(c.computed or 'indeterminate').replace('_', '-')} but the recorded "
                    f"judgement is {c.clinician}: the course is shown as indeterminate — "
                    "re-examine the record and the measures before deciding on this therapy.",
                    "M7",
                    "warn",
                )
            )
        if c.ig_dependent and not ig_running:
            out.append(
                Suggestion(
                    "REVIEW-RESTART",
                    f"{c.course} ({therapy_name(c.therapy)} from {c.start}) improved on "
                    "treatment and the patient relapsed after it was stopped: this is "
                    "immunoglobulin dependence, not non-response — suggest restarting "
                    "immunoglobulin at the last effective regimen.",
                    "M7; EAN/PNS 2021 (relapse after withdrawal: restart the effective treatment)",
                    "warn",
                )
            )
        if c.declines and not c.stopped:
            worse = ", ".join(
                f"{x.label} {x.baseline:g}→{x.latest:g} (worse than best by {abs(x.delta):g}, "
                f"MCID {x.mcid:g})"
                for x in c.declines
            )
            out.append(
                Suggestion(
                    "REVIEW-WORSE-THAN-BEST",
                    f"{c.course}: on treatment, worse than the best reading by at least the "
                    f"MCID: {worse}. Look for wear-off, an insufficient dose, axonal loss or "
                    "another cause before the next dose change.",
                    "M8",
                    "warn",
                )
            )
    for c in courses:
        if c.response == "non_responder" and c.therapy in ("ivig", "scig"):
            out.append(
                Suggestion(
                    "REVIEW-NON-RESPONDER",
                    f"{c.course} ({therapy_name(c.therapy)} from {c.start}) shows no improvement "
                    "by an MCID after 12 weeks or more: reconsider the diagnosis, the dose and "
                    "adherence before continuing; immunoglobulin without objective benefit is "
                    "not supported.",
                    "M2; EAN/PNS 2021 (2-5 further doses before declaring non-response)",
                )
            )
    if wo.detected:
        out.append(
            Suggestion(
                "REVIEW-WEAR-OFF",
                "End-of-dose wear-off in consecutive cycles: consider a shorter interval or the "
                "same grams split into more frequent doses, a higher dose, or weekly SCIg for "
                "steadier IgG levels.",
                "M3; EAN/PNS 2021 (end-of-dose deterioration: higher dose or shorter interval); "
                "DRIP rationale",
            )
        )
    if dec.detected:
        out.append(
            Suggestion(
                "REVIEW-DECLINING",
                f"More immunoglobulin for no more strength: dose intensity rose "
                f"{dec.change_pct:g} % ({dec.window_from} → {dec.window_to}) while the outcome "
                "was flat or worse. Look for axonal loss (not reversed by IVIg), check whether "
                "the extra dose helps (e.g. return to the lower dose under close review), and "
                "re-examine the diagnosis.",
                "M4; van den Berg 2012 review; Herraets 2020 (MMN decline despite rising dose)",
            )
        )
    flagged = [n for n in ax if n.flagged]
    if flagged:
        names = ", ".join(f"{n.side} {n.nerve}" for n in flagged)
        out.append(
            Suggestion(
                "REVIEW-AXONAL-LOSS",
                f"Axonal loss likely in {names} (distal CMAP fallen ≥ 50 % or below the LLN). "
                "Axonal loss predicts a worse long-term outcome and limits what more "
                "immunoglobulin can restore; a distal conduction block can also lower the "
                "distal CMAP, so compare with the proximal sites.",
                "M6; Herraets 2020; Cats 2010",
            )
        )
    if dr.taper_suggested and dr.regimen is not None:
        out.append(
            Suggestion(
                "REVIEW-TAPER",
                _taper_text(dr, mmn),
                "M5; ProCID 2022; Danish SCIg taper 2023; PATH extension",
            )
        )
    if dr.next_review_due is not None:
        out.append(
            Suggestion(
                "REVIEW-DUE",
                f"Next effectiveness review due {dr.next_review_due} ({dr.review_reason}).",
                "M5; Ontario IGUM v5",
            )
        )
    if simon is not None and simon.course is not None:
        f = simon.figures
        out.append(
            Suggestion(
                "REVIEW-SIMON-2013",
                f"IVIg trial in an LMN syndrome without block judged as in Simon 2013: "
                f"{simon.course.response.replace('_', '-')}. In that cohort {f.responders}/"
                f"{f.cohort} responded; every responder had distal upper-limb onset, EMG "
                "confined to weak muscles and a normal CK, a triad also present in "
                f"{f.triad_in_distal_onset_non_responders_pct:g} % of distal-onset "
                "non-responders.",
                "Simon 2013; decision M2-SIMON (response definition not verified)",
            )
        )
    return out


def _taper_text(dr: DoseReview, mmn: bool | None) -> str:
    r = dr.regimen
    assert r is not None

    def step(s: TaperStep) -> str:
        return f"{s.dose_g:g} g every {s.interval_weeks} weeks"

    if r.route == "sc":
        plan = "; ".join(f"week {s.start_week}: {s.label} = {s.dose_g:g} g" for s in dr.steps)
        text = (
            f"Stable for 12 months on {r.dose_g:g} g SCIg every {r.interval_weeks} week(s): "
            f"suggest a standardised taper, one step every 12 weeks ({plan}), reviewing "
            "disability and grip at each step."
        )
    else:
        alt = f", or {step(dr.alternative)}" if dr.alternative else ""
        text = (
            f"Stable for 12 months on {r.dose_g:g} g IVIg every {r.interval_weeks} weeks: "
            f"suggest a dose-reduction trial — first step {step(dr.steps[0])} (25 % less){alt}; "
            "further steps 50 % and 25 % while stable; on relapse return to the last "
            "effective dose (most relapsing patients recover on it: PATH extension 92 %)."
        )
    if mmn:
        text += " The step sizes come from CIDP studies; MMN usually stays Ig-dependent."
    return text


def _summary(
    *,
    rv_courses: tuple[CourseResponse, ...],
    wo: WearOff,
    dec: DecliningResponse,
    ax: tuple[AxonalNerve, ...],
    cd: Cdas | None,
    use: CumulativeUse,
    dr: DoseReview,
    diag_note: str,
    overdue: date | None = None,
    dose_note: str = "",
) -> list[str]:
    lines: list[str] = []
    if overdue is not None:
        lines.append(f"WARN outcome assessment overdue: none since the review due {overdue} (M9)")
    for c in rv_courses:
        line = (
            f"{c.course}: {therapy_name(c.therapy)} from {c.start} — {c.response.replace('_', '-')}"
        )
        if c.ig_dependent:
            line += " (immunoglobulin-dependent: relapse after withdrawal, M7)"
        if c.agreement == "disagree":
            line += (
                f" (computed {(c.computed or '').replace('_', '-')}, recorded judgement "
                f"{c.clinician}: they disagree, M7)"
            )
        elif c.clinician is not None:
            line += f"; recorded judgement {c.clinician}"
        if c.declines:
            line += "; worse than best: " + ", ".join(
                f"{x.label} by {abs(x.delta):g}" for x in c.declines
            )
        lines.append(line)
    state = {True: "detected", False: "not detected", None: "unknown"}
    lines.append(f"Wear-off: {state[wo.detected]}")
    lines.append(f"Declining response: {state[dec.detected]}")
    flagged = [f"{n.side} {n.nerve}" for n in ax if n.flagged]
    serial = [n for n in ax if n.flagged is not None]
    if flagged:
        lines.append("Axonal loss: " + ", ".join(flagged))
    elif serial:
        lines.append(f"Axonal loss: no nerve flagged ({len(serial)} followed)")
    elif ax:
        lines.append("Axonal loss: not judged (no serial nerve studies)")
    if cd is not None:
        lines.append(f"CDAS: {cd.number} ({cd.name})" if cd.number else "CDAS: not classified")
    cost = (
        f"{use.currency} {use.cost:,.0f}"
        if use.cost is not None
        else f"{use.currency} not computed"
    )
    if use.cost is not None and use.before_table:
        cost += f" ({use.before_table} infusion(s) at the earliest price, T24)"
    lines.append(f"Immunoglobulin: {use.grams:,.0f} g over {use.infusions} infusions; cost {cost}")
    if dose_note:
        lines.append(dose_note)
    if dr.next_review_due:
        lines.append(f"Next review due {dr.next_review_due}")
    if dr.taper_suggested:
        lines.append("Dose-reduction trial suggested")
    lines.append(f"Diagnosis: {diag_note}")
    return lines


def _overdue(
    dr: DoseReview, readings: Sequence[Reading], *, as_of: date
) -> tuple[date | None, date | None]:
    """Decision M9: the review due date with no outcome assessment since, and the last one.

    Applies on immunoglobulin maintenance (an ongoing Ig therapy, M5): overdue when no
    outcome reading is dated on or after the latest review due date on or before the
    review date.
    """
    last = max((r.date for r in readings if r.date <= as_of), default=None)
    if dr.therapy_start is None:
        return None, last
    due = last_review_due(dr.therapy_start, as_of=as_of)
    if due is None or (last is not None and last >= due):
        return None, last
    return due, last


def _dose_count_note(schedule: Schedule, infusions: int) -> str:
    """Why the number of infusions and of doses differ (decision M4a), or ''."""
    events = schedule.events
    if infusions == len(events):
        return ""
    split = [e for e in events if len(e.infusions) > 1]
    gap = int(rule_value("DOSE-EVENT-GAP-DAYS"))
    shown = "; ".join(
        f"{e.date}→{e.last_date}: {len(e.infusions)} infusions, {e.grams:g} g" for e in split[:4]
    )
    more = f"; and {len(split) - 4} more" if len(split) > 4 else ""
    return (
        f"{infusions} infusions make {len(events)} doses: infusions of one course at most "
        f"{gap} days apart are one dose (decision M4a), so {infusions - len(events)} "
        f"infusion(s) are part of a dose split over consecutive days ({shown}{more})"
    )


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
    view = _as_of_view(case, as_of)
    schedule = build_schedule(view)
    raw, notes = case_readings(view)
    by_day, day_notes = merge_same_day(raw)
    by_timing, _ = merge_same_day(raw, by_timing=True)
    diag_note, mmn = _diagnosis_note(diagnosis)
    courses = _judge(view, schedule, by_day, as_of=as_of, mmn=mmn)
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
    overdue, last_assessment = _overdue(dr, by_day, as_of=as_of)
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
    dose_note = _dose_count_note(schedule, use.infusions)
    suggestions = _suggestions(
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
            _summary(
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


# ---------------------------------------------------------------- JSON (neuroig-review/1)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _change(c: Change) -> dict[str, Any]:
    return {
        "measure": c.measure,
        "label": c.label,
        "baseline": c.baseline,
        "latest": c.latest,
        "delta": c.delta,
        "mcid": c.mcid,
        "status": c.status,
        "counts": c.counts,
        "baseline_date": _d(c.baseline_date),
        "latest_date": _d(c.latest_date),
        "verified": c.verified,
        "note": c.note,
    }


def _course(c: CourseResponse) -> dict[str, Any]:
    return {
        "course": c.course,
        "therapy": c.therapy,
        "start": _d(c.start),
        "end": _d(c.end),
        "implicit": c.implicit,
        "first_dose": _d(c.first_dose),
        "induction_end": _d(c.induction_end),
        "baseline_date": _d(c.baseline_date),
        "follow_up_from": _d(c.follow_up_from),
        "follow_up_date": _d(c.follow_up_date),
        "response": c.response,
        "computed_response": c.computed,
        "clinician_judgement": c.clinician,
        "clinician_objective": c.clinician_objective,
        "agreement": c.agreement,
        "on_treatment_to": _d(c.on_treatment_to),
        "stopped": c.stopped,
        "ig_dependent": c.ig_dependent,
        "worse_than_best": [_change(x) for x in c.declines],
        "relapse_after_withdrawal": [_change(x) for x in c.relapse],
        "reason": c.reason,
        "rule": "M2/M7",
        "mmn_rule": c.mmn_rule,
        "changes": [_change(x) for x in c.changes],
        "not_compared": list(c.not_compared),
        "doses": c.doses,
        "grams": c.grams,
    }


def _step(s: TaperStep | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "label": s.label,
        "dose_g": s.dose_g,
        "interval_weeks": s.interval_weeks,
        "start_week": s.start_week,
    }


def course_responses(case: Case, *, mmn: bool | None = None) -> tuple[CourseResponse, ...]:
    """Decision M2 for every course of the case, as of its latest dated record.

    Used by the criteria (decision C4: a responder classification computed from the
    assessments counts as objective improvement). Empty when the case has no dated
    record or no assessment.
    """
    if not case.assessments:
        return ()
    as_of = latest_date(case)
    if as_of is None:
        return ()
    view = _as_of_view(case, as_of)
    schedule = build_schedule(view)
    raw, _ = case_readings(view)
    by_day, _ = merge_same_day(raw)
    return _judge(view, schedule, by_day, as_of=as_of, mmn=mmn)


def _judge(
    case: Case, schedule: Schedule, readings: Sequence[Reading], *, as_of: date, mmn: bool | None
) -> tuple[CourseResponse, ...]:
    """Decisions M2/M7/M8 for each course started by ``as_of``, with its recorded judgement."""
    treatments = case.treatments or []
    out: list[CourseResponse] = []
    for c in schedule.courses:
        if c.start > as_of:
            continue
        t = treatments[c.index] if c.index is not None else None
        out.append(
            course_response(
                c,
                readings,
                as_of=as_of,
                mmn=mmn,
                clinician=t.response if t is not None else None,
                clinician_objective=t.objective if t is not None else None,
            )
        )
    return tuple(out)


def review_to_json(rv: Review) -> dict[str, Any]:
    """Render a review as the ``neuroig-review/1`` document (output-format.md)."""
    w = rv.intensity.weight
    dec = rv.declining
    dr = rv.dose_review
    use = rv.use
    simon: dict[str, Any] | None = None
    if rv.simon is not None:
        s = rv.simon
        f = s.figures
        simon = {
            "applies": s.applies,
            "requested": s.requested,
            "trigger": s.trigger,
            "judged_from": _d(s.judged_from),
            "course": _course(s.course) if s.course else None,
            "response": s.course.response if s.course else None,
            "mmn_like_triad": s.triad,
            "reason": s.reason,
            "definition_verified": f.response_definition_verified,
            "definition_note": f.response_definition_note,
            "published": {
                "cite": f.cite,
                "cohort": f.cohort,
                "responders": f.responders,
                "response_pct": round(100.0 * f.responders / f.cohort, 1),
                "triad_in_responders": f"{f.triad_in_responders}/{f.responders}",
                "triad_in_distal_onset_non_responders_pct": (
                    f.triad_in_distal_onset_non_responders_pct
                ),
                "non_responders_later_umn_pct": f.non_responders_later_umn_pct,
                "non_responders_later_bulbar_pct": f.non_responders_later_bulbar_pct,
                "non_responders_later_pma_pct": f.non_responders_later_pma_pct,
                "verified": f.verified,
            },
        }
    return {
        "format": FORMAT,
        "neuroig_version": __version__,
        "case_id": rv.case_id,
        "as_of": _d(rv.as_of),
        "diagnosis": {
            "evaluated": rv.diagnosis is not None,
            "mmn": rv.mmn,
            "note": rv.diagnosis_note,
        },
        "summary": list(rv.summary),
        "courses": [_course(c) for c in rv.courses],
        "wear_off": {
            "detected": rv.wear_off.detected,
            "rule": "M3",
            "reason": rv.wear_off.reason,
            "cycles_total": rv.wear_off.cycles_total,
            "run": list(rv.wear_off.run),
            "cycles": [
                {
                    "number": c.number,
                    "from": _d(c.start),
                    "to": _d(c.end),
                    "status": c.status,
                    "peak_date": _d(c.peak_date),
                    "trough_date": _d(c.trough_date),
                    "reason": c.reason,
                    "drops": [
                        {
                            "measure": d.measure,
                            "peak": d.peak,
                            "trough": d.trough,
                            "delta": d.delta,
                            "mcid": d.mcid,
                            "recovered": d.recovered,
                            "recovery_value": d.recovery_value,
                            "recovery_date": _d(d.recovery_date),
                        }
                        for d in c.drops
                    ],
                }
                for c in rv.wear_off.cycles
            ],
        },
        "declining_response": {
            "detected": dec.detected,
            "rule": "M4",
            "dose_intensity_change_pct": dec.change_pct,
            "window_from": _d(dec.window_from),
            "window_to": _d(dec.window_to),
            "intensity_from": dec.intensity_from,
            "intensity_to": dec.intensity_to,
            "changes": [_change(c) for c in dec.changes],
            "reason": dec.reason,
        },
        "dose_intensity": [
            {
                "from": _d(p.start),
                "to": _d(p.end),
                "g_per_kg_per_28d": p.g_per_kg_per_28d,
                "grams_per_dose": p.grams_per_dose,
                "interval_days": p.interval_days,
                "doses": p.doses,
                "route": p.route,
            }
            for p in rv.intensity.periods
        ],
        "dosing_weight": None
        if w is None
        else {
            "kg": w.kg,
            "policy": w.policy,
            "actual_kg": w.actual_kg,
            "on": _d(w.on),
            "weight_source": w.weight_source,
            "fallback": w.fallback,
            "reason": w.reason,
            "latest_weight_kg": rv.intensity.latest_weight_kg,
            "latest_weight_source": rv.intensity.latest_weight_source,
        },
        "axonal_loss": [
            {
                "nerve": n.nerve,
                "side": n.side,
                "recording": n.recording,
                "first_mv": n.first_mv,
                "latest_mv": n.latest_mv,
                "first_date": _d(n.points[0].date),
                "latest_date": _d(n.points[-1].date),
                "studies": len(n.points),
                "change_pct": n.change_pct,
                "fall_ge_threshold": n.fall_flag,
                "below_lln": n.below_lln,
                "lln_mv": n.points[-1].lln_mv,
                "lln_source": n.points[-1].lln_source,
                "flagged": n.flagged,
                "rule": "M6",
                "reason": n.reason,
            }
            for n in rv.axonal
        ],
        "cdas": rv.cdas.number if rv.cdas else None,
        "cdas_detail": {
            "name": rv.cdas.name if rv.cdas else None,
            "reason": rv.cdas.reason if rv.cdas else rv.cdas_note,
            "note": rv.cdas_note,
            "source": rv.cdas.source if rv.cdas else None,
        },
        "cumulative": {
            "grams": use.grams,
            "infusions": use.infusions,
            "first": _d(use.first),
            "last": _d(use.last),
            "grams_by_route": use.grams_by_route,
            "grams_by_product": use.grams_by_product,
            "grams_by_year": {str(k): v for k, v in use.grams_by_year.items()},
            "grams_last_12_months": use.grams_last_12_months,
            "currency": use.currency,
            "cost": use.cost,
            "cost_priced_part": use.cost_priced_part,
            "unpriced_grams": use.unpriced_grams,
            "unpriced": list(use.unpriced),
            "price_table": use.price_table,
            "price_sources": list(use.price_sources),
            "cost_by_product_route": use.cost_by_product_route,
            "priced_at_earliest_price": use.before_table,
            "price_notes": list(use.price_notes),
            "reason": use.reason,
            "doses_note": rv.dose_count_note,
        },
        "assessment_overdue": {
            "overdue": rv.assessment_overdue_since is not None,
            "since_review_due": _d(rv.assessment_overdue_since),
            "last_assessment": _d(rv.last_assessment),
            "rule": "M9",
        },
        "next_review_due": _d(dr.next_review_due),
        "review_due_reason": dr.review_reason,
        "taper": {
            "suggested": dr.taper_suggested,
            "rule": "M5",
            "reason": dr.reason,
            "regimen": None
            if dr.regimen is None
            else {
                "dose_g": dr.regimen.dose_g,
                "interval_weeks": dr.regimen.interval_weeks,
                "route": dr.regimen.route,
            },
            "steps": [_step(s) for s in dr.steps],
            "alternative": _step(dr.alternative),
            "stability": [_change(c) for c in dr.stability],
        },
        "simon_2013": simon,
        "suggestions": [
            {"id": s.id, "severity": s.severity, "text": s.text, "basis": s.basis}
            for s in rv.suggestions
        ],
        "notes": list(rv.notes),
    }
