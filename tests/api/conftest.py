"""API tests: the app on a real registry (SQLite and PostgreSQL), users of two sites."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.store.conftest import db_url, engine, postgres_admin_url

from neuroig.api import create_app
from neuroig.services import registry
from neuroig.settings import load_settings

__all__ = ["db_url", "engine", "postgres_admin_url"]

EXAMPLES = Path(__file__).parents[2] / "examples"
PASSWORD = "correct horse battery"
ROLES = ("admin", "clinician", "pharmacist", "technician", "auditor")


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return data


@dataclass
class Api:
    client: TestClient
    engine: Engine

    def token(self, user: str, password: str = PASSWORD) -> str:
        r = self.client.post("/api/v1/auth/token", data={"username": user, "password": password})
        assert r.status_code == 200, r.text
        token: str = r.json()["access_token"]
        return token

    def headers(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(user)}"}


@pytest.fixture
def api(engine: Engine) -> Iterator[Api]:
    """Users ``<role>-a`` (site-a) and ``<role>-b`` (site-b) of every role."""
    registry.add_user(engine, None, "root", "admin", ["site-a", "site-b"], PASSWORD)
    root = registry.resolve_actor(engine, "root")
    for role in ROLES:
        for site in ("a", "b"):
            registry.add_user(engine, root, f"{role}-{site}", role, [f"site-{site}"], PASSWORD)
    app = create_app(load_settings(database_url=str(engine.url)), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, engine)
