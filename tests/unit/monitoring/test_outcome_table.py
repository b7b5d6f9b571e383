"""The outcome-measure table (decision M1 MCIDs, rule parameters, CDAS) and its lint."""

from __future__ import annotations

from typing import Any

import pytest

from neuroig.errors import ReferenceDataError
from neuroig.reference import lint as lint_module
from neuroig.reference._load import raw_table
from neuroig.reference.lint import lint_tables
from neuroig.reference.outcomes import (
    cdas_classes,
    mrc_variants,
    outcome_measure,
    outcome_measures,
    rule_param,
    rule_value,
    simon_2013,
)


def test_decision_m1_mcids() -> None:
    mcid = {m.id: (m.mcid, m.mcid_kind) for m in outcome_measures().values()}
    assert mcid["incat_adjusted"] == (1.0, "absolute")
    assert mcid["irods_centile"] == (4.0, "absolute")
    assert mcid["grip_kpa"] == (8.0, "absolute")
    assert mcid["grip_kg"] == (6.0, "absolute")
    assert mcid["mrc_sum"] == (2.0, "per_60")
    assert mcid["walk_10m_s"] == (28.0, "pct_of_baseline")
    assert mcid["mrc_muscles_mmn"] == (2.0, "muscle_count")
    assert mcid["nss"] == (None, "declared")


def test_every_measure_has_a_source_and_the_unverified_ones_say_so() -> None:
    for m in outcome_measures().values():
        assert m.source
    assert outcome_measure("grip_kg").verified is False
    assert outcome_measure("rankin").verified is False
    assert outcome_measure("rankin").in_m1 is False


def test_rule_parameters_of_m2_to_m6() -> None:
    assert rule_value("M2-MIN-WEEKS-AFTER-INDUCTION") == 3
    assert rule_value("M2-NON-RESPONSE-WEEKS") == 12
    assert rule_value("M3-CONSECUTIVE-CYCLES") == 2
    assert rule_value("M4-RISE-PCT") == 25
    assert rule_value("M4-WINDOW-MONTHS") == 24
    assert rule_value("M5-STABLE-MONTHS") == 12
    assert rule_value("M5-FIRST-REVIEW-MONTHS") == 6
    assert rule_value("M5-REVIEW-EVERY-MONTHS") == 12
    assert rule_param("M5-SCIG-STEPS-PCT").value == (90, 75, 50, 25, 0)
    assert rule_value("M6-FALL-PCT") == 50
    with pytest.raises(ReferenceDataError, match="is a list"):
        rule_value("M5-SCIG-STEPS-PCT")
    with pytest.raises(ReferenceDataError, match="not shipped"):
        rule_value("M9-NOPE")


def test_cdas_classes_and_the_kleyweg_variant() -> None:
    assert [c.name for c in cdas_classes().values()] == [
        "cure",
        "remission",
        "stable active disease",
        "improvement",
        "unstable active disease",
    ]
    assert sum(c.cohort_pct for c in cdas_classes().values()) == 100  # 11+20+44+7+18
    k = mrc_variants()["kleyweg"]
    assert (k.max, len(k.muscles)) == (60, 6)


def test_simon_2013_figures_and_unverified_definition() -> None:
    s = simon_2013()
    assert (s.responders, s.cohort, s.triad_in_distal_onset_non_responders_pct) == (3, 31, 31)
    assert s.verified is True
    assert s.response_definition_verified is False


def test_the_lint_reports_every_problem_of_a_broken_outcome_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = raw_table

    def broken(name: str) -> dict[str, Any]:
        doc = dict(real(name))
        if name == "outcome_measures":
            doc["measures"] = [
                {"id": "Bad Id", "name": "x", "unit": "u", "mcid_kind": "weird", "in_m1": "yes"},
                {
                    "id": "nss2",
                    "name": "y",
                    "unit": "u",
                    "mcid_kind": "declared",
                    "mcid": 3,
                    "in_m1": False,
                    "scale_min": 5,
                    "scale_max": 1,
                },
            ]
            doc["table"] = {}
            doc["rules"] = [{"id": "R", "value": -1, "unit": "", "verified": 1}]
            doc["cdas"] = doc["cdas"][:4]
            doc["mrc_variants"] = [
                {
                    "id": "v",
                    "max": 50,
                    "muscles": ["deltoid", "nope"],
                    "source": "s",
                    "verified": True,
                }
            ]
        return doc

    monkeypatch.setattr(lint_module, "raw_table", broken)
    problems = lint_tables()
    for fragment in (
        "id must be lower snake case",
        "mcid_kind 'weird' not one of",
        "in_m1 must be true or false",
        "a declared MCID must not ship a value",
        "scale_min must be below scale_max",
        "no source",
        "value must be a number >= 0",
        "missing unit",
        "classes must be 1-5 once each",
        "muscles not in the muscle table: ['nope']",
        "max must be 10 x the number of muscle pairs",
    ):
        assert any(fragment in p for p in problems), fragment
