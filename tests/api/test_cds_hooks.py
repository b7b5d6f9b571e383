"""CDS Hooks 2.0 through the API: a test EHR signs its calls with a generated key.

Expected cards are worked out from the examples by hand: ``mmn-declining-response`` is a
definite MMN (EFNS/PNS 2010) on IVIg maintenance whose plan with Privigen gives 45 g on
each of two days (1.1111 g/kg on the BloodSTAR 2026 dosing weight of 81 kg, rounded to
whole packs: see ``neuroig plan examples/mmn-declining-response.json --product privigen``)
and only ``info`` safety findings; prednisone in MMN is gated (GATE-MMN-STEROIDS,
EFNS/PNS 2010 MMN guideline); anti-IgA antibodies block every product but the
lowest-IgA one (SAFE-IGA-ANTIBODIES; Octagam 10 % has up to 400 µg/mL IgA).
"""

from __future__ import annotations

import copy
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from tests.api.conftest import PASSWORD, example

from neuroig.api import create_app
from neuroig.schemas.cds import CdsRequest, CdsResponse, Discovery
from neuroig.services import registry
from neuroig.settings import load_settings
from neuroig.store.models import AuditEntry

BASE = "http://testserver"
ISSUER = "https://ehr.test"
SYSTEM = "urn:neuroig:case-id"


@dataclass
class Ehr:
    """A test EHR: signs each hook call with its own ES384 key (or another key)."""

    client: TestClient
    engine: Engine
    key: Any = field(default_factory=lambda: ec.generate_private_key(ec.SECP384R1()))
    kid: str = "ehr-key-1"

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "ES384", "use": "sig"}]}

    def token(self, service: str, **changes: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": "ehr-client",
            "aud": f"{BASE}/cds-services/{service}",
            "exp": now + 300,
            "iat": now,
            "jti": str(uuid.uuid4()),
        }
        claims.update(changes.pop("claims", {}))
        key = changes.pop("key", self.key)
        alg = changes.pop("alg", "ES384")
        return jwt.encode(claims, key, algorithm=alg, headers={"kid": self.kid})

    def request(self, hook: str, patient: str, context: dict[str, Any]) -> dict[str, Any]:
        body = {
            "hook": hook,
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/p1", "patientId": patient, **context},
            "prefetch": {"patient": fhir_patient(patient)},
        }
        jsonschema.validate(body, CdsRequest.model_json_schema())
        return body

    def call(self, service: str, body: dict[str, Any], token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token(service)}"}
        return self.client.post(f"/cds-services/{service}", json=body, headers=headers)


def fhir_patient(patient: str) -> dict[str, Any]:
    """The EHR's Patient: its own id and the registry case id as an identifier."""
    return {
        "resourceType": "Patient",
        "id": patient,
        "identifier": [
            {"system": "urn:oid:1.2.3.4", "value": f"MRN-{patient}"},
            {"system": SYSTEM, "value": CASE_IDS[patient]},
        ],
    }


CASE_IDS = {
    "p-mmn": "example-mmn-declining-response",
    "p-iga": "cds-anti-iga",
    "p-other-site": "cds-other-site",
    "p-not-followed": "not-in-the-registry",
}


def order(
    oid: str,
    patient: str,
    *,
    text: str,
    dose: dict[str, Any] | None = None,
    atc: str | None = None,
) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if atc:
        concept["coding"] = [{"system": "http://www.whocc.no/atc", "code": atc}]
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": oid,
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{patient}"},
        "medicationCodeableConcept": concept,
    }
    if dose is not None:
        resource["dosageInstruction"] = [{"doseAndRate": [{"doseQuantity": dose}]}]
    return resource


def grams(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "g", "system": "http://unitsofmeasure.org", "code": "g"}


def bundle(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }


@pytest.fixture
def ehr(engine: Engine, tmp_path: Path) -> Iterator[Ehr]:
    registry.add_user(engine, None, "root", "admin", ["site-a", "site-b"], PASSWORD)
    root = registry.resolve_actor(engine, "root")
    registry.add_user(engine, root, "ehr-a", "clinician", ["site-a"], PASSWORD)
    registry.save_case(engine, root, example("mmn-declining-response"), site="site-a")
    anti = example("mmn-declining-response")
    anti["case_id"] = CASE_IDS["p-iga"]
    anti["labs"]["anti_iga"] = True
    registry.save_case(engine, root, anti, site="site-a")
    other = copy.deepcopy(anti)
    other["case_id"] = CASE_IDS["p-other-site"]
    registry.save_case(engine, root, other, site="site-b")
    keys = tmp_path / "ehr-jwks.json"
    settings = load_settings(
        database_url=str(engine.url),
        cds_user="ehr-a",
        cds_jwks_file=keys,
        cds_issuers=[ISSUER],
    )
    app = create_app(settings, engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        test_ehr = Ehr(client, engine)
        keys.write_text(json.dumps(test_ehr.jwks()), encoding="utf-8")
        yield test_ehr


def cards(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    document = response.json()
    jsonschema.validate(document, CdsResponse.model_json_schema())
    found: list[dict[str, Any]] = document["cards"]
    for card in found:
        assert len(card["summary"]) < 140
    return found


def test_discovery_lists_the_three_services_with_their_prefetch(ehr: Ehr) -> None:
    r = ehr.client.get("/cds-services")
    assert r.status_code == 200
    jsonschema.validate(r.json(), Discovery.model_json_schema())
    services = {s["id"]: s for s in r.json()["services"]}
    assert {s["hook"] for s in services.values()} == {"patient-view", "order-select", "order-sign"}
    for service in services.values():
        assert service["prefetch"] == {"patient": "Patient/{{context.patientId}}"}


def test_an_mmn_patient_with_an_ivig_order_at_the_planned_dose_gets_no_warning(ehr: Ehr) -> None:
    body = ehr.request(
        "order-sign",
        "p-mmn",
        {"draftOrders": bundle(order("o1", "p-mmn", text="Privigen 10%", dose=grams(45)))},
    )
    found = cards(ehr.call("neuroig-order-sign", body))
    assert [c["indicator"] for c in found if c["indicator"] != "info"] == []


def test_a_steroid_order_in_mmn_gets_a_critical_card(ehr: Ehr) -> None:
    steroid = order("o2", "p-mmn", text="prednisolone 60 mg", atc="H02AB06")
    body = ehr.request(
        "order-select",
        "p-mmn",
        {"selections": ["MedicationRequest/o2"], "draftOrders": bundle(steroid)},
    )
    found = cards(ehr.call("neuroig-order-select", body))
    critical = [c for c in found if c["indicator"] == "critical"]
    assert [c["source"]["topic"]["code"] for c in critical] == ["GATE-MMN-STEROIDS"]
    assert critical[0]["summary"].startswith("GATE-MMN-STEROIDS blocks prednisolone 60 mg")


def test_an_order_above_the_authorised_dose_gets_a_warning_with_the_corrected_dose(
    ehr: Ehr,
) -> None:
    ivig = order("o3", "p-mmn", text="Privigen", dose=grams(60))
    body = ehr.request(
        "order-select",
        "p-mmn",
        {"selections": ["MedicationRequest/o3"], "draftOrders": bundle(ivig)},
    )
    found = cards(ehr.call("neuroig-order-select", body))
    (warning,) = [c for c in found if c["indicator"] == "warning"]
    assert warning["summary"] == "Privigen: 60 g is above the 45 g the plan authorises"
    assert warning["selectionBehavior"] == "at-most-one"
    (action,) = warning["suggestions"][0]["actions"]
    assert action["type"] == "update"
    corrected = action["resource"]
    assert corrected["id"] == "o3"
    assert corrected["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"] == {
        "value": 45.0,
        "unit": "g",
        "system": "http://unitsofmeasure.org",
        "code": "g",
    }


def test_order_select_checks_only_the_selected_orders(ehr: Ehr) -> None:
    body = ehr.request(
        "order-select",
        "p-mmn",
        {
            "selections": ["MedicationRequest/o5"],
            "draftOrders": bundle(
                order("o4", "p-mmn", text="prednisone", atc="H02AB07"),
                order("o5", "p-mmn", text="Privigen", dose=grams(45)),
            ),
        },
    )
    assert [
        c for c in cards(ehr.call("neuroig-order-select", body)) if c["indicator"] != "info"
    ] == []


def test_anti_iga_with_an_iga_rich_product_gets_a_critical_card(ehr: Ehr) -> None:
    body = ehr.request(
        "order-sign",
        "p-iga",
        {"draftOrders": bundle(order("o6", "p-iga", text="Octagam 10%", dose=grams(45)))},
    )
    found = cards(ehr.call("neuroig-order-sign", body))
    critical = [c for c in found if c["indicator"] == "critical"]
    assert [c["source"]["topic"]["code"] for c in critical] == ["SAFE-IGA-ANTIBODIES"]
    assert "Octagam 10%" in critical[0]["detail"]


def test_patient_view_shows_the_categories(ehr: Ehr) -> None:
    found = cards(ehr.call("neuroig-patient-view", ehr.request("patient-view", "p-mmn", {})))
    assert found[0]["summary"] == "Criteria: MMN definite"
    assert found[0]["indicator"] == "info"
    assert "- MMN, AAEM 2003: **not evaluable**" in found[0]["detail"]


def test_a_patient_the_registry_does_not_follow_gets_no_card(ehr: Ehr) -> None:
    body = ehr.request("patient-view", "p-not-followed", {})
    assert cards(ehr.call("neuroig-patient-view", body)) == []


def test_a_patient_of_another_site_is_refused_and_the_refusal_audited(ehr: Ehr) -> None:
    body = ehr.request("patient-view", "p-other-site", {})
    r = ehr.call("neuroig-patient-view", body)
    assert r.status_code == 403
    with ehr.engine.connect() as c:
        actors = c.execute(select(AuditEntry.actor, AuditEntry.detail)).all()
    assert any(a == "ehr-a" and "refused" in d for a, d in actors)


def test_every_hook_read_is_audited_under_the_cds_user(ehr: Ehr) -> None:
    cards(ehr.call("neuroig-patient-view", ehr.request("patient-view", "p-mmn", {})))
    with ehr.engine.connect() as c:
        reads = (
            c.execute(select(AuditEntry.actor).where(AuditEntry.action == "case.read"))
            .scalars()
            .all()
        )
    assert reads == ["ehr-a"]


@pytest.mark.parametrize(
    "change",
    [
        "no token",
        "another key",
        "another audience",
        "expired",
        "unknown issuer",
        "HS256",
        "RS256",
        "no jti",
    ],
)
def test_unsigned_or_wrongly_signed_calls_are_refused(ehr: Ehr, change: str) -> None:
    service = "neuroig-patient-view"
    body = ehr.request("patient-view", "p-mmn", {})
    now = int(time.time())
    tokens: dict[str, str] = {
        "another key": ehr.token(service, key=ec.generate_private_key(ec.SECP384R1())),
        "another audience": ehr.token(service, claims={"aud": f"{BASE}/cds-services/other"}),
        "expired": ehr.token(service, claims={"exp": now - 120, "iat": now - 600}),
        "unknown issuer": ehr.token(service, claims={"iss": "https://evil.test"}),
        "HS256": jwt.encode({"iss": ISSUER}, "secret-shared-key-of-32-bytes!!!", algorithm="HS256"),
        "RS256": ehr.token(
            service, key=rsa.generate_private_key(public_exponent=65537, key_size=2048), alg="RS256"
        ),
    }
    if change == "no token":
        r = ehr.client.post(f"/cds-services/{service}", json=body)
    elif change == "no jti":
        claims = {
            "iss": ISSUER,
            "aud": f"{BASE}/cds-services/{service}",
            "exp": now + 60,
            "iat": now,
        }
        token = jwt.encode(claims, ehr.key, algorithm="ES384", headers={"kid": ehr.kid})
        r = ehr.call(service, body, token)
    else:
        r = ehr.call(service, body, tokens[change])
    assert r.status_code == 401, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    with ehr.engine.connect() as c:
        assert (
            c.execute(select(AuditEntry.action).where(AuditEntry.action == "case.read")).all() == []
        )


def test_a_replayed_token_is_refused(ehr: Ehr) -> None:
    service = "neuroig-patient-view"
    token = ehr.token(service)
    assert ehr.call(service, ehr.request("patient-view", "p-mmn", {}), token).status_code == 200
    again = ehr.call(service, ehr.request("patient-view", "p-mmn", {}), token)
    assert again.status_code == 401
    assert "used before" in again.json()["detail"]


def test_a_draft_order_for_another_patient_is_an_input_error(ehr: Ehr) -> None:
    body = ehr.request(
        "order-sign",
        "p-mmn",
        {"draftOrders": bundle(order("o7", "p-iga", text="Privigen", dose=grams(45)))},
    )
    r = ehr.call("neuroig-order-sign", body)
    assert r.status_code == 422
    assert "subject.reference" in r.json()["detail"]


def test_a_dose_in_millilitres_is_said_to_be_unchecked(ehr: Ehr) -> None:
    ml = {"value": 450, "unit": "mL", "system": "http://unitsofmeasure.org", "code": "mL"}
    body = ehr.request(
        "order-sign",
        "p-mmn",
        {"draftOrders": bundle(order("o8", "p-mmn", text="Privigen", dose=ml))},
    )
    found = cards(ehr.call("neuroig-order-sign", body))
    assert [c["summary"] for c in found] == ["neuroig could not check the dose of Privigen"]
    assert "'mL' is not a mass" in found[0]["detail"]


def test_cds_hooks_are_off_without_a_cds_user(engine: Engine) -> None:
    app = create_app(load_settings(database_url=str(engine.url)), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/cds-services").status_code == 404


def test_an_order_without_an_identified_product_says_what_was_not_checked(ehr: Ehr) -> None:
    atc_only = order("o9", "p-iga", text="immune globulin", atc="J06BA02", dose=grams(45))
    body = ehr.request("order-sign", "p-iga", {"draftOrders": bundle(atc_only)})
    found = cards(ehr.call("neuroig-order-sign", body))
    # the IgA block belongs to a product: it is not guessed from the recorded product
    assert [c["indicator"] for c in found] == ["info"]
    assert found[0]["summary"] == "neuroig could not identify the product of immune globulin"
