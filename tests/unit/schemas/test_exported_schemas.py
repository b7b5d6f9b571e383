"""Every output of every example validates against the JSON Schema that
``neuroig schema --output NAME`` exports: single-case ``--json`` of evaluate, ncs, plan
and review, and batch lines (summary and full assessments, error lines, the summary
line of a stream)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.cli.app import app

runner = CliRunner()
CASES = sorted(EXAMPLES.glob("*.json"))
NAMES = ("assessment", "assessment-summary", "plan", "review", "electro", "error")


def _schema(name: str) -> dict[str, Any]:
    result = runner.invoke(app, ["schema", "--output", name])
    assert result.exit_code == 0, result.stderr
    schema: dict[str, Any] = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def schemas() -> dict[str, dict[str, Any]]:
    return {name: _schema(name) for name in (*NAMES, "batch-summary")}


def _valid(doc: Any, schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(schema).validate(doc)


def _json_out(*args: str, codes: tuple[int, ...] = (0,)) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code in codes, result.stderr
    return json.loads(result.stdout)


def test_the_default_schema_is_still_the_case_format() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert "neuroig-case/1" in result.stdout


def test_an_unknown_output_name_is_refused_with_the_allowed_names() -> None:
    result = runner.invoke(app, ["schema", "--output", "assesment"])
    assert result.exit_code == 2
    assert "--output" in result.stderr
    assert "assessment-summary" in result.stderr


def test_the_schemas_refuse_an_unknown_key(schemas: dict[str, dict[str, Any]]) -> None:
    doc = _json_out("evaluate", str(EXAMPLES / "mmn-definite.json"))
    _valid(doc, schemas["assessment"])
    with pytest.raises(jsonschema.ValidationError):
        _valid({**doc, "extra": 1}, schemas["assessment"])
    with pytest.raises(jsonschema.ValidationError):
        _valid({k: v for k, v in doc.items() if k != "input_sha256"}, schemas["assessment"])


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_every_single_case_output_validates(case: Path, schemas: dict[str, Any]) -> None:
    _valid(_json_out("evaluate", str(case)), schemas["assessment"])
    _valid(_json_out("ncs", str(case)), schemas["electro"])
    # a blocked plan exits 2 and still prints its document
    plan = _json_out(
        "plan", str(case), "--start", "2026-12-01", "--product", "privigen", codes=(0, 2)
    )
    _valid(plan, schemas["plan"])
    _valid(_json_out("review", str(case)), schemas["review"])


def test_a_case_without_a_study_gives_a_valid_electro_object(
    tmp_path: Path, schemas: dict[str, Any]
) -> None:
    data = json.loads((EXAMPLES / "mmn-definite.json").read_text(encoding="utf-8"))
    data.pop("ncs")
    path = tmp_path / "no-ncs.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    doc = _json_out("ncs", str(path))
    _valid(doc, schemas["electro"])
    assert doc["motor"] == []
    assert doc["warnings"] == ["no NCS"]


def _batch_input(tmp_path: Path) -> Path:
    lines = [(EXAMPLES / "mmn-definite.json").read_text(encoding="utf-8").replace("\n", " ")]
    lines.append('{"format": "neuroig-case/1", "case_id": ""}')  # invalid
    lines.append("{not json")  # undecodable
    lines.append((EXAMPLES / "cidp-typical.json").read_text(encoding="utf-8").replace("\n", " "))
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("detail", ["summary", "full"])
def test_every_batch_line_validates(tmp_path: Path, schemas: dict[str, Any], detail: str) -> None:
    result = runner.invoke(
        app, ["evaluate", str(_batch_input(tmp_path)), "--json", "--detail", detail, "-j", "1"]
    )
    assert result.exit_code == 2  # two invalid cases
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["format"] for d in docs] == [
        "neuroig-assessment/1",
        "neuroig-error/1",
        "neuroig-error/1",
        "neuroig-assessment/1",
        "neuroig-batch-summary/1",
    ]
    kind = "assessment" if detail == "full" else "assessment-summary"
    for doc in (docs[0], docs[3]):
        _valid(doc, schemas[kind])
        assert doc.get("detail") == (None if detail == "full" else "summary")
    for doc in docs[1:3]:
        _valid(doc, schemas["error"])
    assert [d["line"] for d in docs[:4]] == [1, 2, 3, 4]
    _valid(docs[4], schemas["batch-summary"])
    assert docs[4] == {
        "format": "neuroig-batch-summary/1",
        "cases": 4,
        "valid": 2,
        "invalid": 2,
        "complete": True,
    }
