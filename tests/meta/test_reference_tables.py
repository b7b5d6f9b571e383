"""The shipped reference tables are linted: every row sourced, flagged and in range."""

from __future__ import annotations

from typing import Any

import pytest

from neuroig.reference import lint as lint_module
from neuroig.reference._load import raw_table
from neuroig.reference.lint import lint_tables


def test_shipped_tables_are_clean() -> None:
    assert lint_tables() == []


def test_lint_reports_every_problem_of_a_broken_table(monkeypatch: pytest.MonkeyPatch) -> None:
    real = raw_table

    def broken(name: str) -> dict[str, Any]:
        doc = dict(real(name))
        if name == "limits":
            doc["motor"] = [
                {
                    "nerve": "ulnr",
                    "measure": "amplitude_mv_lln",
                    "value": -1,
                    "source": "nope",
                    "verified": "yes",
                },
                {
                    "nerve": "median",
                    "measure": "speed",
                    "value": 4,
                    "source": "scirep2024",
                    "verified": True,
                    "age_min": 50,
                    "age_max": 40,
                },
            ]
        if name == "muscles":
            doc["muscles"] = [
                {
                    "id": "Bad Id",
                    "name": "x",
                    "main_nerve": "m",
                    "limb": "upper",
                    "part": "axial",
                    "region": "cervical",
                    "roots": ["Q9"],
                }
            ]
            doc["table"] = {"source": "", "verified": None}
        return doc

    monkeypatch.setattr(lint_module, "raw_table", broken)
    problems = lint_tables()
    expected_fragments = [
        "id must be lower snake case",
        "a limb muscle must be proximal or distal",
        "root 'Q9' is not a spinal root name",
        "no source",
        "verified must be true or false",
        "limits.motor[0] (ulnr amplitude_mv_lln): unknown nerve",
        "value must be a number >= 0",
        "source key 'nope' is not in the bibliography",
        "limits.motor[1] (median speed): unknown measure",
        "age_min must be below age_max",
    ]
    for fragment in expected_fragments:
        assert any(fragment in p for p in problems), fragment


def test_every_muscle_named_by_the_case_format_is_in_the_table() -> None:
    from neuroig.reference import muscles

    named = {
        "deltoid",
        "biceps",
        "triceps",
        "wrist_extensors",
        "finger_extensors",
        "finger_flexors",
        "first_dorsal_interosseous",
        "abductor_digiti_minimi",
        "abductor_pollicis_brevis",
        "iliopsoas",
        "quadriceps",
        "hamstrings",
        "tibialis_anterior",
        "gastrocnemius",
        "extensor_hallucis_longus",
        "neck_flexors",
        "extensor_digitorum_brevis",
        "abductor_hallucis",
        "extensor_indicis",
    }
    assert named <= set(muscles())


def test_every_kleyweg_mrc_sum_score_muscle_is_in_the_table() -> None:
    from neuroig.reference import muscles

    kleyweg = {
        "deltoid",
        "biceps",
        "wrist_extensors",
        "iliopsoas",
        "quadriceps",
        "tibialis_anterior",
    }
    assert kleyweg <= set(muscles())


def test_block_grading_assumes_one_duration_cut_off() -> None:
    # The segment grader (electro/segments.py) evaluates "duration increase <= 30 %" once
    # for definite and probable (a), and probable (b) as its complement ("> 30 %"). If the
    # data ever gives them different values, the grader must be changed too.
    from neuroig.reference.thresholds import threshold

    d = threshold("mmn10.definite.duration_increase_pct")
    a = threshold("mmn10.probable_a.duration_increase_pct")
    b = threshold("mmn10.probable_b.duration_increase_pct")
    assert (d.value, d.comparator) == (a.value, a.comparator) == (b.value, "<=")
    assert b.comparator == ">"


def test_lint_reports_a_broken_therapy_table(monkeypatch: pytest.MonkeyPatch) -> None:
    real = raw_table

    def broken(name: str) -> dict[str, Any]:
        doc = dict(real(name))
        if name == "therapy":
            doc["params"] = [
                {
                    "id": "RATE-AT-RISK-DEFAULT",
                    "value": -3.3,
                    "source": "panzygaLabel",
                    "verified": False,
                },
                {"id": "OBESITY-BMI", "value": 30, "source": "nowhere", "verified": "yes"},
            ]
            doc["gates"] = [
                {"flag": "LMN-FLAG-UMN", "id": "GATE-DX-MND", "source": "vanSchaik2010"}
            ]
        return doc

    monkeypatch.setattr(lint_module, "raw_table", broken)
    problems = lint_tables()
    for fragment in (
        "therapy.params[0] (RATE-AT-RISK-DEFAULT): value must be a positive number",
        "therapy.params[1]: source key 'nowhere' is not in the bibliography",
        "therapy.params[1] (OBESITY-BMI): verified must be true or false",
        "therapy.gates[0] (GATE-DX-MND): verified must be true or false",
    ):
        assert any(fragment in p for p in problems), fragment
