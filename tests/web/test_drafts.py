"""Drafts of the entry form (decision G12): kept on request, by autosave (htmx) and on
every refused save; restored as typed; only their author sees them; saving the patient
uses the draft up; the number a user keeps is bounded; each step is audited."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from neuroig.api import create_app
from neuroig.services import drafts, registry
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade
from neuroig.store.permissions import PermissionDeniedError

ROOT = Path(__file__).parents[2]
PASSWORD = "correct horse battery"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Engine]]:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    ann = registry.resolve_actor(engine, "ann")
    registry.add_user(engine, ann, "cy", "clinician", ["north"], PASSWORD)
    registry.add_user(engine, ann, "tess", "technician", ["north"], PASSWORD)
    app = create_app(load_settings(database_url=url), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        _log_in(client, "ann")
        yield client, engine
    engine.dispose()


def _log_in(client: TestClient, user: str) -> None:
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None
    client.post("/login", data={"username": user, "password": PASSWORD, "csrf": csrf.group(1)})


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/patients").text)
    assert found is not None
    return found.group(1)


TYPED = {
    "case_id": "half-done",
    "site": "north",
    "patient.weight_kg": "71.5",
    "exam.strength[10].mrc": "3",
    "paste:ncs.motor[0]": "wrist\t3.0\t8.0\n",
}


def test_keep_as_draft_and_resume_as_typed(site: tuple[TestClient, Engine]) -> None:
    client, _engine = site
    r = client.post(
        "/drafts", data={"csrf": _csrf(client), **TYPED, "labs.ck_u_l": ""}, follow_redirects=False
    )
    assert r.status_code == 303
    number = int(r.headers["location"].rsplit("=", 1)[1])
    page = client.get(f"/patients/new?draft={number}").text
    for name, value in TYPED.items():
        if name.startswith("paste:"):
            assert "wrist\t3.0\t8.0" in page
        elif name != "site":
            assert f'name="{name}" value="{value}"' in page or f'value="{value}" selected' in page
    assert f'value="{number}"' in page  # the form continues the same draft
    listing = client.get("/patients/new").text
    assert f"Draft {number}: half-done" in listing


def test_autosave_answers_the_status_line_and_the_draft_number(
    site: tuple[TestClient, Engine],
) -> None:
    client, _engine = site
    r = client.post(
        "/drafts", data={"csrf": _csrf(client), **TYPED}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 200
    number = re.search(r"Draft (\d+) kept at", r.text)
    assert number is not None
    assert f'id="draft_id" name="draft_id" value="{number.group(1)}" hx-swap-oob="true"' in r.text
    again = client.post(
        "/drafts",
        data={"csrf": _csrf(client), **TYPED, "draft_id": number.group(1), "case_id": "renamed"},
        headers={"HX-Request": "true"},
    )
    assert f"Draft {number.group(1)} kept" in again.text  # the same draft, updated
    assert "Draft 1: renamed" in client.get("/patients/new").text


def test_a_refused_save_is_kept_and_a_saved_patient_uses_the_draft_up(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    data = json.loads((ROOT / "examples" / "mmn-definite.json").read_text("utf-8"))
    fields = {
        "csrf": _csrf(client),
        "site": "north",
        "format": "neuroig-case/1",
        "case_id": "from-draft",
    }
    fields["patient.weight_kg"] = "960"
    r = client.post("/patients/new", data=fields)
    assert r.status_code == 422 and "Draft 1 kept" in r.text  # never lost
    fields.update({"patient.weight_kg": str(data["patient"]["weight_kg"]), "draft_id": "1"})
    saved = client.post("/patients/new", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    ann = registry.resolve_actor(engine, "ann")
    assert drafts.list_drafts(engine, ann) == []
    assert "Your drafts" not in client.get("/patients/new").text


def test_a_draft_is_its_authors_alone(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    client.post("/drafts", data={"csrf": _csrf(client), **TYPED})
    _log_in(client, "cy")  # same site, another user
    assert client.get("/patients/new?draft=1").status_code == 404
    r = client.post("/drafts/1/delete", data={"csrf": _csrf(client)})
    assert r.status_code == 404
    ann = registry.resolve_actor(engine, "ann")
    assert [d.id for d in drafts.list_drafts(engine, ann)] == [1]
    tess = registry.resolve_actor(engine, "tess")
    with pytest.raises(PermissionDeniedError):
        drafts.save_draft(engine, tess, [("case_id", "x")])


def test_discard_and_the_bound(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    ann = registry.resolve_actor(engine, "ann")
    for n in range(drafts.MAX_DRAFTS):
        drafts.save_draft(engine, ann, [("case_id", f"c{n}")])
    with pytest.raises(registry.InputError, match="at most 50"):
        drafts.save_draft(engine, ann, [("case_id", "one too many")])
    r = client.post("/drafts/3/delete", data={"csrf": _csrf(client)}, follow_redirects=False)
    assert r.status_code == 303
    assert len(drafts.list_drafts(engine, ann)) == drafts.MAX_DRAFTS - 1
    entries = registry.audit_list(engine, ann, limit=500)
    actions = {e["action"] for e in entries}
    assert {"draft.save", "draft.list", "draft.delete"} <= actions
