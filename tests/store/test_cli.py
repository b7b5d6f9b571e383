"""The registry commands end to end (typer's CliRunner), reassess and CSV import."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine, update
from tests.store.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.case import load_case
from neuroig.case.load import case_to_data
from neuroig.cli.app import app
from neuroig.services import registry
from neuroig.store.models import StoredResult
from neuroig.store.permissions import Actor

runner = CliRunner()


def _run(db_url: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--db", db_url], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_the_registry_commands_end_to_end(db_url: str, tmp_path: Path) -> None:
    assert _run(db_url, "db", "upgrade")[0] == 0
    code, _, err = _run(
        db_url,
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
    code, out, err = _run(
        db_url, "import", str(EXAMPLES[0].parent), "--json", "--as", "ann", "--site", "north"
    )
    assert code == 0, err
    ids = json.loads(out)
    assert len(ids) == len(EXAMPLES)
    assert {r["status"] for r in ids} == {"new"}
    case_id = ids[0]["case_id"]
    code, out, _ = _run(db_url, "export", case_id, "--as", "ann")
    assert code == 0
    source = EXAMPLES[0].parent / Path(ids[0]["source"]).name
    expected = orjson.dumps(case_to_data(load_case(source)), option=orjson.OPT_SORT_KEYS)
    assert out.encode() == expected + b"\n"
    changed = json.loads(out)
    changed.setdefault("patient", {})["weight_kg"] = 77
    code, out, _ = _run(db_url, "import", "-", "--as", "ann", stdin=json.dumps(changed))
    assert code == 0
    assert f"{case_id} version 2 (version)" in out
    code, out, _ = _run(db_url, "history", case_id, "--as", "ann")
    assert code == 0
    assert "v2 (from v1) import by ann" in out
    assert "$.patient.weight_kg" in out
    code, out, _ = _run(db_url, "patients", "--as", "ann", "--search", case_id)
    assert code == 0
    assert out.splitlines()[-1] == "1 patient(s)"
    # categories in words, as the report prints them (no Python values)
    assert "EFNS/PNS 2010 multifocal motor neuropathy: " in out
    assert "{" not in out and "_fulfilled" not in out
    code, out, _ = _run(db_url, "audit", "verify", "--as", "ann")
    assert code == 0
    assert out.startswith("audit chain intact:")
    code, out, _ = _run(db_url, "audit", "list", "--as", "ann", "--limit", "2")
    assert code == 0
    assert len(out.splitlines()) == 2
    code, _, err = _run(db_url, "audit", "export", "--as", "ann")
    assert code == 2
    assert "may not audit.export" in err
    code, _, err = _run(db_url, "export", "no-such-case", "--as", "ann")
    assert (code, "Traceback" in err) == (2, False)
    assert "PATIENT" in err
    code, _, err = _run(db_url, "patients", "--as", "nobody")
    assert code == 2
    assert "not a user of this registry" in err
    backup_file = tmp_path / "r.backup"
    code, out, err = _run(db_url, "backup", str(backup_file), "--as", "ann")
    assert code == 0, err
    assert backup_file.exists()


def test_reassess_reports_changed_categories(engine: Engine, admin: Actor) -> None:
    for path in EXAMPLES[:3]:
        registry.save_case(engine, admin, json.loads(path.read_text("utf-8")), site="site-a")
    # pretend the stored results were made by older rules that called everything "definite"
    with engine.begin() as conn:
        conn.execute(
            update(StoredResult).values(
                rules_version="0.0.0+old",
                summary=orjson.dumps(
                    {
                        "categories": {"mmn_efns_pns_2010": "definite"},
                        "flags": [],
                        "lmn_ivig_trial": "not_met",
                    },
                    option=orjson.OPT_SORT_KEYS,
                ).decode(),
            )
        )
    seen: list[tuple[int, int]] = []
    report = registry.reassess(engine, admin, progress=lambda d, t: seen.append((d, t)))
    assert (report.evaluated, report.skipped) == (3, 0)
    assert seen[-1] == (3, 3)
    assert len(report.changed) == 3  # each differs at least by the added criteria sets
    assert all(any("$.categories" in w for w in c["why"]) for c in report.changed)
    again = registry.reassess(engine, admin)  # resumable: done patients are skipped
    assert (again.evaluated, again.skipped, again.changed) == (0, 3, [])


def test_reassess_in_parallel_matches_serial(engine: Engine, admin: Actor) -> None:
    for path in EXAMPLES[:4]:
        registry.save_case(engine, admin, json.loads(path.read_text("utf-8")), site="site-a")
    report = registry.reassess(engine, admin, workers=2)
    assert (report.evaluated, report.changed) == (4, [])


def test_csv_import_of_ncs_values(engine: Engine, admin: Actor, tmp_path: Path) -> None:
    sheet = tmp_path / "ncs.csv"
    sheet.write_text(
        "case_id,nerve,side,site,amplitude_mv,latency_ms,distance_mm,study_date\n"
        "csv-1,median,left,wrist,6.5,3.6,,2026-03-01\n"
        "csv-1,median,left,elbow,6.1,7.8,230,2026-03-01\n"
        "csv-1,ulnar,left,wrist,8.0,2.9,,2026-03-01\n",
        encoding="utf-8",
    )
    docs = registry.csv_documents(sheet, lambda cid: registry.current_document(engine, cid))
    results = list(registry.import_documents(engine, admin, docs, site="site-a", reason="csv"))
    assert [type(r).__name__ for _, r in results] == ["SaveResult"]
    doc = orjson.loads(registry.export_case(engine, admin, "csv-1"))
    median = doc["ncs"]["motor"][0]
    assert (median["nerve"], median["side"], len(median["sites"])) == ("median", "left", 2)
    assert median["sites"][1] == {
        "site": "elbow",
        "amplitude_mv": 6.1,
        "latency_ms": 7.8,
        "distance_mm": 230,
    }
    assert doc["ncs"]["date"] == "2026-03-01"


def test_csv_with_a_bad_number_is_a_clear_error(
    engine: Engine, admin: Actor, tmp_path: Path
) -> None:
    sheet = tmp_path / "ncs.csv"
    sheet.write_text(
        "case_id,nerve,side,site,amplitude_mv\ncsv-2,median,left,wrist,six\n", encoding="utf-8"
    )
    with pytest.raises(registry.InputError, match="amplitude_mv"):
        list(registry.csv_documents(sheet, lambda _cid: None))
