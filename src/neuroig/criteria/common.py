"""Criteria shared by several sets: CSF (C6), treatment response (C4, C14), imaging (C5),
biopsy, and sensory NCS summaries (E8)."""

from __future__ import annotations

from neuroig.case.labs import MriStudy
from neuroig.criteria.context import CaseContext
from neuroig.criteria.verdict import CriterionResult
from neuroig.evidence import Evidence
from neuroig.reference.thresholds import threshold
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, any_of, decide, from_bool

__all__ = [
    "csf_protein_raised",
    "imaging_supportive",
    "make",
    "rule_ids",
    "sensory_abnormal_count",
    "sensory_all_normal",
    "treatment_response",
]


def rule_ids(*ids: str) -> tuple[str, ...]:
    """Declare the ids of criteria that a shared builder (e.g. the CIDP clinical
    phenotypes) decides for a set: the one place each id is defined
    (``tests/meta/test_rule_homes.py``)."""
    return ids


#: Build a :class:`CriterionResult` (``needs`` kept only when unknown; not verified when
#: any evidence is unverified): the constructor itself, under the name the rules use.
make = CriterionResult


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
    names = ", ".join(t.replace("_", " ") for t in sorted(therapies))
    if not courses and not judged:
        return UNKNOWN, f"no {names} course recorded", [f"treatments: a trial of {names}"]
    # a course counts as judged when recorded objectively, or classified from assessments
    classified = {r.index for r in judged if r.index is not None and r.response != "indeterminate"}
    unjudged = [
        (i, t)
        for i, t in enumerate(ctx.case.treatments or ())
        if t.therapy in therapies
        and not (t.response in {"stable", "worsened", "improved"} and t.objective)
        and i not in classified
    ]
    if unjudged or any(r.response == "indeterminate" for r in judged):
        first = unjudged[0][1] if unjudged else None
        text = (
            f"{first.therapy} from {first.start}: response not judged objectively"
            if first
            else "a course's response is indeterminate on the assessments (M2)"
        )
        return (
            UNKNOWN,
            text,
            ["treatments[].response with objective: true, or assessments around the course"],
        )
    recorded_no = [t for t in courses if t.response in {"stable", "worsened"} and t.objective]
    if recorded_no:
        t = recorded_no[-1]
        return NOT_MET, f"{t.therapy} from {t.start}: {t.response} on objective measures", []
    r = judged[-1]
    return NOT_MET, f"{r.therapy} from {r.start}: non-responder on the assessments (M2)", []


def _mri_status(study: MriStudy | None) -> Status:
    """An MRI of roots or plexus: met on enlargement, T2 signal or gadolinium enhancement;
    not met when recorded normal; unknown when not done or the finding is not recorded."""
    if study is None:
        return UNKNOWN
    if study.gadolinium or study.finding not in (None, "normal"):
        return MET
    return NOT_MET if study.finding == "normal" else UNKNOWN


def imaging_supportive(
    ctx: CaseContext, *, ultrasound: bool = True
) -> tuple[Status, str, list[str]]:
    """Decision C5: imaging counts once — MRI (of the plexus and/or the roots: enlargement,
    T2 signal or gadolinium) or, for EAN/PNS 2021, nerve ultrasound enlargement.

    MRI is one modality: met when any MRI shows it, not met when an MRI was done and
    normal, unknown when none was done. The criterion is the three-valued OR of the
    modalities: not met only when every modality was done and none shows it.
    """
    img = ctx.case.imaging
    plexus = img.mri_plexus if img else None
    roots = img.mri_roots if img else None
    mri_parts = [_mri_status(plexus), _mri_status(roots)]
    mri: Status = MET if MET in mri_parts else NOT_MET if NOT_MET in mri_parts else UNKNOWN
    parts: list[tuple[str, Status, str]] = [
        ("MRI", mri, f"plexus {_mri_text(plexus)}; roots {_mri_text(roots)}"),
    ]
    if ultrasound:
        us = img.nerve_ultrasound if img else None
        enl = us.enlargement if us else None
        parts.append(
            (
                "nerve ultrasound",
                UNKNOWN if enl is None else from_bool(enl != "none"),
                "not done" if enl is None else f"{enl} enlargement",
            )
        )
    status = any_of([st for _, st, _ in parts])
    text = "; ".join(f"{name}: {t}" for name, _, t in parts)
    needs = (
        [f"imaging: {name}" for name, st, _ in parts if st == UNKNOWN] if status == UNKNOWN else []
    )
    return status, text, needs


def _mri_text(study: MriStudy | None) -> str:
    if study is None:
        return "not done"
    bits: list[str] = [study.finding or "finding not recorded"]
    if study.gadolinium is not None:
        bits.append("gadolinium enhancement" if study.gadolinium else "no gadolinium enhancement")
    return ", ".join(bits)


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
