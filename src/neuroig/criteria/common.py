"""Criteria shared by several sets: CSF (C6), treatment response (C4, C14), imaging (C5),
biopsy, and sensory NCS summaries (E8)."""

from __future__ import annotations

from collections.abc import Iterable

from neuroig.criteria.context import CaseContext
from neuroig.criteria.verdict import CriterionResult, Kind
from neuroig.evidence import Evidence
from neuroig.reference.thresholds import threshold
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, decide

__all__ = [
    "csf_protein_raised",
    "imaging_supportive",
    "make",
    "sensory_abnormal_count",
    "sensory_all_normal",
    "treatment_response",
]


def make(
    cid: str,
    kind: Kind,
    status: Status,
    statement: str,
    reason: str,
    cite: str,
    *,
    evidence: Iterable[Evidence] = (),
    needs: Iterable[str] = (),
    verified: bool = True,
) -> CriterionResult:
    """Build a :class:`CriterionResult` (``needs`` kept only when unknown)."""
    ev = tuple(evidence)
    verified = verified and all(e.verified for e in ev)
    return CriterionResult(
        cid,
        kind,
        status,
        statement,
        reason,
        cite,
        ev,
        tuple(needs) if status == UNKNOWN else (),
        verified,
    )


def csf_protein_raised(ctx: CaseContext) -> tuple[Status, str, list[Evidence], list[str]]:
    """Decision C6: CSF protein above the lab limit when given, else above 0.45 g/L
    (age < 50) or 0.60 g/L (age ≥ 50). Unknown when the age decides and is unknown."""
    labs = ctx.case.labs
    csf = labs.csf if labs else None
    if csf is None or csf.protein_g_l is None:
        return UNKNOWN, "CSF protein not recorded", [], ["labs.csf.protein_g_l"]
    p = csf.protein_g_l
    if csf.protein_uln_g_l is not None:
        uln = csf.protein_uln_g_l
        ev = Evidence(
            "csf_protein_g_l", p, uln, ">", limit=uln, limit_source="case labs.csf.protein_uln_g_l"
        )
        raised = p > uln
        return (MET if raised else NOT_MET), f"CSF protein {p:g} g/L vs lab ULN {uln:g}", [ev], []
    young = threshold("c6.csf_protein_uln_under_50_g_l")
    old = threshold("c6.csf_protein_uln_from_50_g_l")
    age = ctx.age_years
    is_old = None if age is None else age >= 50
    status = decide(lambda w: p > (old.value if w["old"] else young.value), {"old": is_old})
    used = None if is_old is None else (old if is_old else young)
    ev = Evidence(
        "csf_protein_g_l",
        p,
        used.value if used else None,
        ">",
        limit_source=used.source if used else None,
        verified=True,
        note="" if used else "age unknown: ULN 0.45 (age < 50) or 0.60 g/L (age ≥ 50)",
    )
    text = f"CSF protein {p:g} g/L" + (
        f" vs ULN {used.value:g} g/L (age {'≥' if is_old else '<'} 50, C6)"
        if used
        else "; age unknown"
    )
    return status, text, [ev], ([] if status != UNKNOWN else ["patient.age_years"])


def treatment_response(
    ctx: CaseContext, *, therapies: frozenset[str]
) -> tuple[Status, str, list[str]]:
    """Decisions C4 and C14: objective improvement after a course of ``therapies``.

    Met by a course recorded with ``response: improved`` and ``objective: true``, or by a
    course classified responder from the case's assessments (decision M2). Not met when
    such courses exist and every one was judged without objective improvement (recorded
    stable/worsened on objective measures, or classified non-responder). Unknown when no
    such course is recorded or none could be judged.
    """
    courses = [t for t in ctx.case.treatments or () if t.therapy in therapies]
    for t in courses:
        if t.response == "improved" and t.objective:
            return MET, f"{t.therapy} from {t.start}: objective improvement (recorded)", []
    judged = [r for r in ctx.course_responses if r.therapy in therapies]
    for r in judged:
        if r.response == "responder":
            return (
                MET,
                f"{r.therapy} from {r.start}: responder on the assessments (M2): {r.reason}",
                [],
            )
    names = "/".join(sorted(therapies))
    if not courses and not judged:
        return UNKNOWN, f"no {names} course recorded", [f"treatments: a trial of {names}"]
    recorded_no = [t for t in courses if t.response in {"stable", "worsened"} and t.objective]
    non = [r for r in judged if r.response == "non_responder"]
    if recorded_no or non:
        if recorded_no:
            t = recorded_no[-1]
            return NOT_MET, f"{t.therapy} from {t.start}: {t.response} on objective measures", []
        r = non[-1]
        return NOT_MET, f"{r.therapy} from {r.start}: non-responder on the assessments (M2)", []
    return (
        UNKNOWN,
        "treatment response not judged objectively",
        ["treatments[].response with objective: true, or assessments before and after the course"],
    )


def imaging_supportive(ctx: CaseContext) -> tuple[Status, str, list[str]]:
    """Decision C5: MRI of roots/plexus (enlargement, T2 signal or gadolinium) or nerve
    ultrasound enlargement counts once as a supportive criterion for CIDP."""
    img = ctx.case.imaging
    if img is None:
        return UNKNOWN, "no imaging recorded", ["imaging.mri_plexus / mri_roots / nerve_ultrasound"]
    findings: list[str] = []
    normal: list[str] = []
    for name in ("mri_plexus", "mri_roots"):
        study = getattr(img, name)
        if study is None:
            continue
        if study.gadolinium or (study.finding not in (None, "normal")):
            findings.append(
                f"{name}: {study.finding or ''}{' gadolinium' if study.gadolinium else ''}".strip()
            )
        elif study.finding == "normal":
            normal.append(name)
    us = img.nerve_ultrasound
    if us is not None and us.enlargement is not None:
        if us.enlargement != "none":
            findings.append(f"ultrasound {us.enlargement} enlargement")
        else:
            normal.append("nerve_ultrasound")
    if findings:
        return MET, "; ".join(findings), []
    if normal:
        return NOT_MET, "imaging normal: " + ", ".join(normal), []
    return UNKNOWN, "imaging finding not recorded", ["imaging"]


def sensory_abnormal_count(ctx: CaseContext) -> tuple[list[Status], list[str]]:
    """Per sensory nerve-side: met = abnormal, not_met = normal, unknown = not evaluable."""
    statuses: list[Status] = []
    names: list[str] = []
    for s in ctx.electro.sensory if ctx.electro else ():
        statuses.append(UNKNOWN if s.abnormal is None else (MET if s.abnormal else NOT_MET))
        names.append(f"{s.side} {s.nerve}")
    return statuses, names


def sensory_all_normal(ctx: CaseContext, *, minimum: int) -> tuple[Status, str]:
    """Every sensory nerve tested normal, with at least ``minimum`` tested (E8, C8)."""
    results = ctx.electro.sensory if ctx.electro else ()
    abnormal = [f"{s.side} {s.nerve}" for s in results if s.abnormal is True]
    normal = [s for s in results if s.abnormal is False]
    unknown = [f"{s.side} {s.nerve}" for s in results if s.abnormal is None]
    if abnormal:
        return NOT_MET, "abnormal: " + ", ".join(abnormal)
    if unknown:
        return UNKNOWN, f"{len(normal)} normal; not evaluable: " + ", ".join(unknown)
    if len(normal) >= minimum:
        return MET, f"{len(normal)} sensory nerves tested, all normal"
    return UNKNOWN, f"{len(normal)} sensory nerve(s) tested normal; at least {minimum} needed"
