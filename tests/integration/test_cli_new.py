"""``neuroig new``: each template validates and evaluates; --out, --force, --format, --case-id."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from neuroig import evaluate, load_case, parse_case
from neuroig.cli.app import app
from neuroig.cli.new_cmd import TEMPLATES, template_text

runner = CliRunner()


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_each_template_validates_and_evaluates(name: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "--template", name])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == template_text(name)
    path = tmp_path / f"{name}.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    check = runner.invoke(app, ["validate", str(path)])
    assert check.exit_code == 0, check.stderr
    doc = evaluate(load_case(path)).to_dict()
    assert doc["format"] == "neuroig-assessment/1"
    assert set(doc["criteria"]) >= {"mmn_efns_pns_2010", "cidp_ean_pns_2021"}


def test_minimal_template_is_unknown_everywhere_rather_than_negative() -> None:
    # only format and case_id are set: every category of every criteria set is
    # "unknown" (insufficient data), never "not met" for lack of a value
    case = parse_case(template_text("minimal"), source="minimal.yaml")
    assert case.patient is None and case.ncs is None and case.exam is None
    doc = evaluate(case).to_dict()
    assert set(doc["criteria"]) == {
        "mmn_efns_pns_2010",
        "mmn_aaem_2003",
        "cidp_ean_pns_2021",
        "cidp_efns_pns_2010",
    }
    for set_id, result in doc["criteria"].items():
        assert set(result["category_status"].values()) == {"unknown"}, set_id
        clinical = [c for c in result["criteria"] if c["kind"] == "clinical"]
        assert clinical and all(c["status"] == "unknown" for c in clinical), set_id
    assert doc["lmn_ivig_trial"]["applies"] == "unknown"
    shown = runner.invoke(app, ["evaluate", "--json", "-"])
    assert shown.exit_code == 2  # "-" is no file: a clear error, no traceback
    assert "Traceback" not in shown.stderr


def test_mmn_and_cidp_templates_carry_their_worked_examples_results() -> None:
    # the values are those of examples/mmn-definite.json and examples/cidp-typical.json:
    # left ulnar wrist→below elbow area 24.0→9.1 mV·ms = 62.1 % drop, distal 8.0 mV
    # > 20 % of LLN 6.0 → definite block; two weak territories (left ulnar, left radial),
    # no sensory loss → EFNS/PNS 2010 definite MMN.
    mmn = evaluate(parse_case(template_text("mmn"), source="mmn.yaml")).diagnosis
    assert mmn.mmn_category == "definite"
    cidp = evaluate(parse_case(template_text("cidp"), source="cidp.yaml")).to_dict()
    assert cidp["criteria"]["cidp_ean_pns_2021"]["category"] == "cidp"


def test_out_writes_the_file_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "my-case.yaml"
    first = runner.invoke(app, ["new", "--out", str(out)])
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert f"{out}: new case written from template 'minimal'" in first.stderr
    assert out.read_text(encoding="utf-8") == template_text("minimal")
    out.write_text("mine", encoding="utf-8")
    again = runner.invoke(app, ["new", "--template", "mmn", "--out", str(out)])
    assert again.exit_code == 2
    assert again.stderr.strip() == (
        f"--out: got {str(out)!r}; exists already (add --force to overwrite it)"
    )
    assert out.read_text(encoding="utf-8") == "mine"
    forced = runner.invoke(app, ["new", "--template", "mmn", "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert out.read_text(encoding="utf-8") == template_text("mmn")


def test_json_output_has_the_same_data_and_a_note(tmp_path: Path) -> None:
    out = tmp_path / "case.json"  # the .json suffix picks JSON
    result = runner.invoke(app, ["new", "--template", "cidp", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    note = data.pop("x_note")
    assert "docs/case-format.md" in note
    assert data == yaml.safe_load(template_text("cidp"))
    assert load_case(out).case_id == "my-cidp-case"
    stdout = runner.invoke(app, ["new", "--format", "json"])
    assert json.loads(stdout.stdout)["case_id"] == "my-first-case"


def test_case_id_is_replaced_and_checked() -> None:
    ok = runner.invoke(app, ["new", "--template", "mmn", "--case-id", "clinic-0042"])
    assert ok.exit_code == 0, ok.stderr
    assert parse_case(ok.stdout, source="x.yaml").case_id == "clinic-0042"
    bad = runner.invoke(app, ["new", "--case-id", "two words"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("--case-id: got 'two words'; must start with a letter")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--template", "gbs"], "--template: got 'gbs'; must be one of: minimal, mmn, cidp"),
        (["--format", "toml"], "--format: got 'toml'; must be one of: yaml, json"),
    ],
)
def test_bad_option_values_are_clear_errors(args: list[str], expected: str) -> None:
    result = runner.invoke(app, ["new", *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == expected


def test_help_has_examples() -> None:
    result = runner.invoke(app, ["new", "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert "neuroig new --template mmn --out my-mmn-case.yaml" in result.stdout


def test_redirect_to_a_json_file_writes_json(tmp_path: Path) -> None:
    # `neuroig new > case.json` must give a file that `neuroig validate case.json` reads
    neuroig = Path(sys.executable).parent / "neuroig"
    for name in ("case.json", "case.yaml"):
        done = subprocess.run(
            [
                "bash",
                "-c",
                f"'{neuroig}' new --template mmn > {name} && '{neuroig}' validate {name}",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"{name}: valid (my-mmn-case)\n"
    assert (tmp_path / "case.json").read_text(encoding="utf-8").startswith("{")
    assert (tmp_path / "case.yaml").read_text(encoding="utf-8") == template_text("mmn")
