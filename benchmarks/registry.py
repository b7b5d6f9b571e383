"""Benchmark of the registry (prints figures; not a test).

For SQLite and, when ``NEUROIG_TEST_POSTGRES_URL`` names a PostgreSQL server (an admin
URL; a scratch database is created and dropped), PostgreSQL:

1. import rate (cases/s) of N generated cases, each in its own transaction with its
   stored summary and audit entry (``registry.save_case``);
2. ``reassess`` rate (cases/s) over the same cases (one worker per core);
3. database size per 1,000 patients (MB).

Usage: ``.venv/bin/python benchmarks/registry.py [N]`` (default N = 1,000; the issue's
fault scenario uses 10,000).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parents[1]))

from tests.store.helpers import generated_case

from neuroig.services import registry
from neuroig.store.engine import is_sqlite
from neuroig.store.migrate import upgrade


def _size_bytes(url: str) -> int:
    if is_sqlite(url):
        db = Path(str(make_url(url).database))
        return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    engine = create_engine(url)
    with engine.connect() as conn:
        size = int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    engine.dispose()
    return size


def run(label: str, url: str, n: int) -> None:
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "bench", "admin", ["bench"], "bench-password")
    actor = registry.resolve_actor(engine, "bench")
    t0 = time.perf_counter()
    for i in range(n):
        registry.save_case(engine, actor, generated_case(i), site="bench")
    t_import = time.perf_counter() - t0
    size = _size_bytes(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE stored_results SET rules_version = 'old'"))
    t0 = time.perf_counter()
    report = registry.reassess(engine, actor, workers=os.cpu_count() or 1)
    t_reassess = time.perf_counter() - t0
    engine.dispose()
    print(
        f"{label:<11} import {n / t_import:7.1f} cases/s   reassess "
        f"{report.evaluated / t_reassess:7.1f} cases/s   size "
        f"{size / n * 1000 / 1e6:6.2f} MB per 1,000 patients"
    )


def each_database(
    run_one: Callable[[str, str], None], order: tuple[str, ...] = ("SQLite", "PostgreSQL")
) -> None:
    """``run_one(label, url)`` on a scratch SQLite file and, when
    ``NEUROIG_TEST_POSTGRES_URL`` names an admin URL, on a scratch PostgreSQL database
    (created and dropped here), in ``order`` (either may be left out)."""
    for label in order:
        if label == "SQLite":
            with tempfile.TemporaryDirectory() as tmp:
                run_one("SQLite", f"sqlite:///{tmp}/bench.db")
            continue
        admin_url = os.environ.get("NEUROIG_TEST_POSTGRES_URL")
        if not admin_url:
            print("PostgreSQL  skipped: set NEUROIG_TEST_POSTGRES_URL to an admin URL")
            continue
        name = f"neuroig_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(admin_url).set(database=name).render_as_string(False)
            run_one("PostgreSQL", url)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    each_database(lambda label, url: run(label, url, n))


if __name__ == "__main__":
    main()
