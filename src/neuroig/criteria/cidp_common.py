"""Pieces shared by the CIDP criteria sets: clinical phenotypes (EAN/PNS 2021 wording,
decisions C12, C13, C15), nerve-count rules for the motor parameters, supportive
criteria and the exclusions that act on positive evidence only (C11)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple
from weakref import WeakKeyDictionary

from neuroig.case.labs import Paraprotein
from neuroig.criteria.common import csf_protein_raised, imaging_supportive, make, treatment_response
from neuroig.criteria.context import CaseContext
from neuroig.criteria.verdict import CriterionResult
from neuroig.electro.nerve import MotorNerveResult
from neuroig.reference.thresholds import threshold
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, all_of, any_of, at_least, from_bool

__all__ = [
    "IMMUNOTHERAPIES",
    "MOTOR_RULES",
    "PHENOTYPES",
    "clinical_phenotypes",
    "count_rule",
    "exclusions",
    "supportive",
    "unknown_motor_needs",
    "with_other",
]

IMMUNOTHERAPIES = frozenset(
    {"ivig", "scig", "prednisone", "methylprednisolone", "dexamethasone", "plasma_exchange"}
)
PHENOTYPES: tuple[str, ...] = ("typical", "motor", "sensory", "distal", "multifocal", "focal")
#: Nerve-count rule of each motor parameter (a)-(g), the same in EAN/PNS 2021 and
#: EFNS/PNS 2010: (letter, rule for count_rule, letters that count as "another
#: demyelinating parameter in another nerve").
MOTOR_RULES = (
    ("a", "2", ""),
    ("b", "2", ""),
    ("c", "2", ""),
    ("d", "2+other", "abcefg"),
    ("e", "2|1+other", "abcfg"),
    ("f", "2", ""),
    ("g", "1+other", "abcdef"),
)
ALL_LIMBS = frozenset({"left_upper", "right_upper", "left_lower", "right_lower"})


def _course(ctx: CaseContext, duration_threshold: str) -> tuple[Status, str]:
    """Progressive or relapsing, developing over ≥ 8 weeks (decision C12: ≥ 2 months)."""
    course = ctx.course
    course_s: Status = (
        UNKNOWN
        if course is None
        else from_bool(course in {"progressive", "stepwise_progressive", "relapsing_remitting"})
    )
    t = threshold(duration_threshold)
    dur = ctx.duration_months
    dur_s = from_bool(t.holds_or_none(dur))
    text = f"course {course or 'not recorded'}, " + (
        f"{dur:.1f} months" if dur is not None else "duration unknown"
    )
    return all_of([course_s, dur_s]), text


def _limb(limb: str) -> str:
    """``left_upper`` → ``left arm`` (clinical words, not a field value)."""
    side, _, level = limb.partition("_")
    return f"{side} {'arm' if level == 'upper' else 'leg' if level == 'lower' else level}"


def _reflexes(ctx: CaseContext, limbs: Sequence[str]) -> tuple[Status, str]:
    values = [ctx.reflex(limb) for limb in limbs]
    if any(v in {"normal", "brisk"} for v in values):
        status: Status = NOT_MET
    elif all(v in {"absent", "reduced"} for v in values):
        status = MET
    else:
        status = UNKNOWN
    text = "reflexes " + ", ".join(
        f"{_limb(limb)} {v or 'not recorded'}" for limb, v in zip(limbs, values, strict=True)
    )
    return status, text


def _parts(ctx: CaseContext) -> set[tuple[str, str]] | None:
    parts = ctx.weak_parts
    if parts is not None:
        return parts
    exam = ctx.case.exam
    w = exam.weakness if exam else None
    if w is None or w.limbs is None or w.predominance is None:
        return None
    levels = {limb.split("_")[1] for limb in w.limbs}
    kinds = {"distal": {"distal"}, "proximal": {"proximal"}, "both": {"proximal", "distal"}}[
        w.predominance
    ]
    return {(lv, k) for lv in levels for k in kinds}


def _proximal_and_distal_all_limbs(ctx: CaseContext) -> tuple[Status, str]:
    parts = _parts(ctx)
    if parts is None:
        return UNKNOWN, "distribution of weakness not recorded"
    need = {("upper", "proximal"), ("upper", "distal"), ("lower", "proximal"), ("lower", "distal")}
    have = need & parts
    return from_bool(have == need), "weak: " + (
        ", ".join(f"{a} {b}" for a, b in sorted(parts)) or "none"
    )


def _sensory_limbs(ctx: CaseContext, minimum: int) -> tuple[Status, str]:
    limbs = ctx.sensory_limbs
    if limbs is None:
        return UNKNOWN, "sensory examination (limbs) not recorded"
    return from_bool(
        len(limbs) >= minimum
    ), f"sensory involvement: {', '.join(_limb(x) for x in sorted(limbs)) or 'none'}"


class _Phenotype(NamedTuple):
    """One clinical phenotype's parts other than the course (shared by both CIDP sets)."""

    statuses: tuple[Status, ...]
    statement: str
    texts: tuple[str, ...]
    needs: tuple[str, ...]


#: The phenotype parts of a case, computed once per case for both CIDP sets.
_PHENOTYPES: WeakKeyDictionary[CaseContext, tuple[_Phenotype, ...]] = WeakKeyDictionary()


def clinical_phenotypes(
    ctx: CaseContext,
    ids: Sequence[str],
    cite: str,
    *,
    duration_threshold: str = "c12.duration_months",
) -> list[CriterionResult]:
    """The six clinical criteria (typical and five variants), decision C13 shapes, under
    the set's ``ids`` (typical, motor, sensory, distal, multifocal, focal: the order of
    :data:`PHENOTYPES`).

    Typical: progressive/relapsing over ≥ 8 weeks, symmetric proximal and distal weakness
    of upper and lower limbs, sensory involvement of ≥ 2 limbs, reduced/absent reflexes in
    all limbs. Motor and sensory variants keep that shape; distal, multifocal and focal
    change the distribution. The course (with the set's duration threshold) is the only
    part that differs between the sets; the other parts are computed once per case.
    """
    course, course_text = _course(ctx, duration_threshold)
    parts = _PHENOTYPES.get(ctx)
    if parts is None:
        parts = _PHENOTYPES[ctx] = _phenotype_parts(ctx)
    return [
        make(
            cid,
            "clinical",
            all_of([course, *p.statuses]),
            p.statement,
            "; ".join((course_text, *p.texts)),
            cite,
            needs=p.needs,
        )
        for cid, p in zip(ids, parts, strict=True)
    ]


def _phenotype_parts(ctx: CaseContext) -> tuple[_Phenotype, ...]:
    """Typical, motor, sensory, distal, multifocal and focal parts (course left out)."""
    sym, sym_text = ctx.symmetric_cidp
    pd, pd_text = _proximal_and_distal_all_limbs(ctx)
    refl_all, refl_text = _reflexes(ctx, sorted(ALL_LIMBS))
    sens2, sens_text = _sensory_limbs(ctx, 2)
    loss = ctx.sensory_loss
    no_sensory: Status = UNKNOWN if loss is None else from_bool(loss == "none")
    sensory_present: Status = UNKNOWN if loss is None else from_bool(loss == "present")
    weak = ctx.weak
    grades_known = ctx.limb_grades is not None
    no_weakness: Status = from_bool(not weak) if grades_known else UNKNOWN
    parts = _parts(ctx)
    distal_only: Status = (
        UNKNOWN
        if parts is None
        else from_bool(
            bool(parts) and all(p == "distal" for _, p in parts) and ("lower", "distal") in parts
        )
    )
    lower_sensory: Status = (
        UNKNOWN
        if ctx.sensory_limbs is None
        else from_bool(bool(ctx.sensory_limbs & {"left_lower", "right_lower"}))
    )
    refl_lower, refl_lower_text = _reflexes(ctx, ["left_lower", "right_lower"])
    asym, asym_text = ctx.asymmetry
    terr = ctx.territories
    multifocal: Status = UNKNOWN if terr is None else from_bool(len(terr) >= 2)
    limbs = ctx.weak_limbs
    more_than_one: Status = UNKNOWN if limbs is None else from_bool(len(limbs) > 1)
    one_limb: Status = UNKNOWN if limbs is None else from_bool(len(limbs) == 1)
    sens_limbs = ctx.sensory_limbs
    # focal: the sensory loss lies in the one weak limb (unknown when its limbs are not recorded)
    sensory_same_limb: Status = (
        UNKNOWN
        if limbs is None or sens_limbs is None or len(limbs) != 1
        else from_bool(bool(sens_limbs) and sens_limbs <= limbs)
    )

    def crit(
        statuses: list[Status], statement: str, texts: list[str], needs: list[str]
    ) -> _Phenotype:
        return _Phenotype(tuple(statuses), statement, tuple(texts), tuple(needs))

    base_needs = ["history.course", "history.onset_date or onset_age_years"]
    return (
        crit(
            [sym, pd, sens2, refl_all],
            "typical CIDP: progressive/relapsing over ≥ 8 weeks, symmetric proximal and distal "
            "weakness of all limbs, sensory involvement of ≥ 2 limbs, reduced/absent reflexes in "
            "all limbs",
            [sym_text, pd_text, sens_text, refl_text],
            [*base_needs, "exam.strength", "exam.sensory", "exam.reflexes"],
        ),
        crit(
            [sym, pd, no_sensory, refl_all],
            "motor CIDP: as typical but without sensory involvement",
            [
                sym_text,
                pd_text,
                f"objective sensory loss: {loss or 'not recorded'}",
                refl_text,
            ],
            [*base_needs, "exam.strength", "exam.sensory.objective_loss", "exam.reflexes"],
        ),
        crit(
            [no_weakness, sens2, refl_all],
            "sensory CIDP: sensory involvement of ≥ 2 limbs without motor involvement",
            [
                "no weakness"
                if no_weakness == MET
                else "weakness present"
                if no_weakness == NOT_MET
                else "strength not recorded",
                sens_text,
                refl_text,
            ],
            [*base_needs, "exam.strength", "exam.sensory", "exam.reflexes"],
        ),
        crit(
            [sym, distal_only, lower_sensory, refl_lower],
            "distal CIDP: distal sensory loss and weakness, predominantly in the lower limbs",
            [sym_text, pd_text, sens_text, refl_lower_text],
            [*base_needs, "exam.strength", "exam.sensory", "exam.reflexes"],
        ),
        crit(
            [asym, multifocal, more_than_one, sensory_present],
            "multifocal CIDP: asymmetric multifocal sensory loss and weakness in more than one "
            "limb",
            [
                asym_text,
                "weak limbs: "
                + (
                    ", ".join(_limb(x) for x in sorted(limbs)) or "none"
                    if limbs is not None
                    else "not recorded"
                ),
                f"objective sensory loss: {loss or 'not recorded'}",
            ],
            [*base_needs, "exam.strength", "exam.sensory"],
        ),
        crit(
            [one_limb, sensory_present, sensory_same_limb],
            "focal CIDP: sensory loss and weakness in one limb",
            [
                "weak limbs: "
                + (
                    ", ".join(_limb(x) for x in sorted(limbs)) or "none"
                    if limbs is not None
                    else "not recorded"
                ),
                f"objective sensory loss: {loss or 'not recorded'}",
            ],
            [*base_needs, "exam.strength", "exam.sensory"],
        ),
    )


def with_other(xs: Sequence[Status], others: Sequence[Status], n: int) -> Status:
    """≥ ``n`` nerves meet X and ≥ 1 *other* nerve meets another parameter (three-valued).

    ``xs[i]`` and ``others[i]`` are the statuses of nerve i. Met if certainly so with the
    met values alone; not met if impossible even counting every unknown as met.
    """

    def feasible(x_set: set[int], o_set: set[int]) -> bool:
        # some j in o_set leaves >= n nerves of x_set besides j
        return bool(o_set) and (len(x_set) > n or (len(x_set) == n and not o_set <= x_set))

    met_x = {i for i, s in enumerate(xs) if s == MET}
    met_o = {i for i, s in enumerate(others) if s == MET}
    if feasible(met_x, met_o):
        return MET
    opt_x = {i for i, s in enumerate(xs) if s != NOT_MET}
    opt_o = {i for i, s in enumerate(others) if s != NOT_MET}
    return UNKNOWN if feasible(opt_x, opt_o) else NOT_MET


def count_rule(
    per_nerve: Sequence[dict[str, Status]], letter: str, rule: str, other_letters: str
) -> Status:
    """Apply one nerve-count rule to the per-nerve statuses of the motor parameters.

    ``rule``: ``"2"`` (≥ 2 nerves), ``"2+other"`` (≥ 2 nerves plus another parameter in
    another nerve), ``"2|1+other"`` (≥ 2 nerves, or 1 plus another parameter in another
    nerve), ``"1+other"`` (≥ 1 nerve plus another parameter in another nerve).
    """
    xs = [p[letter] for p in per_nerve]
    if rule == "2":
        return at_least(2, xs)
    others = [any_of([p[o] for o in other_letters]) for p in per_nerve]
    match rule:
        case "2+other":
            return with_other(xs, others, 2)
        case "2|1+other":
            return any_of([at_least(2, xs), with_other(xs, others, 1)])
        case "1+other":
            return with_other(xs, others, 1)
    raise ValueError(rule)


def unknown_motor_needs(nerves: Sequence[MotorNerveResult], prefix: str) -> list[str]:
    """What would decide each unknown per-nerve motor finding of a set (its id prefix):
    one line per finding, with the finding's reason (built here, when read)."""
    return [
        f"ncs.motor[{m.nerve},{m.side}]: {f.id} {f.reason}"
        for m in nerves
        for f in m.findings_of(prefix)
        if f.status == UNKNOWN
    ]


def supportive(
    ctx: CaseContext, ids: Sequence[str], cite: str, *, ultrasound: bool
) -> list[CriterionResult]:
    """Supportive criteria under the set's ``ids``: treatment response (C14), imaging
    (C5), CSF (C6), biopsy."""
    resp_id, img_id, csf_id, biopsy_id = ids
    resp, resp_text, resp_needs = treatment_response(ctx, therapies=IMMUNOTHERAPIES)
    img, img_text, img_needs = imaging_supportive(ctx, ultrasound=ultrasound)
    raised, csf_text, csf_ev, csf_needs = csf_protein_raised(ctx)
    csf = ctx.case.labs.csf if ctx.case.labs else None
    wbc = csf.wbc_per_ul if csf else None
    t_wbc = threshold("c6.csf_wbc_per_ul")
    cells = from_bool(t_wbc.holds_or_none(wbc))
    csf_status = all_of([raised, cells])
    if wbc is not None:
        csf_text += f"; {wbc:g} leukocytes/µL"
    elif raised != NOT_MET:
        csf_needs = [*csf_needs, "labs.csf.wbc_per_ul"]
    b = ctx.case.biopsy
    demy = None if b is None else (b.demyelination, b.remyelination)
    if demy is None or all(x is None for x in demy):
        bio: Status = UNKNOWN
        bio_text = "no nerve biopsy recorded"
    else:
        bio = MET if any(demy) else (NOT_MET if all(x is False for x in demy) else UNKNOWN)
        bio_text = f"biopsy demyelination {demy[0]}, remyelination {demy[1]}"
    return [
        make(
            resp_id,
            "supportive",
            resp,
            "objective clinical improvement after immunotherapy (C14)",
            resp_text,
            cite,
            needs=resp_needs,
        ),
        make(
            img_id,
            "supportive",
            img,
            "imaging: nerve root/plexus MRI"
            + (" or nerve ultrasound (counted once, C5)" if ultrasound else ""),
            img_text,
            cite,
            needs=img_needs,
        ),
        make(
            csf_id,
            "supportive",
            csf_status,
            "CSF protein raised with < 10 leukocytes/µL (C6)",
            csf_text,
            cite,
            evidence=csf_ev,
            needs=csf_needs,
        ),
        make(
            biopsy_id,
            "supportive",
            bio,
            "nerve biopsy with unequivocal demyelination and/or remyelination",
            bio_text,
            cite,
            needs=["biopsy"],
        ),
    ]


def _pp_text(pp: Paraprotein | None) -> str:
    if pp is None:
        return "not recorded"
    if not pp.present:
        return "absent"
    return " ".join(x for x in (pp.isotype, pp.light_chain, "present") if x)


def exclusions(ctx: CaseContext, cite: str) -> list[CriterionResult]:
    """Decision C11: exclusions act on positive evidence only (never unknown).

    Hereditary neuropathy (family history or pes cavus), anti-MAG neuropathy (IgM
    paraprotein with anti-MAG), POEMS (lambda paraprotein with raised VEGF), autoimmune
    nodopathy (nodal/paranodal antibodies). An unrecorded test is a suggested next test.
    """
    conds = set(ctx.case.history.conditions or ()) if ctx.case.history else set()
    labs = ctx.case.labs
    pp = labs.paraprotein if labs else None
    anti_mag = labs.value("anti_mag") if labs else None
    vegf = labs.value("vegf_elevated") if labs else None
    nodal = labs.value("nodal_paranodal_antibodies") if labs else None
    target = labs.value("nodal_paranodal_target") if labs else None
    hered = sorted(conds & {"family_history_neuropathy", "pes_cavus"})
    mag = bool(pp and pp.present and pp.isotype == "igm" and anti_mag == "positive")
    poems = bool(pp and pp.present and pp.light_chain == "lambda" and vegf is True)
    nodo = nodal == "positive"
    return [
        make(
            "CIDP-EXCL-HERED",
            "exclusion",
            from_bool(bool(hered)),
            "hereditary neuropathy (family history, pes cavus)",
            ", ".join(hered) or "no family history or pes cavus recorded",
            cite,
        ),
        make(
            "CIDP-EXCL-MAG",
            "exclusion",
            from_bool(mag),
            "IgM paraprotein with anti-MAG antibodies (anti-MAG neuropathy)",
            f"paraprotein {_pp_text(pp)}, anti-MAG {anti_mag or 'not recorded'}",
            cite,
        ),
        make(
            "CIDP-EXCL-POEMS",
            "exclusion",
            from_bool(poems),
            "POEMS syndrome (lambda paraprotein with raised VEGF)",
            f"light chain {pp.light_chain if pp and pp.light_chain else 'not recorded'}, VEGF "
            + ("not recorded" if vegf is None else "raised" if vegf else "not raised"),
            cite,
        ),
        make(
            "CIDP-EXCL-NODO",
            "exclusion",
            from_bool(nodo),
            "autoimmune nodopathy (IgG4 antibodies to NF155, CNTN1, Caspr1 or NF186/140)",
            f"nodal/paranodal antibodies {nodal or 'not recorded'}"
            + (f" ({target})" if target else ""),
            cite,
        ),
    ]
