"""Cohort figures over the API (decision G14): the caller's sites only, audited."""

from __future__ import annotations

import json

from tests.api.conftest import Api, example

CASE = example("cidp-ivig-responder")


def _save(api: Api) -> None:
    headers = {**api.headers("root"), "Content-Type": "application/json"}
    r = api.client.post("/api/v1/patients?site=site-a", content=json.dumps(CASE), headers=headers)
    assert r.status_code == 201, r.text


def test_cohort_figures_over_the_api_are_the_reports(api: Api) -> None:
    _save(api)
    r = api.client.get("/api/v1/cohort?on=2026-12-01", headers=api.headers("clinician-a"))
    assert r.status_code == 200, r.text
    figures = r.json()
    assert (figures["as_of"], figures["patients"], figures["by_diagnosis"]) == (
        "2026-12-01",
        1,
        {"cidp": 1},
    )
    other = api.client.get("/api/v1/cohort", headers=api.headers("clinician-b")).json()
    assert other["patients"] == 0
