"""neuroig: decision support for CIDP, MMN and their mimics, with immunoglobulin therapy.

Public API::

    from neuroig import load_case, parse_case, Case
"""

from neuroig.case import Case, case_json_schema, load_case, parse_case
from neuroig.errors import CaseValidationError, NeuroigError

__version__ = "0.1.0"

__all__ = [
    "Case",
    "CaseValidationError",
    "NeuroigError",
    "__version__",
    "case_json_schema",
    "load_case",
    "parse_case",
]
