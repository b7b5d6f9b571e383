"""An input that is not recorded never silently becomes ``not_met`` (three-valued logic,
decision C9; issue 4).

For each input below, a case where a category is met is built (an example, or a case of
``tests/conformance/criteria_cases.yaml``), the input is removed, and:

* every criterion that depends on it is ``unknown`` (it was decided before);
* the category is not silently lower: if it drops, the lost category's status is
  ``unknown`` and ``reachable`` (or ``conditional_category``) reaches at least as high;
* the best outcome still possible (the highest of category, reachable and conditional
  category) never drops;
* ``missing`` names the input (substring of some ``Missing.input``).

A sweep then removes, one at a time, every optional value of every example case and
checks that no decided criterion flips to the opposite decision (it may only become
``unknown``). The CIDP exclusions are exempt by decision C11 (they act on positive
evidence only: an unrecorded test is not an exclusion).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.conformance.test_criteria_cases import BY_ID, CATEGORIES, apply_op, build
from tests.conftest import EXAMPLES, example_data

from neuroig.assess import Assessment, EvaluateOptions, evaluate
from neuroig.case import case_from_data
from neuroig.criteria.verdict import CriteriaSetResult
from neuroig.errors import CaseValidationError


@dataclass(frozen=True)
class Removal:
    """Remove ``remove`` (JSON pointers) from ``start`` (an example stem or a case id)."""

    name: str
    start: str
    set_id: str
    category: str
    remove: tuple[str, ...]
    dependents: tuple[str, ...]
    missing: str
    options: dict[str, Any] = field(default_factory=dict)
    disputed: str = ""


REMOVALS = (
    # ---------------------------------------------------------------- MMN EFNS/PNS 2010
    Removal(
        "UMN signs",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/exam/umn_signs",),
        ("MMN10-EXCL-8", "MMN10-CLIN-MULTI"),
        "exam.umn_signs",
    ),
    Removal(
        "sensory examination",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/exam/sensory",),
        ("MMN10-CORE-2", "MMN10-EXCL-10"),
        "exam.sensory",
    ),
    Removal(
        "course",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/history/course",),
        ("MMN10-CORE-1",),
        "history.course",
    ),
    Removal(
        "onset (duration)",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/history/onset_age_years",),
        ("MMN10-CORE-1",),
        "onset",
    ),
    Removal(
        "strength grades",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/exam/strength",),
        ("MMN10-CORE-1", "MMN10-CORE-1-SINGLE"),
        "exam.strength",
    ),
    Removal(
        "bulbar status",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/exam/bulbar",),
        ("MMN10-EXCL-9",),
        "exam.bulbar",
    ),
    Removal(
        "early diffuse weakness",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/history/early_diffuse_symmetric_weakness",),
        ("MMN10-EXCL-11",),
        "history.early_diffuse_symmetric_weakness",
    ),
    Removal(
        "area at a site",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/ncs/motor/0/sites/1/area_mvms",),
        ("MMN10-EDX-DEF",),
        "area",
    ),
    Removal(
        "duration at a site",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/ncs/motor/0/sites/1/duration_ms",),
        ("MMN10-EDX-DEF",),
        "ncs.motor[ulnar,left]",
    ),
    Removal(
        "distal amplitude",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/ncs/motor/0/sites/0/amplitude_mv",),
        ("MMN10-EDX-DEF",),
        "ncs.motor[ulnar,left]",
    ),
    Removal(
        "amplitude LLN",
        "mmn-prob-radial",
        "mmn_efns_pns_2010",
        "probable",
        ("/ncs/lab_reference/motor/radial/amplitude_mv_lln",),
        ("MMN10-EDX-PROB-1",),
        "LLN",
    ),
    Removal(
        "paired sensory study (E8)",
        "mmn-definite",
        "mmn_efns_pns_2010",
        "definite",
        ("/ncs/sensory/0",),
        ("MMN10-EDX-DEF",),
        "paired with the ulnar nerve",
    ),
    Removal(
        "sensory NCS",
        "mmn-no-block",
        "mmn_efns_pns_2010",
        "possible",
        ("/ncs/sensory",),
        ("MMN10-SENS-NORMAL",),
        "ncs.sensory",
    ),
    Removal(
        "CSF protein",
        "mmn-prob-one-nerve-two-sup",
        "mmn_efns_pns_2010",
        "probable",
        ("/labs/csf/protein_g_l",),
        ("MMN10-SUP-2", "MMN10-SUP-N2"),
        "labs.csf.protein_g_l",
    ),
    Removal(
        "age for the CSF limit (C6)",
        "mmn-prob-one-nerve-two-sup",
        "mmn_efns_pns_2010",
        "probable",
        ("/patient/age_years",),
        ("MMN10-SUP-2", "MMN10-SUP-N2"),
        "patient.age_years",
    ),
    Removal(
        "anti-GM1",
        "mmn-prob-one-nerve-two-sup",
        "mmn_efns_pns_2010",
        "probable",
        ("/labs/anti_gm1_igm",),
        ("MMN10-SUP-1", "MMN10-SUP-N2"),
        "labs.anti_gm1_igm",
    ),
    Removal(
        "plexus MRI",
        "mmn-poss-one-sup",
        "mmn_efns_pns_2010",
        "not_fulfilled",
        ("/imaging",),
        ("MMN10-SUP-3",),
        "imaging.mri_plexus",
    ),
    Removal(
        "IVIg response (objective)",
        "mmn-c6-age-49",
        "mmn_efns_pns_2010",
        "possible",
        ("/labs/anti_gm1_igm", "/treatments/0/objective"),
        ("MMN10-SUP-4",),
        "treatments",
    ),
    # ---------------------------------------------------------------- AAEM 2003
    Removal(
        "UMN signs (AAEM)",
        "mmn-definite",
        "mmn_aaem_2003",
        "not_evaluable",
        ("/exam/umn_signs",),
        ("AAEM-DEF-5",),
        "exam.umn_signs",
    ),
    Removal(
        "sensory NCS (AAEM)",
        "mmn-definite",
        "mmn_aaem_2003",
        "not_evaluable",
        ("/ncs/sensory",),
        ("AAEM-DEF-4",),
        "sensory",
    ),
    Removal(
        "strength grades (AAEM)",
        "mmn-definite",
        "mmn_aaem_2003",
        "not_evaluable",
        ("/exam/strength",),
        ("AAEM-DEF-1",),
        "exam.strength",
    ),
    # ---------------------------------------------------------------- CIDP EAN/PNS 2021
    Removal(
        "reflexes",
        "cidp-typical",
        "cidp_ean_pns_2021",
        "cidp",
        ("/exam/reflexes",),
        ("CIDP21-CLIN-TYP",),
        "exam.reflexes",
    ),
    Removal(
        "sensory examination (CIDP)",
        "cidp-typical",
        "cidp_ean_pns_2021",
        "cidp",
        ("/exam/sensory",),
        ("CIDP21-CLIN-TYP",),
        "exam.sensory",
    ),
    Removal(
        "sensory limbs (CIDP)",
        "cidp-typical",
        "cidp_ean_pns_2021",
        "cidp",
        ("/exam/sensory/limbs",),
        ("CIDP21-CLIN-TYP",),
        "exam.sensory",
    ),
    Removal(
        "course (CIDP)",
        "cidp-typical",
        "cidp_ean_pns_2021",
        "cidp",
        ("/history/course",),
        ("CIDP21-CLIN-TYP",),
        "history.course",
    ),
    Removal(
        "onset (CIDP)",
        "cidp-typical",
        "cidp_ean_pns_2021",
        "cidp",
        ("/history/onset_date",),
        ("CIDP21-CLIN-TYP",),
        "onset",
    ),
    Removal(
        "strength grades (CIDP)",
        "cidp-typical",
        "cidp_ean_pns_2021",
        "cidp",
        ("/exam/strength",),
        ("CIDP21-CLIN-TYP",),
        "exam.strength",
    ),
    Removal(
        "sensory NCS (CIDP)",
        "cidp-typical",
        "cidp_ean_pns_2021",
        "cidp",
        ("/ncs/sensory",),
        ("CIDP21-SENS-1",),
        "ncs.sensory",
    ),
    Removal(
        "CSF protein (CIDP upgrade)",
        "cidp-typ-weak-upgrade",
        "cidp_ean_pns_2021",
        "cidp",
        ("/labs/csf/protein_g_l",),
        ("CIDP21-SUP-CSF",),
        "labs.csf.protein_g_l",
    ),
    Removal(
        "CSF cells (CIDP upgrade)",
        "cidp-typ-weak-upgrade",
        "cidp_ean_pns_2021",
        "cidp",
        ("/labs/csf/wbc_per_ul",),
        ("CIDP21-SUP-CSF",),
        "wbc",
    ),
    Removal(
        "root MRI (CIDP upgrade)",
        "cidp-typ-weak-upgrade",
        "cidp_ean_pns_2021",
        "cidp",
        ("/imaging",),
        ("CIDP21-SUP-IMG",),
        "imaging",
    ),
    Removal(
        "F-wave (criterion d)",
        "cidp-typ-absent-f-plus-other",
        "cidp_ean_pns_2021",
        "cidp",
        ("/ncs/motor/0/f_wave",),
        ("CIDP21-MOT-STRONG",),
        "ncs.motor[ulnar,left]",
    ),
    Removal(
        "distal latency",
        "cidp-typ-strong-a2",
        "cidp_ean_pns_2021",
        "cidp",
        ("/ncs/motor/0/sites/0/latency_ms",),
        ("CIDP21-MOT-STRONG",),
        "ncs.motor[ulnar,left]",
    ),
    Removal(
        "filter-free duration limit (g)",
        "cidp-typ-duration-plus-dml",
        "cidp_ean_pns_2021",
        "cidp",
        ("/ncs/lab_reference/motor/ulnar/duration_ms_uln", "/ncs/low_frequency_filter_hz"),
        ("CIDP21-MOT-STRONG",),
        "ncs.motor[ulnar,left]",
    ),
    # ---------------------------------------------------------------- CIDP EFNS/PNS 2010
    Removal(
        "root MRI (2010)",
        "cidp10-prob-cb-img",
        "cidp_efns_pns_2010",
        "definite",
        ("/imaging/mri_roots",),
        ("CIDP10-SUP-IMG",),
        "imaging",
    ),
    Removal(
        "sensory limbs (2010)",
        "cidp-typical",
        "cidp_efns_pns_2010",
        "definite",
        ("/exam/sensory/limbs",),
        ("CIDP10-CLIN-TYP",),
        "exam.sensory",
    ),
    Removal(
        "F latency (2010)",
        "cidp10-possible-f",
        "cidp_efns_pns_2010",
        "possible",
        ("/ncs/motor/0/f_wave/min_latency_ms",),
        ("CIDP10-EDX-POSS",),
        "ncs.motor[ulnar,left]",
    ),
)


def _data(start: str) -> dict[str, Any]:
    if start in BY_ID:
        return build(BY_ID[start])
    return example_data(start)


def _options(start: str, removal: Removal) -> EvaluateOptions:
    opts = dict(BY_ID[start].get("options", {})) if start in BY_ID else {}
    opts.update(removal.options)
    return EvaluateOptions(**opts)


def _run(data: dict[str, Any], options: EvaluateOptions) -> Assessment:
    return evaluate(case_from_data(data), options)


def _best(result: CriteriaSetResult) -> int:
    """Rank of the best outcome still possible: category, reachable, conditional."""
    order = CATEGORIES[result.id]
    names = [result.category, result.reachable]
    if result.conditional_category:
        names.append(result.conditional_category["category"])
    return max(order.index(n) for n in names if n is not None)


def test_the_removals_cover_the_inputs_of_every_set() -> None:
    assert {r.set_id for r in REMOVALS} == set(CATEGORIES)
    assert len(REMOVALS) >= 30


@pytest.mark.parametrize("removal", REMOVALS, ids=lambda r: r.name)
def test_removing_an_input_makes_its_criteria_unknown(removal: Removal) -> None:
    data = _data(removal.start)
    options = _options(removal.start, removal)
    before = _run(data, options).sets[removal.set_id]
    assert before.category == removal.category, (removal.start, before.category)
    for cid in removal.dependents:
        assert before.criterion(cid).status != "unknown", (cid, "undecided before removal")

    reduced = copy.deepcopy(data)
    for pointer in removal.remove:
        apply_op(reduced, {"op": "remove", "path": pointer})
    after = _run(reduced, options).sets[removal.set_id]

    problems: list[str] = []
    for cid in removal.dependents:
        crit = after.criterion(cid)
        if crit.status != "unknown":
            problems.append(f"{cid}: {crit.status} ({crit.reason}), expected unknown")
    order = CATEGORIES[removal.set_id]
    if order.index(after.category) < order.index(before.category):
        lost = before.category
        if after.category_status.get(lost) != "unknown":
            problems.append(f"lost {lost}: its status is {after.category_status.get(lost)}")
        if _best(after) < order.index(lost):
            problems.append(
                f"lost {lost} silently: reachable {after.reachable}, "
                f"conditional {after.conditional_category}"
            )
    if _best(after) < _best(before):
        problems.append(f"best outcome dropped: {_best(before)} -> {_best(after)}")
    inputs = [m.input for m in after.missing]
    if not any(removal.missing in i for i in inputs):
        problems.append(f"missing does not name {removal.missing!r}: {inputs}")
    if problems:
        head = f"DISPUTED ({removal.disputed}): " if removal.disputed else ""
        pytest.fail(head + "; ".join(problems))


# ----------------------------------------------------------------------------- sweep
#: Not removed: identity, reference limits and the CSF limit (removing them switches to
#: another source by design, E9/C6), the study date (it moves the index date),
#: follow-up data not read by the criteria sets.
SKIP = (
    "/format",
    "/case_id",
    "/ncs/lab_reference",
    "/labs/csf/protein_uln_g_l",
    "/ncs/date",
    "/assessments",
    "/infusions",
    "/emg",
)
#: C11: exclusions act on positive evidence only; an unrecorded test is not an exclusion.
EXEMPT_PREFIX = "CIDP-EXCL-"


def _leaves(node: Any, path: str = "") -> list[str]:
    """Pointers of every mapping key (not list items: removing one changes a count)."""
    out: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("x_"):
                continue
            out.append(f"{path}/{key}")
            out += _leaves(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _leaves(value, f"{path}/{i}")
    return out


def _statuses(assessment: Assessment) -> dict[tuple[str, str], str]:
    return {(s, c.id): c.status for s, r in assessment.sets.items() for c in r.criteria}


@pytest.mark.parametrize("stem", sorted(p.stem for p in EXAMPLES.glob("*.json")))
def test_removing_any_value_never_flips_a_decided_criterion(stem: str) -> None:
    data = example_data(stem)
    base = _statuses(_run(data, EvaluateOptions()))
    flips: list[str] = []
    for pointer in _leaves(data):
        if pointer.startswith(SKIP):
            continue
        reduced = copy.deepcopy(data)
        apply_op(reduced, {"op": "remove", "path": pointer})
        try:
            case = case_from_data(reduced)
        except CaseValidationError:  # a required value: the case is rejected
            continue
        after = _statuses(evaluate(case))
        for key, was in base.items():
            now = after.get(key)
            if key[1].startswith(EXEMPT_PREFIX) or now is None:
                continue
            if "unknown" not in (was, now) and was != now:
                flips.append(f"remove {pointer}: {key[0]} {key[1]} {was} -> {now}")
    head = "DISPUTED: criteria flipped by removing a value (only unknown is allowed):"
    assert flips == [], "\n".join([head, *flips])


def test_the_sweep_sees_the_examples() -> None:
    assert len(list(EXAMPLES.glob("*.json"))) >= 8
