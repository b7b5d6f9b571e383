"""The registry commands end to end (typer's CliRunner), reassess and CSV import."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, select, update
from tests.store.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig.case import load_case
from neuroig.case.load import case_to_data
from neuroig.cli.app import app
from neuroig.services import registry
from neuroig.store.migrate import upgrade
from neuroig.store.models import CohortFact, ReassessProgress, StoredResult
from neuroig.store.permissions import Actor

runner = CliRunner()


def _run(
    db_url: str, *args: str, stdin: str | None = None, password: str | None = "correct horse"
) -> tuple[int, str, str]:
    env = {"NEUROIG_PASSWORD": password}
    result = runner.invoke(app, [*args, "--db", db_url], input=stdin, env=env)
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
    assert "wrong user name or password" in err
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


def test_reassess_parts_split_the_registry_between_machines(
    engine: Engine, admin: Actor, db_url: str
) -> None:
    """Three parts run at once (as three machines would) evaluate every patient exactly
    once; a whole run afterwards has nothing left to do (docs/cohort.md, scale)."""
    for path in EXAMPLES[:7]:
        registry.save_case(engine, admin, json.loads(path.read_text("utf-8")), site="site-a")
    with engine.begin() as conn:
        conn.execute(update(StoredResult).values(rules_version="0.0.0+old"))
        ids = sorted(conn.execute(select(StoredResult.patient_id)).scalars())
    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = list(pool.map(lambda k: registry.reassess(engine, admin, part=(k, 3)), (1, 2, 3)))
    assert [r.evaluated for r in reports] == [
        sum(1 for i in ids if i % 3 == k - 1) for k in (1, 2, 3)
    ]
    with engine.connect() as conn:
        done = conn.execute(select(ReassessProgress.patient_id)).scalars().all()
    assert sorted(done) == ids  # each patient once
    assert registry.reassess(engine, admin).evaluated == 0
    code, _, err = _run(db_url, "reassess", "--part", "4/3", "--as", "root-admin")
    assert code == 2
    assert "--part" in err and "K/N" in err


def test_an_import_with_workers_stores_what_a_serial_import_stores(
    engine: Engine, admin: Actor, tmp_path: Path
) -> None:
    """Evaluating ahead in worker processes changes nothing stored: the same results and
    cohort facts as saving one by one, in order, with an invalid case refused the same."""
    documents = [json.loads(p.read_text("utf-8")) for p in EXAMPLES[:5]]
    broken = dict(documents[0], case_id="broken", patient={"sex": "x"})
    items = [(d["case_id"], d) for d in documents[:3]] + [("broken", broken)]
    items += [(d["case_id"], d) for d in documents[3:]]
    parallel = list(
        registry.import_documents(engine, admin, items, site="site-a", reason="t", workers=2)
    )
    assert [label for label, _ in parallel] == [label for label, _ in items]
    assert [isinstance(o, Exception) for _, o in parallel] == [False] * 3 + [True] + [False] * 2
    url = f"sqlite:///{tmp_path / 'serial.db'}"
    upgrade(url)
    serial = registry.open_registry(url)
    registry.add_user(serial, None, "root-admin", "admin", ["site-a"], "pw-admin-1")
    root = registry.resolve_actor(serial, "root-admin")
    list(registry.import_documents(serial, root, items, site="site-a", reason="t"))

    def stored(e: Engine) -> list[tuple[Any, ...]]:
        with e.connect() as c:
            results = c.execute(
                select(StoredResult.input_sha256, StoredResult.summary).order_by(
                    StoredResult.input_sha256
                )
            ).all()
            facts = c.execute(select(CohortFact.__table__).order_by(CohortFact.patient_id)).all()
        drop = {"patient_id", "site_id"}
        return [tuple(r) for r in results] + [
            tuple(v for k, v in f._mapping.items() if k not in drop) for f in facts
        ]

    assert stored(engine) == stored(serial)
    serial.dispose()


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


def _setup_registry(db_url: str) -> str:
    assert _run(db_url, "db", "upgrade")[0] == 0
    for name, role, site in (("ann", "admin", "north"), ("tom", "technician", "north")):
        code, _, err = _run(
            db_url,
            "user",
            "add",
            name,
            "--role",
            role,
            "--site",
            site,
            "--password-stdin",
            "--as",
            "ann",
            stdin=("correct horse" if name == "ann" else "tom's password") + "\n",
        )
        assert code == 0, err
    wear_off = next(p for p in EXAMPLES if p.stem == "cidp-wear-off")
    code, out, err = _run(
        db_url, "import", str(wear_off), "--json", "--as", "ann", "--site", "north"
    )
    assert code == 0, err
    case_id: str = json.loads(out)[0]["case_id"]
    return case_id


def test_records_are_appended_and_deleted_from_the_command_line(
    db_url: str, tmp_path: Path
) -> None:
    case_id = _setup_registry(db_url)
    infusion = {"date": "2026-06-25", "route": "iv", "product": "kiovig", "dose_g": 60}
    code, out, err = _run(
        db_url,
        "infusion",
        case_id,
        "-",
        "--based-on",
        "1",
        "--json",
        "--as",
        "ann",
        stdin=json.dumps(infusion),
    )
    assert code == 0, err
    assert json.loads(out) == {
        "case_id": case_id,
        "patient_id": 1,
        "version": 2,
        "status": "version",
    }
    # a change based on version 1 after version 2 was saved: a conflict, nothing saved
    code, _, err = _run(
        db_url,
        "assessment",
        case_id,
        "-",
        "--based-on",
        "1",
        "--as",
        "ann",
        stdin='{"date": "2026-07-09", "rankin": 2}',
    )
    assert code == 2
    assert "based on version 1 but the latest is 2; nothing was saved" in err
    # a YAML file, based on the latest version by default
    visit = tmp_path / "visit.yaml"
    visit.write_text("date: 2026-07-09\nincat: {arm: 1, leg: 1}\n", encoding="utf-8")
    code, out, err = _run(db_url, "assessment", case_id, str(visit), "--as", "ann")
    assert code == 0, err
    assert out.strip() == f"{case_id}: version 3 saved"
    # a bad record names its field; nothing is saved
    code, out, err = _run(
        db_url, "assessment", case_id, "-", "--as", "ann", stdin='{"date": "2026-07-10", "inc": 1}'
    )
    assert code == 2
    assert "assessments[14].inc" in out + err
    # the technician may record a nerve study but not an assessment (refused and audited)
    code, _, err = _run(
        db_url, "assessment", case_id, str(visit), "--as", "tom", password="tom's password"
    )
    assert code == 2
    assert "may not case.assessment" in err
    code, out, _ = _run(db_url, "patients", "--as", "ann", "--today", "2026-12-02")
    assert "review: next 2027-07-09" in out
    code, out, _ = _run(db_url, "history", case_id, "--as", "ann")
    assert "v2 (from v1) infusion by ann" in out
    assert "v3 (from v2) assessment by ann" in out
    # a treatment course needs case.save: the technician is refused, the clinician not
    course = '{"therapy": "prednisone", "start": "2026-07-10", "regimen": {"mg_per_day": 60}}'
    code, _, err = _run(
        db_url, "treatment", case_id, "-", "--as", "tom", password="tom's password", stdin=course
    )
    assert code == 2 and "may not case.save" in err
    code, out, err = _run(db_url, "treatment", case_id, "-", "--as", "ann", stdin=course)
    assert (code, out.strip()) == (0, f"{case_id}: version 4 saved"), err
    code, out, _ = _run(db_url, "export", case_id, "--as", "ann")
    assert json.loads(out)["treatments"][-1] == json.loads(course)
    code, _, err = _run(db_url, "delete", case_id, "--as", "ann")
    assert code == 2  # --reason is required
    code, out, err = _run(db_url, "delete", case_id, "--reason", "duplicate", "--as", "ann")
    assert (code, out.strip()) == (0, f"{case_id}: version 5 saved"), err
    code, out, _ = _run(db_url, "patients", "--as", "ann")
    assert out.splitlines()[-1] == "0 patient(s)"
    code, out, _ = _run(db_url, "export", case_id, "--version", "3", "--as", "ann")
    assert code == 0
    assert json.loads(out)["assessments"][-1]["date"] == "2026-07-09"
    code, out, _ = _run(db_url, "audit", "list", "--as", "ann", "--limit", "50")
    assert f"tom case.assessment case_id:{case_id} REFUSED" in out


def test_acting_as_a_user_needs_the_password(db_url: str) -> None:
    case_id = _setup_registry(db_url)
    code, _, err = _run(db_url, "export", case_id, "--as", "ann", password="wrong password")
    assert code == 2
    assert "wrong user name or password" in err
    code, _, err = _run(db_url, "export", case_id, "--as", "ann", password=None)
    assert code == 2
    assert "NEUROIG_PASSWORD" in err
    code, out, _ = _run(db_url, "audit", "list", "--as", "ann", "--limit", "100")
    assert code == 0
    assert out.count("auth.refused") == 1
