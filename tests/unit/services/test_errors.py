"""The one error mapper: an exception → message, exit code and ``neuroig-error/1``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neuroig.errors import CaseReadError, CaseValidationError, InputError, Problem
from neuroig.schemas.emit import to_json
from neuroig.services.errors import EXIT_INTERNAL, EXIT_INVALID, error_document, failure
from neuroig.services.validate import validate


def test_a_missing_file_is_invalid_input_naming_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "none.json"
    with pytest.raises(CaseReadError) as info:
        validate(missing)
    f = failure(info.value)
    assert f.exit_code == EXIT_INVALID
    assert f.message == f"{missing}: no such file"
    assert not f.internal
    # the bare OS error (a file opened elsewhere) maps to the same message
    os_error = FileNotFoundError(2, "No such file or directory", str(missing))
    assert (failure(os_error).message, failure(os_error).exit_code) == (f.message, EXIT_INVALID)


def test_an_input_error_keeps_its_field_and_allowed_values() -> None:
    exc = InputError("--detail", "short", "must be summary or full")
    f = failure(exc)
    assert f.exit_code == EXIT_INVALID
    assert f.problems == (("(document)", str(exc)),)
    assert "--detail" in f.message
    assert "summary or full" in f.message


def test_validation_problems_are_kept_up_to_fifty_and_the_rest_counted() -> None:
    # 60 problems: MAX_PROBLEMS = 50 are kept, 60 − 50 = 10 are counted
    problems = [Problem(f"ncs.motor[{i}].amplitude_mv", "got -1; must be ≥ 0") for i in range(60)]
    exc = CaseValidationError(problems, source="cases/a.json")
    doc = error_document(exc, source="cases/a.json")
    assert len(doc.problems) == 50
    assert doc.more_problems == 10
    assert doc.problems[0].path == "ncs.motor[0].amplitude_mv"
    data = json.loads(to_json(doc))
    assert data["format"] == "neuroig-error/1"
    assert "line" not in data
    assert failure(exc).exit_code == EXIT_INVALID


def test_deep_nesting_is_an_input_limit() -> None:
    f = failure(RecursionError())
    assert (f.message, f.exit_code) == ("nested too deeply (input limit: depth)", EXIT_INVALID)


def test_a_bug_is_an_internal_error_and_its_text_stays_out_of_result_files() -> None:
    exc = KeyError("secret-value")
    f = failure(exc)
    assert f.internal
    assert f.exit_code == EXIT_INTERNAL
    assert f.message.startswith("internal error (KeyError: ")
    doc = error_document(exc, source="x.jsonl:3", line=3)
    assert doc.line == 3
    assert doc.problems[0].message == "internal error (KeyError); please report this case"
    assert "secret-value" not in to_json(doc).decode()


def test_a_message_loses_the_repeated_source_prefix() -> None:
    exc = CaseReadError("cases/a.json", "no such file")
    assert str(exc) == "cases/a.json: no such file"
    doc = error_document(exc, source="cases/a.json")
    assert doc.problems[0].message == "no such file"
    assert doc.source == "cases/a.json"
