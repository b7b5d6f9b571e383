"""EFNS/PNS 2010 guideline on CIDP (first revision): definite / probable / possible.

For labs that still report it. Clinical criteria: typical (symmetric proximal and
distal weakness and sensory dysfunction of all extremities over ≥ 2 months, reduced or
absent reflexes in all limbs) or atypical (distal, asymmetric/multifocal, focal, pure
motor, pure sensory — the EAN/PNS 2021 variant criteria, decision C13). Exclusions C11.

References
----------
1. Van den Bergh PYK, Hadden RDM, Bouche P, et al. European Federation of Neurological
   Societies/Peripheral Nerve Society guideline on management of chronic inflammatory
   demyelinating polyradiculoneuropathy, first revision. Eur J Neurol 2010;17:356-363.
   doi:10.1111/j.1468-1331.2009.02930.x
"""

from __future__ import annotations

from collections.abc import Mapping

from neuroig.criteria.categories import CategoryRule, SetInfo, evaluate_set
from neuroig.criteria.cidp_common import (
    MOTOR_RULES,
    PHENOTYPES,
    clinical_phenotypes,
    count_rule,
    exclusions,
    supportive,
    unknown_motor_needs,
)
from neuroig.criteria.common import make, rule_ids
from neuroig.criteria.context import CaseContext
from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult
from neuroig.record import replace
from neuroig.reference.sources import short_cite
from neuroig.reference.thresholds import threshold
from neuroig.tristate import (
    MET,
    NOT_MET,
    UNKNOWN,
    Status,
    all_of,
    any_of,
    at_least,
    from_bool,
    negate,
)

__all__ = ["RULES_VERSION", "SET_ID", "evaluate"]

SET_ID = "cidp_efns_pns_2010"
RULES_VERSION = "2026.11.21"
TITLE = "EFNS/PNS 2010 CIDP"
CITE = short_cite("vandenBergh2010", "EFNS/PNS CIDP, first revision")
INFO = SetInfo(SET_ID, TITLE, RULES_VERSION, CITE)
EXCLUSIONS = ("CIDP-EXCL-HERED", "CIDP-EXCL-MAG", "CIDP-EXCL-POEMS", "CIDP-EXCL-NODO")
LETTERS = "abcdefg"
#: The per-nerve motor findings (a)-(g) of this set, in the order of LETTERS.
MOTOR_IDS = tuple(f"CIDP10-MOT-{letter}" for letter in LETTERS)
#: Clinical criteria decided by the shared phenotype builder, in the order of PHENOTYPES
#: (typical, motor, sensory, distal, multifocal, focal).
CLINICAL = rule_ids(
    "CIDP10-CLIN-TYP",
    "CIDP10-CLIN-MOTOR",
    "CIDP10-CLIN-SENS",
    "CIDP10-CLIN-DIST",
    "CIDP10-CLIN-MULTI",
    "CIDP10-CLIN-FOCAL",
)
SUPPORTIVE = rule_ids("CIDP10-SUP-RESP", "CIDP10-SUP-IMG", "CIDP10-SUP-CSF", "CIDP10-SUP-BIOPSY")


def _clinical(ctx: CaseContext) -> list[CriterionResult]:
    """CIDP10-CLIN: typical with sensory dysfunction of all extremities, or atypical."""
    # the EAN/PNS 2021 shapes; CIDP10-CLIN-TYP adds sensory dysfunction of all limbs below,
    # and CIDP10-CLIN-ATYP is any of the five atypical shapes
    phen = clinical_phenotypes(
        ctx, CLINICAL, CITE, duration_threshold="cidp10.clin.duration_months"
    )
    by = {r.id: r for r in phen}
    typ = by[CLINICAL[0]]
    limbs = ctx.sensory_limbs
    all4: Status = UNKNOWN if limbs is None else from_bool(len(limbs) == 4)
    typical = make(
        typ.id,
        "clinical",
        all_of([typ.status, all4]),
        "typical CIDP: symmetric proximal and distal weakness and sensory dysfunction of all "
        "extremities over ≥ 2 months, reduced/absent reflexes in all limbs",
        typ.reason
        + "; sensory limbs: "
        + (
            ", ".join(x.replace("_", " ") for x in sorted(limbs))
            if limbs is not None
            else "not recorded"
        ),
        CITE,
        needs=typ.needs,
    )
    atypical_ids = [
        CLINICAL[PHENOTYPES.index(p)] for p in ("distal", "multifocal", "focal", "motor", "sensory")
    ]
    atypical = make(
        "CIDP10-CLIN-ATYP",
        "clinical",
        any_of([by[i].status for i in atypical_ids]),
        "atypical CIDP: distal (DADS), asymmetric (MADSAM), focal, pure motor or pure sensory",
        ", ".join(
            f"{i.removeprefix('CIDP10-CLIN-').lower()} {by[i].status.replace('_', ' ')}"
            for i in atypical_ids
        ),
        CITE,
        needs=[n for i in atypical_ids for n in by[i].needs],
    )
    return [typical, atypical, *(by[i] for i in atypical_ids)]


def _edx(ctx: CaseContext) -> list[CriterionResult]:
    """CIDP10-EDX-DEF, -PROB and -POSS from the per-nerve 2010 findings."""
    nerves = ctx.electro.motor if ctx.electro else ()
    per = [dict(zip(LETTERS, m.statuses(MOTOR_IDS), strict=True)) for m in nerves]
    for p, m in zip(per, nerves, strict=True):
        p["p"] = m.finding("CIDP10-PROB-CB").status
    if not per:
        none_needs = ["ncs.motor: motor conduction studies"]
        return [
            make(
                i,
                "electrodiagnostic",
                UNKNOWN,
                st,
                "no motor conduction study",
                CITE,
                needs=none_needs,
            )
            for i, st in (
                ("CIDP10-EDX-DEF", "definite"),
                ("CIDP10-EDX-PROB", "probable"),
                ("CIDP10-EDX-POSS", "possible"),
            )
        ]
    items = [
        (letter, count_rule(per, letter, rule, others)) for letter, rule, others in MOTOR_RULES
    ]
    definite = any_of([s for _, s in items])
    probable = count_rule(per, "p", "2|1+other", "abcdfg")
    possible = at_least(1, [p[letter] for p in per for letter in LETTERS])

    def needs() -> list[str]:
        return unknown_motor_needs(nerves, "CIDP10-")

    return [
        CriterionResult.lazy(
            "CIDP10-EDX-DEF",
            "electrodiagnostic",
            definite,
            "definite electrodiagnostic criteria: any of (a)-(g) with its nerve count",
            CITE,
            lambda: (
                "; ".join(f"({letter}) {s.replace('_', ' ')}" for letter, s in items),
                (),
                needs(),
                True,
            ),
        ),
        CriterionResult.lazy(
            "CIDP10-EDX-PROB",
            "electrodiagnostic",
            probable,
            "probable: ≥ 30 % amplitude reduction (not tibial), distal CMAP ≥ 20 % of LLN, "
            "in 2 nerves or 1 nerve plus another parameter in another nerve",
            CITE,
            lambda: (
                f"probable-block nerves: {sum(p['p'] == MET for p in per)}",
                (),
                needs(),
                True,
            ),
        ),
        CriterionResult.lazy(
            "CIDP10-EDX-POSS",
            "electrodiagnostic",
            possible,
            "possible: any definite-level item in one nerve",
            CITE,
            lambda: (
                f"{sum(p[letter] == MET for p in per for letter in LETTERS)} "
                "item-nerve pair(s) met",
                (),
                needs(),
                True,
            ),
        ),
    ]


def _clin(s: Mapping[str, Status]) -> Status:
    return all_of(
        [any_of([s["CIDP10-CLIN-TYP"], s["CIDP10-CLIN-ATYP"]]), *(negate(s[e]) for e in EXCLUSIONS)]
    )


def _sup(s: Mapping[str, Status], n: int) -> Status:
    return at_least(n, [s[k] for k in (*SUPPORTIVE, "CIDP10-SUP-SENS")])


def _definite(s: Mapping[str, Status]) -> Status:
    return all_of(
        [
            _clin(s),
            any_of(
                [
                    s["CIDP10-EDX-DEF"],
                    all_of([s["CIDP10-EDX-PROB"], _sup(s, 1)]),
                    all_of([s["CIDP10-EDX-POSS"], _sup(s, 2)]),
                ]
            ),
        ]
    )


def _probable(s: Mapping[str, Status]) -> Status:
    return all_of(
        [_clin(s), any_of([s["CIDP10-EDX-PROB"], all_of([s["CIDP10-EDX-POSS"], _sup(s, 1)])])]
    )


def _possible(s: Mapping[str, Status]) -> Status:
    return all_of([_clin(s), s["CIDP10-EDX-POSS"]])


_USES = (
    "CIDP10-CLIN-TYP",
    "CIDP10-CLIN-ATYP",
    *EXCLUSIONS,
    "CIDP10-EDX-DEF",
    "CIDP10-EDX-PROB",
    "CIDP10-EDX-POSS",
    *SUPPORTIVE,
    "CIDP10-SUP-SENS",
)
RULES = (
    CategoryRule("definite", _definite, _USES),
    CategoryRule("probable", _probable, _USES),
    CategoryRule("possible", _possible, _USES),
)


def _sensory_electrophysiology(ctx: CaseContext) -> CriterionResult:
    """CIDP10-SUP-SENS: abnormal sensory electrophysiology in ≥ 1 nerve — the sural-sparing
    pattern, or sensory CV < 80 % of LLN (< 70 % when the SNAP amplitude is not above
    80 % of LLN). Somatosensory evoked potentials, the third item, are not in the case
    format and are not judged."""
    t_amp = threshold("cidp10.sup.sensory_amp_pct_lln")
    t_cv = threshold("cidp10.sup.sensory_cv_pct_lln")
    t_cv_low = threshold("cidp10.sup.sensory_cv_low_amp_pct_lln")
    entries = [e for s in (ctx.electro.sensory if ctx.electro else ()) for e in s.entries]
    cv_statuses: list[Status] = []
    hits: list[str] = []
    for e in entries:
        amp, cv = e.amplitude_pct_lln, e.velocity_pct_lln
        if cv is None:
            cv_statuses.append(UNKNOWN)
            continue
        high = t_amp.holds_or_none(amp)
        # the velocity threshold depends on the amplitude band; an unknown band splits cases
        if high is None:
            both = {t_cv.holds(cv), t_cv_low.holds(cv)}
            status: Status = UNKNOWN if len(both) == 2 else (MET if True in both else NOT_MET)
        else:
            status = from_bool((t_cv if high else t_cv_low).holds(cv))
        cv_statuses.append(status)
        if status == MET:
            hits.append(f"{e.nerve} {e.side} {e.segment}: CV {cv:.0f} % of LLN")
    sural = ctx.electro.sural_sparing if ctx.electro else None
    sural_s: Status = sural.status if sural else UNKNOWN
    status = any_of([sural_s, *cv_statuses]) if entries else UNKNOWN
    reason = "; ".join([*hits, f"sural sparing: {sural.reason}" if sural else "no sensory study"])
    return make(
        "CIDP10-SUP-SENS",
        "supportive",
        status,
        "abnormal sensory electrophysiology in ≥ 1 nerve (sural sparing or sensory CV "
        "< 80 % / < 70 % of LLN)",
        reason,
        CITE,
        needs=["ncs.sensory"],
    )


def evaluate(ctx: CaseContext) -> CriteriaSetResult:
    """Evaluate the EFNS/PNS 2010 CIDP criteria for one case."""
    results = _clinical(ctx)
    results += _edx(ctx)
    results += supportive(ctx, SUPPORTIVE, CITE, ultrasound=False)
    results.append(_sensory_electrophysiology(ctx))
    results += exclusions(ctx, CITE)
    result = evaluate_set(INFO, RULES, results)
    excluded = [r.id for r in results if r.kind == "exclusion" and r.status == MET]
    if excluded:
        result = replace(result, notes=("excluded from CIDP by " + ", ".join(excluded) + " (C11)",))
    return result
