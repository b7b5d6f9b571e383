"""The planner's clinical numbers and diagnosis gates, read from ``data/therapy.toml``.

Every value carries its source (rendered from the bibliography), a ``verified`` flag
and, where it is a local choice, its decision id (decisions T4-T24); the rules read them
here rather than from code constants. The tables are read once and are immutable.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any

from neuroig.errors import ReferenceDataError
from neuroig.record import Record
from neuroig.reference._load import raw_table
from neuroig.reference.sources import cite_row, row_keys

__all__ = [
    "FlagGate",
    "TherapyParam",
    "flag_gates",
    "param",
    "param_int",
    "param_list",
    "param_text",
    "param_value",
    "params",
]


class TherapyParam(Record, frozen=True):
    """One clinical number of the planner with its provenance."""

    id: str
    value: float | tuple[float, ...] | str
    unit: str
    source: str
    verified: bool
    note: str
    keys: tuple[str, ...] = ()
    decision: str = ""


class FlagGate(Record, frozen=True):
    """What a raised assessment flag does to an immunotherapy plan (decision T14)."""

    flag: str
    id: str
    confirmed: bool
    text: str
    source: str
    verified: bool


def _cited(row: Mapping[str, Any], where: str) -> str:
    if not row_keys(row):
        raise ReferenceDataError(f"therapy.toml {where}: no source key")
    try:
        return cite_row(row, style="labelled")
    except ReferenceDataError as exc:
        raise ReferenceDataError(f"therapy.toml {where}: {exc}") from None


def _number(v: Any, where: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ReferenceDataError(f"therapy.toml {where}: value must be a number")
    return float(v)


@cache
def params() -> Mapping[str, TherapyParam]:
    """Every planner parameter keyed by id (read-only)."""
    doc = raw_table("therapy")
    out: dict[str, TherapyParam] = {}
    for i, row in enumerate(doc.get("params", [])):
        where = f"params[{i}] ({row.get('id')})"
        raw = row.get("value")
        value: float | tuple[float, ...] | str
        if isinstance(raw, str):
            value = raw
        elif isinstance(raw, list):
            value = tuple(_number(v, where) for v in raw)
        else:
            value = _number(raw, where)
        if not isinstance(row.get("verified"), bool):
            raise ReferenceDataError(f"therapy.toml {where}: verified must be true or false")
        out[str(row["id"])] = TherapyParam(
            id=str(row["id"]),
            value=value,
            unit=str(row.get("unit", "")),
            source=_cited(row, where),
            verified=row["verified"],
            note=str(row.get("note", "")),
            keys=row_keys(row),
            decision=str(row.get("decision", "")),
        )
    return MappingProxyType(out)


@cache
def flag_gates() -> Mapping[str, FlagGate]:
    """Flag id → gate, from the ``[[gates]]`` rows (read-only)."""
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
            source=_cited(row, where),
            verified=row["verified"],
        )
    return MappingProxyType(out)


def param(param_id: str) -> TherapyParam:
    """The parameter ``param_id``; :class:`ReferenceDataError` names it when absent."""
    try:
        return params()[param_id]
    except KeyError:
        raise ReferenceDataError(f"therapy.toml: no parameter {param_id!r}") from None


def param_value(param_id: str) -> float:
    """A scalar parameter's value."""
    v = param(param_id).value
    if not isinstance(v, float):
        raise ReferenceDataError(f"therapy.toml {param_id}: not a single number")
    return v


def param_int(param_id: str) -> int:
    """A scalar parameter that must be a whole number (days, weeks, months)."""
    v = param_value(param_id)
    if v != int(v):
        raise ReferenceDataError(f"therapy.toml {param_id}: {v:g} is not a whole number")
    return int(v)


def param_list(param_id: str) -> tuple[float, ...]:
    """A list parameter's values."""
    v = param(param_id).value
    if not isinstance(v, tuple):
        raise ReferenceDataError(f"therapy.toml {param_id}: not a list of numbers")
    return v


def param_text(param_id: str) -> str:
    """A text parameter's value (a currency code)."""
    v = param(param_id).value
    if not isinstance(v, str):
        raise ReferenceDataError(f"therapy.toml {param_id}: not a text value")
    return v
