"""Muscle table: each muscle's main nerve, other nerves, roots, limb, part and region."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Literal

from neuroig.errors import ReferenceDataError
from neuroig.record import Record
from neuroig.reference._load import raw_table
from neuroig.reference.sources import cite_row, row_keys

__all__ = ["Muscle", "muscle", "muscle_ids", "muscles"]

Limb = Literal["upper", "lower", "axial", "cranial"]
Part = Literal["proximal", "distal", "axial"]
Region = Literal["bulbar", "cervical", "thoracic", "lumbosacral"]


class Muscle(Record, frozen=True):
    """One muscle of the shipped table (decisions C2 and C16)."""

    id: str
    name: str
    main_nerve: str
    other_nerves: tuple[str, ...]
    roots: tuple[str, ...]
    limb: Limb
    part: Part
    region: Region
    source: str
    verified: bool


@cache
def muscles() -> Mapping[str, Muscle]:
    """Return every shipped muscle keyed by id."""
    doc = raw_table("muscles")
    table = doc["table"]
    out: dict[str, Muscle] = {}
    for row in doc["muscles"]:
        out[row["id"]] = Muscle(
            id=row["id"],
            name=row["name"],
            main_nerve=row["main_nerve"],
            other_nerves=tuple(row.get("other_nerves", ())),
            roots=tuple(row.get("roots", ())),
            limb=row["limb"],
            part=row["part"],
            region=row["region"],
            source=cite_row(row if row_keys(row) else table),
            verified=bool(row.get("verified", table["verified"])),
        )
    return MappingProxyType(out)


@cache
def muscle_ids() -> tuple[str, ...]:
    """Return the ids of every shipped muscle, in table order."""
    return tuple(muscles())


def muscle(muscle_id: str) -> Muscle:
    """Return one muscle; raise :class:`ReferenceDataError` if it is not in the table."""
    try:
        return muscles()[muscle_id]
    except KeyError:
        raise ReferenceDataError(f"muscle {muscle_id!r} is not in the muscle table") from None
