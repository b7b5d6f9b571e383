"""Diagnostic criteria: verdicts with evidence, one module per criteria set, mimics.

Sets: EFNS/PNS 2010 MMN (:mod:`.mmn_efns_pns_2010`), AAEM 2003 MMN
(:mod:`.mmn_aaem_2003`), EAN/PNS 2021 CIDP (:mod:`.cidp_ean_pns_2021`), EFNS/PNS 2010
CIDP (:mod:`.cidp_efns_pns_2010`); mimic and red flags (:mod:`.mimics`); the
progressive LMN syndrome and the IVIg trial (:mod:`.lmn`). Methods: ``docs/methods/``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from neuroig.criteria.cidp_ean_pns_2021 import CriteriaOptions
    from neuroig.criteria.context import CaseContext
    from neuroig.criteria.lmn import LmnTrial
    from neuroig.criteria.mimics import Flag
    from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult, Missing

# Names are imported on first use, so that the electro engine can import
# :mod:`neuroig.criteria.mmn_block` (the EFNS/PNS 2010 block grade) without the sets.
_HOMES = {
    "CriteriaOptions": "neuroig.criteria.cidp_ean_pns_2021",
    "CaseContext": "neuroig.criteria.context",
    "LmnTrial": "neuroig.criteria.lmn",
    "Flag": "neuroig.criteria.mimics",
    "CriteriaSetResult": "neuroig.criteria.verdict",
    "CriterionResult": "neuroig.criteria.verdict",
    "Missing": "neuroig.criteria.verdict",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'neuroig.criteria' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = [
    "CaseContext",
    "CriteriaOptions",
    "CriteriaSetResult",
    "CriterionResult",
    "Flag",
    "LmnTrial",
    "Missing",
]
