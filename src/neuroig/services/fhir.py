"""FHIR R4 exchange use cases: a case or a registry patient as a Bundle, and a Bundle
read back into a case (decision H7, ``docs/fhir.md``)."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Engine

from neuroig.case import case_from_data, case_to_data
from neuroig.interop.fhir_case import case_bundle, case_from_bundle
from neuroig.schemas.emit import to_data
from neuroig.services import registry
from neuroig.services.assess import assess
from neuroig.services.source import CaseSource, load_source
from neuroig.store.permissions import Actor

__all__ = ["bundle_of", "case_of_bundle", "patient_bundle"]


def bundle_of(source: CaseSource) -> dict[str, Any]:
    """The Bundle of a case: its data, and its assessment as a DiagnosticReport with the
    Provenance of neuroig's version, the rules versions and the input hash.

    Raises:
        CaseValidationError: the case is invalid.
    """
    case = load_source(source)
    return case_bundle(case_to_data(case), to_data(assess(case).document))


def patient_bundle(
    engine: Engine, actor: Actor, case_id: str, *, version: int | None = None
) -> dict[str, Any]:
    """The Bundle of a registry patient's version (default: the latest); the export is
    audited (``case.export``) and refused outside the actor's role and sites."""
    document = orjson.loads(registry.export_case(engine, actor, case_id, version=version))
    return bundle_of(document)


def case_of_bundle(bundle: Any) -> dict[str, Any]:
    """The case document read back from a Bundle, checked as any case is.

    Raises:
        InputError: the Bundle fails the FHIR R4 models or holds a resource neuroig
            cannot place (named).
        CaseValidationError: the case read back is invalid (each problem by its path).
    """
    return case_to_data(case_from_data(case_from_bundle(bundle)))
