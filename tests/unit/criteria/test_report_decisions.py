"""Decisions C17-C20 and the issue-11 fixes: AAEM not evaluable, reachable categories
only with bedside findings first, distal CIDP conditional on the paraprotein answer, the
named mimic flags, upper-limb predominance, insufficient data and the Simon triad."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conformance.test_criteria_cases import BY_ID, run
from tests.conftest import example_data

from neuroig.assess import SET_ORDER, Assessment, evaluate
from neuroig.case import case_from_data
from neuroig.criteria.deciding import category_words, conditional_words, next_tests
from neuroig.criteria.next_steps import by_cost, cost_tier
from neuroig.criteria.verdict import Missing


def _eval(data: dict[str, Any]) -> Assessment:
    return evaluate(case_from_data(data))


def _data(stem: str) -> dict[str, Any]:
    return copy.deepcopy(example_data(stem))


def _flags(a: Assessment) -> dict[str, str]:
    return {f.id: f.text for f in a.flags}


# ----------------------------------------------------------------------------- C17
def test_c17_aaem_is_not_evaluable_while_the_block_table_is_disabled() -> None:
    aaem = _eval(_data("mmn-definite")).sets["mmn_aaem_2003"]
    assert aaem.category == "not_evaluable"
    assert aaem.reachable is None
    assert aaem.category_status == {"definite": "unknown", "probable": "unknown"}
    assert "Olney 2003, Table 1" in aaem.notes[0]
    assert category_words(aaem.category) == "not evaluable (insufficient data)"


def test_c17_aaem_is_not_fulfilled_when_a_non_block_criterion_fails() -> None:
    # mnd-mimic: extensor plantar (Babinski) fails AAEM-DEF-5 -> definite and probable not
    # met whatever the block table says
    aaem = _eval(_data("mnd-mimic")).sets["mmn_aaem_2003"]
    assert aaem.criterion("AAEM-DEF-5").status == "not_met"
    assert aaem.category == "not_fulfilled"
    assert set(aaem.category_status.values()) == {"not_met"}


def test_a_not_evaluable_set_promises_nothing_in_the_next_tests() -> None:
    a = _eval(_data("mmn-definite"))
    assert all(
        "AAEM" not in target for t in next_tests(a.sets, SET_ORDER) for target in t.could_reach
    )


# ----------------------------------------------------------------------------- empty case
def test_an_empty_case_is_insufficient_data_everywhere_never_not_fulfilled() -> None:
    a = _eval({"format": "neuroig-case/1", "case_id": "empty"})
    for key in SET_ORDER:
        assert a.sets[key].category == "not_evaluable", key
    assert "insufficient data" in a.sets["mmn_efns_pns_2010"].notes[0]
    d = a.diagnosis
    assert (d.mmn_category, d.cidp_category, d.mmn) == (None, None, None)


# ----------------------------------------------------------------------------- C18
def test_c18_a_single_nerve_picture_reaches_possible_at_most() -> None:
    mmn = run(BY_ID["mmn-poss-single"]).sets["mmn_efns_pns_2010"]
    assert mmn.category_status["definite"] == "not_met"
    assert mmn.category_status["probable"] == "not_met"
    assert {m.could_reach for m in mmn.missing} <= {"possible"}


def test_c18_bedside_findings_come_before_tests() -> None:
    data = _data("mmn-definite")
    del data["exam"]["umn_signs"]
    del data["labs"]["anti_gm1_igm"]
    a = _eval(data)
    mmn = a.sets["mmn_efns_pns_2010"]
    tiers = [cost_tier(m.input) for m in mmn.missing]
    assert tiers == sorted(tiers)
    inputs = [m.input for m in mmn.missing]
    assert inputs[0] == "exam.umn_signs"
    ordered = next_tests(a.sets, SET_ORDER)
    assert ordered[0].input == "exam.umn_signs"
    assert ordered[0].tier_name == "bedside examination or history"


def test_cost_tiers_rank_bedside_blood_ncs_imaging_csf_biopsy() -> None:
    items = [
        "biopsy.demyelination",
        "labs.csf.protein_g_l",
        "imaging.mri_plexus",
        "ncs.sensory",
        "labs.anti_mag",
        "exam.umn_signs",
    ]
    assert sorted(items, key=cost_tier) == list(reversed(items))


# ----------------------------------------------------------------------------- C19
def test_c19_distal_cidp_without_the_paraprotein_answer_is_conditional() -> None:
    data = _data("anti-mag-distal")
    del data["labs"]["paraprotein"]
    del data["labs"]["anti_mag"]
    cidp = _eval(data).sets["cidp_ean_pns_2021"]
    assert cidp.phenotype == "distal"
    assert cidp.criterion("CIDP-EXCL-MAG").status == "unknown"
    assert cidp.category == "not_fulfilled"
    assert cidp.conditional_category == {"category": "cidp", "if_absent": ["CIDP-EXCL-MAG"]}
    words = conditional_words(cidp)
    assert words is not None
    assert words.startswith("CIDP if IgM paraprotein with anti-MAG antibodies")
    assert words.endswith("is excluded")


def test_c19_a_negative_immunofixation_answers_it() -> None:
    data = _data("anti-mag-distal")
    data["labs"]["paraprotein"] = {"present": False}
    del data["labs"]["anti_mag"]
    cidp = _eval(data).sets["cidp_ean_pns_2021"]
    assert cidp.criterion("CIDP-EXCL-MAG").status == "not_met"
    assert cidp.category == "cidp"


# ----------------------------------------------------------------------------- C20
def test_c20_sbma_flag_for_a_man_with_bulbar_signs_and_unstudied_snaps() -> None:
    data = _data("lmn-no-block")  # male
    data["exam"]["bulbar"] = "mild"
    assert "LMN-FLAG-SBMA" not in _flags(_eval(data))  # SNAPs studied and normal
    del data["ncs"]["sensory"]
    text = _flags(_eval(data))["LMN-FLAG-SBMA"]
    assert "CAG repeat are not recorded" in text
    data["patient"]["sex"] = "female"
    assert "LMN-FLAG-SBMA" not in _flags(_eval(data))


def test_c20_hirayama_flag_for_young_onset_distal_arm_weakness() -> None:
    data = _data("lmn-no-block")  # right distal upper-limb weakness, onset 2025-03-01
    assert "LMN-FLAG-HIRAYAMA" not in _flags(_eval(data))  # 52 years
    # age 22 at the index date 2026-03-18, duration 12.6 months -> onset at 21 (< 25)
    data["patient"]["age_years"] = 22
    text = _flags(_eval(data))["LMN-FLAG-HIRAYAMA"]
    assert text.startswith("onset at 21 years")
    assert "flexion" in text


def test_c20_brisk_reflexes_in_a_weak_arm_raise_the_umn_flag() -> None:
    data = _data("lmn-no-block")
    assert "LMN-FLAG-UMN" not in _flags(_eval(data))
    data["exam"]["reflexes"]["right_upper"] = "brisk"
    text = _flags(_eval(data))["LMN-FLAG-UMN"]
    assert "brisk reflexes in the right upper limb (weak)" in text


def test_c20_single_focal_neuropathy_at_the_elbow() -> None:
    data = _data("lmn-no-block")
    for entry in data["exam"]["strength"]:
        if entry["muscle"] in {"abductor_pollicis_brevis", "finger_extensors"}:
            entry["mrc"] = 5  # only the right ulnar territory stays weak
    assert "RF-FOCAL-ENTRAPMENT" not in _flags(_eval(data))
    # right ulnar below -> above elbow: 100 mm / (11.0 - 7.5) ms = 28.6 m/s < LLN 49
    data["ncs"]["motor"][0]["sites"][2]["latency_ms"] = 11.0
    # keep above elbow -> axilla plausible (P10) and normal: 120 mm / (13.2 - 11.0) ms
    # = 54.5 m/s (>= LLN 49); axilla -> Erb 200 mm / (15.2 - 13.2) ms = 100 m/s
    data["ncs"]["motor"][0]["sites"][3]["latency_ms"] = 13.2
    text = _flags(_eval(data))["RF-FOCAL-ENTRAPMENT"]
    assert text.startswith("single focal neuropathy: right ulnar abnormal only across the")


def test_c20_diabetic_lumbosacral_radiculoplexus_neuropathy() -> None:
    data = _data("lmn-no-block")
    for entry in data["exam"]["strength"]:
        if (entry["muscle"], entry["side"]) == ("iliopsoas", "right"):
            entry["mrc"] = 3  # right 3 vs left 5: asymmetric proximal leg weakness (C1)
    data["history"]["conditions"] = ["prominent_pain"]
    assert "RF-DLRPN" not in _flags(_eval(data))
    data["history"]["conditions"] = ["diabetes", "prominent_pain"]
    text = _flags(_eval(data))["RF-DLRPN"]
    assert "pain" in text
    assert "weight loss not recorded" in text


def test_c20_hereditary_flag_weighs_the_course() -> None:
    data = _data("cidp-typical")
    data["history"]["conditions"] = ["pes_cavus"]
    a = _eval(data)
    assert next(f for f in a.flags if f.id == "RF-CMT").severity == "warn"
    data["history"]["course"] = "relapsing_remitting"
    assert "RF-CMT" not in _flags(_eval(data))
    data["history"]["conditions"] = ["family_history_neuropathy"]
    flag = next(f for f in _eval(data).flags if f.id == "RF-CMT")
    assert flag.severity == "info"
    assert "against it: relapsing course" in flag.text


# ----------------------------------------------------------------------------- fixes
@pytest.mark.parametrize(
    ("stem", "status", "counts"),
    [
        # left FDI 3, ADM 3, finger and wrist extensors 4: 4 arm muscles, 0 leg muscles
        ("mmn-definite", "met", "4 in the arms, 0 in the legs"),
        # distal leg weakness only (anti-MAG): 0 arm muscles -> not predominant upper
        ("anti-mag-distal", "not_met", "0 in the arms"),
    ],
)
def test_supc3_upper_limb_predominance_counts_weak_muscles(
    stem: str, status: str, counts: str
) -> None:
    c = _eval(_data(stem)).sets["mmn_efns_pns_2010"].criterion("MMN10-SUPC-3")
    assert c.status == status
    assert counts in c.reason


def test_simon_triad_flag_only_where_the_lmn_question_applies() -> None:
    mmn = _eval(_data("mmn-definite"))
    assert mmn.lmn_trial.applies == "not_met"
    assert "LMN-FLAG-SIMON-TRIAD" not in _flags(mmn)
    assert "LMN-FLAG-SIMON-TRIAD" in _flags(_eval(_data("lmn-no-block")))


def test_no_python_literals_in_clinical_reasons() -> None:
    for stem in ("mmn-definite", "cidp-typical", "anti-mag-distal"):
        a = _eval(_data(stem))
        for r in a.sets.values():
            for c in r.criteria:
                for leak in ("['", "True", "False", "not_met", "None"):
                    assert leak not in c.reason, (stem, c.id, c.reason)


_INPUTS = st.sampled_from(
    [
        "exam.umn_signs",
        "history.course",
        "labs.anti_mag",
        "labs.csf.protein_g_l",
        "ncs.sensory",
        "study left ulnar motor conduction with proximal stimulation",
        "imaging.mri_plexus",
        "biopsy",
        "treatments: a trial of ivig",
        "reference table aaem_block",
        "MMN10-EDX-3: something",
    ]
)


@given(st.lists(st.tuples(_INPUTS, st.sampled_from(["possible", "probable"])), max_size=12))
def test_by_cost_is_a_stable_cheapest_first_permutation(items: list[tuple[str, str]]) -> None:
    missing = [Missing(i, r) for i, r in items]
    ordered = by_cost(missing)
    assert sorted(ordered, key=lambda m: (m.input, m.could_reach)) == sorted(
        missing, key=lambda m: (m.input, m.could_reach)
    )
    tiers = [cost_tier(m.input) for m in ordered]
    assert tiers == sorted(tiers)
    for tier in set(tiers):  # stable within a tier
        assert [m for m in ordered if cost_tier(m.input) == tier] == [
            m for m in missing if cost_tier(m.input) == tier
        ]
