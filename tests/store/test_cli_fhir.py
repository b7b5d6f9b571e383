"""``neuroig fhir export`` / ``import`` end to end: a file, a registry patient (audited),
and back into the registry through ``neuroig import -``."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from tests.store.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.case import load_case
from neuroig.case.load import case_to_data
from neuroig.cli.app import app
from neuroig.services import registry
from neuroig.store.models import AuditEntry

runner = CliRunner()
ENV = {"NEUROIG_PASSWORD": "correct horse"}


def test_a_case_file_goes_to_fhir_and_back(tmp_path: Path) -> None:
    case = EXAMPLES[0].parent / "cidp-wear-off.json"
    result = runner.invoke(app, ["fhir", "export", str(case)])
    assert result.exit_code == 0, result.stderr
    bundle = json.loads(result.stdout)
    assert bundle["resourceType"] == "Bundle"
    path = tmp_path / "bundle.json"
    path.write_text(result.stdout, encoding="utf-8")
    back = runner.invoke(app, ["fhir", "import", str(path)])
    assert back.exit_code == 0, back.stderr
    assert json.loads(back.stdout) == case_to_data(load_case(case))
    piped = runner.invoke(app, ["fhir", "import", "-"], input=result.stdout)
    assert json.loads(piped.stdout) == json.loads(back.stdout)


def test_bad_input_is_one_clear_line_and_exit_2(tmp_path: Path) -> None:
    both = runner.invoke(app, ["fhir", "export", str(EXAMPLES[0]), "--patient", "x"])
    assert both.exit_code == 2
    assert "a case file or --patient ID" in both.stderr
    path = tmp_path / "not-a-bundle.json"
    path.write_text('{"resourceType": "Patient"}', encoding="utf-8")
    bad = runner.invoke(app, ["fhir", "import", str(path)])
    assert bad.exit_code == 2
    assert "a FHIR Bundle" in bad.stderr


def test_a_registry_patient_is_exported_audited_and_imported_back(db_url: str) -> None:
    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        result = runner.invoke(app, [*args, "--db", db_url], input=stdin, env=ENV)
        return result.exit_code, result.stdout, result.stderr

    assert run("db", "upgrade")[0] == 0
    code, _, err = run(
        "user",
        "add",
        "ann",
        "--role",
        "admin",
        "--site",
        "north",
        "--password-stdin",
        stdin="correct horse\n",
    )
    assert code == 0, err
    case = EXAMPLES[0].parent / "mmn-definite.json"
    assert run("import", str(case), "--as", "ann", "--site", "north")[0] == 0
    code, out, err = run("fhir", "export", "--patient", "example-mmn-definite", "--as", "ann")
    assert code == 0, err
    engine = registry.open_registry(db_url)
    with engine.connect() as c:
        actions = c.execute(select(AuditEntry.action, AuditEntry.actor)).all()
    engine.dispose()
    assert ("case.export", "ann") in actions
    back = runner.invoke(app, ["fhir", "import", "-"], input=out)
    document = json.loads(back.stdout)
    document["patient"]["weight_kg"] = 77.0
    code, _, err = run(
        "import", "-", "--as", "ann", "--reason", "weight from the EHR", stdin=json.dumps(document)
    )
    assert code == 0, err
    code, out, _ = run("export", "example-mmn-definite", "--as", "ann")
    assert json.loads(out)["patient"]["weight_kg"] == 77.0
