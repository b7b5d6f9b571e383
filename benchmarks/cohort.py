"""Benchmark of a synthetic cohort in the registry (prints figures; not a test).

For SQLite and, when ``NEUROIG_TEST_POSTGRES_URL`` names a PostgreSQL server (an admin
URL; a scratch database is created and dropped), PostgreSQL, with N generated patients
(``neuroig cohort generate``):

1. generation time and import time (``registry.import_documents``), patients and
   infusions per second, database size;
2. the cohort report (``services.cohort.cohort_report``): median and worst of 5 runs;
3. ``reassess`` throughput (one worker per core).

Usage: ``.venv/bin/python benchmarks/cohort.py [N ...]`` (default 1,000; issue 17 asks
for 10,000 and 100,000).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registry import _size_bytes, each_database  # benchmarks are scripts, not a package

from neuroig.cohort.generate import CohortSpec, generate
from neuroig.services import registry
from neuroig.services.cohort import cohort_report
from neuroig.store.migrate import upgrade


def run(label: str, url: str, n: int) -> None:
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "bench", "admin", ["bench"], "bench-password")
    actor = registry.resolve_actor(engine, "bench")
    t0 = time.perf_counter()
    documents = list(generate(CohortSpec(patients=n, seed=1)))
    t_generate = time.perf_counter() - t0
    infusions = sum(len(d.get("infusions") or ()) for d in documents)
    t0 = time.perf_counter()
    items = ((d["case_id"], d) for d in documents)
    failed = sum(
        isinstance(outcome, Exception)
        for _, outcome in registry.import_documents(
            engine, actor, items, site="bench", reason="benchmark"
        )
    )
    t_import = time.perf_counter() - t0
    size = _size_bytes(url)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        cohort_report(engine, actor, today=date(2026, 12, 1))
        runs.append(time.perf_counter() - t0)
    with engine.begin() as conn:
        conn.execute(text("UPDATE stored_results SET rules_version = 'old'"))
        conn.execute(text("DELETE FROM reassess_progress"))
    t0 = time.perf_counter()
    report = registry.reassess(engine, actor, workers=os.cpu_count() or 1)
    t_reassess = time.perf_counter() - t0
    engine.dispose()
    rate = report.evaluated / t_reassess
    print(
        f"{label:<10} {n:>7,} patients ({infusions:,} infusions, {failed} refused): "
        f"generate {t_generate:6.1f} s, import {t_import:7.1f} s "
        f"({n / t_import:6.1f} patients/s, {infusions / t_import:7.0f} infusions/s), "
        f"size {size / 1e6:7.1f} MB; cohort report median {statistics.median(runs) * 1e3:6.0f} ms "
        f"(worst {max(runs) * 1e3:.0f} ms); reassess {rate:6.1f} patients/s"
    )


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1000]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for n in sizes:
        each_database(lambda label, url, n=n: run(label, url, n))


if __name__ == "__main__":
    main()
