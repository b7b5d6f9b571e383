"""Nerves, stimulation-site order and entrapment zones (decisions E4, E7, E14)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from neuroig.errors import ReferenceDataError
from neuroig.record import Record
from neuroig.reference._load import raw_table
from neuroig.reference.sources import cite_row

__all__ = [
    "EntrapmentZone",
    "MotorNerveInfo",
    "entrapment_zone",
    "motor_nerve_info",
    "motor_nerves",
    "sensory_nerve_for",
    "site_rank",
]


class MotorNerveInfo(Record, frozen=True):
    """A motor nerve's limb, its sites ranked distal (1) to proximal, and its sensory pair."""

    id: str
    limb: str
    site_ranks: Mapping[str, int]
    sensory_nerve: str | None

    @property
    def upper_limb(self) -> bool:
        return self.limb == "upper"


class EntrapmentZone(Record, frozen=True):
    """A stretch of a nerve whose crossing segments never count as block (E4)."""

    nerve: str
    from_site: str
    to_site: str
    name: str
    source: str
    verified: bool


@cache
def motor_nerves() -> Mapping[str, MotorNerveInfo]:
    """Return every motor nerve of the table keyed by id (read-only)."""
    out: dict[str, MotorNerveInfo] = {}
    for row in raw_table("nerves")["motor"]:
        out[row["id"]] = MotorNerveInfo(
            id=row["id"],
            limb=row["limb"],
            site_ranks=MappingProxyType({s["site"]: int(s["rank"]) for s in row["sites"]}),
            sensory_nerve=row.get("sensory_nerve"),
        )
    return MappingProxyType(out)


def motor_nerve_info(nerve: str) -> MotorNerveInfo:
    """Return one motor nerve; raise :class:`ReferenceDataError` if unknown."""
    try:
        return motor_nerves()[nerve]
    except KeyError:
        raise ReferenceDataError(f"motor nerve {nerve!r} is not in the nerve table") from None


def site_rank(nerve: str, site: str) -> int | None:
    """Return the anatomical rank of ``site`` on ``nerve`` (1 = most distal), or None."""
    return motor_nerve_info(nerve).site_ranks.get(site)


@cache
def _zones() -> tuple[EntrapmentZone, ...]:
    doc = raw_table("nerves")
    return tuple(
        EntrapmentZone(
            nerve=row["nerve"],
            from_site=row["from_site"],
            to_site=row["to_site"],
            name=row["name"],
            source=cite_row(row),
            verified=bool(row["verified"]),
        )
        for row in doc["entrapment"]
    )


@cache
def entrapment_zone(nerve: str, distal_site: str, proximal_site: str) -> EntrapmentZone | None:
    """Return the entrapment zone that the segment distal_site→proximal_site crosses, if any.

    Cached: a function of the shipped tables and of names from the case vocabulary.

    A segment crosses a zone when ``rank(distal) < rank(zone.to_site)`` and
    ``rank(proximal) > rank(zone.from_site)`` (decision E4; E14 for the radial groove).
    """
    ranks = motor_nerve_info(nerve).site_ranks
    d, p = ranks.get(distal_site), ranks.get(proximal_site)
    if d is None or p is None:
        return None
    for zone in _zones():
        if zone.nerve != nerve:
            continue
        if d < ranks[zone.to_site] and p > ranks[zone.from_site]:
            return zone
    return None


def sensory_nerve_for(motor_nerve: str) -> str | None:
    """Return the sensory nerve that tests the same nerve as ``motor_nerve`` (E14), or None."""
    return motor_nerve_info(motor_nerve).sensory_nerve
