"""Outcome measures, MCIDs, monitoring-rule parameters, CDAS classes, Simon 2013 figures.

All from ``data/outcome_measures.toml`` (decisions M1-M6): each row carries its
source and a ``verified`` flag, and the monitoring rules read their thresholds here
rather than from constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Literal

from neuroig.errors import ReferenceDataError
from neuroig.record import Record
from neuroig.reference._load import raw_table
from neuroig.reference.sources import cite_row, source

__all__ = [
    "MCID_KINDS",
    "CdasClass",
    "McidKind",
    "MrcVariant",
    "OutcomeMeasure",
    "RuleParam",
    "SimonFigures",
    "cdas_classes",
    "mrc_variants",
    "outcome_measure",
    "outcome_measures",
    "rule_param",
    "rule_value",
    "simon_2013",
]

McidKind = Literal["absolute", "per_60", "pct_of_baseline", "declared", "muscle_count"]
MCID_KINDS: tuple[McidKind, ...] = (
    "absolute",
    "per_60",
    "pct_of_baseline",
    "declared",
    "muscle_count",
)


class OutcomeMeasure(Record, frozen=True):
    """One outcome measure: its scale, direction and MCID (decision M1)."""

    id: str
    name: str
    unit: str
    scale_min: float
    scale_max: float | None
    higher_is_better: bool | None
    mcid: float | None
    mcid_kind: McidKind
    in_m1: bool
    applies_to: str
    source: str
    verified: bool
    note: str


class MrcVariant(Record, frozen=True):
    """A named MRC sum score variant with its muscle list (each muscle graded on both sides)."""

    id: str
    name: str
    max: int
    muscles: tuple[str, ...]
    source: str
    verified: bool


class RuleParam(Record, frozen=True):
    """A threshold or interval of a monitoring rule, with its source."""

    id: str
    value: float | tuple[float, ...]
    unit: str
    source: str
    verified: bool
    note: str


class CdasClass(Record, frozen=True):
    """A CIDP Disease Activity Status class (Gorson 2010)."""

    number: int
    name: str
    definition: str
    cohort_pct: float
    source: str
    verified: bool


class SimonFigures(Record, frozen=True):
    """Published figures of Simon, Ayer & Lomen-Hoerth 2013 (IVIg in LMN syndromes)."""

    cite: str
    cohort: int
    responders: int
    triad_in_responders: int
    triad_in_distal_onset_non_responders_pct: float
    non_responders_later_umn_pct: float
    non_responders_later_bulbar_pct: float
    non_responders_later_pma_pct: float
    dose_g_per_kg: float
    min_months: int
    measures: tuple[str, ...]
    source: str
    verified: bool
    response_definition_verified: bool
    response_definition_note: str


def _opt_float(value: object) -> float | None:
    if value is None:
        return None
    if not isinstance(value, int | float | str):
        raise ReferenceDataError(f"outcome_measures: expected a number, got {value!r}")
    return float(value)


@cache
def outcome_measures() -> Mapping[str, OutcomeMeasure]:
    """Return every shipped outcome measure keyed by id."""
    out: dict[str, OutcomeMeasure] = {}
    for row in raw_table("outcome_measures")["measures"]:
        out[row["id"]] = OutcomeMeasure(
            id=row["id"],
            name=row["name"],
            unit=row["unit"],
            scale_min=float(row.get("scale_min", 0.0)),
            scale_max=_opt_float(row.get("scale_max")),
            higher_is_better=row.get("higher_is_better"),
            mcid=_opt_float(row.get("mcid")),
            mcid_kind=row["mcid_kind"],
            in_m1=bool(row["in_m1"]),
            applies_to=row.get("applies_to", "all"),
            source=cite_row(row),
            verified=bool(row["verified"]),
            note=row.get("note", ""),
        )
    return MappingProxyType(out)


def outcome_measure(measure_id: str) -> OutcomeMeasure:
    """Return one outcome measure; raise :class:`ReferenceDataError` if unknown."""
    try:
        return outcome_measures()[measure_id]
    except KeyError:
        raise ReferenceDataError(f"outcome measure {measure_id!r} is not in the table") from None


@cache
def mrc_variants() -> Mapping[str, MrcVariant]:
    """Return the named MRC sum score variants keyed by id."""
    return MappingProxyType(
        {
            row["id"]: MrcVariant(
                id=row["id"],
                name=row["name"],
                max=int(row["max"]),
                muscles=tuple(row["muscles"]),
                source=cite_row(row),
                verified=bool(row["verified"]),
            )
            for row in raw_table("outcome_measures")["mrc_variants"]
        }
    )


@cache
def _rules() -> Mapping[str, RuleParam]:
    out: dict[str, RuleParam] = {}
    for row in raw_table("outcome_measures")["rules"]:
        raw = row["value"]
        value: float | tuple[float, ...] = (
            tuple(float(v) for v in raw) if isinstance(raw, list) else float(raw)
        )
        out[row["id"]] = RuleParam(
            id=row["id"],
            value=value,
            unit=row["unit"],
            source=cite_row(row),
            verified=bool(row["verified"]),
            note=row.get("note", ""),
        )
    return MappingProxyType(out)


def rule_param(rule_id: str) -> RuleParam:
    """Return a monitoring-rule parameter; raise :class:`ReferenceDataError` if unknown."""
    try:
        return _rules()[rule_id]
    except KeyError:
        raise ReferenceDataError(f"monitoring rule parameter {rule_id!r} is not shipped") from None


def rule_value(rule_id: str) -> float:
    """Return the scalar value of a monitoring-rule parameter."""
    value = rule_param(rule_id).value
    if isinstance(value, tuple):
        raise ReferenceDataError(f"monitoring rule parameter {rule_id!r} is a list, not a number")
    return value


@cache
def cdas_classes() -> Mapping[int, CdasClass]:
    """Return the CDAS classes 1-5 (Gorson 2010)."""
    return MappingProxyType(
        {
            int(row["class"]): CdasClass(
                number=int(row["class"]),
                name=row["name"],
                definition=row["definition"],
                cohort_pct=float(row["cohort_pct"]),
                source=cite_row(row),
                verified=bool(row["verified"]),
            )
            for row in raw_table("outcome_measures")["cdas"]
        }
    )


@cache
def simon_2013() -> SimonFigures:
    """Return the published figures of Simon 2013 and the status of its response definition."""
    row = raw_table("outcome_measures")["simon_2013"]
    return SimonFigures(
        cite=source("simon2013").full(),
        cohort=int(row["cohort"]),
        responders=int(row["responders"]),
        triad_in_responders=int(row["triad_in_responders"]),
        triad_in_distal_onset_non_responders_pct=float(
            row["triad_in_distal_onset_non_responders_pct"]
        ),
        non_responders_later_umn_pct=float(row["non_responders_later_umn_pct"]),
        non_responders_later_bulbar_pct=float(row["non_responders_later_bulbar_pct"]),
        non_responders_later_pma_pct=float(row["non_responders_later_pma_pct"]),
        dose_g_per_kg=float(row["dose_g_per_kg"]),
        min_months=int(row["min_months"]),
        measures=tuple(row["measures"]),
        source=cite_row(row),
        verified=bool(row["verified"]),
        response_definition_verified=bool(row["response_definition_verified"]),
        response_definition_note=row["response_definition_note"],
    )
