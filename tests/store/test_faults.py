"""Faults: kill -9 during an import, two concurrent writers, a locked or full database."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from tests.store.helpers import generated_case, write_jsonl

from neuroig.errors import RegistryError
from neuroig.services import registry
from neuroig.store.migrate import upgrade
from neuroig.store.models import CaseVersion, Patient, PatientIdentifier, StoredResult
from neuroig.store.permissions import Actor
from neuroig.store.repository import canonical, query_session, write_session

ROOT = Path(__file__).parents[2]
NEUROIG = [str(Path(sys.executable).parent / "neuroig")]
#: the issue's scale: a 10,000-case import killed mid-way; two writers of 500 saves each
CASES = 10_000
SAVES = 500


def _counts(engine: Engine) -> tuple[int, int, int, int]:
    with engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(Patient)) or 0,
            conn.scalar(select(func.count()).select_from(PatientIdentifier)) or 0,
            conn.scalar(select(func.count()).select_from(CaseVersion)) or 0,
            conn.scalar(select(func.count()).select_from(StoredResult)) or 0,
        )


def test_kill_9_during_an_import_leaves_whole_cases_and_resumes(
    db_url: str, engine: Engine, admin: Actor, tmp_path: Path
) -> None:
    source = tmp_path / "cases.jsonl"
    write_jsonl(source, CASES)
    env = {**os.environ, "NEUROIG_DATABASE_URL": db_url, "NEUROIG_PASSWORD": "pw-admin-1"}
    cmd = [*NEUROIG, "import", str(source), "--as", "root-admin", "--site", "site-a"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _counts(engine)[0] < 40 and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    patients, idents, versions, results = _counts(engine)
    assert 40 <= patients < CASES, "killed mid-way"
    # whole cases only: each patient has its identifiers, one version and one result
    assert patients == idents == versions == results
    with engine.connect() as conn:
        orphans = conn.scalar(
            text(
                "SELECT count(*) FROM patients p WHERE NOT EXISTS "
                "(SELECT 1 FROM case_versions v WHERE v.patient_id = p.id)"
            )
        )
    assert orphans == 0
    assert registry.audit_verify(engine, admin).ok
    done = subprocess.run([*cmd, "--json"], env=env, cwd=ROOT, capture_output=True, check=True)
    assert done.returncode == 0
    assert _counts(engine) == (CASES, CASES, CASES, CASES)  # resumed: no duplicates
    statuses = registry_json_statuses(done.stdout)
    assert statuses["unchanged"] == patients
    assert statuses["new"] == CASES - patients


def registry_json_statuses(stdout: bytes) -> dict[str, int]:
    out = {"new": 0, "version": 0, "unchanged": 0}
    for row in json.loads(stdout):
        out[row["status"]] += 1
    return out


def test_two_processes_saving_lose_nothing(
    db_url: str, engine: Engine, admin: Actor, tmp_path: Path
) -> None:
    patients = 5
    for n in range(patients):
        registry.save_case(engine, admin, generated_case(n), site="site-a")
    helper = ROOT / "tests" / "store" / "helpers.py"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(helper),
                db_url,
                name,
                str(SAVES),
                str(patients),
                str(tmp_path / name),
            ],
            env=env,
            cwd=ROOT,
        )
        for name in ("a", "b")
    ]
    for p in procs:
        assert p.wait(timeout=600) == 0
    lines = (tmp_path / "a").read_text().splitlines() + (tmp_path / "b").read_text().splitlines()
    assert len(lines) == 2 * SAVES
    saved = [ln.split() for ln in lines if ln.startswith("saved") and " version " in ln]
    conflicts = [ln for ln in lines if ln.startswith("conflict")]
    unchanged = [ln for ln in lines if ln.startswith("saved") and " unchanged " in ln]
    assert len(saved) + len(conflicts) + len(unchanged) == 2 * SAVES
    with engine.connect() as conn:
        rows = conn.execute(
            select(PatientIdentifier.case_id, CaseVersion.version, CaseVersion.reason).join(
                CaseVersion, CaseVersion.patient_id == PatientIdentifier.patient_id
            )
        ).all()
    stored = {(c, v): r for c, v, r in rows if v > 1}
    # every saved version is present with the reason its writer gave; nothing else is
    assert {(s[1], int(s[2])): s[4] for s in saved} == stored
    assert registry.audit_verify(engine, admin).ok


def test_a_locked_sqlite_database_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    engine = registry.make_engine(url, busy_timeout_ms=200)
    registry.add_user(engine, None, "root-admin", "admin", ["site-a"], "pw-admin-1")
    actor = registry.resolve_actor(engine, "root-admin")
    holder = sqlite3.connect(tmp_path / "r.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(RegistryError, match="locked by another process"):
            registry.save_case(engine, actor, generated_case(1), site="site-a")
        env = {**os.environ, "NEUROIG_DATABASE_URL": url, "NEUROIG_PASSWORD": "pw-admin-1"}
        path = tmp_path / "c.json"
        path.write_text(canonical(generated_case(2)).decode(), encoding="utf-8")
        done = subprocess.run(
            [*NEUROIG, "import", str(path), "--as", "root-admin"],
            check=False,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2
        assert "locked" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _counts(engine) == (0, 0, 0, 0)
    assert registry.audit_verify(engine, actor).ok
    engine.dispose()


def test_a_query_session_on_sqlite_never_makes_a_writer_wait(tmp_path: Path) -> None:
    """A cohort report's queries (and a token check) hold no write lock: a save finishes
    while they read, well inside a busy timeout of 200 ms, and they keep their snapshot."""
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    engine = registry.make_engine(url, busy_timeout_ms=200)
    registry.add_user(engine, None, "root-admin", "admin", ["site-a"], "pw-admin-1")
    actor = registry.resolve_actor(engine, "root-admin")
    registry.save_case(engine, actor, generated_case(1), site="site-a")
    with query_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == 1
        registry.save_case(engine, actor, generated_case(2), site="site-a")
        # the snapshot taken by the first read does not change under the reader
        assert s.scalar(select(func.count()).select_from(Patient)) == 1
    assert _counts(engine)[0] == 2
    # a write session still takes the lock at once: a second writer waits, then fails
    with write_session(engine) as w:
        w.execute(text("SELECT 1"))
        with pytest.raises(RegistryError, match="locked by another process"):
            registry.save_case(engine, actor, generated_case(3), site="site-a")
    assert _counts(engine)[0] == 2
    engine.dispose()


def test_a_full_sqlite_database_is_a_clear_error_and_no_damage(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    upgrade(url)
    engine = registry.make_engine(url)
    registry.add_user(engine, None, "root-admin", "admin", ["site-a"], "pw-admin-1")
    actor = registry.resolve_actor(engine, "root-admin")
    registry.save_case(engine, actor, generated_case(0), site="site-a")
    before = _counts(engine)
    with engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    engine.dispose()  # new connections get the cap: the file cannot grow
    message = ""
    for n in range(1, 400):
        try:
            registry.save_case(engine, actor, generated_case(n), site="site-a")
        except RegistryError as exc:
            message = str(exc)
            break
    assert "full" in message
    assert "Traceback" not in message
    patients, idents, versions, results = _counts(engine)
    assert patients > before[0] - 1
    assert patients == idents == versions == results  # whole cases only
    event.remove(engine, "connect", _cap)
    engine.dispose()
    assert registry.audit_verify(engine, actor).ok
    engine.dispose()
