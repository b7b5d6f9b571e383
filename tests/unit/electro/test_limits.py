"""Decision E9: the nerve's lab limits, then the study's, then the built-in table, else none."""

from __future__ import annotations

import json

from tests.conftest import example_data

from neuroig import parse_case
from neuroig.electro import motor_limit, sensory_limit


def _case(per_nerve: dict[str, float] | None, study: dict[str, float] | None):
    data = example_data("mmn-definite")
    if study is None:
        del data["ncs"]["lab_reference"]
    else:
        data["ncs"]["lab_reference"] = {"motor": {"median": study}}
    if per_nerve is not None:
        data["ncs"]["motor"][1]["lab_reference"] = per_nerve
    case = parse_case(json.dumps(data))
    assert case.ncs is not None and case.ncs.motor is not None
    return case.ncs, case.ncs.motor[1]


def test_per_nerve_lab_limit_wins() -> None:
    ncs, median = _case({"amplitude_mv_lln": 3.5}, {"amplitude_mv_lln": 4.0})
    limit = motor_limit(ncs, median, "amplitude_mv_lln", 46)
    assert limit is not None
    assert (limit.value, limit.origin) == (3.5, "lab_nerve")


def test_study_lab_limit_next() -> None:
    ncs, median = _case({"distal_latency_ms_uln": 4.0}, {"amplitude_mv_lln": 4.0})
    limit = motor_limit(ncs, median, "amplitude_mv_lln", 46)
    assert limit is not None
    assert (limit.value, limit.origin) == (4.0, "lab_study")


def test_builtin_table_last_with_its_source() -> None:
    ncs, median = _case(None, None)
    limit = motor_limit(ncs, median, "amplitude_mv_lln", 46)
    assert limit is not None
    assert (limit.value, limit.origin) == (5.0, "builtin")
    assert "Sci Rep" in limit.source


def test_no_limit_anywhere_is_none() -> None:
    data = example_data("mmn-definite")
    del data["ncs"]["lab_reference"]
    data["ncs"]["sensory"][2]["nerve"] = "radial"
    case = parse_case(json.dumps(data))
    assert case.ncs is not None and case.ncs.sensory is not None
    assert sensory_limit(case.ncs, case.ncs.sensory[2], "amplitude_uv_lln", 46) is None
