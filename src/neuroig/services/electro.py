"""The electro use case: a case → its per-nerve electrodiagnosis and the electro object."""

from __future__ import annotations

from neuroig.case import Case
from neuroig.electro import ElectroOptions, ElectroResult, analyse
from neuroig.record import Record
from neuroig.schemas.electro import ElectroObject, electro_object, no_ncs_object
from neuroig.services.source import CaseSource, load_source

__all__ = ["Analysed", "electro"]


class Analysed(Record, frozen=True):
    """The electrodiagnosis of a case (None without a study) and its electro object."""

    case: Case
    result: ElectroResult | None
    document: ElectroObject


def electro(source: CaseSource, *, amplitude_surrogate: bool = False) -> Analysed:
    """Analyse a case's nerve conduction study, nerve by nerve."""
    case = load_source(source)
    result = analyse(case, ElectroOptions(amplitude_surrogate=amplitude_surrogate))
    document = no_ncs_object() if result is None else electro_object(result)
    return Analysed(case, result, document)
