"""What therapy and monitoring need to know of the diagnostic result.

:func:`neuroig.assess.evaluate` fills a :class:`DiagnosisContext` from the criteria
results; the therapy planner (decision T6) and the review (Simon 2013 trial replay)
read it. ``None`` in a field means "not evaluated / not known", never "no".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CidpCategory", "CidpPhenotype", "DiagnosisContext", "MmnCategory"]

MmnCategory = Literal["definite", "probable", "possible", "not_fulfilled"]
CidpCategory = Literal["cidp", "possible_cidp", "not_fulfilled"]
CidpPhenotype = Literal["typical", "distal", "multifocal", "focal", "motor", "sensory"]


@dataclass(frozen=True, slots=True)
class DiagnosisContext:
    """A summary of the criteria results of one case.

    Attributes
    ----------
    mmn_category
        EFNS/PNS 2010 MMN category (confirmed), or None when not evaluated.
    mmn_conditional_category
        The MMN category that would be met if unknown exclusions were absent (C9).
    cidp_category, cidp_phenotype
        EAN/PNS 2021 CIDP category and the clinical phenotype matched (C13).
    lmn_without_block
        True for a progressive, asymmetric, pure lower-motor-neuron syndrome with no
        conduction block found (the Simon 2013 population); None when undecidable.
    lmn_mmn_like_triad
        True when that syndrome has the MMN-like triad (distal upper-limb onset,
        EMG confined to weak muscles, normal CK); None when a part is unknown.
    flags
        Ids of raised mimic flags and red flags (e.g. ``LMN-FLAG-UMN``, ``CIDP-EXCL-MAG``).
    """

    mmn_category: MmnCategory | None = None
    mmn_conditional_category: MmnCategory | None = None
    cidp_category: CidpCategory | None = None
    cidp_phenotype: CidpPhenotype | None = None
    lmn_without_block: bool | None = None
    lmn_mmn_like_triad: bool | None = None
    flags: tuple[str, ...] = ()

    @property
    def mmn(self) -> bool | None:
        """True if any MMN category is met; None if only conditionally met or not evaluated."""
        if self.mmn_category is None:
            return None
        if self.mmn_category != "not_fulfilled":
            return True
        if self.mmn_conditional_category not in (None, "not_fulfilled"):
            return None
        return False

    @property
    def pure_motor_cidp(self) -> bool:
        """True when the CIDP phenotype is motor and a CIDP category is met."""
        return self.cidp_phenotype == "motor" and self.cidp_category in ("cidp", "possible_cidp")
