"""The authorisation matrix of the API: role × endpoint × own/other site × method.

The expected answer of every cell is computed from the one permissions table
(``neuroig.store.permissions.PERMISSIONS``): allowed → 2xx, refused → 403. Tokens of a
demoted user carry the new role at once; tokens of a deactivated user stop working.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tests.api.conftest import ROLES, Api, example

from neuroig.services import registry
from neuroig.store.permissions import PERMISSIONS, Action

JSON = {"Content-Type": "application/json"}
CASE = example("cidp-wear-off")
CASE_ID = CASE["case_id"]


@dataclass(frozen=True)
class Cell:
    method: str
    path: str
    action: Action
    body: Callable[[Api, int], Any] | None = None
    query: str = ""
    needs_version: bool = False


def _put_body(api: Api, n: int) -> Any:
    document = dict(CASE)
    document["patient"] = {**CASE["patient"], "weight_kg": 50 + n}
    return document


def _new_patient(api: Api, n: int) -> Any:
    return {**CASE, "case_id": f"matrix-{n}"}


P = f"/api/v1/patients/{CASE_ID}"
CELLS = (
    Cell("GET", "/api/v1/patients", "case.list"),
    Cell("GET", P, "case.read"),
    Cell("GET", f"{P}/versions/1", "case.read"),
    Cell("GET", f"{P}/assessment", "case.read"),
    Cell("GET", f"{P}/plan", "case.read", query="?product=privigen"),
    Cell("GET", f"{P}/review", "case.read"),
    Cell("GET", f"{P}/versions", "case.history"),
    Cell("GET", f"{P}/fhir", "case.export"),
    Cell("PUT", P, "case.save", _put_body, needs_version=True),
    Cell("POST", "/api/v1/patients", "case.save", _new_patient, query="?site=site-a"),
    Cell(
        "POST",
        f"{P}/infusions",
        "case.infusion",
        lambda api, n: {
            "date": f"2024-07-{n % 28 + 1:02d}",
            "route": "iv",
            "product": "kiovig",
            "dose_g": 60,
        },
    ),
    Cell(
        "POST",
        f"{P}/assessments",
        "case.assessment",
        lambda api, n: {"date": f"2024-08-{n % 28 + 1:02d}", "rankin": 2},
    ),
    Cell("POST", f"{P}/studies", "case.study", lambda api, n: CASE["ncs"]),
    Cell(
        "POST",
        f"{P}/treatments",
        "case.save",
        lambda api, n: {"therapy": "prednisone", "start": f"2024-09-{n % 28 + 1:02d}"},
    ),
    Cell("GET", "/api/v1/audit", "audit.list"),
    Cell("GET", "/api/v1/cohort", "case.list"),
)


def _allowed(role: str, action: Action, own: bool) -> bool:
    scoped = action.startswith("case.") and action != "case.list"
    return role in PERMISSIONS[action] and (own or not scoped)


def _call(api: Api, cell: Cell, headers: dict[str, str], n: int) -> Any:
    h = dict(headers)
    content = None
    if cell.body is not None:
        h.update(JSON)
        content = json.dumps(cell.body(api, n))
    if cell.needs_version:
        h["If-Match"] = f'"{registry.latest_version(api.engine, CASE_ID)}"'
    return api.client.request(cell.method, cell.path + cell.query, content=content, headers=h)


def test_the_matrix(api: Api) -> None:
    root = {**api.headers("root"), **JSON}
    r = api.client.post("/api/v1/patients?site=site-a", content=json.dumps(CASE), headers=root)
    assert r.status_code == 201
    n = 0
    checked = 0
    for role in ROLES:
        for own in (True, False):
            user = f"{role}-{'a' if own else 'b'}"
            headers = api.headers(user)
            for cell in CELLS:
                n += 1
                r = _call(api, cell, headers, n)
                expected = _allowed(role, cell.action, own)
                where = f"{user} {cell.method} {cell.path} ({cell.action})"
                if expected:
                    assert r.status_code in (200, 201), f"{where}: {r.status_code} {r.text}"
                    if cell.path == "/api/v1/patients" and cell.method == "GET":
                        seen = [p["case_id"] for p in r.json()["items"]]
                        assert (CASE_ID in seen) == own, where
                else:
                    assert r.status_code == 403, f"{where}: {r.status_code} {r.text}"
                    assert r.headers["content-type"] == "application/problem+json"
                checked += 1
    assert checked == len(ROLES) * 2 * len(CELLS)
    # the table itself allows something to every role but the auditor on patients
    assert any(_allowed(role, "case.read", True) for role in ROLES)


@pytest.mark.parametrize("change", ["demote", "deactivate"])
def test_tokens_follow_the_users_current_role_and_state(api: Api, change: str) -> None:
    root_actor = registry.resolve_actor(api.engine, "root")
    root = {**api.headers("root"), **JSON}
    api.client.post("/api/v1/patients?site=site-a", content=json.dumps(CASE), headers=root)
    headers = api.headers("clinician-a")
    assert api.client.get(P, headers=headers).status_code == 200
    if change == "demote":
        registry.update_user(api.engine, root_actor, "clinician-a", role="auditor")
        r = api.client.get(P, headers=headers)
        assert r.status_code == 403
        assert "role auditor" in r.json()["detail"]
    else:
        registry.update_user(api.engine, root_actor, "clinician-a", active=False)
        r = api.client.get(P, headers=headers)
        assert (r.status_code, r.json()["detail"]) == (
            401,
            "the user of this token is no longer active",
        )
        login = api.client.post(
            "/api/v1/auth/token",
            data={"username": "clinician-a", "password": "correct horse battery"},
        )
        assert login.status_code == 401
