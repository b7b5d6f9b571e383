"""neuroig: decision support for CIDP, MMN and their mimics, with immunoglobulin therapy.

Public API::

    from neuroig import load_case, evaluate
    assessment = evaluate(load_case("examples/mmn-definite.json"))
"""

from neuroig._version import __version__
from neuroig.assess import Assessment, EvaluateOptions, evaluate
from neuroig.case import Case, case_json_schema, load_case, parse_case
from neuroig.errors import CaseValidationError, NeuroigError

__all__ = [
    "Assessment",
    "Case",
    "CaseValidationError",
    "EvaluateOptions",
    "NeuroigError",
    "__version__",
    "case_json_schema",
    "evaluate",
    "load_case",
    "parse_case",
]
