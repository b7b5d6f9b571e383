"""Import by upload: case files, JSON lines and the NCS spreadsheet (decision G8) become
new patients or new versions, each case validated on its own; problems are shown per case
with their paths; nothing is overwritten; bad files and bodies are refused cleanly."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from neuroig.api import create_app
from neuroig.services import registry
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade

ROOT = Path(__file__).parents[2]
PASSWORD = "correct horse battery"


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "examples" / f"{name}.json").read_text("utf-8"))
    return data


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Engine]]:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    ann = registry.resolve_actor(engine, "ann")
    registry.add_user(engine, ann, "bob", "clinician", ["south"], PASSWORD)
    app = create_app(load_settings(database_url=url), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        _log_in(client, "ann")
        yield client, engine
    engine.dispose()


def _log_in(client: TestClient, user: str) -> None:
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None
    client.post("/login", data={"username": user, "password": PASSWORD, "csrf": csrf.group(1)})


def _upload(
    client: TestClient, name: str, content: bytes, *, site: str = "north", reason: str = ""
) -> Any:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/patients/import").text)
    assert found is not None
    return client.post(
        "/patients/import",
        data={"csrf": found.group(1), "site": site, "reason": reason},
        files={"file": (name, content, "application/octet-stream")},
    )


def test_a_case_file_becomes_a_patient_then_is_unchanged(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    body = (ROOT / "examples" / "mmn-definite.json").read_bytes()
    r = _upload(client, "mmn-definite.json", body, reason="referral letter")
    assert r.status_code == 200
    assert "new patient, version 1" in r.text
    assert '<a href="/patients/example-mmn-definite">' in r.text
    again = _upload(client, "mmn-definite.json", body)
    assert "unchanged (version 1 holds the same)" in again.text
    ann = registry.resolve_actor(engine, "ann")
    versions = registry.history(engine, ann, "example-mmn-definite")
    assert [(h.version, h.reason) for h in versions] == [(1, "referral letter")]


def test_json_lines_are_saved_case_by_case(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    good = _example("cidp-typical")
    bad = _example("mmn-probable")
    bad["patient"]["weight_kg"] = 900
    lines = (json.dumps(good) + "\n" + json.dumps(bad) + "\n").encode()
    r = _upload(client, "cases.jsonl", lines)
    assert r.status_code == 422  # one refused: said so, the other saved
    assert "new patient, version 1" in r.text
    assert "<code>patient.weight_kg</code>" in r.text
    assert "1 of 2 case(s) refused" in r.text
    ann = registry.resolve_actor(engine, "ann")
    assert registry.read_case(engine, ann, good["case_id"]).version == 1
    assert registry.latest_version(engine, bad["case_id"]) is None  # nothing half-stored


def test_the_ncs_spreadsheet_makes_a_new_version_of_a_known_patient(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    _upload(client, "mmn.json", (ROOT / "examples" / "mmn-definite.json").read_bytes())
    csv = (
        "case_id,nerve,side,site,latency_ms,amplitude_mv,area_mvms,duration_ms,distance_mm\r\n"
        "example-mmn-definite,ulnar,left,wrist,3.0,8.0,24.0,6.0,80\r\n"
        "example-mmn-definite,ulnar,left,below_elbow,7.4,2.5,7.0,6.5,230\r\n"
    )
    r = _upload(client, "ncs.csv", csv.encode())
    assert r.status_code == 200 and "new version 2" in r.text
    ann = registry.resolve_actor(engine, "ann")
    stored = json.loads(registry.read_case(engine, ann, "example-mmn-definite").document)
    assert stored["ncs"]["motor"] == [
        {
            "nerve": "ulnar",
            "side": "left",
            "sites": [
                {
                    "site": "wrist",
                    "latency_ms": 3.0,
                    "amplitude_mv": 8.0,
                    "duration_ms": 6.0,
                    "area_mvms": 24.0,
                    "distance_mm": 80.0,
                },
                {
                    "site": "below_elbow",
                    "latency_ms": 7.4,
                    "amplitude_mv": 2.5,
                    "duration_ms": 6.5,
                    "area_mvms": 7.0,
                    "distance_mm": 230.0,
                },
            ],
        }
    ]
    assert stored["patient"] == _example("mmn-definite")["patient"]  # the rest kept
    first = json.loads(registry.read_case(engine, ann, "example-mmn-definite", version=1).document)
    assert len(first["ncs"]["motor"]) == 3  # version 1 is untouched


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", b"\xff\xfe not text", "not a UTF-8 text file"),
        ("bad.csv", b"patient,nerve\r\nx,ulnar\r\n", "columns case_id"),
        ("short.csv", b"case_id,nerve,side,site\r\n,ulnar,left\r\n", "a case id on every row"),
        (
            "nan.csv",
            b"case_id,nerve,side,site,amplitude_mv\r\nc,ulnar,left,wrist,lots\r\n",
            "a number",
        ),
        ("lines.jsonl", b'{"case_id": "a"}\n{"case_id": \n', "JSON"),
    ],
)
def test_a_file_that_cannot_be_read_imports_nothing(
    site: tuple[TestClient, Engine], name: str, content: bytes, message: str
) -> None:
    client, _engine = site
    r = _upload(client, name, content)
    assert r.status_code == 422
    assert "Nothing was imported" in r.text and message in html.unescape(r.text)


def test_a_script_in_a_case_id_is_shown_as_text(site: tuple[TestClient, Engine]) -> None:
    client, _engine = site
    data = _example("mmn-definite")
    data["case_id"] = "<script>alert(1)</script>"
    data["patient"]["weight_kg"] = 900
    r = _upload(client, "evil.json", json.dumps(data).encode())
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_another_sites_patient_is_not_changed_by_import(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    body = (ROOT / "examples" / "mmn-definite.json").read_bytes()
    _upload(client, "mmn.json", body)
    _log_in(client, "bob")
    changed = _example("mmn-definite")
    changed["patient"]["weight_kg"] = 97
    r = _upload(client, "mmn.json", json.dumps(changed).encode(), site="south")
    assert r.status_code == 422 and "refused" in r.text
    assert registry.latest_version(engine, "example-mmn-definite") == 1


def test_bodies_that_are_not_uploads_or_too_large_are_refused(
    site: tuple[TestClient, Engine],
) -> None:
    client, _engine = site
    assert client.post("/patients/import", data={"csrf": "x"}).status_code == 415
    big = b"{" + b" " * 3_000_000 + b"}"
    assert _upload(client, "big.json", big).status_code == 413
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/patients/import").text)
    assert found is not None
    r = client.post(
        "/patients/import",
        data={"csrf": "wrong"},
        files={"file": ("a.json", b"{}", "application/json")},
    )
    assert r.status_code == 403
