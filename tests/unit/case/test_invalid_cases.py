"""Every kind of bad input is rejected with a problem naming its JSON path.

Each row mutates the definite-MMN example in one way and names the path and a
fragment of the message that must be reported. The same rows run through the CLI
in tests/integration/test_cli_case.py (exit status 2, path first on the line).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tests.conftest import example_data

from neuroig import parse_case
from neuroig.errors import CaseValidationError, UnsupportedFormatError

Data = dict[str, Any]


@dataclass(frozen=True)
class Bad:
    kind: str
    mutate: Callable[[Data], None]
    path: str
    fragment: str


def _set(path: list[str | int], value: Any) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        node: Any = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path: list[str | int]) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        node: Any = d
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


def _rename(path: list[str | int], new: str) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        node: Any = d
        for key in path[:-1]:
            node = node[key]
        node[new] = node.pop(path[-1])

    return mutate


def _swap_sites(d: Data) -> None:
    sites = d["ncs"]["motor"][0]["sites"]
    sites[0], sites[1] = sites[1], sites[0]


def _duplicate_nerve(d: Data) -> None:
    d["ncs"]["motor"].append(json.loads(json.dumps(d["ncs"]["motor"][2])))


def _duplicate_muscle(d: Data) -> None:
    d["exam"]["strength"].append({"muscle": "deltoid", "side": "left", "mrc": 4})


def _add_infusion(**fields: Any) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        inf = {"date": "2026-10-20", "route": "iv", "product": "privigen", "dose_g": 90}
        inf.update(fields)
        d["infusions"] = [inf]

    return mutate


def _add_treatment(d: Data) -> None:
    d["treatments"] = [{"therapy": "ivig", "start": "2026-10-20", "end": "2026-10-01"}]


def _add_assessment(**fields: Any) -> Callable[[Data], None]:
    def mutate(d: Data) -> None:
        a = {"date": "2026-11-01"}
        a.update(fields)
        d["assessments"] = [a]

    return mutate


def _birth_after_study(d: Data) -> None:
    del d["patient"]["age_years"]
    d["patient"]["birth_date"] = "2026-10-10"
    del d["history"]["onset_age_years"]


BAD: list[Bad] = [
    Bad(
        "wrong type (number as text)",
        _set(["patient", "weight_kg"], "96"),
        "patient.weight_kg",
        "must be a number",
    ),
    Bad(
        "wrong type (boolean as text)",
        _set(["exam", "umn_signs", "present"], "no"),
        "exam.umn_signs.present",
        "true or false",
    ),
    Bad("wrong type (object for list)", _set(["emg"], {}), "emg", "must be a list"),
    Bad("wrong type (number for text)", _set(["case_id"], 17), "case_id", "must be text"),
    Bad(
        "unknown key at top level",
        _rename(["patient"], "patinet"),
        "patinet",
        "did you mean 'patient'",
    ),
    Bad(
        "unknown nested key",
        _rename(["ncs", "motor", 0, "sites", 0, "amplitude_mv"], "amplitude"),
        "ncs.motor[0].sites[0].amplitude",
        "did you mean 'amplitude_mv'",
    ),
    Bad(
        "typo'd enumeration",
        _set(["history", "course"], "progresive"),
        "history.course",
        "did you mean 'progressive'",
    ),
    Bad(
        "typo'd nerve",
        _set(["ncs", "motor", 0, "nerve"], "ulnr"),
        "ncs.motor[0].nerve",
        "did you mean 'ulnar'",
    ),
    Bad(
        "unknown muscle id",
        _set(["exam", "strength", 0, "muscle"], "first_dorsal_interoseous"),
        "exam.strength[0].muscle",
        "did you mean 'first_dorsal_interosseous'",
    ),
    Bad(
        "unknown condition",
        _set(["history", "conditions"], ["diabetis"]),
        "history.conditions[0]",
        "did you mean 'diabetes'",
    ),
    Bad(
        "weight out of range",
        _set(["patient", "weight_kg"], 400),
        "patient.weight_kg",
        "≤ 350 (kg)",
    ),
    Bad("weight below range", _set(["patient", "weight_kg"], 12), "patient.weight_kg", "≥ 20 (kg)"),
    Bad("MRC above 5", _set(["exam", "strength", 0, "mrc"], 6), "exam.strength[0].mrc", "≤ 5"),
    Bad(
        "MRC malformed text",
        _set(["exam", "strength", 0, "mrc"], "4x"),
        "exam.strength[0].mrc",
        "MRC grade",
    ),
    Bad(
        "negative amplitude",
        _set(["ncs", "motor", 0, "sites", 1, "amplitude_mv"], -3.1),
        "ncs.motor[0].sites[1].amplitude_mv",
        "≥ 0 (mV, baseline to negative peak)",
    ),
    Bad(
        "zero distance",
        _set(["ncs", "motor", 0, "sites", 1, "distance_mm"], 0),
        "ncs.motor[0].sites[1].distance_mm",
        "> 0 (mm)",
    ),
    Bad(
        "zero latency",
        _set(["ncs", "motor", 0, "sites", 0, "latency_ms"], 0),
        "ncs.motor[0].sites[0].latency_ms",
        "> 0 (ms)",
    ),
    Bad(
        "not a finite number",
        _set(["ncs", "motor", 0, "sites", 0, "area_mvms"], float("nan")),
        "ncs.motor[0].sites[0].area_mvms",
        "finite",
    ),
    Bad(
        "negative CSF cell count",
        _set(["labs", "csf", "wbc_per_ul"], -2),
        "labs.csf.wbc_per_ul",
        "≥ 0 (/µL)",
    ),
    Bad(
        "dated lab value out of range",
        _set(["labs", "ck_u_l"], {"value": -1, "date": "2026-09-01"}),
        "labs.ck_u_l.value",
        "≥ 0 (U/L)",
    ),
    Bad("missing required top-level field", _delete(["case_id"]), "case_id", "required"),
    Bad(
        "missing required nested field",
        _delete(["ncs", "motor", 0, "nerve"]),
        "ncs.motor[0].nerve",
        "required",
    ),
    Bad(
        "empty site list",
        _set(["ncs", "motor", 0, "sites"], []),
        "ncs.motor[0].sites",
        "at least 1",
    ),
    Bad("impossible date", _set(["ncs", "date"], "2026-02-30"), "ncs.date", "YYYY-MM-DD"),
    Bad("date in the wrong format", _set(["ncs", "date"], "02/10/2026"), "ncs.date", "YYYY-MM-DD"),
    Bad("wrong format name", _set(["format"], "neuroig-case"), "format", "neuroig-case/1"),
    Bad(
        "sites out of order",
        _swap_sites,
        "ncs.motor[0].sites[1].site",
        "ordered distal to proximal",
    ),
    Bad(
        "site not on the nerve",
        _set(["ncs", "motor", 0, "sites", 2, "site"], "spiral_groove"),
        "ncs.motor[0].sites[2].site",
        "not a stimulation site of the ulnar nerve",
    ),
    Bad(
        "proximal latency not longer",
        _set(["ncs", "motor", 0, "sites", 2, "latency_ms"], 7.0),
        "ncs.motor[0].sites[2].latency_ms",
        "not longer than",
    ),
    Bad("duplicate nerve-side", _duplicate_nerve, "ncs.motor[3]", "studied twice"),
    Bad(
        "no response with an amplitude",
        _set(["ncs", "motor", 0, "sites", 2, "no_response"], True),
        "ncs.motor[0].sites[2].amplitude_mv",
        "no_response is true",
    ),
    Bad(
        "F-waves absent with a latency",
        _set(["ncs", "motor", 0, "f_wave", "absent"], True),
        "ncs.motor[0].f_wave.min_latency_ms",
        "absent",
    ),
    Bad("duplicate muscle grade", _duplicate_muscle, "exam.strength[14]", "graded twice"),
    Bad(
        "UMN signs listed but absent",
        _set(["exam", "umn_signs"], {"present": False, "signs": ["babinski"]}),
        "exam.umn_signs.signs",
        "present is false",
    ),
    Bad(
        "birth date and age both",
        _set(["patient", "birth_date"], "1980-01-01"),
        "patient.age_years",
        "not both",
    ),
    Bad("date before birth", _birth_after_study, "ncs.date", "before birth_date"),
    Bad(
        "unknown product",
        _add_infusion(product="privigenn"),
        "infusions[0].product",
        "did you mean 'privigen'",
    ),
    Bad(
        "route not allowed for product",
        _add_infusion(route="sc"),
        "infusions[0].route",
        "not given by the sc route",
    ),
    Bad("zero dose", _add_infusion(dose_g=0), "infusions[0].dose_g", "> 0 (g)"),
    Bad("treatment ends before it starts", _add_treatment, "treatments[0].end", "before start"),
    Bad(
        "grip unit does not fit device",
        _add_assessment(grip={"left": 50, "unit": "kg", "device": "vigorimeter"}),
        "assessments[0].grip.unit",
        "reads in kpa",
    ),
    Bad(
        "I-RODS raw and centile both",
        _add_assessment(irods={"raw": 30, "centile": 60}),
        "assessments[0].irods.raw",
        "exactly one",
    ),
    Bad(
        "INCAT leg out of range",
        _add_assessment(incat={"arm": 1, "leg": 6}),
        "assessments[0].incat.leg",
        "≤ 5",
    ),
    Bad(
        "INCAT not a whole number",
        _add_assessment(incat={"arm": 1.5, "leg": 1}),
        "assessments[0].incat.arm",
        "whole number",
    ),
]


def bad_text(bad: Bad) -> str:
    data = example_data("mmn-definite")
    bad.mutate(data)
    return json.dumps(data)


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.kind)
def test_bad_input_names_its_path(bad: Bad) -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_case(bad_text(bad), fmt="json")
    paths = {p.path: p for p in info.value.problems}
    assert bad.path in paths, [str(p) for p in info.value.problems]
    assert bad.fragment in paths[bad.path].message


def test_there_are_at_least_twenty_distinct_kinds() -> None:
    assert len({b.kind for b in BAD}) >= 20


def test_every_problem_is_reported_at_once() -> None:
    data = example_data("mmn-definite")
    data["patient"]["weight_kg"] = 400
    data["patient"]["sexx"] = "male"
    data["history"]["course"] = "progresive"
    data["ncs"]["motor"][0]["sites"][1]["amplitude_mv"] = -3.1
    data["labs"]["egfr_ml_min"] = "92"
    data["exam"]["strength"][2]["mrc"] = 7
    with pytest.raises(CaseValidationError) as info:
        parse_case(json.dumps(data))
    assert [p.path for p in info.value.problems] == [
        "patient.weight_kg",
        "patient.sexx",
        "history.course",
        "exam.strength[2].mrc",
        "labs.egfr_ml_min",
        "ncs.motor[0].sites[1].amplitude_mv",
    ]


def test_problem_carries_received_value_and_what_is_allowed() -> None:
    data = example_data("mmn-definite")
    data["ncs"]["motor"][2]["sites"][1]["amplitude_mv"] = -3.1
    with pytest.raises(CaseValidationError) as info:
        parse_case(json.dumps(data))
    (p,) = info.value.problems
    assert p.received == -3.1
    assert p.allowed == "must be ≥ 0 (mV, baseline to negative peak)"
    assert str(p) == (
        "ncs.motor[2].sites[1].amplitude_mv: got -3.1; must be ≥ 0 (mV, baseline to negative peak)"
    )


def test_duplicate_json_key_is_rejected_not_silently_dropped() -> None:
    text = '{"format": "neuroig-case/1", "case_id": "a", "case_id": "b"}'
    with pytest.raises(CaseValidationError, match="appears twice"):
        parse_case(text)


def test_duplicate_yaml_key_is_rejected() -> None:
    text = "format: neuroig-case/1\ncase_id: a\ncase_id: b\n"
    with pytest.raises(CaseValidationError, match="appears twice"):
        parse_case(text, fmt="yaml")


def test_broken_json_is_an_unsupported_format() -> None:
    with pytest.raises(UnsupportedFormatError, match=r"not valid JSON \(line 1"):
        parse_case('{"format": ', fmt="json")


def test_a_list_is_not_a_case() -> None:
    with pytest.raises(CaseValidationError, match="must be one JSON/YAML object"):
        parse_case("[1, 2]", fmt="json")


def test_a_newer_format_version_is_refused_clearly() -> None:
    with pytest.raises(UnsupportedFormatError, match=r"neuroig-case/2.*not supported"):
        parse_case('{"format": "neuroig-case/2", "case_id": "x"}')
