"""schemathesis against the app in process: no 5xx, no undocumented status code, no
response that violates its documented schema or content type (derandomised)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from neuroig.api import create_app
from neuroig.services import registry
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade

PASSWORD = "correct horse battery"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _serve() -> tuple[object, str]:
    """The app on a fresh SQLite registry with one admin and one patient (made at import:
    schemathesis needs the schema when it collects the tests)."""
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='neuroig-st-')) / 'registry.db'}"
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "root", "admin", ["site-a"], PASSWORD)
    app = create_app(load_settings(database_url=url), engine=engine)
    with TestClient(app) as client:
        token: str = client.post(
            "/api/v1/auth/token", data={"username": "root", "password": PASSWORD}
        ).json()["access_token"]
        case = (Path(__file__).parents[2] / "examples" / "mmn-definite.json").read_bytes()
        client.post(
            "/api/v1/patients?site=site-a",
            content=case,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
    return app, token


APP, TOKEN = _serve()
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_keeps_its_contract(case: schemathesis.Case) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if case.path == "/api/v1/auth/revoke":
        headers = {}  # keep the token of the other examples alive
    case.call_and_validate(headers=headers, checks=CHECKS)
