"""``neuroig cohort generate`` piped into ``neuroig import -``; the templates stay the
worked examples they were taken from."""

from __future__ import annotations

import json

import pytest
from tests.store.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.cli.app import app
from neuroig.cohort.generate import GROUPS, _template

runner = CliRunner()
ENV = {"NEUROIG_PASSWORD": "correct horse"}


def test_a_generated_cohort_imports_into_the_registry(db_url: str) -> None:
    generated = runner.invoke(app, ["cohort", "generate", "--patients", "12", "--seed", "4"])
    assert generated.exit_code == 0, generated.stderr
    lines = generated.stdout.splitlines()
    assert len(lines) == 12

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(app, [*args, "--db", db_url], input=stdin, env=ENV)
        return result.exit_code, result.stdout, result.stderr

    assert run("db", "upgrade")[0] == 0
    add = ("user", "add", "ann", "--role", "admin", "--site", "north", "--password-stdin")
    assert run(*add, stdin="correct horse\n")[0] == 0
    code, out, err = run(
        "import", "-", "--as", "ann", "--site", "north", "--json", stdin=generated.stdout
    )
    assert code == 0, err
    assert sorted(r["case_id"] for r in json.loads(out)) == sorted(
        json.loads(line)["case_id"] for line in lines
    )
    code, out, err = run("cohort", "report", "--json", "--as", "ann")
    assert code == 0, err
    figures = json.loads(out)
    assert figures["patients"] == 12
    groups = [json.loads(line)["x_synthetic"]["truth"]["group"] for line in lines]
    assert figures["by_diagnosis"].get("none", 0) == groups.count("mimic")
    code, out, _ = run("cohort", "report", "--as", "ann")
    assert code == 0
    assert out.startswith("cohort on ")
    assert "12 patients" in out


def test_a_bad_end_date_is_refused() -> None:
    result = runner.invoke(app, ["cohort", "generate", "--patients", "1", "--until", "2999-01-01"])
    assert result.exit_code == 2
    assert "--until" in result.stderr


@pytest.mark.parametrize("name", sorted({t for _, (_, ts) in GROUPS.items() for t in ts}))
def test_each_template_is_its_worked_example_without_treatment(name: str) -> None:
    example = json.loads((EXAMPLES[0].parent / f"{name.replace('_', '-')}.json").read_text("utf-8"))
    template = _template(name)
    for key in ("ncs", "exam", "history", "labs", "patient", "emg", "imaging"):
        assert template.get(key) == example.get(key), key
