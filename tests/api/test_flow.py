"""The API end to end on both databases: log in, patients, versions, records, results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from tests.api.conftest import PASSWORD, Api, example

from neuroig.api import create_app
from neuroig.errors import InputError
from neuroig.schemas.emit import json_schema
from neuroig.settings import load_settings

JSON = {"Content-Type": "application/json"}
ROOT = Path(__file__).parents[2]


def test_a_patient_lives_through_the_api(api: Api) -> None:
    h = {**api.headers("clinician-a"), **JSON}
    case = example("cidp-wear-off")
    case_id = case["case_id"]
    r = api.client.post("/api/v1/patients?site=site-a", content=json.dumps(case), headers=h)
    assert r.status_code == 201, r.text
    assert (r.json(), r.headers["etag"]) == (
        {"case_id": case_id, "version": 1, "status": "new"},
        '"1"',
    )
    assert r.headers["location"] == f"/api/v1/patients/{case_id}"
    # the same case id again: a conflict, nothing saved
    r = api.client.post("/api/v1/patients?site=site-a", content=json.dumps(case), headers=h)
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    r = api.client.get(f"/api/v1/patients/{case_id}", headers=h)
    assert (r.status_code, r.headers["etag"]) == (200, '"1"')
    assert r.json() == case
    # PUT needs If-Match (428); a stale one is refused (412); the right one saves v2
    case["patient"]["weight_kg"] = 66
    body = json.dumps(case)
    assert api.client.put(f"/api/v1/patients/{case_id}", content=body, headers=h).status_code == 428
    r = api.client.put(
        f"/api/v1/patients/{case_id}", content=body, headers={**h, "If-Match": '"1"'}
    )
    assert (r.status_code, r.headers["etag"], r.json()["version"]) == (200, '"2"', 2)
    r = api.client.put(
        f"/api/v1/patients/{case_id}",
        content=body.replace("66", "67"),
        headers={**h, "If-Match": '"1"'},
    )
    assert r.status_code == 412
    assert "nothing was overwritten" in r.json()["detail"]
    # records append as versions; If-Match optional
    infusion = {"date": "2026-06-25", "route": "iv", "product": "kiovig", "dose_g": 60}
    r = api.client.post(
        f"/api/v1/patients/{case_id}/infusions",
        content=json.dumps(infusion),
        headers={**h, "If-Match": '"2"'},
    )
    assert (r.status_code, r.headers["etag"]) == (201, '"3"')
    r = api.client.post(
        f"/api/v1/patients/{case_id}/assessments",
        content=json.dumps({"date": "2026-07-09", "rankin": 2}),
        headers=h,
    )
    assert (r.status_code, r.headers["etag"]) == (201, '"4"')
    r = api.client.get(f"/api/v1/patients/{case_id}/versions", headers=h)
    assert [(v["version"], v["kind"]) for v in r.json()] == [
        (1, "edit"),
        (2, "edit"),
        (3, "infusion"),
        (4, "assessment"),
    ]
    assert "$.patient.weight_kg: 65.0 -> 66.0" in r.json()[1]["changes"]
    r = api.client.get(f"/api/v1/patients/{case_id}/versions/1", headers=h)
    assert (r.status_code, r.json()["patient"]["weight_kg"]) == (200, 65)
    assert api.client.get(f"/api/v1/patients/{case_id}/versions/9", headers=h).status_code == 404
    # results of the stored case validate against their exported schemas
    for path, output in (("assessment", "assessment"), ("plan", "plan"), ("review", "review")):
        r = api.client.get(f"/api/v1/patients/{case_id}/{path}", headers=h)
        assert r.status_code == 200, (path, r.text)
        jsonschema.validate(r.json(), json_schema(output))
        assert r.headers["etag"] == '"4"'
    # listing, filters and pagination
    r = api.client.get("/api/v1/patients?category=cidp_efns_pns_2010:definite", headers=h)
    assert [p["case_id"] for p in r.json()["items"]] == [case_id]
    r = api.client.get("/api/v1/patients?category=mmn_efns_pns_2010:definite", headers=h)
    assert r.json()["items"] == []
    assert api.client.get("/api/v1/patients/no-such-case", headers=h).status_code == 404


def test_pagination_walks_every_patient_once(api: Api) -> None:
    h = {**api.headers("clinician-a"), **JSON}
    names = ["mmn-definite", "mmn-probable", "cidp-typical", "cidp-multifocal", "mnd-mimic"]
    for name in names:
        r = api.client.post(
            "/api/v1/patients?site=site-a", content=json.dumps(example(name)), headers=h
        )
        assert r.status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        url = "/api/v1/patients?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.client.get(url, headers=h).json()
        seen += [p["case_id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(f"example-{n}" for n in names)
    assert api.client.get("/api/v1/patients?cursor=%%%", headers=h).status_code == 422


def test_log_in_lockout_revocation_and_personal_tokens(api: Api) -> None:
    for _ in range(4):
        r = api.client.post("/api/v1/auth/token", data={"username": "auditor-a", "password": "x"})
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
    # the fifth failure in a row locks the user out, even with the right password
    assert (
        api.client.post(
            "/api/v1/auth/token", data={"username": "auditor-a", "password": "x"}
        ).status_code
        == 401
    )
    r = api.client.post("/api/v1/auth/token", data={"username": "auditor-a", "password": PASSWORD})
    assert r.status_code == 429
    assert 0 < int(r.headers["retry-after"]) <= 15 * 60
    # an unknown user gets the same answer as a wrong password
    r = api.client.post("/api/v1/auth/token", data={"username": "nobody", "password": "x"})
    assert (r.status_code, r.json()["detail"]) == (401, "wrong user name or password")
    token = api.token("clinician-a")
    h = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/api/v1/patients", headers=h).status_code == 200
    assert api.client.post("/api/v1/auth/revoke", headers=h).status_code == 204
    r = api.client.get("/api/v1/patients", headers=h)
    assert (r.status_code, r.json()["detail"]) == (401, "the bearer token was revoked")
    # a personal token for a service account
    r = api.client.post(
        "/api/v1/auth/personal-tokens",
        json={"label": "pharmacy system", "days": 30},
        headers=api.headers("pharmacist-a"),
    )
    assert r.status_code == 201
    assert 29 * 86400 < r.json()["expires_in"] <= 30 * 86400
    personal = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert api.client.get("/api/v1/patients", headers=personal).status_code == 200
    r = api.client.post(
        "/api/v1/auth/personal-tokens", json={"label": "x", "days": "30"}, headers=personal
    )
    assert r.status_code == 422  # strict: no lax coercion of "30"
    assert api.client.get("/api/v1/patients").status_code == 401
    r = api.client.get("/api/v1/patients", headers={"Authorization": "Bearer nig_forged"})
    assert r.status_code == 401


def test_every_access_is_audited(api: Api) -> None:
    h = {**api.headers("clinician-a"), **JSON}
    case = example("mmn-definite")
    api.client.post("/api/v1/patients?site=site-a", content=json.dumps(case), headers=h)
    api.client.get(f"/api/v1/patients/{case['case_id']}", headers=h)
    api.client.get(f"/api/v1/patients/{case['case_id']}", headers=api.headers("clinician-b"))
    r = api.client.get("/api/v1/audit?limit=20", headers=api.headers("auditor-a"))
    assert r.status_code == 200
    actions = [(e["actor"], e["action"], e["detail"].get("outcome")) for e in r.json()]
    assert ("clinician-a", "case.edit", None) in actions
    assert ("clinician-a", "case.read", None) in actions
    assert ("clinician-b", "case.read", "refused") in actions
    assert ("auditor-a", "auth.login", None) in actions


def test_the_api_answers_the_same_bytes_as_the_cli(api: Api, tmp_path: Path) -> None:
    path = ROOT / "examples" / "mmn-definite.json"
    cli = subprocess.run(
        [str(Path(sys.executable).parent / "neuroig"), "evaluate", str(path), "--json"],
        capture_output=True,
        check=True,
    ).stdout
    r = api.client.post("/api/v1/evaluate", content=path.read_bytes(), headers=JSON)
    assert r.status_code == 200
    assert r.content == cli


def test_bad_bodies_are_problems_with_paths(api: Api) -> None:
    r = api.client.post(
        "/api/v1/evaluate",
        content=json.dumps(
            {"format": "neuroig-case/1", "case_id": "x", "patient": {"age_years": False}}
        ),
        headers=JSON,
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert {
        "path": "patient.age_years",
        "message": "got false; must be a number (years)",
    } in r.json()["errors"]
    assert (
        api.client.post(
            "/api/v1/evaluate", content=b"{}", headers={"Content-Type": "text/plain"}
        ).status_code
        == 415
    )
    assert api.client.post("/api/v1/evaluate", content=b"[" * 2000, headers=JSON).status_code == 422
    big = b'{"x": "' + b"a" * 3_000_000 + b'"}'
    assert api.client.post("/api/v1/evaluate", content=big, headers=JSON).status_code == 413


def test_a_request_over_the_time_limit_is_a_503(engine: Engine) -> None:
    app = create_app(
        load_settings(database_url=str(engine.url), api_request_seconds=0.000001), engine=engine
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post(
            "/api/v1/evaluate",
            content=(ROOT / "examples" / "cidp-typical.json").read_bytes(),
            headers=JSON,
        )
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert "took longer than" in r.json()["detail"]


def test_production_refuses_a_cors_wildcard() -> None:
    secret = "a long random value for this site only"
    with pytest.raises(InputError, match="cors_origins: a development-only value"):
        load_settings(environment="production", cors_origins=["*"], session_secret=secret)
    assert load_settings(
        environment="production", cors_origins=["https://ehr.example"], session_secret=secret
    )
