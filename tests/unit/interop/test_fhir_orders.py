"""Reading draft orders and the Patient of a CDS Hooks call (decision H3)."""

from __future__ import annotations

from typing import Any

import pytest

from neuroig.errors import InputError
from neuroig.interop.codes import PRODUCT_SYSTEM
from neuroig.interop.fhir_orders import draft_orders, patient_identifiers


def request(concept: dict[str, Any], **changes: Any) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": "o1",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": concept,
        "dosageInstruction": [
            {"doseAndRate": [{"doseQuantity": {"value": 30000, "unit": "mg", "code": "mg"}}]}
        ],
    }
    resource.update(changes)
    return resource


def orders(*resources: dict[str, Any]) -> Any:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": r} for r in resources],
    }
    return draft_orders(bundle, "p1")


def test_a_product_is_read_from_neuroig_s_code_system_and_mg_become_grams() -> None:
    (o,) = orders(request({"coding": [{"system": PRODUCT_SYSTEM, "code": "kiovig"}]}))
    assert (o.kind, o.product, o.dose_g, o.reference) == (
        "immunoglobulin",
        "kiovig",
        30.0,
        "MedicationRequest/o1",
    )


def test_the_longer_product_name_wins_and_two_products_are_not_guessed() -> None:
    (o,) = orders(request({"text": "OCTAGAM 10% 20 g/200 mL"}))
    assert o.product == "octagam_10"
    (o,) = orders(request({"text": "Privigen or Kiovig"}))
    assert (o.kind, o.product) == ("immunoglobulin", None)


def test_an_atc_immunoglobulin_without_a_product_and_a_steroid_by_name() -> None:
    atc = {"coding": [{"system": "http://www.whocc.no/atc", "code": "J06BA02"}]}
    steroid = request({"text": "Methylprednisolone 1 g IV"}, id="o2")
    other = request({"text": "paracetamol 1 g"}, id="o3")
    found = orders(request(atc), steroid, other)
    assert [(o.kind, o.product) for o in found] == [
        ("immunoglobulin", None),
        ("corticosteroid", None),
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "signed"}, "status"),
        ({"intent": "wish"}, "intent"),
        ({"subject": {"reference": "Patient/p2"}}, "subject.reference"),
        ({"bogus": 1}, "bogus"),
    ],
)
def test_value_sets_references_and_unknown_keys_are_checked(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(InputError) as err:
        orders(request({"text": "Privigen"}, **changes))
    assert field in err.value.field


def test_an_unknown_product_code_and_an_absurd_dose_are_refused() -> None:
    with pytest.raises(InputError, match="catalogue"):
        orders(request({"coding": [{"system": PRODUCT_SYSTEM, "code": "nope"}]}))
    huge = [{"doseAndRate": [{"doseQuantity": {"value": 5000, "unit": "g", "code": "g"}}]}]
    with pytest.raises(InputError, match="at most 1000 g"):
        orders(request({"text": "Privigen"}, dosageInstruction=huge))


def test_the_patient_must_be_the_patient_of_the_call() -> None:
    patient = {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": "urn:x", "value": "1"}, {"value": "no system"}],
    }
    assert patient_identifiers(patient, "p1") == [("urn:x", "1")]
    with pytest.raises(InputError, match="patientId"):
        patient_identifiers(patient, "p2")
    with pytest.raises(InputError, match="Patient resource"):
        patient_identifiers({"resourceType": "Observation"}, "p1")
