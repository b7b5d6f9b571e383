"""The planner's clinical numbers and diagnosis gates, read from ``data/therapy.toml``.

Every value carries its source and a ``verified`` flag (decisions T14-T23); the rules
read them here rather than from code constants.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from neuroig.errors import ReferenceDataError
from neuroig.reference._load import raw_table

__all__ = ["FlagGate", "TherapyParam", "flag_gates", "param", "param_list", "param_value"]


@dataclass(frozen=True, slots=True)
class TherapyParam:
    """One clinical number of the planner with its provenance."""

    id: str
    value: float | tuple[float, ...]
    unit: str
    source: str
    verified: bool
    note: str


@dataclass(frozen=True, slots=True)
class FlagGate:
    """What a raised assessment flag does to an immunotherapy plan (decision T14)."""

    flag: str
    id: str
    confirmed: bool
    text: str
    source: str
    verified: bool


def _source(doc: dict[str, Any], key: str, where: str) -> str:
    sources: dict[str, str] = doc.get("sources", {})
    if key not in sources:
        raise ReferenceDataError(f"therapy.toml {where}: unknown source {key!r}")
    return sources[key]


def _number(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ReferenceDataError(f"therapy.toml {where}: value must be a number")
    return float(v)


@cache
def _params() -> dict[str, TherapyParam]:
    doc = raw_table("therapy")
    out: dict[str, TherapyParam] = {}
    for i, row in enumerate(doc.get("params", [])):
        where = f"params[{i}] ({row.get('id')})"
        raw = row.get("value")
        value: float | tuple[float, ...] = (
            tuple(_number(v, where) for v in raw) if isinstance(raw, list) else _number(raw, where)
        )
        if not isinstance(row.get("verified"), bool):
            raise ReferenceDataError(f"therapy.toml {where}: verified must be true or false")
        out[str(row["id"])] = TherapyParam(
            id=str(row["id"]),
            value=value,
            unit=str(row.get("unit", "")),
            source=_source(doc, str(row.get("source")), where),
            verified=row["verified"],
            note=str(row.get("note", "")),
        )
    return out


@cache
def flag_gates() -> dict[str, FlagGate]:
    """Flag id → gate, from the ``[[gates]]`` rows."""
    doc = raw_table("therapy")
    out: dict[str, FlagGate] = {}
    for i, row in enumerate(doc.get("gates", [])):
        where = f"gates[{i}] ({row.get('flag')})"
        if not isinstance(row.get("confirmed"), bool) or not isinstance(row.get("verified"), bool):
            raise ReferenceDataError(f"therapy.toml {where}: confirmed/verified must be booleans")
        out[str(row["flag"])] = FlagGate(
            flag=str(row["flag"]),
            id=str(row["id"]),
            confirmed=row["confirmed"],
            text=str(row["text"]),
            source=_source(doc, str(row.get("source")), where),
            verified=row["verified"],
        )
    return out


def param(param_id: str) -> TherapyParam:
    """The parameter ``param_id`` (KeyError names it when absent)."""
    return _params()[param_id]


def param_value(param_id: str) -> float:
    """A scalar parameter's value."""
    v = param(param_id).value
    if isinstance(v, tuple):
        raise ReferenceDataError(f"therapy.toml {param_id}: a list, not a number")
    return v


def param_list(param_id: str) -> tuple[float, ...]:
    """A list parameter's values."""
    v = param(param_id).value
    if not isinstance(v, tuple):
        raise ReferenceDataError(f"therapy.toml {param_id}: a number, not a list")
    return v
