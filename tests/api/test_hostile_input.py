"""The hostile-input corpus through ``POST /api/v1/evaluate``: 422 naming the JSON path
(or 413 for a body over the limit, 415 for YAML), never a 5xx, never a crash."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.fuzz.generators import FUZZ, Fuzz, build

from neuroig.api import create_app
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'registry.db'}"
    upgrade(url)
    return TestClient(create_app(load_settings(database_url=url)), raise_server_exceptions=False)


@pytest.mark.parametrize("fuzz", FUZZ, ids=lambda f: f.name)
def test_every_corpus_file_is_refused_or_accepted_cleanly(client: TestClient, fuzz: Fuzz) -> None:
    body = build(fuzz)
    yaml = fuzz.name.endswith((".yaml", ".yml"))
    content_type = "application/yaml" if yaml else "application/json"
    r = client.post("/api/v1/evaluate", content=body, headers={"Content-Type": content_type})
    assert r.status_code < 500, (fuzz.name, r.status_code, r.text[:300])
    if yaml:
        assert r.status_code == 415
        return
    if fuzz.exit_code == 0:
        assert r.status_code == 200, (fuzz.name, r.text[:300])
        return
    assert r.status_code in (413, 422), (fuzz.name, r.status_code)
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    paths = [e["path"] for e in problem.get("errors", [])]
    if "." in fuzz.path or "[" in fuzz.path:  # a JSON path (not a file-level marker)
        text = " ".join(paths) + " " + problem["detail"]
        assert fuzz.path in text, (fuzz.name, fuzz.path, problem)
