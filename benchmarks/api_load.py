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
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from registry import each_database  # benchmarks are scripts, not a package

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


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def send_at_rate(
    base: str,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | None,
    rate: float,
    seconds: float,
) -> list[float]:
    """Send requests at ``rate`` for ``seconds``; print and return the latencies (ms)."""
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
    return ms


@contextmanager
def serving(url: str, workers: int) -> Iterator[tuple[str, dict[str, str]]]:
    """``neuroig serve`` on a free port of 127.0.0.1 against ``url`` (a user ``bench``
    is added when missing): the API's base URL and a bearer header; stopped on exit."""
    upgrade(url)
    engine = registry.open_registry(url)
    if registry.resolve_actor_or_none(engine, "bench") is None:
        registry.add_user(engine, None, "bench", "admin", ["site-a"], PASSWORD)
    engine.dispose()
    port = _free_port()
    server = subprocess.Popen(
        [NEUROIG, "serve", "--port", str(port), "--db", url, "--workers", str(workers)],
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
        yield base, {"Authorization": f"Bearer {token}"}
    finally:
        server.terminate()
        server.wait(timeout=30)


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

    def scenarios(label: str, url: str) -> None:
        with serving(url, args.workers) as (base, auth):
            json_h = {"Content-Type": "application/json"}
            httpx.post(f"{base}/patients?site=site-a", content=CASE, headers={**auth, **json_h})
            print(f"{label}:")
            send_at_rate(base, "POST", "/evaluate", json_h, CASE, args.rate, args.seconds)
            read = "/patients/example-mmn-definite"
            send_at_rate(base, "GET", read, auth, None, args.rate, args.seconds)

    each_database(scenarios)


if __name__ == "__main__":
    main()
