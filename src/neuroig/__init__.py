"""neuroig: decision support for CIDP, MMN and their mimics, with immunoglobulin therapy.

Public API::

    import neuroig

    case = neuroig.load_case("examples/mmn-definite.json")
    assessment = neuroig.evaluate(case)  # criteria: neuroig-assessment/1 via .to_dict()
    plan = neuroig.plan_case(case, product="privigen")  # therapy plan (neuroig.therapy)
    review = neuroig.review_case(case)  # monitoring review (neuroig.monitoring)
"""

from neuroig._version import __version__
from neuroig.assess import Assessment, EvaluateOptions, evaluate
from neuroig.case import Case, case_json_schema, load_case, parse_case
from neuroig.errors import CaseValidationError, InputError, NeuroigError
from neuroig.monitoring import Review, review_to_json
from neuroig.services.usecases import plan_case, review_case
from neuroig.therapy import Plan, PlanOptions, plan_to_dict

__all__ = [
    "Assessment",
    "Case",
    "CaseValidationError",
    "EvaluateOptions",
    "InputError",
    "NeuroigError",
    "Plan",
    "PlanOptions",
    "Review",
    "__version__",
    "case_json_schema",
    "evaluate",
    "load_case",
    "parse_case",
    "plan_case",
    "plan_to_dict",
    "review_case",
    "review_to_json",
]
