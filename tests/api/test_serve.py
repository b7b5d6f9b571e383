"""``neuroig serve`` is a real HTTP server on 127.0.0.1: log in, evaluate, read a patient."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from tests.api.test_cds_hooks import ISSUER, Ehr, bundle, grams, order

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


@contextmanager
def _serve(db_url: str, workers: int, env: dict[str, str] | None = None) -> Iterator[str]:
    """``neuroig serve`` on a free port; yields its base URL and stops it after."""
    port = _free_port()
    proc = subprocess.Popen(
        [NEUROIG, "serve", "--port", str(port), "--db", db_url, "--workers", str(workers)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(params=[1, 2], ids=["1-worker", "2-workers"])
def server(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    upgrade(db_url)
    engine = registry.open_registry(db_url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    engine.dispose()
    with _serve(db_url, request.param) as base:
        yield f"{base}/api/v1"


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


def test_cds_hooks_over_http_refuse_a_replay_on_any_worker(db_url: str, tmp_path: Path) -> None:
    """A signed hook call answers cards over HTTP; the same token again is refused even
    when another worker process receives it (decision H1)."""
    upgrade(db_url)
    engine = registry.open_registry(db_url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    ann = registry.resolve_actor(engine, "ann")
    registry.add_user(engine, ann, "ehr", "clinician", ["north"], PASSWORD)
    case = json.loads((ROOT / "examples" / "mmn-declining-response.json").read_text("utf-8"))
    registry.save_case(engine, ann, case, site="north")
    engine.dispose()
    keys = tmp_path / "jwks.json"
    ehr = Ehr(client=httpx.Client(), engine=engine)
    keys.write_text(json.dumps(ehr.jwks()), encoding="utf-8")
    env = {
        "NEUROIG_CDS_USER": "ehr",
        "NEUROIG_CDS_JWKS_FILE": str(keys),
        "NEUROIG_CDS_ISSUERS": json.dumps([ISSUER]),
        "NEUROIG_CDS_BASE_URL": "http://testserver",
    }
    with _serve(db_url, 2, env) as base:
        service = "neuroig-order-sign"
        steroid = order("o1", "p-mmn", text="prednisone 60 mg", atc="H02AB07")
        body = ehr.request("order-sign", "p-mmn", {"draftOrders": bundle(steroid)})
        token = ehr.token(service)
        headers = {"Authorization": f"Bearer {token}"}
        r = httpx.post(f"{base}/cds-services/{service}", json=body, headers=headers)
        assert r.status_code == 200, r.text
        codes = [c["source"]["topic"]["code"] for c in r.json()["cards"]]
        assert codes == ["GATE-MMN-STEROIDS"]
        for _ in range(6):  # new connections: either worker may answer
            with httpx.Client() as fresh:
                again = fresh.post(f"{base}/cds-services/{service}", json=body, headers=headers)
            assert again.status_code == 401, again.text
        ivig = order("o2", "p-mmn", text="Privigen", dose=grams(45))
        body = ehr.request("order-sign", "p-mmn", {"draftOrders": bundle(ivig)})
        headers = {"Authorization": f"Bearer {ehr.token(service)}"}
        r = httpx.post(f"{base}/cds-services/{service}", json=body, headers=headers)
        assert [c["indicator"] for c in r.json()["cards"] if c["indicator"] != "info"] == []
