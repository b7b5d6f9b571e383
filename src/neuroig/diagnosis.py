"""What therapy and monitoring need to know of the diagnostic result.

:func:`neuroig.assess.evaluate` fills a :class:`DiagnosisContext` from the criteria
results; the therapy planner (decision T6) and the review (Simon 2013 trial replay)
read it. ``None`` in a field means "not evaluated / not known", never "no".
"""

from __future__ import annotations

from typing import Literal

from neuroig.record import Record

__all__ = [
    "NOT_MET",
    "UNCONFIRMED_CATEGORIES",
    "CidpCategory",
    "CidpPhenotype",
    "DiagnosisContext",
    "MmnCategory",
    "SetSummary",
]

MmnCategory = Literal["definite", "probable", "possible", "not_fulfilled"]
CidpCategory = Literal["cidp", "possible_cidp", "not_fulfilled"]
CidpPhenotype = Literal["typical", "distal", "multifocal", "focal", "motor", "sensory"]

#: The category every criteria set gives when it is not fulfilled.
NOT_MET = "not_fulfilled"
#: Categories that confirm nothing: not fulfilled, and not evaluable (decision C17, or
#: insufficient data). A gate must never read either as a met diagnosis.
UNCONFIRMED_CATEGORIES = frozenset({NOT_MET, "not_evaluable"})


class SetSummary(Record, frozen=True):
    """One criteria set's result as the planner reads it (decision T14).

    ``category`` is the confirmed category (``not_fulfilled`` when not met);
    ``conditional_category`` the one met if the unknown exclusions are absent;
    ``reachable`` the highest category still reachable with the missing data.
    """

    id: str
    category: str
    conditional_category: str | None = None
    reachable: str | None = None

    @property
    def met(self) -> bool:
        return self.category not in UNCONFIRMED_CATEGORIES

    @property
    def open(self) -> bool:
        """Met only conditionally, or reachable with more data."""
        return not self.met and (
            (
                self.conditional_category is not None
                and self.conditional_category not in UNCONFIRMED_CATEGORIES
            )
            or self.reachable is not None
        )


class DiagnosisContext(Record, frozen=True):
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
    sets
        Every criteria set's category, conditional category and reachable category
        (decision T14); empty when only the MMN and CIDP summaries above are known.
    """

    mmn_category: MmnCategory | None = None
    mmn_conditional_category: MmnCategory | None = None
    cidp_category: CidpCategory | None = None
    cidp_phenotype: CidpPhenotype | None = None
    lmn_without_block: bool | None = None
    lmn_mmn_like_triad: bool | None = None
    flags: tuple[str, ...] = ()
    sets: tuple[SetSummary, ...] = ()

    @property
    def met_sets(self) -> tuple[SetSummary, ...]:
        """The criteria sets whose category is met (any category)."""
        if self.sets:
            return tuple(s for s in self.sets if s.met)
        own = (
            SetSummary("mmn_efns_pns_2010", self.mmn_category or NOT_MET),
            SetSummary("cidp_ean_pns_2021", self.cidp_category or NOT_MET),
        )
        return tuple(s for s in own if s.met)

    @property
    def open_sets(self) -> tuple[SetSummary, ...]:
        """Sets not met but met conditionally or reachable with more data."""
        if self.sets:
            return tuple(s for s in self.sets if s.open)
        if self.mmn_category == NOT_MET and self.mmn_conditional_category not in (None, NOT_MET):
            return (
                SetSummary(
                    "mmn_efns_pns_2010", NOT_MET, conditional_category=self.mmn_conditional_category
                ),
            )
        return ()

    @property
    def cidp_met(self) -> bool:
        """A CIDP category (EAN/PNS 2021 or EFNS/PNS 2010) is met."""
        return any(s.id.startswith("cidp") for s in self.met_sets) or self.cidp_category in (
            "cidp",
            "possible_cidp",
        )

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
