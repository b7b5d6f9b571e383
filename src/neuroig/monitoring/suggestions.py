"""The review's suggestions for the clinician (M2-M9, T24): what to consider next, each
with the rule and source it rests on.
"""

from __future__ import annotations

from datetime import date

from neuroig.monitoring.axonal import AxonalNerve
from neuroig.monitoring.dose_review import DoseReview, TaperStep
from neuroig.monitoring.intensity import (
    DecliningResponse,
)
from neuroig.monitoring.response import CourseResponse
from neuroig.monitoring.review_result import Suggestion, therapy_name
from neuroig.monitoring.simon import SimonReplay
from neuroig.monitoring.wear_off import WearOff

__all__ = ["review_suggestions", "taper_text"]


def review_suggestions(
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
                taper_text(dr, mmn),
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


def taper_text(dr: DoseReview, mmn: bool | None) -> str:
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
