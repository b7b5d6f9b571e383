"""Valid cases load, round-trip unchanged, and JSON and YAML give the same case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from tests.conftest import EXAMPLES, example_data

from neuroig import load_case, parse_case
from neuroig.case import case_to_data, case_warnings, mrc_value

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_is_valid_and_round_trips(path: Path) -> None:
    case = load_case(path)
    assert case_to_data(case) == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_says_what_it_should_show(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data.get("x_note"), str)
    assert len(data["x_note"]) > 40


def test_yaml_and_json_give_the_same_case() -> None:
    data = example_data("mmn-definite")
    from_json = parse_case(json.dumps(data), fmt="json")
    from_yaml = parse_case(yaml.safe_dump(data), fmt="yaml")
    assert from_json == from_yaml


def test_yaml_dates_parsed_by_yaml_are_accepted() -> None:
    text = "format: neuroig-case/1\ncase_id: y1\nncs:\n  date: 2026-10-02\n"
    case = parse_case(text, fmt="yaml")
    assert case.ncs is not None
    assert str(case.ncs.date) == "2026-10-02"


def test_extension_keys_are_carried_through_at_every_level() -> None:
    data = example_data("mmn-definite")
    data["x_site"] = {"clinic": "A"}
    data["ncs"]["motor"][0]["sites"][0]["x_waveform_id"] = "w-17"
    data["patient"]["x_mrn"] = 12345
    case = parse_case(json.dumps(data))
    out = case_to_data(case)
    assert out["x_site"] == {"clinic": "A"}
    assert out["ncs"]["motor"][0]["sites"][0]["x_waveform_id"] == "w-17"
    assert out["patient"]["x_mrn"] == 12345


def test_peroneal_is_read_as_fibular() -> None:
    data = {
        "format": "neuroig-case/1",
        "case_id": "p",
        "ncs": {"motor": [{"nerve": "peroneal", "side": "left", "sites": [{"site": "ankle"}]}]},
    }
    case = parse_case(json.dumps(data))
    assert case.ncs is not None and case.ncs.motor is not None
    assert case.ncs.motor[0].nerve == "fibular"


def test_regimen_carries_unknown_keys() -> None:
    data = {
        "format": "neuroig-case/1",
        "case_id": "r",
        "treatments": [
            {
                "therapy": "ivig",
                "start": "2025-01-01",
                "regimen": {"dose_g_per_kg": 2, "note": "split"},
            }
        ],
    }
    case = parse_case(json.dumps(data))
    assert case_to_data(case)["treatments"][0]["regimen"] == {"dose_g_per_kg": 2, "note": "split"}


def test_dated_and_plain_lab_values_both_round_trip() -> None:
    data = {
        "format": "neuroig-case/1",
        "case_id": "l",
        "labs": {"ck_u_l": {"value": 140, "date": "2026-09-01"}, "egfr_ml_min": 92},
    }
    case = parse_case(json.dumps(data))
    assert case.labs is not None
    assert case.labs.value("ck_u_l") == 140
    assert case.labs.value("egfr_ml_min") == 92
    assert case.labs.value("iga_g_l") is None
    assert case_to_data(case)["labs"] == data["labs"]


@pytest.mark.parametrize(
    ("grade", "value"), [(4, 4.0), ("4-", 4.0), ("4+", 4.0), ("3+", 3.0), (0, 0.0)]
)
def test_mrc_minus_and_plus_count_as_the_grade(grade: float | str, value: float) -> None:
    assert mrc_value(grade) == value


def test_weakness_summary_disagreeing_with_grades_is_a_warning() -> None:
    data = example_data("mmn-definite")
    data["exam"]["weakness"] = {
        "nerve_territories": [{"nerve": "median", "side": "left"}],
        "limbs": ["left_upper", "right_lower"],
    }
    warnings = case_warnings(parse_case(json.dumps(data)))
    paths = [w.path for w in warnings]
    assert paths == ["exam.weakness.nerve_territories", "exam.weakness.limbs"]
    assert "left median" in warnings[0].message


def test_weakness_summary_agreeing_with_grades_gives_no_warning() -> None:
    data = example_data("mmn-definite")
    data["exam"]["weakness"] = {
        "nerve_territories": [
            {"nerve": "ulnar", "side": "left"},
            {"nerve": "radial", "side": "left"},
        ],
        "limbs": ["left_upper"],
    }
    assert case_warnings(parse_case(json.dumps(data))) == []
