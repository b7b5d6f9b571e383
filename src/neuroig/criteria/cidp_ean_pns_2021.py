"""EAN/PNS 2021 guideline on CIDP (second revision): typical CIDP and its variants.

Clinical criteria (typical, distal, multifocal, focal, motor, sensory), motor
conduction criteria (a)-(g) with their nerve counts, sensory conduction criteria,
supportive criteria, exclusions (C11) and the category table with the upgrade rule
(possible CIDP + ≥ 2 supportive criteria → CIDP). Rows not confirmed in the guideline
text ([U]) are off by default (decision C8); ``CriteriaOptions.include_unconfirmed`` turns on the
typical-CIDP "strong motor + 1 abnormal sensory nerve → possible" branch.

References
----------
1. Van den Bergh PYK, van Doorn PA, Hadden RDM, et al. European Academy of Neurology/
   Peripheral Nerve Society guideline on diagnosis and treatment of chronic inflammatory
   demyelinating polyradiculoneuropathy: report of a joint Task Force, second revision.
   Eur J Neurol 2021;28:3556-3583. doi:10.1111/ene.14959
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
from neuroig.criteria.common import make, rule_ids, sensory_abnormal_count, sensory_all_normal
from neuroig.criteria.context import CaseContext
from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult
from neuroig.evidence import Evidence
from neuroig.record import Record, replace
from neuroig.reference.sources import short_cite
from neuroig.reference.thresholds import threshold
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, all_of, any_of, at_least, negate

__all__ = ["RULES_VERSION", "SET_ID", "CriteriaOptions", "evaluate"]

SET_ID = "cidp_ean_pns_2021"
RULES_VERSION = "2026.11.21"
TITLE = "EAN/PNS 2021 CIDP"
CITE = short_cite("vandenBergh2021", "EAN/PNS CIDP, second revision")
INFO = SetInfo(SET_ID, TITLE, RULES_VERSION, CITE)
EXCLUSIONS = ("CIDP-EXCL-HERED", "CIDP-EXCL-MAG", "CIDP-EXCL-POEMS", "CIDP-EXCL-NODO")
LETTERS = "abcdefg"
#: The per-nerve motor findings (a)-(g) of this set, in the order of LETTERS.
MOTOR_IDS = tuple(f"CIDP21-MOT-{letter}" for letter in LETTERS)
CLIN = dict(
    zip(
        PHENOTYPES,
        rule_ids(
            "CIDP21-CLIN-TYP",
            "CIDP21-CLIN-MOTOR",
            "CIDP21-CLIN-SENS",
            "CIDP21-CLIN-DIST",
            "CIDP21-CLIN-MULTI",
            "CIDP21-CLIN-FOCAL",
        ),
        strict=True,
    )
)
SUPPORTIVE = rule_ids("CIDP21-SUP-RESP", "CIDP21-SUP-IMG", "CIDP21-SUP-CSF", "CIDP21-SUP-BIOPSY")


class CriteriaOptions(Record, frozen=True):
    """Switches for rows not confirmed in the guideline text ([U], decision C8; off by
    default)."""

    include_unconfirmed: bool = False


def _motor(ctx: CaseContext) -> list[CriterionResult]:
    """CIDP21-MOT-STRONG (any of (a)-(g) with its nerve count) and CIDP21-MOT-WEAK
    (any of (a)-(g) in one nerve). Each nerve-side is one nerve (E6)."""
    nerves = ctx.electro.motor if ctx.electro else ()
    per_nerve = [dict(zip(LETTERS, m.statuses(MOTOR_IDS), strict=True)) for m in nerves]
    statuses: list[Status] = [
        count_rule(per_nerve, letter, rule, others) if per_nerve else UNKNOWN
        for letter, rule, others in MOTOR_RULES
    ]
    strong = any_of(statuses)
    weak_all = [p[letter] for p in per_nerve for letter in LETTERS]
    weak = at_least(1, weak_all) if per_nerve else UNKNOWN

    def needs() -> list[str]:
        return unknown_motor_needs(nerves, "CIDP21-MOT-") or (
            ["ncs.motor: motor conduction studies"] if not per_nerve else []
        )

    def explain_strong() -> tuple[str, list[Evidence], list[str], bool]:
        if not per_nerve:
            return "no motor conduction study", [], needs(), True
        items: list[str] = []
        for (letter, _, _), st in zip(MOTOR_RULES, statuses, strict=True):
            hits = [
                f"{m.side} {m.nerve}"
                for m, p in zip(nerves, per_nerve, strict=True)
                if p[letter] == MET
            ]
            words = {MET: "met", NOT_MET: "not met", UNKNOWN: "undecided"}[st]
            items.append(f"({letter}) {words}" + (f" in {', '.join(hits)}" if hits else ""))
        evidence = [
            e
            for m in nerves
            for f in m.findings_of("CIDP21-MOT-")
            if f.status == MET
            for e in f.evidence
        ]
        return "; ".join(items), evidence, needs(), True

    return [
        CriterionResult.lazy(
            "CIDP21-MOT-STRONG",
            "electrodiagnostic",
            strong,
            "motor conduction strongly supportive of demyelination: any of (a)-(g) with its nerve "
            "count",
            CITE,
            explain_strong,
            verified=False,
        ),
        CriterionResult.lazy(
            "CIDP21-MOT-WEAK",
            "electrodiagnostic",
            weak,
            "motor conduction weakly supportive: any of (a)-(g) in one nerve",
            CITE,
            lambda: (
                f"{sum(s == MET for s in weak_all)} parameter-nerve pair(s) met",
                (),
                needs(),
                True,
            ),
            verified=False,
        ),
    ]


def _sensory(ctx: CaseContext) -> list[CriterionResult]:
    """CIDP21-SENS-1 (abnormal sensory conduction in ≥ 2 nerves), CIDP21-SENS-2 (≥ 1 nerve),
    the motor-CIDP requirement (normal in every nerve tested, ≥ 2 tested, C8) and the
    sural-sparing pattern."""
    statuses, names = sensory_abnormal_count(ctx)
    abnormal = [n for n, s in zip(names, statuses, strict=True) if s == MET]
    text = f"abnormal: {', '.join(abnormal) or 'none'} of {len(names)} tested"
    normal_s, normal_text = sensory_all_normal(ctx, minimum=2)
    sural = ctx.electro.sural_sparing if ctx.electro else None
    needs = ["ncs.sensory: sensory conduction studies with limits"]
    out = [
        make(
            "CIDP21-SENS-1",
            "electrodiagnostic",
            at_least(2, statuses) if names else UNKNOWN,
            "sensory conduction abnormal in ≥ 2 nerves",
            text,
            CITE,
            needs=needs,
            verified=False,
        ),
        make(
            "CIDP21-SENS-2",
            "electrodiagnostic",
            at_least(1, statuses) if names else UNKNOWN,
            "sensory conduction abnormal in ≥ 1 nerve",
            text,
            CITE,
            needs=needs,
            verified=False,
        ),
        make(
            "CIDP21-SENS-NORMAL",
            "electrodiagnostic",
            normal_s,
            "sensory conduction normal in every nerve tested, ≥ 2 tested (motor CIDP, C8)",
            normal_text,
            CITE,
            needs=needs,
            verified=False,
        ),
    ]
    if sural is not None:
        out.append(
            make(sural.id, "electrodiagnostic", sural.status, sural.statement, sural.reason, CITE)
        )
    return out


def _not_excluded(s: Mapping[str, Status]) -> Status:
    return all_of([negate(s[e]) for e in EXCLUSIONS])


def _cidp_direct(s: Mapping[str, Status]) -> Status:
    strong, sens2 = s["CIDP21-MOT-STRONG"], s["CIDP21-SENS-1"]
    return any_of(
        [
            all_of([s[CLIN["typical"]], strong, sens2]),
            all_of([s[CLIN["distal"]], strong, sens2]),
            all_of([s[CLIN["multifocal"]], strong, sens2]),
            all_of([s[CLIN["focal"]], strong, sens2]),
            all_of([s[CLIN["motor"]], strong, s["CIDP21-SENS-NORMAL"]]),
            all_of([s[CLIN["motor"]], strong, sens2]),  # motor-predominant [R]
            all_of([s[CLIN["sensory"]], strong]),  # sensory-predominant [R]
        ]
    )


def _possible_rule(include_unconfirmed: bool) -> Callable[[Mapping[str, Status]], Status]:
    def possible(s: Mapping[str, Status]) -> Status:
        weak, sens2 = s["CIDP21-MOT-WEAK"], s["CIDP21-SENS-1"]
        branches = [
            all_of([s[CLIN[p]], weak, sens2]) for p in ("typical", "distal", "multifocal", "focal")
        ]
        branches.append(all_of([s[CLIN["motor"]], weak, s["CIDP21-SENS-NORMAL"]]))
        if include_unconfirmed:
            branches.append(
                all_of([s[CLIN["typical"]], s["CIDP21-MOT-STRONG"], s["CIDP21-SENS-2"]])
            )
        return all_of([_not_excluded(s), any_of(branches)])

    return possible


def _rules(options: CriteriaOptions) -> tuple[CategoryRule, CategoryRule]:
    possible = _possible_rule(options.include_unconfirmed)

    def cidp(s: Mapping[str, Status]) -> Status:
        nsup = at_least(2, [s[k] for k in SUPPORTIVE])
        return all_of([_not_excluded(s), any_of([_cidp_direct(s), all_of([possible(s), nsup])])])

    uses_core = (
        *CLIN.values(),
        "CIDP21-MOT-STRONG",
        "CIDP21-MOT-WEAK",
        "CIDP21-SENS-1",
        "CIDP21-SENS-2",
        "CIDP21-SENS-NORMAL",
        *EXCLUSIONS,
    )
    sup = SUPPORTIVE
    return (
        CategoryRule("cidp", cidp, (*uses_core, *sup)),
        CategoryRule("possible_cidp", possible, uses_core),
    )


def _phenotype(results: list[CriterionResult]) -> str | None:
    """Decision C13: the clinical criterion matched, even when electrodiagnosis fails."""
    by_id = {r.id: r.status for r in results}
    return next((p for p in PHENOTYPES if by_id[CLIN[p]] == MET), None)


def _distal_needs_paraprotein(
    ctx: CaseContext, results: list[CriterionResult]
) -> list[CriterionResult]:
    """Decision C19: in the distal phenotype anti-MAG neuropathy is excluded only by a
    recorded answer — serum immunofixation without an IgM paraprotein, or an IgM
    paraprotein with anti-MAG negative. Without it CIDP-EXCL-MAG is unknown, so the
    category is conditional ("CIDP if IgM paraprotein with anti-MAG is excluded")."""
    if next(r.status for r in results if r.id == CLIN["distal"]) != MET:
        return results
    labs = ctx.case.labs
    pp = labs.paraprotein if labs else None
    anti_mag = labs.value("anti_mag") if labs else None
    negative_fixation = pp is not None and (
        not pp.present or (pp.isotype is not None and pp.isotype != "igm")
    )
    answered = negative_fixation or anti_mag == "negative"
    out: list[CriterionResult] = []
    for r in results:
        if r.id == "CIDP-EXCL-MAG" and r.status == NOT_MET and not answered:
            out.append(
                CriterionResult(
                    r.id,
                    r.kind,
                    UNKNOWN,
                    r.statement,
                    r.reason + "; distal phenotype: not excluded until recorded (C19)",
                    r.cite,
                    evidence=r.evidence,
                    needs=("labs.paraprotein (serum immunofixation)", "labs.anti_mag"),
                    verified=r.verified,
                )
            )
            continue
        out.append(r)
    return out


def evaluate(ctx: CaseContext, options: CriteriaOptions | None = None) -> CriteriaSetResult:
    """Evaluate the EAN/PNS 2021 CIDP criteria for one case."""
    opts = options or CriteriaOptions()
    results: list[CriterionResult] = clinical_phenotypes(ctx, tuple(CLIN.values()), CITE)
    results += _motor(ctx)
    results += _sensory(ctx)
    results += supportive(ctx, SUPPORTIVE, CITE, ultrasound=True)
    results += exclusions(ctx, CITE)
    results = _distal_needs_paraprotein(ctx, results)
    result = evaluate_set(
        INFO, _rules(opts), results, phenotype=_phenotype(results), exclusions=("CIDP-EXCL-MAG",)
    )
    category, per_cat = result.category, result.category_status
    phenotype = result.phenotype
    notes: list[str] = []
    excluded = [r.id for r in results if r.kind == "exclusion" and r.status == MET]
    if excluded:
        notes.append("excluded from CIDP by " + ", ".join(excluded) + " (C11)")
    nadir = ctx.case.history.time_to_nadir_weeks if ctx.case.history else None
    t_acute = threshold("c12.acute_onset_nadir_weeks")
    if phenotype == "typical" and nadir is not None and t_acute.holds(nadir):
        notes.append(
            f"first nadir within {nadir:g} weeks: acute-onset CIDP (A-CIDP); consider GBS with "
            "treatment-related fluctuations (C12)"
        )
    labs = ctx.case.labs
    if phenotype == "distal" and not excluded:
        pp = labs.paraprotein if labs else None
        if pp is None or labs is None or labs.value("anti_mag") is None:
            notes.append(
                "distal phenotype: check serum immunofixation and anti-MAG antibodies (C11)"
            )
    if options is not None and options.include_unconfirmed:
        notes.append("unconfirmed ([U]) rows included by option")
    if per_cat.get("cidp") == UNKNOWN and category == "not_fulfilled" and phenotype is None:
        notes.append("no clinical criterion met yet")
    return replace(result, notes=tuple(notes))
