"""AAEM 2003 consensus criteria for multifocal motor neuropathy (definite / probable).

The AAEM conduction-block thresholds (Olney 2003, Table 1) could not be verified and
ship disabled (``reference/data/aaem_block.toml``): the block criteria AAEM-DEF-2 and
AAEM-PROB-2 are reported ``unknown`` with that reason and the set's category is
``not_evaluable`` with the reason (decision C17) whenever the category hinges on them.
The non-block criteria are evaluated and shown; when one of them already fails every
category, the set is ``not_fulfilled`` whatever the table will say.

References
----------
1. Olney RK, Lewis RA, Putnam TD, Campellone JV Jr. Consensus criteria for the diagnosis
   of multifocal motor neuropathy. Muscle Nerve 2003;27(1):117-121. doi:10.1002/mus.10317
2. Olney RK. Consensus criteria for the diagnosis of partial conduction block.
   Muscle Nerve 1999;22(Suppl 8):S225-S229.
"""

from __future__ import annotations

from collections.abc import Mapping

from neuroig.criteria.categories import NOT_EVALUABLE, CategoryRule, SetInfo, evaluate_set
from neuroig.criteria.common import make, sensory_all_normal
from neuroig.criteria.context import CaseContext
from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult
from neuroig.record import replace
from neuroig.reference.sources import short_cite
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, all_of, from_bool

__all__ = ["RULES_VERSION", "SET_ID", "evaluate"]

SET_ID = "mmn_aaem_2003"
RULES_VERSION = "2026.11.21"
TITLE = "AAEM 2003 multifocal motor neuropathy"
CITE = short_cite("olney2003", "AAEM consensus criteria for MMN")
INFO = SetInfo(SET_ID, TITLE, RULES_VERSION, CITE)
NAMED_NERVES = frozenset({"median", "ulnar", "radial", "fibular", "tibial"})
AAEM_UMN_SIGNS = frozenset({"spasticity", "clonus", "babinski", "pseudobulbar"})


def _def1(ctx: CaseContext) -> CriterionResult:
    """AAEM-DEF-1: weakness without objective sensory loss in ≥ 2 of the median, ulnar,
    radial, peroneal and tibial nerve distributions; early diffuse symmetric weakness excludes."""
    terr = ctx.territories
    named = None if terr is None else sorted({f"{s} {n}" for n, s in terr if n in NAMED_NERVES})
    count: Status = UNKNOWN if named is None else from_bool(len(named) >= 2)
    loss = ctx.sensory_loss
    # "weakness without objective sensory loss": unlike EFNS/PNS core 2, no exception for
    # minor vibration loss in the legs (decision C15 as refined in docs/decisions.md)
    sens: Status = UNKNOWN if loss is None else from_bool(loss == "none")
    early = ctx.case.history.early_diffuse_symmetric_weakness if ctx.case.history else None
    early_s: Status = UNKNOWN if early is None else from_bool(not early)
    reason = (
        f"weak named-nerve territories: {', '.join(named) if named else 'none'}; "
        f"objective sensory loss: {loss or 'not recorded'}; "
        "early diffuse symmetric weakness: "
        + ("not recorded" if early is None else "present" if early else "absent")
    )
    return make(
        "AAEM-DEF-1",
        "clinical",
        all_of([count, sens, early_s]),
        "weakness without objective sensory loss in ≥ 2 named nerves (median, ulnar, radial, "
        "peroneal, tibial); no early diffuse symmetric weakness",
        reason,
        CITE,
        needs=[
            x
            for x, st in (
                ("exam.strength", count),
                ("exam.sensory.objective_loss", sens),
                ("history.early_diffuse_symmetric_weakness", early_s),
            )
            if st == UNKNOWN
        ],
    )


def _blocks() -> tuple[CriterionResult, CriterionResult]:
    """AAEM-DEF-2 (definite block in ≥ 2 nerves) and AAEM-PROB-2 (probable block)."""
    why = (
        "AAEM block-threshold table (Olney 2003, Table 1) not verified: shipped disabled "
        "(reference/data/aaem_block.toml)"
    )
    need = "reference table aaem_block: transcribe and verify Olney 2003 Table 1"
    return (
        make(
            "AAEM-DEF-2",
            "electrodiagnostic",
            UNKNOWN,
            "definite conduction block in ≥ 2 nerves outside common entrapment sites",
            why,
            CITE,
            needs=[need],
            verified=False,
        ),
        make(
            "AAEM-PROB-2",
            "electrodiagnostic",
            UNKNOWN,
            "probable block in ≥ 2 nerves, or definite in one and probable in another, "
            "outside entrapment sites",
            why,
            CITE,
            needs=[need],
            verified=False,
        ),
    )


def _def3(ctx: CaseContext) -> CriterionResult:
    """AAEM-DEF-3: normal sensory conduction across the segments with motor block.

    Which segments are blocked is unknown while the block table is disabled: met when
    the sensory study paired with every motor nerve stimulated proximally is normal.
    """
    electro = ctx.electro
    nerves = [m for m in electro.motor if m.segments] if electro else []
    statuses: list[Status] = []
    lines: list[str] = []
    for m in nerves:
        st, text = electro.sensory_across(m.nerve, m.side) if electro else (UNKNOWN, "")
        statuses.append(st)
        lines.append(text)
    status: Status = MET if statuses and all(s == MET for s in statuses) else UNKNOWN
    return make(
        "AAEM-DEF-3",
        "electrodiagnostic",
        status,
        "normal sensory nerve conduction velocity across the segments with motor block",
        "; ".join(lines) or "no motor nerve stimulated proximally",
        CITE,
        needs=["ncs.sensory: the sensory study paired with each blocked nerve"],
    )


def _def4(ctx: CaseContext) -> CriterionResult:
    """AAEM-DEF-4: normal sensory NCS in all nerves tested, with ≥ 3 tested (E8)."""
    status, text = sensory_all_normal(ctx, minimum=3)
    return make(
        "AAEM-DEF-4",
        "electrodiagnostic",
        status,
        "normal sensory NCS in all nerves tested, at least 3 tested",
        text,
        CITE,
        needs=["ncs.sensory: at least 3 sensory nerves"],
    )


def _def5(ctx: CaseContext) -> CriterionResult:
    """AAEM-DEF-5: none of spastic tone, clonus, extensor plantar response, pseudobulbar palsy."""
    exam = ctx.case.exam
    umn = exam.umn_signs if exam else None
    needs = ["exam.umn_signs.signs"]
    status: Status
    if umn is None:
        status, text, needs = UNKNOWN, "UMN signs not recorded", ["exam.umn_signs"]
    elif not umn.present:
        status = MET
        text = "no UMN signs"
    elif umn.signs:
        listed = sorted(AAEM_UMN_SIGNS & set(umn.signs))
        status = NOT_MET if listed else MET
        text = f"UMN signs: {', '.join(umn.signs)}" + (
            "" if listed else " (none of those the AAEM criteria name)"
        )
    else:
        status = UNKNOWN
        text = "UMN signs present but not named"
    return make(
        "AAEM-DEF-5",
        "exclusion",
        status,
        "no spastic tone, clonus, extensor plantar response or pseudobulbar palsy",
        text,
        CITE,
        needs=needs,
    )


def _definite(s: Mapping[str, Status]) -> Status:
    return all_of([s[f"AAEM-DEF-{i}"] for i in range(1, 6)])


def _probable(s: Mapping[str, Status]) -> Status:
    return all_of(
        [s["AAEM-DEF-1"], s["AAEM-PROB-2"], s["AAEM-DEF-3"], s["AAEM-DEF-4"], s["AAEM-DEF-5"]]
    )


RULES = (
    CategoryRule("definite", _definite, tuple(f"AAEM-DEF-{i}" for i in range(1, 6))),
    CategoryRule(
        "probable",
        _probable,
        ("AAEM-DEF-1", "AAEM-PROB-2", "AAEM-DEF-3", "AAEM-DEF-4", "AAEM-DEF-5"),
    ),
)


def evaluate(ctx: CaseContext) -> CriteriaSetResult:
    """Evaluate the AAEM 2003 MMN criteria for one case."""
    def2, prob2 = _blocks()
    results = [_def1(ctx), def2, _def3(ctx), _def4(ctx), _def5(ctx), prob2]
    result = evaluate_set(INFO, RULES, results)
    if UNKNOWN not in result.category_status.values():
        # a criterion outside the block table already fails every category: not
        # fulfilled whatever the table will say (C17 as refined in docs/decisions.md)
        return result
    # C17: the category hinges on the disabled block table: not evaluable, with the reason
    return replace(
        result,
        category=NOT_EVALUABLE,
        conditional_category=None,
        reachable=None,
        notes=(NOT_EVALUABLE_REASON,),
    )


#: Why the AAEM category is not evaluable in this version (decision C17).
NOT_EVALUABLE_REASON = (
    "not evaluable: the AAEM conduction-block thresholds (Olney 2003, Table 1) are not yet "
    "verified, so the block criteria AAEM-DEF-2 and AAEM-PROB-2 cannot be judged (C17)"
)
