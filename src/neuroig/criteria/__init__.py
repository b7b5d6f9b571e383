"""Diagnostic criteria: verdicts with evidence, one module per criteria set, mimics.

Sets: EFNS/PNS 2010 MMN (:mod:`.mmn_efns_pns_2010`), AAEM 2003 MMN
(:mod:`.mmn_aaem_2003`), EAN/PNS 2021 CIDP (:mod:`.cidp_ean_pns_2021`), EFNS/PNS 2010
CIDP (:mod:`.cidp_efns_pns_2010`); mimic and red flags (:mod:`.mimics`); the
progressive LMN syndrome and the IVIg trial (:mod:`.lmn`). Methods: ``docs/methods/``.
"""

from neuroig.criteria.cidp_ean_pns_2021 import CriteriaOptions
from neuroig.criteria.context import CaseContext
from neuroig.criteria.lmn import LmnTrial
from neuroig.criteria.mimics import Flag
from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult, Missing

__all__ = [
    "CaseContext",
    "CriteriaOptions",
    "CriteriaSetResult",
    "CriterionResult",
    "Flag",
    "LmnTrial",
    "Missing",
]
