"""With ``--json``, a failing command prints its ``neuroig-error/1`` document on stdout.

The document is the one the error mapper gives the batch and the API, and it validates
against the exported schema; the exit code and the human message on stderr are unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from neuroig.cli.app import app
from neuroig.schemas.emit import json_schema

runner = CliRunner()
COMMANDS = ("evaluate", "plan", "review", "ncs")


@pytest.mark.parametrize("command", COMMANDS)
def test_an_invalid_case_gives_the_error_document(command: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({"format": "neuroig-case/1", "case_id": "x", "patient": {"age_years": "old"}}),
        encoding="utf-8",
    )
    result = runner.invoke(app, [command, str(bad), "--json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    jsonschema.validate(document, json_schema("error"))
    assert document["format"] == "neuroig-error/1"
    assert document["source"] == str(bad)
    assert {"path": "patient.age_years", "message": 'got "old"; must be a number (years)'} in (
        document["problems"]
    )
    assert "patient.age_years" in result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_file_gives_the_error_document(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nothere.json"
    result = runner.invoke(app, [command, str(missing), "--json"])
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    jsonschema.validate(document, json_schema("error"))
    assert document["problems"] == [{"path": "(document)", "message": "no such file"}]


def test_without_json_stdout_stays_empty(tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", str(tmp_path / "nothere.json")])
    assert (result.exit_code, result.stdout) == (2, "")
    assert "no such file" in result.stderr
