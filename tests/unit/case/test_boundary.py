"""The input boundary (decision P13) and the date rules (P11), limit by limit."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import example_data

from neuroig import parse_case
from neuroig.case import case_from_data, load_case
from neuroig.case.boundary import (
    ECHO_CHARS,
    MAX_DEPTH,
    MAX_INTEGER_DIGITS,
    MAX_PROBLEMS,
    MAX_VALUES,
    MAX_YAML_ALIASES,
    parse_document,
    preview,
)
from neuroig.cli.console import dumps_json
from neuroig.errors import (
    CaseReadError,
    CaseValidationError,
    InputError,
    InputLimitError,
    UnsupportedFormatError,
)


def test_preview_stops_at_the_limit_even_for_a_huge_shared_structure() -> None:
    level: list[object] = ["x"] * 10
    for _ in range(9):  # 10**10 leaves if expanded
        level = [level] * 10
    text = preview(level)
    assert len(text) == ECHO_CHARS
    assert text.endswith("…")
    assert preview("k" * 10_000_000).startswith('"kkk')
    assert len(preview("k" * 10_000_000)) == ECHO_CHARS


def test_json_depth_at_the_limit_passes_and_one_more_is_refused() -> None:
    node = parse_document("[" * MAX_DEPTH + "]" * MAX_DEPTH, "json")
    levels = 1
    while node:
        node = node[0]
        levels += 1
    assert levels == MAX_DEPTH
    with pytest.raises(InputLimitError, match="depth"):
        parse_document("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "json")
    with pytest.raises(InputLimitError, match="depth"):
        parse_document("[" * 100_000 + "]" * 100_000, "json")


def test_yaml_depth_is_refused_before_the_parser_recursion() -> None:
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 2000))
    with pytest.raises((InputLimitError, UnsupportedFormatError)):
        parse_document(text, "yaml")
    with pytest.raises(InputLimitError, match="depth"):
        parse_document("[" * 2000 + "]" * 2000, "yaml")


def test_yaml_aliases_are_counted() -> None:
    def doc(n: int) -> str:
        return "x_a: &a 1\nx_b: [" + ", ".join(["*a"] * n) + "]\n"

    assert parse_document(doc(MAX_YAML_ALIASES), "yaml")["x_b"] == [1] * MAX_YAML_ALIASES
    with pytest.raises(InputLimitError, match="YAML aliases"):
        parse_document(doc(MAX_YAML_ALIASES + 1), "yaml")


def test_alias_expansion_is_bounded_by_the_value_count() -> None:
    # 6 levels of 10 aliases: 10**6 leaves > MAX_VALUES, with only 60 aliases
    lines = ["l0: &l0 [" + ", ".join(["x"] * 10) + "]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 6)]
    assert MAX_VALUES < 10**6
    with pytest.raises(InputLimitError, match="values"):
        parse_document("\n".join(lines) + "\n", "yaml")


def test_integer_digits_and_non_finite_numbers_are_reported_with_their_path() -> None:
    ok = "9" * MAX_INTEGER_DIGITS
    assert parse_document(f'{{"x_n": {ok}}}', "json") == {"x_n": int(ok)}
    with pytest.raises(CaseValidationError) as info:
        parse_document(
            '{"a": {"b": [1, ' + "9" * (MAX_INTEGER_DIGITS + 1) + ']}, "c": NaN, "d": 1e999}',
            "json",
        )
    assert [p.path for p in info.value.problems] == ["a.b[1]", "c", "d"]
    with pytest.raises(CaseValidationError) as info:
        parse_document("x: .inf\ny: " + "1" * 5000 + "\n", "yaml")
    assert [p.path for p in info.value.problems] == ["x", "y"]


def test_repeated_keys_are_named_with_their_full_path_in_json_and_yaml() -> None:
    with pytest.raises(CaseValidationError) as info:
        parse_document('{"a": {"b": [{"c": 1, "c": 2}]}}', "json")
    assert [p.path for p in info.value.problems] == ["a.b[0].c"]
    with pytest.raises(CaseValidationError) as info:
        parse_document("a:\n  b:\n    - c: 1\n      c: 2\n", "yaml")
    assert [p.path for p in info.value.problems] == ["a.b[0].c"]


def test_a_yaml_complex_key_is_refused_with_its_position() -> None:
    with pytest.raises(UnsupportedFormatError, match=r"line 1, column 3: .*complex key"):
        parse_document("? [a, b]\n: 1\n", "yaml")


def test_problems_are_capped_and_the_rest_counted() -> None:
    doc = {"format": "neuroig-case/1", "case_id": "e"} | {f"k{i}": i for i in range(500)}
    with pytest.raises(CaseValidationError) as info:
        case_from_data(doc)
    assert len(info.value.problems) == MAX_PROBLEMS
    assert info.value.omitted == 500 - MAX_PROBLEMS
    assert str(info.value).endswith(f"… and {500 - MAX_PROBLEMS} more problems")


def test_files_that_cannot_be_read_are_case_read_errors(tmp_path: Path) -> None:
    with pytest.raises(CaseReadError, match="no such file"):
        load_case(tmp_path / "missing.json")
    with pytest.raises(CaseReadError, match="is a folder"):
        load_case(tmp_path)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(CaseReadError, match="cannot be read"):
        load_case(a)


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(example_data("mmn-probable")).encode())
    assert load_case(path).case_id == "example-mmn-probable"


def test_the_json_emitter_refuses_non_finite_numbers() -> None:
    assert dumps_json({"a": [1.5]}) == '{"a":[1.5]}'
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(InputError, match="finite"):
            dumps_json({"a": {"b": [bad]}})


# --- decision P11: dates


def _with(path: list[str | int], value: object) -> dict[str, Any]:
    data = example_data("mmn-definite")
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (0, "not a number"),
        (1759363200, "not a number"),
        ("1759363200", "YYYY-MM-DD"),
        ("20261002", "with the dashes"),
        ("2026-10-02T09:00", "without a time"),
        ("2026-02-30", "real calendar date"),
        ("1899-12-31", "on or after 1900-01-01"),
    ],
)
def test_dates_are_strict(value: object, fragment: str) -> None:
    with pytest.raises(CaseValidationError) as info:
        case_from_data(_with(["ncs", "date"], value))
    (problem,) = info.value.problems
    assert problem.path == "ncs.date"
    assert fragment in problem.message


def test_a_date_after_the_day_of_the_run_is_refused() -> None:
    data = _with(["ncs", "date"], "2026-10-02")
    # the day of the run comes from the validation context: one day before is refused
    with pytest.raises(CaseValidationError, match="after today"):
        case_from_data(data, context={"today": date(2026, 10, 1)})
    assert case_from_data(data, context={"today": date(2026, 10, 2)}).ncs is not None


def test_onset_age_above_the_age_names_both_fields() -> None:
    # age_years 46 at the index date; onset at 46 is allowed, 46.5 is not
    assert case_from_data(_with(["history", "onset_age_years"], 46)).history is not None
    with pytest.raises(CaseValidationError) as info:
        case_from_data(_with(["history", "onset_age_years"], 46.5))
    (problem,) = info.value.problems
    assert problem.path == "history.onset_age_years"
    assert "above patient.age_years (46.0 years)" in problem.message


def test_a_birth_date_giving_more_than_120_years_is_refused() -> None:
    # NCS 2026-10-02, born 1905-01-01: (2026-10-02 − 1905-01-01) = 44,469 days / 365.25 = 121.7
    data = _with(["patient"], {"sex": "male", "birth_date": "1905-01-01"})
    with pytest.raises(CaseValidationError) as info:
        case_from_data(data)
    assert [p.path for p in info.value.problems] == ["patient.birth_date"]
    assert "122 years" in info.value.problems[0].message


def test_case_id_with_a_leading_space_or_a_control_character() -> None:
    with pytest.raises(CaseValidationError, match="must not start with a space"):
        case_from_data(_with(["case_id"], " x"))
    with pytest.raises(CaseValidationError, match="control characters"):
        case_from_data(_with(["case_id"], "x\ny"))
    assert parse_case(json.dumps(_with(["case_id"], "ID [/] x"))).case_id == "ID [/] x"
