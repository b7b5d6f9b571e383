"""A case as a FHIR R4 Bundle and back, losing nothing (decision H7, ``docs/fhir.md``).

Export (:func:`case_bundle`), a ``collection`` Bundle of:

- ``Patient``: the case id as an identifier (system :data:`CASE_ID_SYSTEM`), ``gender``
  and ``birthDate``; the case format, empty lists and objects and the ``x_`` keys (the
  user's own annotations, as JSON) as extensions;
- one ``Observation`` per recorded value (a nerve-conduction measure, an outcome
  measure, an examination finding, a lab value, …): ``code`` in neuroig's case-element
  code system (the field's path without list positions, e.g.
  ``ncs.motor[].sites[].latency_ms``; LOINC 8302-2 / 29463-7 added for body height and
  weight), the value with its UCUM unit from the field name, the date of its study or
  assessment, and the exact path (an extension) that puts it back;
- one ``MedicationAdministration`` per infusion (product, dose in g, route, date) and one
  ``MedicationRequest`` per treatment course (therapy, product, start), their other
  fields as extensions;
- with an assessment: a ``DiagnosticReport`` of the criteria categories, a provisional
  ``Condition`` per disease whose criteria set is met (its sets as evidence) and a
  ``Provenance`` naming neuroig's version, the rules versions and the input hash.

Import (:func:`case_from_bundle`) reads the case back from those resources only (never
from a copy of the document); the Bundle is checked with the R4B models of
``fhir.resources`` first. A resource neuroig cannot place is an error naming it.
"""

from __future__ import annotations

import importlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import ValidationError

from neuroig._version import __version__
from neuroig.case.boundary import MAX_DEPTH, MAX_VALUES
from neuroig.errors import InputError
from neuroig.interop.codes import PRODUCT_SYSTEM, UCUM, VALUE_SETS

__all__ = [
    "CASE_ELEMENT_SYSTEM",
    "CASE_ID_SYSTEM",
    "EXT",
    "case_bundle",
    "case_from_bundle",
    "check_bundle",
]

CASE_ID_SYSTEM: Final = "urn:neuroig:case-id"
CASE_ELEMENT_SYSTEM: Final = "urn:neuroig:codesystem:case-element"
ROUTE_SYSTEM: Final = "urn:neuroig:codesystem:route"
THERAPY_SYSTEM: Final = "urn:neuroig:codesystem:therapy"
LOINC: Final = "http://loinc.org"
ABSENT: Final = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
_BASE: Final = "urn:neuroig:fhir:extension:"
#: the extensions neuroig writes (name → URL)
EXT: Final = {
    name: _BASE + name for name in ("case-path", "case-field", "case-empty", "case-private")
} | {"case-format": _BASE + "case-format", "rules": _BASE + "rules"}
VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
#: the diagnosis written as a Condition when a criteria set of it is met (decision H7):
#: SNOMED CT International concept 128209004 and ICD-10-CM (FY2026) G61.81 for CIDP; no
#: code for MMN, whose codes could not be confirmed from a primary source
_DISEASES: Final[dict[str, tuple[str, tuple[dict[str, str], ...]]]] = {
    "cidp": (
        "Chronic inflammatory demyelinating polyradiculoneuropathy",
        (
            {
                "system": "http://snomed.info/sct",
                "code": "128209004",
                "display": "Chronic inflammatory demyelinating polyradiculoneuropathy",
            },
            {
                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                "code": "G61.81",
                "display": "Chronic inflammatory demyelinating polyneuritis",
            },
        ),
    ),
    "mmn": ("Multifocal motor neuropathy", ()),
}
#: LOINC codes of the vital signs a case records (FHIR R4 vital signs profile)
_LOINC: Final = {
    "patient.height_cm": ("8302-2", "Body height"),
    "patient.weight_kg": ("29463-7", "Body weight"),
}
#: field-name suffix → UCUM unit (the case format's unit-in-the-name convention)
_UNITS: Final = (
    ("_m_s", "m/s"),
    ("_mvms", "mV.ms"),
    ("_ms", "ms"),
    ("_mv", "mV"),
    ("_uv", "uV"),
    ("_mm", "mm"),
    ("_cm", "cm"),
    ("_kg", "kg"),
    ("_g_l", "g/L"),
    ("_u_l", "U/L"),
    ("_umol_l", "umol/L"),
    ("_ml_min", "mL/min"),
    ("_per_ul", "/uL"),
    ("_pct", "%"),
    ("_hz", "Hz"),
    ("_c", "Cel"),
    ("_min", "min"),
    ("_s", "s"),
    ("_g", "g"),
    ("_years", "a"),
    ("_days", "d"),
)
_RECORDS: Final = ("infusions", "treatments")

Path = tuple[str | int, ...]
#: the largest list position a path may name (a case holds far fewer values; a larger
#: one would make import build a huge list)
MAX_POSITION: Final = MAX_VALUES


def _unit(key: str) -> str:
    return next((unit for suffix, unit in _UNITS if key.endswith(suffix)), "1")


def _code(path: Path) -> str:
    out = ""
    for part in path:
        out += "[]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _leaves(value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    """(path, value) of every scalar; an empty list or object is a leaf of its own."""
    if isinstance(value, dict):
        if not value:
            yield path, {}
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        if not value:
            yield path, []
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path, value


def _private(path: Path) -> bool:
    return any(isinstance(p, str) and p.startswith("x_") for p in path)


def _typed(value: Any, key: str) -> dict[str, Any]:
    """An extension's value[x] for a scalar."""
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def _field_ext(path: Path, value: Any) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"url": "path", "valueString": json.dumps(list(path))}]
    if value is not None:
        parts.append({"url": "value", **_typed(value, str(path[-1]))})
    return {"url": EXT["case-field"], "extension": parts}


def _observation_value(path: Path, value: Any) -> dict[str, Any]:
    key = str(path[-1]) if path and isinstance(path[-1], str) else str(path[-2])
    if value is None:
        return {"dataAbsentReason": {"coding": [{"system": ABSENT, "code": "unknown"}]}}
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        unit = _unit(key)
        return {"valueQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}
    return {"valueString": str(value)}


def case_bundle(
    document: dict[str, Any], assessment: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The Bundle of a case document (its canonical data); with ``assessment`` (the
    ``neuroig-assessment/1`` document) also a DiagnosticReport and a Provenance."""
    case_id = str(document["case_id"])

    def full_url(kind: str, n: int | str) -> str:
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'neuroig:{case_id}:{kind}:{n}')}"

    patient_url = full_url("patient", 0)
    subject = {"reference": patient_url}
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [{"system": CASE_ID_SYSTEM, "value": case_id}],
    }
    extensions: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = [{"fullUrl": patient_url, "resource": patient}]
    info = document.get("patient") or {}
    if "sex" in info:
        patient["gender"] = info["sex"]
    if "birth_date" in info:
        patient["birthDate"] = info["birth_date"]
    if "format" in document:
        extensions.append({"url": EXT["case-format"], "valueString": document["format"]})
    records: dict[tuple[str, int], list[tuple[Path, Any]]] = {}
    n = 0
    for path, value in _leaves(document, ()):
        if path in (("case_id",), ("format",), ("patient", "sex"), ("patient", "birth_date")):
            continue
        if _private(path):
            continue
        if value in ([], {}):
            extensions.append(
                {
                    "url": EXT["case-empty"],
                    "extension": [
                        {"url": "path", "valueString": json.dumps(list(path))},
                        {"url": "kind", "valueCode": "list" if value == [] else "object"},
                    ],
                }
            )
            continue
        if path[0] in _RECORDS and len(path) > 2:
            records.setdefault((str(path[0]), int(path[1])), []).append((path[2:], value))
            continue
        entries.append(
            {
                "fullUrl": full_url("observation", n),
                "resource": _observation(path, value, document, subject),
            }
        )
        n += 1
    for path, value in _private_values(document, ()):
        extensions.append(
            {
                "url": EXT["case-private"],
                "extension": [
                    {"url": "path", "valueString": json.dumps(list(path))},
                    {"url": "json", "valueString": json.dumps(value, ensure_ascii=False)},
                ],
            }
        )
    for (kind, index), fields in sorted(records.items()):
        make = _administration if kind == "infusions" else _request
        resource = make(index, dict(fields), subject)
        entries.append({"fullUrl": full_url(kind, index), "resource": resource})
    if extensions:
        patient["extension"] = extensions
    if assessment is not None:
        entries += _assessment_entries(assessment, subject, full_url)
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def _private_values(value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    """Each ``x_`` key's value (whole), wherever it is."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(k, str) and k.startswith("x_"):
                yield (*path, k), v
            else:
                yield from _private_values(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _private_values(v, (*path, i))


def _date_of(path: Path, document: dict[str, Any]) -> str | None:
    """The date of the study or assessment a value belongs to."""
    if path[0] == "ncs":
        return (document.get("ncs") or {}).get("date")
    if path[0] in ("assessments", "emg") and len(path) > 1 and isinstance(path[1], int):
        record = document[path[0]][path[1]]
        when = record.get("date") if isinstance(record, dict) else None
        return str(when) if when else None
    return None


def _observation(
    path: Path, value: Any, document: dict[str, Any], subject: dict[str, str]
) -> dict[str, Any]:
    code = _code(path)
    coding = [{"system": CASE_ELEMENT_SYSTEM, "code": code}]
    if code in _LOINC:
        loinc, display = _LOINC[code]
        coding.insert(0, {"system": LOINC, "code": loinc, "display": display})
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "extension": [{"url": EXT["case-path"], "valueString": json.dumps(list(path))}],
        "status": "final",
        "code": {"coding": coding, "text": code},
        "subject": subject,
        **_observation_value(path, value),
    }
    when = _date_of(path, document)
    if when:
        resource["effectiveDateTime"] = when
    return resource


def _administration(index: int, fields: dict[Path, Any], subject: dict[str, str]) -> dict[str, Any]:
    """An infusion: product, dose (g), route and date native, the rest as extensions."""
    native = {("product",), ("dose_g",), ("route",), ("date",)}
    concept: dict[str, Any] = {"text": "immunoglobulin"}
    if ("product",) in fields:
        concept = {"coding": [{"system": PRODUCT_SYSTEM, "code": fields[("product",)]}]}
    dosage: dict[str, Any] = {}
    if ("dose_g",) in fields:
        dosage["dose"] = {"value": fields[("dose_g",)], "unit": "g", "system": UCUM, "code": "g"}
    if ("route",) in fields:
        dosage["route"] = {"coding": [{"system": ROUTE_SYSTEM, "code": fields[("route",)]}]}
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "status": "completed",
        "medicationCodeableConcept": concept,
        "subject": subject,
        "effectiveDateTime": fields.get(("date",), "1900-01-01"),
    }
    if dosage:
        resource["dosage"] = dosage
    others = [_field_ext(p, v) for p, v in fields.items() if p not in native]
    others.insert(0, _field_ext(("index",), index))
    if ("date",) not in fields:
        others.append(_field_ext(("no-date",), True))
    resource["extension"] = others
    return resource


def _request(index: int, fields: dict[Path, Any], subject: dict[str, str]) -> dict[str, Any]:
    """A treatment course: therapy, product and start native, the rest as extensions."""
    native = {("therapy",), ("start",), ("regimen", "product")}
    concept: dict[str, Any] = {}
    if ("therapy",) in fields:
        concept["coding"] = [{"system": THERAPY_SYSTEM, "code": fields[("therapy",)]}]
    if ("regimen", "product") in fields:
        concept.setdefault("coding", []).append(
            {"system": PRODUCT_SYSTEM, "code": fields[("regimen", "product")]}
        )
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "status": "completed" if ("end",) in fields else "active",
        "intent": "order",
        "medicationCodeableConcept": concept or {"text": "treatment"},
        "subject": subject,
    }
    if ("start",) in fields:
        resource["authoredOn"] = fields[("start",)]
    others = [_field_ext(p, v) for p, v in fields.items() if p not in native]
    others.insert(0, _field_ext(("index",), index))
    resource["extension"] = others
    return resource


def _assessment_entries(
    assessment: dict[str, Any], subject: dict[str, str], full_url: Any
) -> list[dict[str, Any]]:
    criteria = assessment.get("criteria") or {}
    lines = [
        f"{name}: {str((result or {}).get('category', 'unknown')).replace('_', ' ')}"
        for name, result in criteria.items()
    ]
    report_url = full_url("report", 0)
    report = {
        "resourceType": "DiagnosticReport",
        "status": "final",
        "code": {
            "coding": [{"system": CASE_ELEMENT_SYSTEM, "code": "neuroig-assessment"}],
            "text": "neuroig assessment: criteria categories",
        },
        "subject": subject,
        "conclusion": "; ".join(lines) or "no criteria set evaluated",
    }
    rules = assessment.get("rules") or {}
    provenance = {
        "resourceType": "Provenance",
        "target": [{"reference": report_url}],
        "recorded": datetime.now(UTC).isoformat(timespec="seconds"),
        "agent": [
            {"who": {"display": f"neuroig {assessment.get('neuroig_version', __version__)}"}}
        ],
        "extension": [
            {"url": EXT["rules"], "valueString": f"{name} {version}"}
            for name, version in sorted(rules.items())
        ]
        + [{"url": EXT["rules"], "valueString": f"input_sha256 {assessment.get('input_sha256')}"}],
    }
    entries = [
        {"fullUrl": report_url, "resource": report},
        {"fullUrl": full_url("provenance", 0), "resource": provenance},
    ]
    for disease, (text, codings) in _DISEASES.items():
        met = [
            f"{name}: {str(result.get('category')).replace('_', ' ')}"
            for name, result in criteria.items()
            if name.startswith(disease)
            and isinstance(result, dict)
            and result.get("category") not in (None, "not_fulfilled", "not_evaluable")
        ]
        if not met:
            continue
        code: dict[str, Any] = {"text": text}
        if codings:
            code["coding"] = list(codings)
        condition = {
            "resourceType": "Condition",
            "verificationStatus": {
                "coding": [{"system": VERIFICATION, "code": "provisional"}],
                "text": "criteria met by decision support; the clinician confirms",
            },
            "code": code,
            "subject": subject,
            "evidence": [
                {"code": [{"text": line}], "detail": [{"reference": report_url}]} for line in met
            ],
        }
        entries.append({"fullUrl": full_url("condition", disease), "resource": condition})
    return entries


# ------------------------------------------------------------------ import


def _fail(where: str, received: Any, allowed: str) -> InputError:
    return InputError(where, received, allowed)


def _check_models(bundle: Any) -> None:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise _fail("(bundle)", type(bundle).__name__, "a FHIR Bundle (resourceType Bundle)")
    model = importlib.import_module("fhir.resources.R4B.bundle").Bundle
    try:
        model.model_validate(bundle)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _fail(
            ".".join(str(p) for p in first["loc"]),
            repr(first.get("input"))[:80],
            f"a valid FHIR R4 value ({first['msg']}; {exc.error_count()} problem(s) in all)",
        ) from None


_VALUE_KEYS: Final = (
    "valueQuantity",
    "valueCodeableConcept",
    "valueString",
    "valueBoolean",
    "valueInteger",
    "valueRange",
    "valueRatio",
    "valueSampledData",
    "valueTime",
    "valueDateTime",
    "valuePeriod",
)


def check_bundle(bundle: dict[str, Any]) -> None:
    """What the R4B models do not check: coded values against their FHIR R4 value sets,
    one Patient, every ``urn:uuid`` reference resolved within the Bundle, and an
    Observation's value or its data-absent reason (invariant obs-6), never both.

    Raises:
        InputError: naming the entry and element.
    """
    kind = bundle.get("type")
    if kind not in VALUE_SETS[("Bundle", "type")]:
        raise _fail("type", kind, ", ".join(sorted(VALUE_SETS[("Bundle", "type")])))
    entries = bundle.get("entry") or []
    urls = {e.get("fullUrl") for e in entries if e.get("fullUrl")}
    patients = 0
    for n, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        rtype = resource.get("resourceType")
        where = f"entry[{n}].resource ({rtype})"
        patients += rtype == "Patient"
        for (owner, element), allowed in VALUE_SETS.items():
            if owner == rtype and element in resource and resource[element] not in allowed:
                raise _fail(f"{where}.{element}", resource[element], ", ".join(sorted(allowed)))
        for ref in _references(resource):
            if ref.startswith("urn:uuid:") and ref not in urls:
                raise _fail(f"{where} reference", ref, "the fullUrl of an entry of the Bundle")
        if rtype == "Observation":
            values = [k for k in _VALUE_KEYS if k in resource]
            absent = "dataAbsentReason" in resource
            if len(values) + absent != 1:
                raise _fail(
                    where,
                    values + (["dataAbsentReason"] if absent else []),
                    "one value[x] or a dataAbsentReason (obs-6)",
                )
    if patients != 1:
        raise _fail("(bundle)", f"{patients} Patient resources", "exactly one Patient")


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "reference" and isinstance(v, str):
                yield v
            else:
                yield from _references(v)
    elif isinstance(value, list):
        for v in value:
            yield from _references(v)


def _path(text: Any, where: str) -> Path:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        value = None
    if (
        not isinstance(value, list)
        or not value
        or not all(
            isinstance(p, str) or (isinstance(p, int) and not isinstance(p, bool) and p >= 0)
            for p in value
        )
    ):
        raise _fail(where, text, "a JSON list of keys and list positions (as neuroig writes)")
    if len(value) > MAX_DEPTH or any(isinstance(p, int) and p >= MAX_POSITION for p in value):
        raise _fail(
            where,
            str(text)[:80],
            f"a path at most {MAX_DEPTH} deep with positions below {MAX_POSITION:,}",
        )
    return tuple(value)


def _put(document: dict[str, Any], path: Path, value: Any, where: str) -> None:
    node: Any = document
    for part, following in zip(path, (*path[1:], None), strict=True):
        if following is None:
            if isinstance(part, int):
                while len(node) <= part:
                    node.append(None)
            node[part] = value
            return
        fresh: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            if not isinstance(node, list):
                raise _fail(where, json.dumps(list(path)), "a path that fits the others")
            while len(node) <= part:
                node.append(None)
            if node[part] is None:
                node[part] = fresh
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise _fail(where, json.dumps(list(path)), "a path that fits the others")
            node = node.setdefault(part, fresh)


def _ext_value(ext: dict[str, Any]) -> Any:
    for key in ("valueBoolean", "valueInteger", "valueDecimal", "valueString", "valueCode"):
        if key in ext:
            return ext[key]
    return None


def _sub(ext: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e.get("url", ""): e for e in ext.get("extension") or ()}


def _observation_data(resource: dict[str, Any], where: str) -> Any:
    if "dataAbsentReason" in resource:
        return None
    for key in ("valueBoolean", "valueInteger", "valueString"):
        if key in resource:
            return resource[key]
    if "valueQuantity" in resource:
        return resource["valueQuantity"].get("value")
    raise _fail(where, sorted(resource), "an Observation value neuroig writes")


def case_from_bundle(bundle: Any) -> dict[str, Any]:
    """The case document read back from a Bundle of :func:`case_bundle`'s shape.

    Raises:
        InputError: the Bundle fails the FHIR R4 models, or a resource cannot be placed
            (it names the entry, what it found and what neuroig can read).
    """
    _check_models(bundle)
    check_bundle(bundle)
    document: dict[str, Any] = {}
    patients = 0
    later: list[tuple[Path, Any, str]] = []  # empty containers and x_ values, placed last
    for n, entry in enumerate(bundle.get("entry") or ()):
        resource = entry.get("resource") or {}
        kind = resource.get("resourceType")
        where = f"entry[{n}].resource ({kind})"
        if kind == "Patient":
            patients += 1
            later += _read_patient(document, resource, where)
        elif kind == "Observation":
            _read_observation(document, resource, where)
        elif kind == "MedicationAdministration":
            _read_record(document, "infusions", resource, where)
        elif kind == "MedicationRequest":
            _read_record(document, "treatments", resource, where)
        elif kind in ("DiagnosticReport", "Provenance", "Condition"):
            continue  # results neuroig computes again: not part of the case
        else:
            raise _fail(
                where, kind, "Patient, Observation, MedicationAdministration or MedicationRequest"
            )
    if patients != 1:
        raise _fail("(bundle)", f"{patients} Patient resources", "exactly one Patient")
    for path, value, where in later:
        _put(document, path, value, where)
    for key in _RECORDS:
        if key in document and any(r is None for r in document[key]):
            raise _fail(key, "a gap in the positions", "every record from position 0 on")
    return document


def _read_patient(
    document: dict[str, Any], resource: dict[str, Any], where: str
) -> list[tuple[Path, Any, str]]:
    """Read the Patient; return the values to place after every record is read."""
    ids = [
        i.get("value")
        for i in resource.get("identifier") or ()
        if i.get("system") == CASE_ID_SYSTEM
    ]
    if len(ids) != 1:
        raise _fail(f"{where}.identifier", len(ids), f"one identifier of system {CASE_ID_SYSTEM}")
    document["case_id"] = ids[0]
    if "gender" in resource:
        _put(document, ("patient", "sex"), resource["gender"], where)
    if "birthDate" in resource:
        _put(document, ("patient", "birth_date"), resource["birthDate"], where)
    later: list[tuple[Path, Any, str]] = []
    for ext in resource.get("extension") or ():
        url = ext.get("url")
        parts = _sub(ext)
        if url == EXT["case-format"]:
            document["format"] = ext.get("valueString")
        elif url == EXT["case-empty"]:
            path = _path(parts.get("path", {}).get("valueString"), f"{where}.extension")
            empty: Any = [] if parts.get("kind", {}).get("valueCode") == "list" else {}
            later.append((path, empty, where))
        elif url == EXT["case-private"]:
            path = _path(parts.get("path", {}).get("valueString"), f"{where}.extension")
            try:
                value = json.loads(parts.get("json", {}).get("valueString", ""))
            except ValueError:
                raise _fail(
                    f"{where}.extension", "unreadable JSON", "the x_ value as JSON"
                ) from None
            later.append((path, value, where))
    return later


def _read_observation(document: dict[str, Any], resource: dict[str, Any], where: str) -> None:
    paths = [
        e.get("valueString")
        for e in resource.get("extension") or ()
        if e.get("url") == EXT["case-path"]
    ]
    if len(paths) == 1:
        path = _path(paths[0], f"{where}.extension")
    else:
        codes = {
            c.get("code")
            for c in (resource.get("code") or {}).get("coding") or ()
            if c.get("system") == LOINC
        }
        known = [p for p, (code, _) in _LOINC.items() if code in codes]
        if not known:
            raise _fail(
                f"{where}.code",
                (resource.get("code") or {}).get("text", "?"),
                "an Observation written by neuroig (its case-path extension) or LOINC "
                + " / ".join(code for code, _ in _LOINC.values()),
            )
        path = tuple(known[0].split("."))
        quantity = resource.get("valueQuantity") or {}
        if quantity.get("code") != _unit(str(path[-1])):
            raise _fail(f"{where}.valueQuantity.code", quantity.get("code"), _unit(str(path[-1])))
    _put(document, path, _observation_data(resource, where), where)


def _read_record(document: dict[str, Any], key: str, resource: dict[str, Any], where: str) -> None:
    fields: dict[Path, Any] = {}
    for ext in resource.get("extension") or ():
        if ext.get("url") != EXT["case-field"]:
            continue
        parts = _sub(ext)
        path = _path(parts.get("path", {}).get("valueString"), f"{where}.extension")
        fields[path] = _ext_value(parts["value"]) if "value" in parts else None
    index = fields.pop(("index",), None)
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < MAX_POSITION:
        raise _fail(f"{where}.extension", index, "the record's position (case-field index)")
    codings = (resource.get("medicationCodeableConcept") or {}).get("coding") or ()
    product = next((c.get("code") for c in codings if c.get("system") == PRODUCT_SYSTEM), None)
    record: dict[str, Any] = {}
    if key == "infusions":
        if product is not None:
            record["product"] = product
        dosage = resource.get("dosage") or {}
        if "dose" in dosage:
            record["dose_g"] = dosage["dose"].get("value")
        route = next((c.get("code") for c in (dosage.get("route") or {}).get("coding") or ()), None)
        if route is not None:
            record["route"] = route
        if not fields.pop(("no-date",), False):
            record["date"] = resource.get("effectiveDateTime")
    else:
        therapy = next((c.get("code") for c in codings if c.get("system") == THERAPY_SYSTEM), None)
        if therapy is not None:
            record["therapy"] = therapy
        if product is not None:
            record["regimen"] = {"product": product}
        if "authoredOn" in resource:
            record["start"] = resource["authoredOn"]
    for path, value in fields.items():
        _put(record, path, value, where)
    records = document.setdefault(key, [])
    while len(records) <= index:
        records.append(None)
    if records[index] is not None:
        raise _fail(f"{where}.extension", index, f"one {key} record per position")
    records[index] = {**(records[index] or {}), **record}
