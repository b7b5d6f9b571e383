"""The shipped reference tables are linted: every row sourced, flagged and in range."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from neuroig.reference import lint as lint_module
from neuroig.reference._load import raw_table
from neuroig.reference.lint import lint_tables

SRC = Path(__file__).resolve().parents[2] / "src" / "neuroig"


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


def code_citation_keys() -> set[str]:
    """Bibliography keys the rules cite in code: ``source("k")``, ``short_cite("k", …)``,
    ``author_year("k1", "k2")``."""
    calls = re.compile(r"\b(?:source|short_cite|author_year)\(([^()]*)\)")
    keys: set[str] = set()
    for path in SRC.rglob("*.py"):
        for m in calls.finditer(path.read_text(encoding="utf-8")):
            args = re.findall(r"[\"']([a-z][A-Za-z0-9]*)[\"']", m.group(1))
            if m.group(0).startswith("short_cite"):
                args = args[:1]
            keys.update(args)
    return keys


def test_every_bibliography_entry_is_cited_and_every_key_exists() -> None:
    keys = code_citation_keys()
    # the criteria sets and the therapy citations cite by key
    assert {"vandenBergh2021", "vandenBergh2010", "vanSchaik2010", "olney2003"} <= keys
    assert lint_tables(keys) == []


def test_every_criteria_module_cites_by_key() -> None:
    for name in ("cidp_ean_pns_2021", "cidp_efns_pns_2010", "mmn_aaem_2003", "mmn_efns_pns_2010"):
        text = (SRC / "criteria" / f"{name}.py").read_text(encoding="utf-8")
        assert re.search(r'^CITE = short_cite\("[a-zA-Z0-9]+"', text, re.M), name


def test_the_printed_citations_are_rendered_from_the_bibliography() -> None:
    from neuroig.criteria import cidp_ean_pns_2021, lmn
    from neuroig.reference.thresholds import threshold

    # short form: first author et al. (more than three authors), journal year;volume:pages
    assert cidp_ean_pns_2021.CITE == (
        "Van den Bergh PYK et al. Eur J Neurol 2021;28:3556-3583 (EAN/PNS CIDP, second revision)"
    )
    assert lmn.CITE == "Simon NG, Ayer G, Lomen-Hoerth C. Neurology 2013;81:2116-2120"
    # full form with the row's detail (where) in parentheses
    assert threshold("mmn10.definite.area_drop_pct").source == (
        "Joint Task Force of the EFNS and the PNS (van Schaik IN et al.). EFNS/PNS guideline "
        "on management of multifocal motor neuropathy, first revision. J Peripher Nerv Syst "
        "2010;15:295-301. doi:10.1111/j.1529-8027.2010.00290.x (Table 2)"
    )


def test_lint_reports_every_citation_problem_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real = raw_table

    def broken(name: str) -> dict[str, Any]:
        doc = dict(real(name))
        if name == "sources":
            bib = dict(doc["bibliography"])
            bib["Bad_Key"] = {"kind": "poster", "doi": "not-a-doi"}
            bib["orphan2020"] = {"kind": "article", "title": "cited by nothing"}
            doc["bibliography"] = bib
        if name == "thresholds":
            rows = [dict(r) for r in doc["thresholds"]]
            rows[0]["source"] = "nobody1999"
            rows[1].pop("source")
            doc["thresholds"] = rows
        return doc

    monkeypatch.setattr(lint_module, "raw_table", broken)
    problems = lint_tables(code_citation_keys() | {"missingKey"})
    for fragment in (
        "sources.Bad_Key: key must be lower camel case",
        "sources.Bad_Key: kind 'poster' not one of",
        "sources.Bad_Key: no title",
        "sources.Bad_Key: doi 'not-a-doi' is not of the form 10.NNNN/...",
        "sources.Bad_Key: a DOI ships only when doi_verified = true",
        "thresholds.thresholds[0]: source key 'nobody1999' is not in the bibliography",
        "thresholds[1] (mmn10.definite.duration_increase_pct): no source",
        "code: citation key 'missingKey' is not in the bibliography",
        "sources.orphan2020: cited by no table and no rule (remove it)",
    ):
        assert any(fragment in p for p in problems), fragment
