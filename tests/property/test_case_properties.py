"""Invariants of the case format (Hypothesis)."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import example_data
from tests.property.strategies import cases

from neuroig import parse_case
from neuroig.case import case_to_data
from neuroig.case.bounds import VELOCITY_MAX_M_S, VELOCITY_MIN_M_S
from neuroig.errors import CaseValidationError
from neuroig.services.batch import run_batch

Data = dict[str, Any]


@settings(max_examples=300, deadline=None)
@given(cases())
def test_any_valid_case_round_trips_unchanged(doc: Data) -> None:
    text = json.dumps(doc)
    case = parse_case(text, fmt="json")
    assert case_to_data(case) == json.loads(text)
    # and a second trip is a fixed point
    assert case_to_data(parse_case(json.dumps(case_to_data(case)))) == case_to_data(case)


def _setter(path: list[str | int]) -> Callable[[Data, Any], None]:
    def put(d: Data, value: Any) -> None:
        node: Any = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return put


# (JSON path as printed, path as keys, lowest allowed, highest allowed, lowest is exclusive)
BOUNDED: list[tuple[str, list[str | int], float, float, bool]] = [
    ("patient.weight_kg", ["patient", "weight_kg"], 20, 350, False),
    ("patient.height_cm", ["patient", "height_cm"], 80, 250, False),
    ("patient.age_years", ["patient", "age_years"], 0, 120, False),
    ("exam.strength[0].mrc", ["exam", "strength", 0, "mrc"], 0, 5, False),
    ("ncs.temperature_c", ["ncs", "temperature_c"], 20, 42, False),
    (
        "ncs.motor[0].sites[0].latency_ms",
        ["ncs", "motor", 0, "sites", 0, "latency_ms"],
        0,
        100,
        True,
    ),
    (
        "ncs.motor[0].sites[0].amplitude_mv",
        ["ncs", "motor", 0, "sites", 0, "amplitude_mv"],
        0,
        100,
        False,
    ),
    (
        "ncs.motor[0].sites[0].area_mvms",
        ["ncs", "motor", 0, "sites", 0, "area_mvms"],
        0,
        500,
        False,
    ),
    (
        "ncs.motor[0].sites[1].distance_mm",
        ["ncs", "motor", 0, "sites", 1, "distance_mm"],
        0,
        1500,
        True,
    ),
    (
        "ncs.motor[0].f_wave.persistence_pct",
        ["ncs", "motor", 0, "f_wave", "persistence_pct"],
        0,
        100,
        False,
    ),
    ("ncs.sensory[0].amplitude_uv", ["ncs", "sensory", 0, "amplitude_uv"], 0, 500, False),
    ("ncs.sensory[0].velocity_m_s", ["ncs", "sensory", 0, "velocity_m_s"], 0, 150, True),
    ("labs.csf.protein_g_l", ["labs", "csf", "protein_g_l"], 0, 50, False),
    ("labs.egfr_ml_min", ["labs", "egfr_ml_min"], 0, 250, False),
]


@st.composite
def out_of_range(draw: st.DrawFn) -> tuple[str, list[str | int], float]:
    name, path, lo, hi, lo_exclusive = draw(st.sampled_from(BOUNDED))
    below = st.floats(max_value=lo, exclude_max=not lo_exclusive, allow_nan=False, min_value=-1e9)
    above = st.floats(min_value=hi, exclude_min=True, allow_nan=False, max_value=1e9)
    return name, path, draw(st.one_of(below, above))


@settings(max_examples=300, deadline=None)
@given(out_of_range())
def test_any_out_of_range_value_is_rejected_at_its_path(
    case: tuple[str, list[str | int], float],
) -> None:
    name, path, value = case
    data = example_data("mmn-definite")
    _setter(path)(data, value)
    with pytest.raises(CaseValidationError) as info:
        parse_case(json.dumps(data))
    assert name in [p.path for p in info.value.problems]


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=12).filter(lambda k: not k.startswith("x_")))
def test_any_unknown_key_is_rejected_and_x_keys_are_not(key: str) -> None:
    data = example_data("mmn-definite")
    if key in data["patient"]:
        return
    data["patient"][key] = 1
    with pytest.raises(CaseValidationError) as info:
        parse_case(json.dumps(data))
    assert any(p.message.startswith("got 1; unknown key") for p in info.value.problems)
    del data["patient"][key]
    data["patient"]["x_" + key] = 1
    assert case_to_data(parse_case(json.dumps(data)))["patient"]["x_" + key] == 1


# --- decision P10: a computed velocity outside the plausibility bounds is always rejected


@given(
    distance=st.floats(1, 1500),
    distal=st.floats(0.5, 20),
    step=st.floats(0.01, 80),
)
def test_a_computed_velocity_outside_the_bounds_is_always_rejected(
    distance: float, distal: float, step: float
) -> None:
    data = example_data("mmn-definite")
    study = data["ncs"]["motor"][0]
    study["sites"] = [
        {"site": "wrist", "latency_ms": round(distal, 2), "distance_mm": 80},
        {
            "site": "below_elbow",
            "latency_ms": round(distal + step, 2),
            "distance_mm": round(distance, 1),
        },
    ]
    study.pop("f_wave", None)
    lat_d, lat_p = study["sites"][0]["latency_ms"], study["sites"][1]["latency_ms"]
    if lat_p <= lat_d or lat_p > 100:
        return  # another rule (latency order, latency bound) applies
    velocity = study["sites"][1]["distance_mm"] / (lat_p - lat_d)
    path = "ncs.motor[0].sites[1].distance_mm"
    try:
        parse_case(json.dumps(data), fmt="json")
        problems: list[str] = []
    except CaseValidationError as exc:
        problems = [p.path for p in exc.problems if "velocity must be" in p.message]
    if VELOCITY_MIN_M_S <= velocity <= VELOCITY_MAX_M_S:
        assert problems == []
    else:
        assert problems == [path]


# --- the batch output has one line per input case, in order, whatever the input holds

_LINE = st.one_of(
    st.just("GOOD"),
    st.text(max_size=40).filter(lambda t: "\n" not in t and "\r" not in t),
    st.binary(max_size=40).filter(lambda b: b"\n" not in b and b"\r" not in b),
    st.just("[" * 200 + "]" * 200),
    st.just('{"format": "neuroig-case/1", "case_id": "x", "x_n": ' + "7" * 400 + "}"),
)


@settings(max_examples=40)
@given(st.lists(_LINE, max_size=12))
def test_the_batch_output_has_one_line_per_case_in_order(lines: list[str | bytes]) -> None:
    good = json.dumps(example_data("mmn-probable")).encode()
    raw = [good if x == "GOOD" else x if isinstance(x, bytes) else x.encode("utf-8") for x in lines]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.jsonl"
        src.write_bytes(b"\n".join(raw) + b"\n")
        out = io.StringIO()
        summary = run_batch(src, out, jobs=1)
    # a case is a line that is not blank (Python's bytes.strip whitespace)
    expected = [i for i, b in enumerate(raw, start=1) if b.strip()]
    docs = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [d["line"] for d in docs] == expected
    assert summary.total == len(expected)
    assert summary.valid == sum(1 for d in docs if d["format"] == "neuroig-assessment/1")
    assert all(d["format"] in {"neuroig-assessment/1", "neuroig-error/1"} for d in docs)
