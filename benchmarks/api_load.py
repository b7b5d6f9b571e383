"""Load benchmark of the REST API (prints figures; not a test).

Starts ``neuroig serve`` on 127.0.0.1 (a free port) against a scratch registry — SQLite,
and PostgreSQL when ``NEUROIG_TEST_POSTGRES_URL`` names a server (an admin URL; a scratch
database is created and dropped) — and sends requests at a fixed rate for a fixed time,
then stops by itself. Two scenarios: ``POST /api/v1/evaluate`` of an example case, and
``GET /api/v1/patients/{id}`` of a stored patient. It prints, per scenario: requests sent,
throughput achieved, p50/p95/p99 latency and the number of errors (goal: 0).

Only 127.0.0.1 is ever contacted. Usage:
``.venv/bin/python benchmarks/api_load.py [--rate 100] [--seconds 60] [--workers 1]``
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from neuroig.services import registry
from neuroig.store.migrate import upgrade

ROOT = Path(__file__).parents[1]
NEUROIG = str(Path(sys.executable).parent / "neuroig")
PASSWORD = "benchmark password"
CASE = (ROOT / "examples" / "mmn-definite.json").read_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _databases() -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        yield "SQLite", f"sqlite:///{Path(folder) / 'registry.db'}"
    admin_url = os.environ.get("NEUROIG_TEST_POSTGRES_URL")
    if not admin_url:
        print("PostgreSQL: skipped (set NEUROIG_TEST_POSTGRES_URL to an admin URL)")
        return
    name = f"neuroig_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield "PostgreSQL", make_url(admin_url).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _run(
    base: str,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
    rate: float,
    seconds: float,
) -> None:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    client = httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_connections=64))

    def one() -> None:
        nonlocal errors
        t0 = time.perf_counter()
        try:
            r = client.request(method, path, headers=headers, content=body)
            ok = r.status_code < 400
        except httpx.HTTPError:
            ok = False
        with lock:
            latencies.append(time.perf_counter() - t0)
            if not ok:
                errors += 1

    threads: list[threading.Thread] = []
    start = time.perf_counter()
    n = 0
    while (now := time.perf_counter() - start) < seconds:
        due = n / rate
        if now < due:
            time.sleep(due - now)
        t = threading.Thread(target=one)
        t.start()
        threads.append(t)
        n += 1
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    client.close()
    ms = [v * 1000 for v in latencies]
    print(
        f"  {method} {path.split('?', maxsplit=1)[0]:<36} sent {n:>6}  {n / elapsed:7.1f} req/s  "
        f"p50 {_percentile(ms, 0.50):7.1f} ms  p95 {_percentile(ms, 0.95):7.1f} ms  "
        f"p99 {_percentile(ms, 0.99):7.1f} ms  errors {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    print(
        f"target {args.rate:g} req/s for {args.seconds:g} s per scenario, "
        f"{args.workers} server worker(s); load {os.getloadavg()}"
    )
    for label, url in _databases():
        upgrade(url)
        engine = registry.open_registry(url)
        registry.add_user(engine, None, "bench", "admin", ["site-a"], PASSWORD)
        engine.dispose()
        port = _free_port()
        server = subprocess.Popen(
            [NEUROIG, "serve", "--port", str(port), "--db", url, "--workers", str(args.workers)],
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}/api/v1"
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            token = httpx.post(
                f"{base}/auth/token", data={"username": "bench", "password": PASSWORD}
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            json_h = {"Content-Type": "application/json"}
            httpx.post(f"{base}/patients?site=site-a", content=CASE, headers={**auth, **json_h})
            print(f"{label}:")
            _run(base, "POST", "/evaluate", json_h, CASE, args.rate, args.seconds)
            _run(base, "GET", "/patients/example-mmn-definite", auth, None, args.rate, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
