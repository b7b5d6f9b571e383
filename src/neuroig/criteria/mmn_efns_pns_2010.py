"""EFNS/PNS 2010 guideline on multifocal motor neuropathy (first revision).

Clinical criteria (Table 1), electrodiagnostic criteria (Table 2), supportive
criteria (Table 3) and categories (Table 4, reconstructed per decision C7).
Tri-state throughout; unknown exclusions give a conditional category (C9).

References
----------
1. Joint Task Force of the EFNS and the PNS (van Schaik IN et al.). EFNS/PNS guideline
   on management of multifocal motor neuropathy, first revision. J Peripher Nerv Syst
   2010;15:295-301. doi:10.1111/j.1529-8027.2010.00290.x
"""

from __future__ import annotations

from collections.abc import Mapping

from neuroig.criteria.categories import CategoryRule, SetInfo, evaluate_set
from neuroig.criteria.common import csf_protein_raised, make, sensory_all_normal, treatment_response
from neuroig.criteria.context import CaseContext
from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult, Missing
from neuroig.electro.nerve import MotorNerveResult
from neuroig.evidence import Evidence
from neuroig.record import replace
from neuroig.reference import motor_nerve_info
from neuroig.reference.sources import short_cite
from neuroig.reference.thresholds import threshold
from neuroig.tristate import (
    MET,
    NOT_MET,
    UNKNOWN,
    Status,
    all_of,
    and_bools,
    any_of,
    at_least,
    decide,
    from_bool,
    negate,
    to_bool,
)

__all__ = ["RULES_VERSION", "SET_ID", "evaluate"]

SET_ID = "mmn_efns_pns_2010"
RULES_VERSION = "2026.11.21"
TITLE = "EFNS/PNS 2010 multifocal motor neuropathy"
CITE = short_cite("vanSchaik2010", "EFNS/PNS MMN, first revision")
INFO = SetInfo(SET_ID, TITLE, RULES_VERSION, CITE)
T1 = f"{CITE}, Table 1"
T2 = f"{CITE}, Table 2"
T3 = f"{CITE}, Table 3"
T4 = f"{CITE}, Table 4 (categories reconstructed, decision C7)"

EXCLUSIONS = ("MMN10-EXCL-8", "MMN10-EXCL-9", "MMN10-EXCL-10", "MMN10-EXCL-11")
DEFINITE_NERVES = frozenset({"median", "ulnar", "fibular"})
PROBABLE_NERVES = frozenset({"median", "ulnar", "radial", "musculocutaneous", "fibular"})


def _core1(ctx: CaseContext) -> tuple[CriterionResult, CriterionResult]:
    """MMN10-CORE-1: slowly or stepwise progressive, focal, asymmetric limb weakness in the
    distribution of ≥ 2 nerves (or 1: possible only) for > 1 month (C1, C2)."""
    course = ctx.course
    course_s: Status = (
        UNKNOWN if course is None else from_bool(course in {"progressive", "stepwise_progressive"})
    )
    asym_s, asym_text = ctx.asymmetry
    t_dur = threshold("mmn10.core1.duration_months")
    dur = ctx.duration_months
    dur_s = from_bool(t_dur.holds_or_none(dur))
    terr = ctx.territories
    n = None if terr is None else len(terr)
    multi_s: Status = UNKNOWN if n is None else from_bool(n >= 2)
    single_s: Status = UNKNOWN if n is None else from_bool(n == 1)
    parts = [
        f"course {course.replace('_', ' ') if course else 'not recorded'}",
        asym_text,
        "weak territories: "
        + (
            ", ".join(f"{s} {nv}" for nv, s in sorted(terr))
            if terr
            else "none recorded"
            if terr is not None
            else "not recorded"
        ),
        f"duration {dur:.1f} months" if dur is not None else "duration unknown",
    ]
    needs = []
    if course_s == UNKNOWN:
        needs.append("history.course")
    if asym_s == UNKNOWN:
        needs.append("exam.strength (both sides of each weak muscle)")
    if n is None:
        needs.append("exam.strength")
    if dur_s == UNKNOWN:
        needs.append("history.onset_date or onset_age_years")
    ev = [
        Evidence("weak_nerve_territories", n, 2, ">="),
        Evidence(
            "duration_months", None if dur is None else round(dur, 1), t_dur.value, t_dur.comparator
        ),
    ]
    multi = make(
        "MMN10-CORE-1",
        "clinical",
        all_of([course_s, asym_s, multi_s, dur_s]),
        "slowly/stepwise progressive focal asymmetric limb weakness in ≥ 2 nerve territories for "
        "> 1 month",
        "; ".join(parts),
        T1,
        evidence=ev,
        needs=needs,
    )
    single = make(
        "MMN10-CORE-1-SINGLE",
        "clinical",
        all_of([course_s, asym_s, single_s, dur_s]),
        "the same, confined to one nerve territory (possible MMN only)",
        "; ".join(parts),
        T1,
        evidence=ev,
        needs=needs,
    )
    return multi, single


def _core2_excl10(ctx: CaseContext) -> tuple[CriterionResult, CriterionResult]:
    """MMN10-CORE-2 (no objective sensory abnormality except minor lower-limb vibration loss)
    and its complement MMN10-EXCL-10 (evaluated once, reported under both ids)."""
    loss = ctx.sensory_loss
    if loss is None:
        core: Status = UNKNOWN
        reason = "objective sensory examination not recorded"
    else:
        core = from_bool(loss in {"none", "minor_vibration_lower_limbs"})
        reason = f"objective sensory loss: {loss}"
    needs = ["exam.sensory.objective_loss"]
    return (
        make(
            "MMN10-CORE-2",
            "clinical",
            core,
            "no objective sensory abnormality except minor vibration loss in the legs",
            reason,
            T1,
            needs=needs,
        ),
        make(
            "MMN10-EXCL-10",
            "exclusion",
            negate(core),
            "sensory impairment more marked than minor vibration loss in the legs",
            reason,
            T1,
            needs=needs,
        ),
    )


def _exclusions(ctx: CaseContext) -> list[CriterionResult]:
    """MMN10-EXCL-8 (UMN signs), -9 (marked bulbar involvement), -11 (diffuse symmetric
    weakness in the initial weeks). Met means present (excludes)."""
    exam = ctx.case.exam
    umn = exam.umn_signs if exam else None
    umn_s: Status = UNKNOWN if umn is None else from_bool(umn.present)
    umn_reason = (
        "UMN signs not recorded"
        if umn is None
        else ("UMN signs: " + ", ".join(umn.signs or ["present"]))
        if umn.present
        else "no UMN signs"
    )
    bulbar = exam.bulbar if exam else None
    bulbar_s: Status = UNKNOWN if bulbar is None else from_bool(bulbar == "marked")
    early = ctx.case.history.early_diffuse_symmetric_weakness if ctx.case.history else None
    early_s = from_bool(early)
    return [
        make(
            "MMN10-EXCL-8",
            "exclusion",
            umn_s,
            "upper motor neuron signs",
            umn_reason,
            T1,
            needs=["exam.umn_signs"],
        ),
        make(
            "MMN10-EXCL-9",
            "exclusion",
            bulbar_s,
            "marked bulbar involvement",
            f"bulbar: {bulbar}" if bulbar else "bulbar involvement not recorded",
            T1,
            needs=["exam.bulbar"],
        ),
        make(
            "MMN10-EXCL-11",
            "exclusion",
            early_s,
            "diffuse symmetric weakness during the initial weeks",
            "not recorded" if early is None else ("present" if early else "absent"),
            T1,
            needs=["history.early_diffuse_symmetric_weakness"],
        ),
    ]


def _supportive_clinical(ctx: CaseContext) -> list[CriterionResult]:
    """MMN10-SUPC-3..7: explanatory supportive clinical criteria (not used in categories)."""
    counts = ctx.weak_limb_counts
    # predominant = more weak upper-limb than lower-limb muscles (none weak: not met)
    pred: Status = UNKNOWN if counts is None else from_bool(counts[0] > counts[1])
    weak_limbs = ctx.weak_limbs or set()
    reflexes = [ctx.reflex(limb) for limb in sorted(weak_limbs)]
    refl_s: Status = (
        UNKNOWN
        if not weak_limbs or any(r is None for r in reflexes)
        else from_bool(any(r in {"absent", "reduced"} for r in reflexes))
    )
    exam = ctx.case.exam
    cranial = exam.cranial_nerves if exam else None
    cramps = exam.cramps if exam else None
    fasc = exam.fasciculations if exam else None
    cf = and_bools(cramps, fasc)
    resp, resp_reason, _ = treatment_response(
        ctx,
        therapies=frozenset(
            {
                "ivig",
                "scig",
                "prednisone",
                "methylprednisolone",
                "dexamethasone",
                "plasma_exchange",
                "rituximab",
                "cyclophosphamide",
                "azathioprine",
                "mycophenolate",
                "efgartigimod",
            }
        ),
    )
    return [
        make(
            "MMN10-SUPC-3",
            "supportive_clinical",
            pred,
            "predominant upper-limb involvement",
            f"weak muscles: {counts[0]} in the arms, {counts[1]} in the legs"
            if counts is not None
            else "muscle strength not recorded",
            T1,
        ),
        make(
            "MMN10-SUPC-4",
            "supportive_clinical",
            refl_s,
            "decreased or absent reflexes in the affected limb",
            ", ".join(f"{limb} {r}" for limb, r in zip(sorted(weak_limbs), reflexes, strict=True))
            or "not recorded",
            T1,
        ),
        make(
            "MMN10-SUPC-5",
            "supportive_clinical",
            UNKNOWN if cranial is None else from_bool(not cranial),
            "no cranial nerve involvement",
            "not recorded" if cranial is None else f"cranial nerves involved: {_yes_no(cranial)}",
            T1,
        ),
        make(
            "MMN10-SUPC-6",
            "supportive_clinical",
            cf,
            "cramps and fasciculations in the affected limb",
            f"cramps {_yes_no(cramps)}, fasciculations {_yes_no(fasc)}",
            T1,
        ),
        make(
            "MMN10-SUPC-7",
            "supportive_clinical",
            resp,
            "response to immunomodulatory treatment",
            resp_reason,
            T1,
        ),
    ]


def _nerve_counts(ctx: CaseContext) -> tuple[list[CriterionResult], list[Status], list[Status]]:
    """Blocked nerves counted with decision E8 (normal sensory conduction across the block).

    Returns the EDX criteria and the per-nerve statuses of "definite block with normal
    sensory conduction" and "probable (or definite) block with normal sensory conduction".
    """
    electro = ctx.electro
    defs: list[Status] = []
    probs: list[Status] = []
    sens_statuses: list[Status] = []
    # the nerves that may carry block: (nerve, definite, probable, sensory status, its reason)
    blocked: list[tuple[MotorNerveResult, Status, Status, Status, str]] = []
    for m in electro.motor if electro else ():
        d = m.finding("EFNS-MMN-BLOCK-DEF").status
        p = m.finding("EFNS-MMN-BLOCK-PROB").status
        if p == NOT_MET and d == NOT_MET:
            defs.append(NOT_MET)
            probs.append(NOT_MET)
            continue
        sens, sens_reason = electro.sensory_across(m.nerve, m.side) if electro else (UNKNOWN, "")
        defs.append(all_of([d, sens]))
        probs.append(all_of([p, sens]))
        # EDX-3 per nerve: "if the segment is blocked, sensory conduction across it is normal"
        sens_statuses.append(
            decide(
                lambda w: (not w["block"]) or w["sens"],
                {"block": to_bool(p), "sens": to_bool(sens)},
            )
        )
        blocked.append((m, d, p, sens, sens_reason))
    has_motor = bool(electro and electro.motor)

    def explain() -> tuple[list[Evidence], list[Evidence], list[str], list[str], bool]:
        """Evidence and needs of the definite and the probable counts (built when read)."""
        def_ev: list[Evidence] = []
        prob_ev: list[Evidence] = []
        needs_def: list[str] = []
        needs_prob: list[str] = []
        for m, d, p, sens, _ in blocked:
            for seg in m.segments:
                if seg.efns.definite == MET:
                    def_ev.extend(seg.efns.evidence)
                if seg.efns.probable == MET:
                    prob_ev.extend(seg.efns.evidence)
            label = f"ncs.motor[{m.nerve},{m.side}]"
            if sens == UNKNOWN:
                pair = "the paired sensory nerve"
                need = (
                    f"ncs.sensory: {m.side} sensory study paired with the {m.nerve} nerve "
                    f"({pair}, E8)"
                )
                needs_def.append(need)
                needs_prob.append(need)
            if d == UNKNOWN:
                needs_def.append(f"{label}: {m.finding('EFNS-MMN-BLOCK-DEF').reason}")
            if p == UNKNOWN:
                needs_prob.append(f"{label}: {m.finding('EFNS-MMN-BLOCK-PROB').reason}")
        if not has_motor:
            needs_def.append("ncs.motor: motor conduction studies with proximal stimulation")
            needs_prob.append("ncs.motor: motor conduction studies with proximal stimulation")
        # every count is verified only when all block evidence is
        verified = all(e.verified for e in def_ev + prob_ev)
        return def_ev, prob_ev, needs_def, needs_prob, verified

    def explain_def() -> tuple[str, list[Evidence], list[str], bool]:
        def_ev, _, needs_def, _, verified = explain()
        return _count_text(ctx, "definite", defs), def_ev, needs_def, verified

    def explain_prob() -> tuple[str, list[Evidence], list[str], bool]:
        _, prob_ev, _, needs_prob, verified = explain()
        return _count_text(ctx, "probable", probs), prob_ev, needs_prob, verified

    edx_def = CriterionResult.lazy(
        "MMN10-EDX-DEF",
        "electrodiagnostic",
        at_least(1, defs) if has_motor else UNKNOWN,
        "definite motor conduction block in ≥ 1 nerve (median, ulnar, fibular), outside "
        "entrapment sites, "
        "with normal sensory conduction across it",
        T2,
        explain_def,
    )
    edx_prob2 = CriterionResult.lazy(
        "MMN10-EDX-PROB-2",
        "electrodiagnostic",
        at_least(2, probs) if has_motor else UNKNOWN,
        "probable (or definite) motor conduction block in ≥ 2 nerves with normal sensory "
        "conduction",
        T2,
        explain_prob,
    )
    edx_prob1 = CriterionResult.lazy(
        "MMN10-EDX-PROB-1",
        "electrodiagnostic",
        at_least(1, probs) if has_motor else UNKNOWN,
        "probable (or definite) motor conduction block in ≥ 1 nerve with normal sensory conduction",
        T2,
        explain_prob,
    )
    edx3 = CriterionResult.lazy(
        "MMN10-EDX-3",
        "electrodiagnostic",
        all_of(sens_statuses) if has_motor else UNKNOWN,
        "normal sensory nerve conduction across the segments with motor block (E8)",
        T2,
        lambda: (
            "; ".join(f"{m.side} {m.nerve}: {reason}" for m, _, _, _, reason in blocked)
            or "no segment with block or possible block",
            (),
            (),
            True,
        ),
        verified=False,
    )
    return [edx_def, edx_prob2, edx_prob1, edx3], defs, probs


def _count_text(ctx: CaseContext, grade: str, statuses: list[Status]) -> str:
    """Which nerves meet the block count and which are undecided, by name."""
    nerves = ctx.electro.motor if ctx.electro else ()
    named = [f"{m.side} {m.nerve}" for m in nerves]
    met = [n for n, s in zip(named, statuses, strict=True) if s == MET]
    open_ = [n for n, s in zip(named, statuses, strict=True) if s == UNKNOWN]
    text = f"{grade} block with normal sensory conduction: " + (", ".join(met) or "no nerve")
    if open_:
        text += f"; undecided: {', '.join(open_)}"
    return text


def _supportive(ctx: CaseContext) -> list[CriterionResult]:
    """MMN10-SUP-1..4 (Table 3): anti-GM1, CSF protein < 1 g/L, MRI plexus, IVIg response."""
    labs = ctx.case.labs
    gm1 = labs.value("anti_gm1_igm") if labs else None
    sup1 = make(
        "MMN10-SUP-1",
        "supportive",
        UNKNOWN if gm1 is None else from_bool(gm1 in {"positive", "high_titer"}),
        "elevated IgM anti-GM1 antibodies",
        f"anti-GM1 IgM: {gm1.replace('_', ' ') if gm1 else 'not recorded'}",
        T3,
        needs=["labs.anti_gm1_igm"],
        verified=False,
    )
    raised, csf_text, csf_ev, csf_needs = csf_protein_raised(ctx)
    csf = labs.csf if labs else None
    t_max = threshold("mmn10.sup2.csf_protein_g_l")
    below = t_max.holds_or_none(csf.protein_g_l if csf else None)
    sup2_status = all_of([raised, from_bool(below)])
    sup2 = make(
        "MMN10-SUP-2",
        "supportive",
        sup2_status,
        "increased CSF protein (< 1 g/L)",
        csf_text + ("" if below is None or below else "; ≥ 1 g/L favours CIDP or another cause"),
        T3,
        evidence=csf_ev,
        needs=csf_needs,
        verified=False,
    )
    mri = ctx.case.imaging.mri_plexus if ctx.case.imaging else None
    finding = mri.finding if mri else None
    sup3 = make(
        "MMN10-SUP-3",
        "supportive",
        UNKNOWN if finding is None else from_bool(finding == "enlarged_and_t2_hyperintense"),
        "MRI: increased T2 signal with diffuse nerve swelling of the brachial plexus",
        f"MRI plexus: {finding or 'not recorded'}",
        T3,
        needs=["imaging.mri_plexus"],
        verified=False,
    )
    resp, resp_text, resp_needs = treatment_response(ctx, therapies=frozenset({"ivig", "scig"}))
    sup4 = make(
        "MMN10-SUP-4",
        "supportive",
        resp,
        "objective clinical improvement after IVIg (C4, C14)",
        resp_text,
        T3,
        needs=resp_needs,
        verified=False,
    )
    return [sup1, sup2, sup3, sup4]


def _clin(s: Mapping[str, Status], core1: str) -> Status:
    # CORE-2 is the complement of EXCL-10 (evaluated once): reading it through EXCL-10 lets
    # the C9 assumption "EXCL-10 absent" also satisfy CORE-2.
    return all_of([s[core1], *(negate(s[e]) for e in EXCLUSIONS)])


def _sup2(s: Mapping[str, Status]) -> Status:
    return at_least(2, [s[f"MMN10-SUP-{i}"] for i in range(1, 5)])


def _definite(s: Mapping[str, Status]) -> Status:
    return all_of([_clin(s, "MMN10-CORE-1"), s["MMN10-EDX-DEF"]])


def _probable(s: Mapping[str, Status]) -> Status:
    return all_of(
        [
            _clin(s, "MMN10-CORE-1"),
            any_of([s["MMN10-EDX-PROB-2"], all_of([s["MMN10-EDX-PROB-1"], _sup2(s)])]),
        ]
    )


def _possible(s: Mapping[str, Status]) -> Status:
    return any_of(
        [
            all_of([_clin(s, "MMN10-CORE-1"), s["MMN10-SENS-NORMAL"], _sup2(s)]),
            all_of([_clin(s, "MMN10-CORE-1-SINGLE"), s["MMN10-EDX-PROB-1"]]),
        ]
    )


_CLIN_USES = ("MMN10-CORE-1", "MMN10-CORE-2", *EXCLUSIONS)
RULES = (
    CategoryRule("definite", _definite, (*_CLIN_USES, "MMN10-EDX-DEF")),
    CategoryRule(
        "probable",
        _probable,
        (
            *_CLIN_USES,
            "MMN10-EDX-PROB-2",
            "MMN10-EDX-PROB-1",
            *(f"MMN10-SUP-{i}" for i in range(1, 5)),
        ),
    ),
    CategoryRule(
        "possible",
        _possible,
        (
            *_CLIN_USES,
            "MMN10-CORE-1-SINGLE",
            "MMN10-SENS-NORMAL",
            "MMN10-EDX-PROB-1",
            *(f"MMN10-SUP-{i}" for i in range(1, 5)),
        ),
    ),
)


def _yes_no(value: bool | None) -> str:
    """A recorded yes/no finding in words (never a Python literal in clinical text)."""
    return "not recorded" if value is None else ("yes" if value else "no")


_SITE_NAMES = {"axilla": "the axilla", "erb": "Erb's point"}


def _further_studies(
    ctx: CaseContext, category: str, per_category: Mapping[str, Status]
) -> list[Missing]:
    """Studies not yet done that could show a block in a weak nerve (kind further_study).

    Decision C18: a study is offered only for a category the set can still reach — one
    whose rule is not already ``not_met`` (a single-nerve picture fails core criterion 1,
    so definite and probable are out of reach and the study can reach possible at most).
    """
    order = ["not_fulfilled", "possible", "probable", "definite"]
    open_ = [c for c in ("definite", "probable", "possible") if per_category.get(c) != NOT_MET]
    out: list[Missing] = []
    studied = {(m.nerve, m.side): m for m in ctx.electro.motor} if ctx.electro else {}
    for nerve, side in sorted(ctx.territories or ()):
        if nerve not in PROBABLE_NERVES:
            continue
        best = "definite" if nerve in DEFINITE_NERVES else "probable"
        reach = next((c for c in open_ if order.index(c) <= order.index(best)), None)
        if reach is None or order.index(reach) <= order.index(
            category if category in order else "not_fulfilled"
        ):
            continue
        study = studied.get((nerve, side))
        if study is None:
            out.append(
                Missing(
                    f"study {side} {nerve} motor conduction with proximal stimulation",
                    reach,
                    "further_study",
                )
            )
            continue
        info = motor_nerve_info(nerve)
        sites = {seg.to_site for seg in study.segments} | {seg.from_site for seg in study.segments}
        highest = max((info.site_ranks[x] for x in sites), default=0)
        if not study.segments:
            out.append(Missing(f"stimulate {side} {nerve} proximally", reach, "further_study"))
        elif info.upper_limb:
            for prox in ("axilla", "erb"):
                if info.site_ranks.get(prox, 0) > highest:
                    out.append(
                        Missing(
                            f"stimulate {side} {nerve} at {_SITE_NAMES[prox]}",
                            reach,
                            "further_study",
                        )
                    )
                    break
    return out


def evaluate(ctx: CaseContext) -> CriteriaSetResult:
    """Evaluate the EFNS/PNS 2010 MMN criteria for one case."""
    core1, core1_single = _core1(ctx)
    core2, excl10 = _core2_excl10(ctx)
    edx, _, _ = _nerve_counts(ctx)
    sens_s, sens_text = sensory_all_normal(ctx, minimum=1)
    sens_normal = make(
        "MMN10-SENS-NORMAL",
        "electrodiagnostic",
        sens_s,
        "normal sensory nerve conduction in every sensory nerve tested (≥ 1, decision E8)",
        sens_text,
        T4,
        needs=["ncs.sensory"],
    )
    supportive = _supportive(ctx)
    excl = _exclusions(ctx)
    results: list[CriterionResult] = [core1, core1_single, core2, *excl[:2], excl10, excl[2]]
    results += _supportive_clinical(ctx)
    results += [*edx, sens_normal, *supportive]
    statuses = {r.id: r.status for r in results}
    results.append(
        make(
            "MMN10-CLIN-MULTI",
            "composite",
            _clin(statuses, "MMN10-CORE-1"),
            "clinical criteria: core 1 (≥ 2 nerves) and 2 met, no exclusion",
            "",
            T1,
        )
    )
    results.append(
        make(
            "MMN10-SUP-N2",
            "composite",
            _sup2(statuses),
            "≥ 2 supportive criteria (SUP-1..4)",
            f"{sum(statuses[f'MMN10-SUP-{i}'] == MET for i in range(1, 5))} met",
            T3,
        )
    )
    clinical = any_of([_clin(statuses, "MMN10-CORE-1"), _clin(statuses, "MMN10-CORE-1-SINGLE")])
    result = evaluate_set(
        INFO,
        RULES,
        results,
        exclusions=EXCLUSIONS,
        extra_missing=(lambda cat, per: _further_studies(ctx, cat, per))
        if clinical != NOT_MET
        else None,
    )
    if result.category == "possible" and statuses["MMN10-EDX-PROB-1"] != MET:
        result = replace(
            result,
            notes=(
                "possible MMN without conduction block overlaps with ALS/PMA: see the mimic flags",
            ),
        )
    return result
