"""``neuroig cohort generate`` piped into ``neuroig import -``; the templates stay the
worked examples they were taken from."""

from __future__ import annotations

import csv
import io
import json
import struct
from datetime import date
from pathlib import Path

import pytest
from tests.store.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.cli.app import app
from neuroig.cohort.generate import GROUPS, _template
from neuroig.report.cohort_chart import CHART_PX

runner = CliRunner()
ENV = {"NEUROIG_PASSWORD": "correct horse"}


def test_a_generated_cohort_imports_into_the_registry(db_url: str, tmp_path: Path) -> None:
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
    # --plot writes the chart and the CSV, and never overwrites them
    folder = tmp_path / "plots"
    code, _, err = run("cohort", "report", "--as", "ann", "--plot", str(folder))
    assert code == 0, err
    today = date.today().isoformat()
    png = folder / f"cohort-{today}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png.read_bytes()[16:24])
    assert (width, height) == CHART_PX
    table = list(csv.reader(io.StringIO((folder / f"cohort-{today}.csv").read_text("utf-8"))))
    assert table[0] == ["figure", "group", "class", "value"]
    assert ["patients", "", "", "12"] in table
    before = png.read_bytes()
    code, _, err = run("cohort", "report", "--as", "ann", "--plot", str(folder))
    assert code == 2
    assert "already holds cohort-" in err
    assert png.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [f"cohort-{today}.csv", png.name]


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
