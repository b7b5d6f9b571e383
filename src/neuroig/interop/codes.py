"""Code systems neuroig reads and writes in FHIR resources (decision H3).

- ATC: the WHO Collaborating Centre for Drug Statistics Methodology's Anatomical
  Therapeutic Chemical classification (ATC/DDD Index, https://atcddd.fhi.no/atc_ddd_index/),
  with FHIR's system URI for it. J06BA is "immunoglobulins, normal human" (J06BA01 for
  extravascular, J06BA02 for intravascular administration); H02AB is "glucocorticoids".
- UCUM for dose units (http://unitsofmeasure.org).
- neuroig's own product system: the ids of its immunoglobulin catalogue
  (``neuroig plan --help`` lists them), for an EHR that maps its formulary to them.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ATC_GLUCOCORTICOIDS",
    "ATC_IMMUNOGLOBULINS",
    "ATC_SYSTEM",
    "CORTICOSTEROID_NAMES",
    "PRODUCT_SYSTEM",
    "UCUM",
    "VALUE_SETS",
]

ATC_SYSTEM: Final = "http://www.whocc.no/atc"
#: ATC group of normal human immunoglobulins (a code starting with it is one)
ATC_IMMUNOGLOBULINS: Final = "J06BA"
#: ATC group of systemic glucocorticoids
ATC_GLUCOCORTICOIDS: Final = "H02AB"
UCUM: Final = "http://unitsofmeasure.org"
PRODUCT_SYSTEM: Final = "urn:neuroig:codesystem:ig-product"
#: names that make an order a corticosteroid order when no ATC code is given (H02AB members)
CORTICOSTEROID_NAMES: Final = frozenset(
    {
        "prednisone",
        "prednisolone",
        "methylprednisolone",
        "dexamethasone",
        "hydrocortisone",
        "deflazacort",
        "betamethasone",
        "triamcinolone",
    }
)

#: FHIR R4 value sets of the coded elements neuroig reads (fhir.resources does not check them)
VALUE_SETS: Final[dict[tuple[str, str], frozenset[str]]] = {
    ("Bundle", "type"): frozenset(
        {
            "document",
            "message",
            "transaction",
            "transaction-response",
            "batch",
            "batch-response",
            "history",
            "searchset",
            "collection",
        }
    ),
    ("Patient", "gender"): frozenset({"male", "female", "other", "unknown"}),
    ("Observation", "status"): frozenset(
        {
            "registered",
            "preliminary",
            "final",
            "amended",
            "corrected",
            "cancelled",
            "entered-in-error",
            "unknown",
        }
    ),
    ("MedicationAdministration", "status"): frozenset(
        {
            "in-progress",
            "not-done",
            "on-hold",
            "completed",
            "entered-in-error",
            "stopped",
            "unknown",
        }
    ),
    ("MedicationRequest", "status"): frozenset(
        {
            "active",
            "on-hold",
            "cancelled",
            "completed",
            "entered-in-error",
            "stopped",
            "draft",
            "unknown",
        }
    ),
    ("MedicationRequest", "intent"): frozenset(
        {
            "proposal",
            "plan",
            "order",
            "original-order",
            "reflex-order",
            "filler-order",
            "instance-order",
            "option",
        }
    ),
}
