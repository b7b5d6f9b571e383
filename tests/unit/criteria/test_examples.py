"""The worked examples' hand-computed expectations (``x_expected``) hold (issues 2-4).

Expectations were computed by hand from the published rules and decisions (see each
example's ``x_note``) independently of the engine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES

from neuroig import load_case
from neuroig.assess import Assessment, evaluate

CASES = sorted(p for p in EXAMPLES.glob("*.json") if "x_expected" in json.loads(p.read_text()))


def _load(path: Path) -> tuple[Assessment, dict[str, Any]]:
    return evaluate(load_case(path)), json.loads(path.read_text(encoding="utf-8"))["x_expected"]


def test_the_nine_core_examples_are_present() -> None:
    names = {p.stem for p in EXAMPLES.glob("*.json")}
    assert {
        "mmn-definite",
        "mmn-probable",
        "mmn-no-block",
        "cidp-typical",
        "cidp-multifocal",
        "anti-mag-distal",
        "mnd-mimic",
        "lmn-no-block",
        "mmn-declining-response",
    } <= names


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_expected_categories(path: Path) -> None:
    a, exp = _load(path)
    want = exp["categories"]
    for key in ("mmn_efns_pns_2010", "cidp_ean_pns_2021", "cidp_efns_pns_2010"):
        assert a.sets[key].category == want[key], key
    aaem = a.sets["mmn_aaem_2003"]
    # C17: block table unverified: not evaluable with the reason while the category hinges
    # on it; not fulfilled only when a non-block criterion already fails every category
    # x_expected "unknown": the category hinges on the unverified block table
    assert aaem.category == {"unknown": "not_evaluable"}.get(
        want["mmn_aaem_2003"], want["mmn_aaem_2003"]
    )
    assert aaem.reachable is None
    if aaem.category == "not_evaluable":
        assert "Olney 2003, Table 1" in aaem.notes[0]
        assert "unknown" in aaem.category_status.values()
    else:
        assert set(aaem.category_status.values()) == {"not_met"}
    assert a.sets["cidp_ean_pns_2021"].phenotype == want.get("cidp_ean_pns_2021_phenotype")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_expected_blocks(path: Path) -> None:
    a, exp = _load(path)
    assert a.electro is not None
    for block in exp.get("blocks_efns_pns_2010", []):
        nerve = a.electro.motor_nerve(block["nerve"], block["side"])
        assert nerve is not None
        seg = next(
            s
            for s in nerve.segments
            if (s.from_site, s.to_site, s.kind)
            == (block["from"], block["to"], block.get("kind", "segmental"))
        )
        assert seg.efns.grade == block["grade"], (block, seg.efns.reason)
    if exp.get("no_block_efns_pns_2010"):
        grades = {s.efns.grade for m in a.electro.motor for s in m.segments}
        assert grades <= {"none"}, grades


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_expected_flags_and_ivig_trial(path: Path) -> None:
    a, exp = _load(path)
    raised = {f.id for f in a.flags}
    assert set(exp.get("flags", [])) <= raised
    assert not set(exp.get("flags_absent", [])) & raised
    if "lmn_ivig_trial_suggested" in exp:
        want = exp["lmn_ivig_trial_suggested"]
        if want:
            assert a.lmn_trial.suggested is True
        else:
            assert a.lmn_trial.suggested is not True


def test_lmn_example_shows_the_published_response_figures() -> None:
    doc = evaluate(load_case(EXAMPLES / "lmn-no-block.json")).to_dict()
    trial = doc["lmn_ivig_trial"]
    assert trial["suggested"] is True
    assert trial["features"] == {
        "distal_upper_limb_onset": True,
        "emg_confined_to_weak_muscles": True,
        "normal_ck": True,
    }
    assert "3 of 31" in trial["expected_response"]
    assert "31 %" in trial["expected_response"]


def test_mnd_mimic_does_not_suggest_ivig_and_raises_mimic_flags() -> None:
    a = evaluate(load_case(EXAMPLES / "mnd-mimic.json"))
    assert a.lmn_trial.applies == "not_met"
    assert a.to_dict()["lmn_ivig_trial"] is None
    assert {"LMN-FLAG-UMN", "LMN-FLAG-EMG-WIDESPREAD", "LMN-FLAG-CK"} <= {f.id for f in a.flags}


def test_anti_mag_is_excluded_from_cidp_with_a_block_flag() -> None:
    a = evaluate(load_case(EXAMPLES / "anti-mag-distal.json"))
    cidp = a.sets["cidp_ean_pns_2021"]
    assert cidp.criterion("CIDP-EXCL-MAG").status == "met"
    assert cidp.category == "not_fulfilled"
    assert cidp.phenotype == "distal"
    flag = next(f for f in a.flags if f.id == "CIDP-EXCL-MAG")
    assert flag.severity == "block"


def test_diagnosis_context_summarises_the_criteria() -> None:
    d = evaluate(load_case(EXAMPLES / "cidp-typical.json")).diagnosis
    assert (d.cidp_category, d.cidp_phenotype, d.mmn) == ("cidp", "typical", False)
    d2 = evaluate(load_case(EXAMPLES / "mmn-definite.json")).diagnosis
    assert d2.mmn is True
    assert d2.mmn_category == "definite"
