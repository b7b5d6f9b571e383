"""``neuroig serve`` is a real HTTP server on 127.0.0.1: log in, evaluate, read a patient."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from neuroig.services import registry
from neuroig.store.migrate import upgrade

ROOT = Path(__file__).parents[2]
NEUROIG = str(Path(sys.executable).parent / "neuroig")
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(params=[1, 2], ids=["1-worker", "2-workers"])
def server(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    upgrade(db_url)
    engine = registry.open_registry(db_url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    engine.dispose()
    port = _free_port()
    proc = subprocess.Popen(
        [NEUROIG, "serve", "--port", str(port), "--db", db_url, "--workers", str(request.param)],
        cwd=ROOT,
        env={**os.environ},
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_server_answers_over_http(server: str) -> None:
    health = httpx.get(f"{server}/health").json()
    assert health["status"] == "ok"
    r = httpx.post(f"{server}/auth/token", data={"username": "ann", "password": PASSWORD})
    assert r.status_code == 200
    h = {"Authorization": f"Bearer {r.json()['access_token']}"}
    case = (ROOT / "examples" / "mmn-definite.json").read_bytes()
    r = httpx.post(f"{server}/evaluate", content=case, headers={"Content-Type": "application/json"})
    assert r.status_code == 200
    assert r.json()["criteria"]["mmn_efns_pns_2010"]["category"] == "definite"
    r = httpx.post(
        f"{server}/patients?site=north",
        content=case,
        headers={**h, "Content-Type": "application/json"},
    )
    assert r.status_code == 201
    r = httpx.get(f"{server}/patients/{json.loads(case)['case_id']}", headers=h)
    assert (r.status_code, r.headers["etag"]) == (200, '"1"')
    assert httpx.get(f"{server}/patients").status_code == 401
    with httpx.Client() as fresh:  # new connections: any worker answers with the same data
        for _ in range(10):
            r = fresh.get(f"{server}/patients/example-mmn-definite", headers=h)
            assert (r.status_code, r.headers["etag"]) == (200, '"1"')


def test_serve_refuses_a_bad_port() -> None:
    done = subprocess.run(
        [NEUROIG, "serve", "--port", "70000"], check=False, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "--port" in done.stderr
    done = subprocess.run(
        [NEUROIG, "serve", "--workers", "0"], check=False, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "--workers" in done.stderr
