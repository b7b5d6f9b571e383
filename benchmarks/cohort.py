"""Benchmark of a synthetic cohort in the registry (prints figures; not a test).

For SQLite and, when ``NEUROIG_TEST_POSTGRES_URL`` names a PostgreSQL server (an admin
URL; a scratch database is created and dropped), PostgreSQL, with N generated patients
(``neuroig cohort generate``):

1. generation time; import time (``registry.import_documents`` with W worker processes
   evaluating ahead of the saves), patients and infusions per second; database size;
2. each dashboard query alone (``services.cohort.QUERIES``) and the whole report: median
   and worst of 5 runs;
3. API p99 of a patient read (``GET /api/v1/patients/{case_id}``, 20 per second for 20 s,
   ``neuroig serve --workers 2``) alone, then while a client asks for the dashboard
   (``GET /api/v1/cohort``) over and over;
4. ``reassess`` throughput (one worker per core); with ``--reassess-parts P`` only part
   1 of P (``reassess --part 1/P``), which times it on a large registry in a P-th of
   the time.

Usage: ``.venv/bin/python benchmarks/cohort.py [--workers W] [--skip-api]
[--reassess-parts P] [--databases PostgreSQL,SQLite] [N ...]``
(default 1,000 patients, W = 2; issue 17 asks for 10,000 and 100,000).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from api_load import send_at_rate, serving  # benchmarks are scripts, not a package
from registry import _size_bytes, each_database

from neuroig.cohort.generate import CohortSpec, generate
from neuroig.services import registry
from neuroig.services.cohort import QUERIES, cohort_report, run_query
from neuroig.store.migrate import upgrade

TODAY = date(2026, 12, 1)


def _timed(call: Callable[[], Any], runs: int = 5) -> tuple[float, float]:
    """Median and worst of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), max(times)


def _api(url: str, case_id: str) -> None:
    with serving(url, 2) as (base, auth):
        print("  API, patient read alone:")
        send_at_rate(base, "GET", f"/patients/{case_id}", auth, None, 20, 20)
        stop = threading.Event()
        reports = 0

        def dashboard() -> None:
            nonlocal reports
            with httpx.Client(base_url=base, headers=auth, timeout=120) as client:
                while not stop.is_set():
                    client.get("/cohort").raise_for_status()
                    reports += 1

        worker = threading.Thread(target=dashboard)
        worker.start()
        try:
            print("  API, patient read while the dashboard is asked for without pause:")
            send_at_rate(base, "GET", f"/patients/{case_id}", auth, None, 20, 20)
        finally:
            stop.set()
            worker.join()
        print(f"    ({reports} dashboard reports served meanwhile)")


def run(label: str, url: str, *, n: int, workers: int, api: bool, parts: int) -> None:
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "bench", "admin", ["site-a"], "benchmark password")
    actor = registry.resolve_actor(engine, "bench")
    print(f"{label}, {n:,} patients:")
    t0 = time.perf_counter()
    infusions = sum(len(d.get("infusions") or ()) for d in generate(CohortSpec(patients=n)))
    print(f"  generate {time.perf_counter() - t0:.1f} s ({infusions:,} infusions)")
    t0 = time.perf_counter()
    items = ((d["case_id"], d) for d in generate(CohortSpec(patients=n)))
    failed = sum(
        isinstance(outcome, Exception)
        for _, outcome in registry.import_documents(
            engine, actor, items, site="site-a", reason="benchmark", workers=workers
        )
    )
    t_import = time.perf_counter() - t0
    print(
        f"  import {t_import:.1f} s with {workers} worker(s): {n / t_import:.1f} patients/s, "
        f"{infusions / t_import:.0f} infusions/s, {failed} refused; "
        f"database {_size_bytes(url) / 1e6:.1f} MB"
    )
    for name in QUERIES:
        median, worst = _timed(partial(run_query, engine, actor, name, today=TODAY))
        print(f"  query {name:<18} median {median:8.1f} ms  worst {worst:8.1f} ms")
    median, worst = _timed(lambda: cohort_report(engine, actor, today=TODAY))
    print(f"  whole report             median {median:8.1f} ms  worst {worst:8.1f} ms")
    if api:
        _api(url, "synthetic-1-000001")
    with engine.begin() as conn:
        conn.execute(text("UPDATE stored_results SET rules_version = 'old'"))
        conn.execute(text("DELETE FROM reassess_progress"))
    t0 = time.perf_counter()
    report = registry.reassess(
        engine, actor, workers=os.cpu_count() or 1, part=(1, parts) if parts > 1 else None
    )
    t_reassess = time.perf_counter() - t0
    engine.dispose()
    share = f", part 1/{parts}" if parts > 1 else ""
    print(
        f"  reassess {report.evaluated / t_reassess:.1f} patients/s "
        f"({report.evaluated:,} patients{share}, {t_reassess:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000])
    parser.add_argument("--workers", type=int, default=2, help="import worker processes")
    parser.add_argument("--skip-api", action="store_true", help="no API measurement")
    parser.add_argument(
        "--reassess-parts",
        type=int,
        default=1,
        help="reassess only part 1 of N (reassess --part 1/N) to time it on a large registry",
    )
    parser.add_argument(
        "--databases",
        default="SQLite,PostgreSQL",
        help="which databases, in this order (default: SQLite,PostgreSQL)",
    )
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}; {os.cpu_count()} cores")
    for n in args.sizes:
        each_database(
            partial(
                run,
                n=n,
                workers=args.workers,
                api=not args.skip_api,
                parts=args.reassess_parts,
            ),
            tuple(args.databases.split(",")),
        )


if __name__ == "__main__":
    main()
