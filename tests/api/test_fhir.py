"""FHIR R4 through the API: a patient as a Bundle (audited export, own sites only) and a
Bundle read back into a case (decision H7)."""

from __future__ import annotations

import json

from sqlalchemy import select
from tests.api.conftest import Api, example

from neuroig.store.models import AuditEntry

CASE = example("cidp-ivig-responder")
CASE_ID = CASE["case_id"]


def _save(api: Api) -> None:
    headers = {**api.headers("root"), "Content-Type": "application/json"}
    r = api.client.post("/api/v1/patients?site=site-a", content=json.dumps(CASE), headers=headers)
    assert r.status_code == 201, r.text


def test_a_patient_as_a_bundle_and_back(api: Api) -> None:
    _save(api)
    h = api.headers("clinician-a")
    r = api.client.get(f"/api/v1/patients/{CASE_ID}/fhir", headers=h)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/fhir+json"
    bundle = r.json()
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Observation", "MedicationAdministration", "DiagnosticReport"} <= kinds
    with api.engine.connect() as c:
        rows = c.execute(select(AuditEntry.actor, AuditEntry.action)).all()
    assert ("clinician-a", "case.export") in rows
    back = api.client.post(
        "/api/v1/fhir",
        content=json.dumps(bundle),
        headers={"Content-Type": "application/fhir+json"},
    )
    assert back.status_code == 200, back.text
    stored = api.client.get(f"/api/v1/patients/{CASE_ID}", headers=h).json()
    assert back.json() == stored


def test_another_sites_patient_is_refused(api: Api) -> None:
    _save(api)
    r = api.client.get(f"/api/v1/patients/{CASE_ID}/fhir", headers=api.headers("clinician-b"))
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"


def test_a_bundle_that_cannot_be_read_is_a_problem_naming_the_place(api: Api) -> None:
    r = api.client.post("/api/v1/fhir", content="{}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient"}}],
    }
    r = api.client.post(
        "/api/v1/fhir", content=json.dumps(bundle), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422
    assert "identifier" in r.json()["detail"]
