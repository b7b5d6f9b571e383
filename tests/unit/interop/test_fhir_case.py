"""A case as a FHIR R4 Bundle and back (decision H7): nothing lost, read from the
resources themselves, every Bundle valid for the R4B models and neuroig's own checks."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroig.case import case_from_data, case_to_data
from neuroig.errors import InputError
from neuroig.interop.fhir_case import (
    CASE_ELEMENT_SYSTEM,
    EXT,
    case_bundle,
    case_from_bundle,
    check_bundle,
)
from neuroig.services.fhir import bundle_of, case_of_bundle

EXAMPLES = sorted((Path(__file__).parents[3] / "examples").glob("*.json"))


def canonical(path: Path) -> dict[str, Any]:
    return case_to_data(case_from_data(json.loads(path.read_text("utf-8"))))


def resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_round_trips_through_fhir_resources(path: Path) -> None:
    document = canonical(path)
    bundle = bundle_of(document)
    Bundle.model_validate(bundle)
    check_bundle(bundle)
    wire = json.loads(json.dumps(bundle))
    # the case is read from the resources: no resource holds the document itself
    assert '"case_id"' not in json.dumps(wire["entry"][1:])
    assert case_of_bundle(wire) == document


def test_the_resources_carry_the_values_where_fhir_expects_them() -> None:
    document = canonical(Path(EXAMPLES[0]).with_name("mmn-declining-response.json"))
    bundle = case_bundle(document)
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"] == [
        {"system": "urn:neuroig:case-id", "value": "example-mmn-declining-response"}
    ]
    assert patient["gender"] == document["patient"]["sex"]
    observations = {o["extension"][0]["valueString"]: o for o in resources(bundle, "Observation")}
    weight = observations['["patient", "weight_kg"]']
    assert weight["code"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "29463-7",
        "display": "Body weight",
    }
    assert weight["valueQuantity"]["code"] == "kg"
    latency = observations['["ncs", "motor", 0, "sites", 0, "latency_ms"]']
    assert latency["code"]["coding"] == [
        {"system": CASE_ELEMENT_SYSTEM, "code": "ncs.motor[].sites[].latency_ms"}
    ]
    assert latency["valueQuantity"] == {
        "value": document["ncs"]["motor"][0]["sites"][0]["latency_ms"],
        "unit": "ms",
        "system": "http://unitsofmeasure.org",
        "code": "ms",
    }
    assert latency["effectiveDateTime"] == document["ncs"]["date"]
    infusions = resources(bundle, "MedicationAdministration")
    assert len(infusions) == len(document["infusions"])
    first = document["infusions"][0]
    assert infusions[0]["medicationCodeableConcept"]["coding"][0]["code"] == first["product"]
    assert infusions[0]["dosage"]["dose"]["value"] == first["dose_g"]
    assert infusions[0]["effectiveDateTime"] == first["date"]
    assert len(resources(bundle, "MedicationRequest")) == len(document["treatments"])


def test_with_an_assessment_the_bundle_names_the_rules_and_the_input_hash() -> None:
    bundle = bundle_of(EXAMPLES[0])
    (report,) = resources(bundle, "DiagnosticReport")
    (provenance,) = resources(bundle, "Provenance")
    assert "mmn_efns_pns_2010:" in report["conclusion"]
    texts = [e["valueString"] for e in provenance["extension"] if e["url"] == EXT["rules"]]
    assert any(t.startswith("input_sha256 ") and len(t) == 13 + 64 for t in texts)
    assert provenance["agent"][0]["who"]["display"].startswith("neuroig ")


def _mmn() -> dict[str, Any]:
    return case_bundle(canonical(EXAMPLES[0].with_name("mmn-definite.json")))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            lambda b: b["entry"].append(
                {
                    "resource": {
                        "resourceType": "Flag",
                        "status": "active",
                        "code": {"text": "x"},
                        "subject": {"reference": b["entry"][0]["fullUrl"]},
                    }
                }
            ),
            "Patient, Observation",
        ),
        (lambda b: b["entry"][1]["resource"].pop("extension"), "case-path extension"),
        (
            lambda b: b["entry"][1]["resource"]["extension"][0].update(valueString="[1, -2]"),
            "JSON list of keys",
        ),
        (lambda b: b["entry"].append(copy.deepcopy(b["entry"][0])), "exactly one Patient"),
        (
            lambda b: b["entry"][1]["resource"]["extension"][0].update(
                valueString='["labs", "x", 1000000000]'
            ),
            "positions below",
        ),
        (lambda b: b["entry"][1]["resource"].update(status="done"), "final"),
        (
            lambda b: b["entry"][1]["resource"].update(subject={"reference": "urn:uuid:nobody"}),
            "fullUrl of an entry",
        ),
        (lambda b: b["entry"][1]["resource"].update(status=5), "valid FHIR R4 value"),
        (
            lambda b: b["entry"][1]["resource"].update(
                dataAbsentReason={"coding": [{"system": "urn:x", "code": "unknown"}]}
            ),
            "obs-6",
        ),
    ],
    ids=[
        "unknown-type",
        "no-path",
        "bad-path",
        "two-patients",
        "huge-position",
        "status",
        "reference",
        "model",
        "two-values",
    ],
)
def test_what_cannot_be_placed_is_named(change: Any, match: str) -> None:
    bundle = _mmn()
    change(bundle)
    with pytest.raises(InputError, match=match):
        case_from_bundle(bundle)


def test_a_body_weight_from_another_system_is_read_by_its_loinc_code() -> None:
    bundle = _mmn()
    weight = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"].get("code", {}).get("text") == "patient.weight_kg"
    )
    weight.pop("extension")
    weight["code"] = {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]}
    weight["valueQuantity"] = {
        "value": 81.5,
        "unit": "kg",
        "system": "http://unitsofmeasure.org",
        "code": "kg",
    }
    assert case_of_bundle(bundle)["patient"]["weight_kg"] == 81.5
    weight["valueQuantity"]["code"] = "[lb_av]"
    with pytest.raises(InputError, match=r"valueQuantity\.code"):
        case_of_bundle(bundle)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=40, deadline=None)
@given(note=JSON_VALUES, key=st.text(min_size=1, max_size=12))
def test_the_users_own_x_keys_survive_whatever_they_hold(note: Any, key: str) -> None:
    document = canonical(EXAMPLES[0].with_name("mmn-definite.json"))
    document[f"x_{key}"] = note
    document["patient"]["x_note"] = {"nested": note}
    back = case_from_bundle(json.loads(json.dumps(case_bundle(document))))
    assert back[f"x_{key}"] == note
    assert back["patient"]["x_note"] == {"nested": note}


def test_a_met_criteria_set_gives_a_provisional_condition_with_its_evidence() -> None:
    cidp = bundle_of(EXAMPLES[0].with_name("cidp-typical.json"))
    (condition,) = resources(cidp, "Condition")
    assert [c["code"] for c in condition["code"]["coding"]] == ["128209004", "G61.81"]
    assert condition["verificationStatus"]["coding"][0]["code"] == "provisional"
    assert [e["code"][0]["text"] for e in condition["evidence"]] == [
        "cidp_ean_pns_2021: cidp",
        "cidp_efns_pns_2010: definite",
    ]
    mmn = bundle_of(EXAMPLES[0].with_name("mmn-definite.json"))
    (condition,) = resources(mmn, "Condition")
    assert condition["code"] == {"text": "Multifocal motor neuropathy"}  # no unconfirmed code
    assert resources(bundle_of(EXAMPLES[0].with_name("mnd-mimic.json")), "Condition") == []
