"""Infusions and outcome assessments recorded by form: each is appended as a new version
based on the version the form was opened on; problems come back at their field; a save in
between is a conflict and nothing is saved; another site's user is refused."""

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
CASE = "example-cidp-wear-off"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Engine]]:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    ann = registry.resolve_actor(engine, "ann")
    registry.add_user(engine, ann, "bob", "clinician", ["south"], PASSWORD)
    data = json.loads((ROOT / "examples" / "cidp-wear-off.json").read_text("utf-8"))
    registry.save_case(engine, ann, data, site="north")
    app = create_app(load_settings(database_url=url), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        _log_in(client, "ann")
        yield client, engine
    engine.dispose()


def _log_in(client: TestClient, user: str) -> None:
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text)
    assert csrf is not None
    client.post("/login", data={"username": user, "password": PASSWORD, "csrf": csrf.group(1)})


def _form(client: TestClient, kind: str) -> dict[str, str]:
    page = client.get(f"/patients/{CASE}/record/{kind}")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    base = re.search(r'name="base_version" value="(\d+)"', page.text)
    assert csrf is not None and base is not None
    return {"csrf": csrf.group(1), "base_version": base.group(1)}


def _latest(engine: Engine) -> dict[str, Any]:
    ann = registry.resolve_actor(engine, "ann")
    data: dict[str, Any] = json.loads(registry.read_case(engine, ann, CASE).document)
    return data


def test_an_infusion_is_appended_as_a_new_version(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    before = _latest(engine)["infusions"]
    form = _form(client, "infusion")
    assert form["base_version"] == "1"
    r = client.post(
        f"/patients/{CASE}/record/infusion",
        data={
            **form,
            "infusions[0].date": "2024-07-22",
            "infusions[0].route": "iv",
            "infusions[0].product": "privigen",
            "infusions[0].dose_g": "60",
            "infusions[0].duration_min": "",
            "infusions[0].lot": "P123-45",
            "infusions[0].adverse_events[0].event": "headache",
            "infusions[0].adverse_events[0].severity": "mild",
            "reason": "infusion unit, chair 3",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    after = _latest(engine)["infusions"]
    assert after[:-1] == before  # nothing earlier changed
    assert after[-1] == {
        "date": "2024-07-22",
        "route": "iv",
        "product": "privigen",
        "dose_g": 60,
        "lot": "P123-45",
        "adverse_events": [{"event": "headache", "severity": "mild"}],
    }
    ann = registry.resolve_actor(engine, "ann")
    history = registry.history(engine, ann, CASE)
    assert [(h.version, h.kind, h.reason) for h in history][-1] == (
        2,
        "infusion",
        "infusion unit, chair 3",
    )


def test_problems_come_back_at_their_field(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    r = client.post(
        f"/patients/{CASE}/record/infusion",
        data={
            **_form(client, "infusion"),
            "infusions[0].date": "2024-07-22",
            "infusions[0].route": "sc",
            "infusions[0].product": "privigen",
            "infusions[0].dose_g": "600",
        },
    )
    assert r.status_code == 422
    assert '<a href="#infusions[0].dose_g">infusions[0].dose_g</a>' in r.text
    assert 'aria-describedby="err-infusions[0].dose_g"' in r.text
    assert 'value="600"' in r.text  # what was typed is kept
    assert registry.latest_version(engine, CASE) == 1


def test_an_outcome_assessment_is_appended(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    r = client.post(
        f"/patients/{CASE}/record/assessment",
        data={
            **_form(client, "assessment"),
            "assessments[0].date": "2024-07-21",
            "assessments[0].timing": "trough",
            "assessments[0].incat.arm": "2",
            "assessments[0].incat.leg": "1",
            "assessments[0].grip.left": "52",
            "assessments[0].grip.right": "61",
            "assessments[0].grip.unit": "kpa",
            "assessments[0].grip.device": "vigorimeter",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:800]
    assert _latest(engine)["assessments"][-1] == {
        "date": "2024-07-21",
        "timing": "trough",
        "incat": {"arm": 2, "leg": 1},
        "grip": {"left": 52, "right": 61, "unit": "kpa", "device": "vigorimeter"},
    }


def test_a_save_in_between_is_a_conflict(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    form = _form(client, "assessment")
    first = client.post(
        f"/patients/{CASE}/record/assessment",
        data={**form, "assessments[0].date": "2024-07-21", "assessments[0].rankin": "2"},
        follow_redirects=False,
    )
    assert first.status_code == 303
    stale = client.post(
        f"/patients/{CASE}/record/assessment",
        data={**form, "assessments[0].date": "2024-07-28", "assessments[0].rankin": "3"},
    )
    assert stale.status_code == 409
    assert "based on version 1 but the latest is 2" in stale.text
    assert registry.latest_version(engine, CASE) == 2


def test_another_sites_user_is_refused(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    form = _form(client, "infusion")
    _log_in(client, "bob")
    assert client.get(f"/patients/{CASE}/record/infusion").status_code == 403
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/patients").text)
    assert csrf is not None  # bob's own token: refused for the site, not for CSRF
    r = client.post(
        f"/patients/{CASE}/record/infusion",
        data={**form, "csrf": csrf.group(1), "infusions[0].date": "2024-07-22"},
    )
    assert r.status_code == 403 and "another site" in r.text
    assert registry.latest_version(engine, CASE) == 1
    assert client.get(f"/patients/{CASE}/record/lunch").status_code == 404


def _edit(client: TestClient) -> tuple[dict[str, str], dict[str, Any]]:
    page = client.get(f"/patients/{CASE}/edit")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    base = re.search(r'name="base_version" value="(\d+)"', page.text)
    shown = re.search(r'<textarea id="document"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert csrf is not None and base is not None and shown is not None
    document = json.loads(html.unescape(shown.group(1)))
    return {"csrf": csrf.group(1), "base_version": base.group(1)}, document


def test_the_whole_document_is_edited_losslessly(site: tuple[TestClient, Engine]) -> None:
    client, engine = site
    form, document = _edit(client)
    assert document == _latest(engine)  # every field is there to edit, nothing left out
    document["patient"]["weight_kg"] = 66
    r = client.post(
        f"/patients/{CASE}/edit",
        data={**form, "document": json.dumps(document), "reason": "weighed today"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _latest(engine) == document
    ann = registry.resolve_actor(engine, "ann")
    assert [(h.version, h.kind, h.reason) for h in registry.history(engine, ann, CASE)][-1] == (
        2,
        "edit",
        "weighed today",
    )


@pytest.mark.parametrize(
    ("change", "status", "shown"),
    [
        (lambda d: d["patient"].update(weight_kg=900), 422, "<code>patient.weight_kg</code>"),
        (lambda d: d.update(case_id="someone-else"), 422, "case_id"),
        (lambda d: d.update(reason_missing=True), 422, "reason_missing"),
    ],
)
def test_a_refused_edit_keeps_the_text_and_saves_nothing(
    site: tuple[TestClient, Engine], change: Any, status: int, shown: str
) -> None:
    client, engine = site
    form, document = _edit(client)
    change(document)
    text = json.dumps(document)
    r = client.post(f"/patients/{CASE}/edit", data={**form, "document": text, "reason": "x"})
    assert r.status_code == status and shown in r.text
    back = re.search(r'<textarea id="document"[^>]*>(.*?)</textarea>', r.text, re.S)
    assert back is not None and html.unescape(back.group(1)) == text  # the text comes back
    assert registry.latest_version(engine, CASE) == 1


def test_an_edit_needs_a_reason_valid_json_and_the_latest_version(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    form, document = _edit(client)
    text = json.dumps(document)
    r = client.post(f"/patients/{CASE}/edit", data={**form, "document": text, "reason": " "})
    assert r.status_code == 422 and "why the case is changed" in r.text
    r = client.post(f"/patients/{CASE}/edit", data={**form, "document": "{", "reason": "x"})
    assert r.status_code == 422 and "Nothing was saved" in r.text
    ok = client.post(
        f"/patients/{CASE}/edit",
        data={
            **form,
            "document": text.replace('"weight_kg": 65', '"weight_kg": 64'),
            "reason": "a",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    stale = client.post(f"/patients/{CASE}/edit", data={**form, "document": text, "reason": "b"})
    assert stale.status_code == 409  # the form was opened on version 1; 2 exists now
    assert registry.latest_version(engine, CASE) == 2


def test_a_treatment_course_is_appended_by_a_clinician_only(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    before = _latest(engine)["treatments"]
    r = client.post(
        f"/patients/{CASE}/record/treatment",
        data={
            **_form(client, "treatment"),
            "treatments[0].therapy": "prednisone",
            "treatments[0].start": "2024-07-01",
            "treatments[0].regimen.mg_per_day": "60",
            "treatments[0].response": "unknown",
            "treatments[0].objective": "",
            "reason": "MDT: add steroid",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:800]
    after = _latest(engine)["treatments"]
    assert after[:-1] == before
    assert after[-1] == {
        "therapy": "prednisone",
        "start": "2024-07-01",
        "regimen": {"mg_per_day": 60},
        "response": "unknown",
    }
    ann = registry.resolve_actor(engine, "ann")
    registry.add_user(engine, ann, "phil", "pharmacist", ["north"], PASSWORD)
    _log_in(client, "phil")
    assert client.get(f"/patients/{CASE}/record/infusion").status_code == 200  # his to record
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/patients").text)
    assert csrf is not None
    refused = client.post(
        f"/patients/{CASE}/record/treatment",
        data={
            "csrf": csrf.group(1),
            "base_version": "2",
            "treatments[0].therapy": "ivig",
            "treatments[0].start": "2024-07-02",
        },
    )
    assert refused.status_code == 403
    assert registry.latest_version(engine, CASE) == 2


def test_a_technician_records_a_nerve_study_through_the_grid(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    ann = registry.resolve_actor(engine, "ann")
    registry.add_user(engine, ann, "tess", "technician", ["north"], PASSWORD)
    _log_in(client, "tess")
    form = _form(client, "study")
    bad = client.post(
        f"/patients/{CASE}/record/study",
        data={
            **form,
            "ncs.date": "2024-07-20",
            "ncs.motor[1].nerve": "ulnar",  # the second slot: problems keep its number
            "ncs.motor[1].side": "left",
            "paste:ncs.motor[1]": "wrist\t3.1\t7.5\nbelow_elbow\t2.0\t7.0\t\t\t230\n",
        },
    )
    assert bad.status_code == 422
    assert "ncs.motor[1].sites[1]" in bad.text  # latency falls below the distal one
    assert registry.latest_version(engine, CASE) == 1
    ok = client.post(
        f"/patients/{CASE}/record/study",
        data={
            **form,
            "ncs.date": "2024-07-20",
            "ncs.motor[1].nerve": "ulnar",
            "ncs.motor[1].side": "left",
            "paste:ncs.motor[1]": "wrist\t3.1\t7.5\nbelow_elbow\t7.0\t7.0\t\t\t230\n",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303, ok.text[:600]
    assert _latest(engine)["ncs"] == {
        "date": "2024-07-20",
        "motor": [
            {
                "nerve": "ulnar",
                "side": "left",
                "sites": [
                    {"site": "wrist", "latency_ms": 3.1, "amplitude_mv": 7.5},
                    {
                        "site": "below_elbow",
                        "latency_ms": 7.0,
                        "amplitude_mv": 7.0,
                        "distance_mm": 230,
                    },
                ],
            }
        ],
    }
    history = registry.history(engine, ann, CASE)
    assert (history[-1].version, history[-1].kind, history[-1].author) == (2, "study", "tess")
