"""The CLI front door: validate, show, schema, --version; exit codes 0/2."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer
from tests.conftest import EXAMPLES
from tests.unit.case.test_invalid_cases import BAD, Bad, bad_text
from typer.testing import CliRunner

from neuroig import __version__
from neuroig.cli.app import app
from neuroig.cli.console import handle_errors

runner = CliRunner()
WriteCase = Callable[[dict[str, Any] | str, str], Path]


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"neuroig {__version__}"


def test_validate_all_examples_exit_0() -> None:
    files = [str(p) for p in sorted(EXAMPLES.glob("*.json"))]
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(": valid (") == len(files)


@pytest.mark.parametrize("bad", BAD, ids=lambda b: b.kind)
def test_validate_bad_input_exit_2_and_line_starts_with_path(
    bad: Bad, write_case: WriteCase
) -> None:
    path = write_case(bad_text(bad), "bad.json")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}: invalid")
    assert any(line.startswith(f"{bad.path}: ") and bad.fragment in line for line in lines[1:]), (
        lines
    )


def test_validate_mixed_files_reports_each_and_exits_2(write_case: WriteCase) -> None:
    bad = write_case('{"format": "neuroig-case/1"}', "bad.json")
    good = EXAMPLES / "mmn-definite.json"
    result = runner.invoke(app, ["validate", str(good), str(bad)])
    assert result.exit_code == 2
    assert f"{good}: valid" in result.stdout
    assert "case_id: required; it is missing" in result.stderr


def test_validate_missing_file_and_broken_json(write_case: WriteCase) -> None:
    broken = write_case('{"format": ', "broken.json")
    result = runner.invoke(app, ["validate", "nope.json", str(broken)])
    assert result.exit_code == 2
    assert "nope.json: no such file" in result.stderr
    assert "not valid JSON" in result.stderr


def test_yaml_case_validates(tmp_path: Path) -> None:
    import yaml

    data = json.loads((EXAMPLES / "mmn-definite.json").read_text(encoding="utf-8"))
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.stderr


def test_schema_is_valid_json_schema_that_accepts_examples_and_rejects_typos() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        errors = list(validator.iter_errors(data))
        assert errors == [], (path.name, [e.message for e in errors[:3]])
    data = json.loads((EXAMPLES / "mmn-definite.json").read_text(encoding="utf-8"))
    data["patient"]["sexx"] = "male"
    assert list(validator.iter_errors(data))


def test_show_prints_patient_and_ncs_with_percent_of_limits() -> None:
    result = runner.invoke(app, ["show", str(EXAMPLES / "mmn-definite.json")])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "example-mmn-definite" in out
    assert "male, 46 y, 180 cm, 96 kg" in out
    # left ulnar distal: 3.0 ms of ULN 3.3 = 91 %; 8.0 mV of LLN 6.0 = 133 %
    assert "3 (91%)" in out
    assert "8 (133%)" in out
    # below-elbow segment velocity: 230 mm / (7.4 - 3.0) ms = 52.3 m/s = 107 % of 49
    assert "52.3 (107%)" in out
    # sural 14 uV of LLN 5 = 280 %
    assert "14 (280%)" in out
    assert "limits: case lab_reference (motor ulnar)" in out


def test_show_invalid_case_exit_2(write_case: WriteCase) -> None:
    path = write_case(
        {"format": "neuroig-case/1", "case_id": "x", "patient": {"weight_kg": 1}}, "c.json"
    )
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 2
    assert "patient.weight_kg: got 1; must be ≥ 20 (kg)" in result.stderr


def test_installed_script_runs_end_to_end() -> None:
    exe = Path(sys.executable).parent / "neuroig"
    out = subprocess.run(
        [str(exe), "validate", str(EXAMPLES / "mmn-definite.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    bad = subprocess.run(
        [str(exe), "validate", "/nonexistent.json"], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 2


def test_schema_states_p11_dates_and_p12_sensory_sites() -> None:
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    defs = schema["$defs"]
    assert {"format": "date", "type": "string"} in defs["Ncs"]["properties"]["date"]["anyOf"]
    sites = json.dumps(defs["SensoryStudy"]["properties"]["from_site"])
    assert '"below_elbow"' in sites
    assert '"digit5"' in sites


def test_validate_a_jsonl_file_names_each_bad_line(tmp_path: Path) -> None:
    good = json.dumps(json.loads((EXAMPLES / "mmn-probable.json").read_text(encoding="utf-8")))
    src = tmp_path / "cases.jsonl"
    src.write_text(f'{good}\n\n{{"format": "neuroig-case/1"}}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["validate", str(src)])
    assert result.exit_code == 2
    assert f"{src}:1: valid (example-mmn-probable)" in result.stdout
    assert f"{src}:3: invalid (1 problem)" in result.stderr
    assert "case_id: required; it is missing" in result.stderr
    assert f"{src}:4: not valid JSON (line 1, column 1" in result.stderr


def test_an_unexpected_exception_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    @handle_errors
    def boom() -> None:
        raise KeyError("\x1b]0;title\x07x")

    monkeypatch.delenv("NEUROIG_DEBUG", raising=False)
    with pytest.raises(typer.Exit) as info:
        boom()
    assert info.value.exit_code == 1
    err = capsys.readouterr().err
    assert err.startswith("internal error (KeyError: ")
    assert "\x1b" not in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.setenv("NEUROIG_DEBUG", "1")
    with pytest.raises(KeyError):
        boom()
