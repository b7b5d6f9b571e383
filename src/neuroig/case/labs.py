"""``labs``, ``imaging`` and ``biopsy`` sections.

Each lab value may be given plainly (``"ck_u_l": 140``) or with its date
(``"ck_u_l": {"value": 140, "date": "2026-09-01"}``); both shapes round-trip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from pydantic import Discriminator, Field, Tag

from neuroig.case.base import CaseModel
from neuroig.case.types import CaseDate, NonEmptyStr, union_tag
from neuroig.vocab import (
    AntiGm1,
    Isotype,
    LightChain,
    MriFinding,
    NegPos,
    NodalTarget,
    UltrasoundEnlargement,
)

__all__ = [
    "Biopsy",
    "Csf",
    "Dated",
    "Imaging",
    "Labs",
    "MriStudy",
    "NerveUltrasound",
    "Paraprotein",
    "lab_value",
]

T = TypeVar("T")


class Dated(CaseModel, Generic[T]):
    """A lab value with the date it was measured."""

    value: T
    date: CaseDate | None = None


_DATED_TAG = union_tag("dated")
_PLAIN_TAG = union_tag("plain")


def _shape(value: Any) -> str:
    # Called on raw input (a dict for the dated shape) and, when serialising, on the model.
    return _DATED_TAG if isinstance(value, dict | Dated) else _PLAIN_TAG


def _lab(inner: Any) -> Any:
    return Annotated[
        Annotated[inner, Tag(_PLAIN_TAG)] | Annotated[Dated[inner], Tag(_DATED_TAG)],
        Discriminator(_shape),
    ]


def lab_value(item: Any) -> Any:
    """Return the plain value of a lab entry (``Dated`` or plain), or None."""
    if isinstance(item, Dated):
        return item.value
    return item


_CK = Annotated[float, Field(ge=0, le=200_000, allow_inf_nan=False)]
_CK_ULN = Annotated[float, Field(gt=0, le=5_000, allow_inf_nan=False)]
_HBA1C = Annotated[float, Field(ge=3, le=25, allow_inf_nan=False)]
_CREAT = Annotated[float, Field(ge=5, le=3_000, allow_inf_nan=False)]
_EGFR = Annotated[float, Field(ge=0, le=250, allow_inf_nan=False)]
_HB = Annotated[float, Field(ge=20, le=260, allow_inf_nan=False)]
_IGA = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]

if TYPE_CHECKING:  # the type checker sees the two shapes; pydantic sees the tagged union
    LabCk = float | Dated[float]
    LabCkUln = float | Dated[float]
    LabGm1 = AntiGm1 | Dated[AntiGm1]
    LabNegPos = NegPos | Dated[NegPos]
    LabTarget = NodalTarget | Dated[NodalTarget]
    LabBool = bool | Dated[bool]
    LabHba1c = float | Dated[float]
    LabCreat = float | Dated[float]
    LabEgfr = float | Dated[float]
    LabHb = float | Dated[float]
    LabIga = float | Dated[float]
else:
    LabCk = _lab(_CK)
    LabCkUln = _lab(_CK_ULN)
    LabGm1 = _lab(AntiGm1)
    LabNegPos = _lab(NegPos)
    LabTarget = _lab(NodalTarget)
    LabBool = _lab(bool)
    LabHba1c = _lab(_HBA1C)
    LabCreat = _lab(_CREAT)
    LabEgfr = _lab(_EGFR)
    LabHb = _lab(_HB)
    LabIga = _lab(_IGA)


class Csf(CaseModel):
    """Cerebrospinal fluid."""

    protein_g_l: Annotated[float, Field(ge=0, le=50, allow_inf_nan=False)] | None = None
    wbc_per_ul: Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)] | None = None
    protein_uln_g_l: Annotated[float, Field(gt=0, le=5, allow_inf_nan=False)] | None = None
    date: CaseDate | None = None


class Paraprotein(CaseModel):
    """Serum paraprotein (immunofixation)."""

    present: bool
    isotype: Isotype | None = None
    light_chain: LightChain | None = None


class Labs(CaseModel):
    """Laboratory results."""

    ck_u_l: LabCk | None = None
    ck_uln_u_l: LabCkUln | None = None
    anti_gm1_igm: LabGm1 | None = None
    csf: Csf | None = None
    paraprotein: Paraprotein | None = None
    anti_mag: LabNegPos | None = None
    nodal_paranodal_antibodies: LabNegPos | None = None
    nodal_paranodal_target: LabTarget | None = None
    vegf_elevated: LabBool | None = None
    hba1c_pct: LabHba1c | None = None
    creatinine_umol_l: LabCreat | None = None
    egfr_ml_min: LabEgfr | None = None
    hemoglobin_g_l: LabHb | None = None
    iga_g_l: LabIga | None = None
    anti_iga: LabBool | None = None

    def value(self, name: str) -> Any:
        """Return the plain value of lab ``name`` (None when not recorded)."""
        return lab_value(getattr(self, name))


class MriStudy(CaseModel):
    """MRI of the plexus or roots."""

    finding: MriFinding | None = None
    gadolinium: bool | None = None
    symmetric: bool | None = None


class NerveUltrasound(CaseModel):
    """Nerve ultrasound."""

    enlargement: UltrasoundEnlargement | None = None
    sites: list[NonEmptyStr] | None = None


class Imaging(CaseModel):
    """Imaging of nerves, plexus and roots."""

    mri_plexus: MriStudy | None = None
    mri_roots: MriStudy | None = None
    nerve_ultrasound: NerveUltrasound | None = None


class Biopsy(CaseModel):
    """Nerve biopsy findings."""

    demyelination: bool | None = None
    remyelination: bool | None = None
    onion_bulbs: bool | None = None
    inflammatory_infiltrates: bool | None = None
    vasculitis: bool | None = None
    amyloid: bool | None = None
