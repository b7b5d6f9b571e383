"""Draft medication orders and the patient of a CDS Hooks call, read from FHIR R4 JSON.

The resources are checked with the R4B models of ``fhir.resources`` (wire-compatible with
R4 for Patient, Bundle and MedicationRequest: structure, types, unknown keys), then by
the checks those models do not make: the coded values neuroig reads (``status``,
``intent``) against their FHIR R4 value sets, the dose unit against UCUM, and references
(``subject`` must name the patient of the call). An order is recognised as:

- an immunoglobulin product: a coding in neuroig's product system
  (:data:`neuroig.interop.codes.PRODUCT_SYSTEM`, code = catalogue id), else a product
  name or id in the text or a display, else the ATC group J06BA (normal human
  immunoglobulins) without a product;
- a corticosteroid: the ATC group H02AB (glucocorticoids), or the name of one in the
  text or a display;
- anything else is not neuroig's to check (ignored).

Decision H3 (``docs/cds-hooks.md``).
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Literal

from pydantic import ValidationError

from neuroig.errors import InputError
from neuroig.interop.codes import (
    ATC_GLUCOCORTICOIDS,
    ATC_IMMUNOGLOBULINS,
    ATC_SYSTEM,
    CORTICOSTEROID_NAMES,
    PRODUCT_SYSTEM,
    UCUM,
    VALUE_SETS,
)
from neuroig.record import Record
from neuroig.reference.products import products

__all__ = ["DraftOrder", "draft_orders", "patient_identifiers"]

REQUEST_STATUS = VALUE_SETS[("MedicationRequest", "status")]
REQUEST_INTENT = VALUE_SETS[("MedicationRequest", "intent")]
#: grams per unit of the UCUM mass units an immunoglobulin dose may be written in
GRAMS_PER_UNIT = {"g": 1.0, "mg": 0.001}


class DraftOrder(Record, frozen=True):
    """One medication order neuroig checks."""

    #: ``MedicationRequest/<id>`` (the reference a suggestion updates)
    reference: str
    kind: Literal["immunoglobulin", "corticosteroid"]
    #: catalogue id of the immunoglobulin product; None when only the class is known
    product: str | None
    #: the dose of one administration in grams (immunoglobulin), None when not given
    dose_g: float | None
    #: why a dose could not be read (a unit neuroig does not convert), else ""
    dose_problem: str
    #: the order as the EHR sent it (a suggestion returns it with the dose changed)
    resource: dict[str, Any]
    label: str


def _fhir_error(where: str, exc: ValidationError) -> InputError:
    first = exc.errors()[0]
    path = ".".join(str(p) for p in first["loc"])
    return InputError(
        f"{where}.{path}" if path else where,
        repr(first.get("input"))[:80],
        f"a valid FHIR R4 value ({first['msg']}; {exc.error_count()} problem(s) in all)",
    )


def patient_identifiers(resource: Any, patient_id: str) -> list[tuple[str, str]]:
    """The (system, value) identifiers of the prefetched Patient of the call.

    Raises:
        InputError: not a FHIR Patient, or its id is not the call's ``patientId``.
    """
    if not isinstance(resource, dict) or resource.get("resourceType") != "Patient":
        raise InputError("prefetch.patient", type(resource).__name__, "a FHIR Patient resource")
    try:
        patient = _model("patient", "Patient").model_validate(resource)
    except ValidationError as exc:
        raise _fhir_error("prefetch.patient", exc) from None
    if patient.id is not None and patient.id != patient_id:
        raise InputError("prefetch.patient.id", patient.id, f"the call's patientId {patient_id!r}")
    return [
        (str(i.system), str(i.value))
        for i in patient.identifier or ()
        if i.system is not None and i.value is not None
    ]


def draft_orders(bundle: Any, patient_id: str) -> list[DraftOrder]:
    """The immunoglobulin and corticosteroid orders of ``context.draftOrders``.

    Raises:
        InputError: not a FHIR Bundle, a resource fails the R4 models or neuroig's checks
            (value sets, subject, UCUM unit system), naming the path.
    """
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise InputError("context.draftOrders", type(bundle).__name__, "a FHIR Bundle")
    try:
        parsed = _model("bundle", "Bundle").model_validate(bundle)
    except ValidationError as exc:
        raise _fhir_error("context.draftOrders", exc) from None
    out: list[DraftOrder] = []
    for n, entry in enumerate(parsed.entry or ()):
        raw = bundle["entry"][n].get("resource")
        if not isinstance(raw, dict) or raw.get("resourceType") != "MedicationRequest":
            continue
        where = f"context.draftOrders.entry[{n}].resource"
        request = entry.resource
        _check_request(request, where, patient_id)
        order = _recognise(request, raw, where)
        if order is not None:
            out.append(order)
    return out


def _check_request(request: Any, where: str, patient_id: str) -> None:
    if request.status not in REQUEST_STATUS:
        raise InputError(f"{where}.status", request.status, ", ".join(sorted(REQUEST_STATUS)))
    if request.intent not in REQUEST_INTENT:
        raise InputError(f"{where}.intent", request.intent, ", ".join(sorted(REQUEST_INTENT)))
    subject = request.subject.reference if request.subject else None
    if subject != f"Patient/{patient_id}":
        raise InputError(f"{where}.subject.reference", subject, f"Patient/{patient_id}")
    if request.id is None:
        raise InputError(f"{where}.id", None, "an id (a suggestion names the order it changes)")


def _codings(request: Any) -> list[tuple[str, str, str]]:
    concept = request.medicationCodeableConcept
    if concept is None:
        return []
    return [
        (str(c.system or ""), str(c.code or ""), str(c.display or "")) for c in concept.coding or ()
    ]


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9%]+", " ", text.lower()).strip()


def _products_by_text(texts: list[str]) -> set[str]:
    """Catalogue products named in the texts (a longer name wins over its prefix)."""
    catalogue = products()
    found = set()
    for text in texts:
        words = f" {_words(text)} "
        for pid, product in catalogue.items():
            if f" {_words(product.name)} " in words or f" {_words(pid)} " in words:
                found.add(pid)
    # a longer name wins over its prefix ("Octagam 10%" over "Octagam")
    names = {p: _words(catalogue[p].name) for p in found}
    return {p for p in found if not any(q != p and names[q].startswith(names[p]) for q in found)}


def _recognise(request: Any, raw: dict[str, Any], where: str) -> DraftOrder | None:
    codings = _codings(request)
    concept = request.medicationCodeableConcept
    texts = [str(concept.text)] if concept is not None and concept.text else []
    texts += [display for _, _, display in codings if display]
    label = texts[0] if texts else (codings[0][1] if codings else "medication")
    product: str | None = None
    for system, code, _ in codings:
        if system == PRODUCT_SYSTEM:
            if code not in products():
                raise InputError(
                    f"{where}.medicationCodeableConcept.coding",
                    code,
                    f"a product of neuroig's catalogue ({PRODUCT_SYSTEM})",
                )
            product = code
    named = _products_by_text(texts)
    if product is None and len(named) == 1:
        product = next(iter(named))
    atc = [code for system, code, _ in codings if system == ATC_SYSTEM]
    # two products named: an immunoglobulin order whose product is not guessed
    is_ig = (
        product is not None or bool(named) or any(c.startswith(ATC_IMMUNOGLOBULINS) for c in atc)
    )
    steroid_text = any(
        name in _words(text).split() for text in texts for name in CORTICOSTEROID_NAMES
    )
    is_steroid = any(c.startswith(ATC_GLUCOCORTICOIDS) for c in atc) or steroid_text
    reference = f"MedicationRequest/{request.id}"
    if is_ig:
        dose_g, problem = _dose_g(request, where)
        return DraftOrder(reference, "immunoglobulin", product, dose_g, problem, raw, label)
    if is_steroid:
        return DraftOrder(reference, "corticosteroid", None, None, "", raw, label)
    return None


def _dose_g(request: Any, where: str) -> tuple[float | None, str]:
    """The dose of one administration in grams, or why it cannot be read."""
    for dosage in request.dosageInstruction or ():
        for dose_rate in dosage.doseAndRate or ():
            quantity = dose_rate.doseQuantity
            if quantity is None:
                continue
            if quantity.value is None:
                return None, "the order's dose has no value"
            code = str(quantity.code or quantity.unit or "")
            if quantity.system is not None and str(quantity.system) != UCUM:
                raise InputError(f"{where}.dosageInstruction.doseAndRate", quantity.system, UCUM)
            factor = GRAMS_PER_UNIT.get(code)
            if factor is None:
                return None, f"the dose unit {code!r} is not a mass (g or mg)"
            value = float(quantity.value) * factor
            if not 0 < value <= 1000:
                raise InputError(
                    f"{where}.dosageInstruction.doseAndRate.doseQuantity.value",
                    quantity.value,
                    "a dose above 0 and at most 1000 g",
                )
            return value, ""
    return None, "the order gives no dose quantity"


def _model(module: str, name: str) -> Any:
    """A fhir.resources R4B model, imported when a hook is called (the models are large)."""
    return getattr(importlib.import_module(f"fhir.resources.R4B.{module}"), name)
