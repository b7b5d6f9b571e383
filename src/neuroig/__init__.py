"""neuroig: decision support for CIDP, MMN and their mimics, with immunoglobulin therapy.

Public API::

    from datetime import date
    import neuroig

    case = neuroig.load_case("examples/mmn-definite.json")
    assessment = neuroig.evaluate(case)
    document = neuroig.assessment_document(assessment)  # neuroig-assessment/1 model
    text = neuroig.to_json(document)  # the bytes `neuroig evaluate --json` prints
    plan = neuroig.plan_case(case, start=date(2026, 12, 1), product="privigen")
    review = neuroig.review_case(case)  # the monitoring review

``plan_case`` and ``review_case`` do what ``neuroig plan`` and ``neuroig review`` do: they
evaluate the case by the criteria first (the planner's gates and advice and the review's
MCID and Simon 2013 replay read the diagnosis), then call the planner or the review.
``plan_case`` never reads the clock, so ``start`` is required. ``neuroig.services``
(:func:`~neuroig.services.plan.plan`, :func:`~neuroig.services.review.review`,
:func:`~neuroig.services.assess.assess`) return the result with its stamped document.

The names load on first use (PEP 562), so ``import neuroig`` is cheap; this package
face is imported by nobody inside the core.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from neuroig._version import __version__

if TYPE_CHECKING:
    from os import PathLike

    from neuroig.assess import Assessment, EvaluateOptions, evaluate, input_sha256
    from neuroig.case import Case, case_json_schema, load_case, parse_case
    from neuroig.errors import CaseValidationError, InputError, NeuroigError
    from neuroig.monitoring.review import Review, review_to_json
    from neuroig.schemas.assessment import assessment_document, assessment_summary
    from neuroig.schemas.emit import json_schema, to_json
    from neuroig.schemas.plan import plan_document
    from neuroig.schemas.review import review_document
    from neuroig.services.plan import plan_case
    from neuroig.services.review import review_case
    from neuroig.therapy.export import plan_to_dict
    from neuroig.therapy.model import Plan
    from neuroig.therapy.options import PlanOptions

    #: A loaded case or the path of a case file (.json, .yaml, .yml).
    CaseSource = Case | str | PathLike[str]

__all__ = [
    "Assessment",
    "Case",
    "CaseSource",
    "CaseValidationError",
    "EvaluateOptions",
    "InputError",
    "NeuroigError",
    "Plan",
    "PlanOptions",
    "Review",
    "__version__",
    "assessment_document",
    "assessment_summary",
    "case_json_schema",
    "evaluate",
    "input_sha256",
    "json_schema",
    "load_case",
    "parse_case",
    "plan_case",
    "plan_document",
    "plan_to_dict",
    "review_case",
    "review_document",
    "review_to_json",
    "to_json",
]

#: Public name → the module that defines it (imported on first access).
_HOME: dict[str, str] = {
    "Assessment": "neuroig.assess",
    "EvaluateOptions": "neuroig.assess",
    "evaluate": "neuroig.assess",
    "input_sha256": "neuroig.assess",
    "Case": "neuroig.case",
    "case_json_schema": "neuroig.case",
    "load_case": "neuroig.case",
    "parse_case": "neuroig.case",
    "CaseSource": "neuroig.services.source",
    "CaseValidationError": "neuroig.errors",
    "InputError": "neuroig.errors",
    "NeuroigError": "neuroig.errors",
    "Review": "neuroig.monitoring.review",
    "review_to_json": "neuroig.monitoring.review",
    "assessment_document": "neuroig.schemas.assessment",
    "assessment_summary": "neuroig.schemas.assessment",
    "json_schema": "neuroig.schemas.emit",
    "to_json": "neuroig.schemas.emit",
    "plan_document": "neuroig.schemas.plan",
    "review_document": "neuroig.schemas.review",
    "plan_case": "neuroig.services.plan",
    "review_case": "neuroig.services.review",
    "plan_to_dict": "neuroig.therapy.export",
    "Plan": "neuroig.therapy.model",
    "PlanOptions": "neuroig.therapy.options",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'neuroig' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
