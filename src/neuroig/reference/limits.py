"""Built-in normative NCS limits with their sources (decision E9)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Literal

from neuroig.record import Record
from neuroig.reference._load import raw_table
from neuroig.reference.sources import cite_row

__all__ = ["MOTOR_MEASURES", "SENSORY_MEASURES", "LimitRow", "builtin_limit", "limit_rows"]

Kind = Literal["motor", "sensory"]
MOTOR_MEASURES = (
    "distal_latency_ms_uln",
    "amplitude_mv_lln",
    "velocity_m_s_lln",
    "f_latency_ms_uln",
    "duration_ms_uln",
)
SENSORY_MEASURES = ("amplitude_uv_lln", "velocity_m_s_lln", "peak_latency_ms_uln")


class LimitRow(Record, frozen=True):
    """One normative limit: value, the population it holds for, and its source."""

    kind: Kind
    nerve: str
    measure: str
    value: float
    recording: str | None
    age_min: float | None
    age_max: float | None
    source: str
    verified: bool
    note: str

    def applies_to_age(self, age_years: float | None) -> bool | None:
        """True/False if the row's age band holds; None if the band needs an unknown age."""
        if self.age_min is None and self.age_max is None:
            return True
        if age_years is None:
            return None
        if self.age_min is not None and age_years < self.age_min:
            return False
        return not (self.age_max is not None and age_years >= self.age_max)


@cache
def limit_rows() -> tuple[LimitRow, ...]:
    """Return every built-in limit row with its source text resolved."""
    doc = raw_table("limits")
    rows: list[LimitRow] = []
    for kind in ("motor", "sensory"):
        for row in doc.get(kind, []):
            rows.append(
                LimitRow(
                    kind=kind,
                    nerve=row["nerve"],
                    measure=row["measure"],
                    value=float(row["value"]),
                    recording=row.get("recording"),
                    age_min=row.get("age_min"),
                    age_max=row.get("age_max"),
                    source=cite_row(row),
                    verified=bool(row["verified"]),
                    note=row.get("note", ""),
                )
            )
    return tuple(rows)


@cache
def _index() -> Mapping[tuple[str, str, str], tuple[LimitRow, ...]]:
    out: dict[tuple[str, str, str], list[LimitRow]] = {}
    for row in limit_rows():
        out.setdefault((row.kind, row.nerve, row.measure), []).append(row)
    return MappingProxyType({k: tuple(v) for k, v in out.items()})


def builtin_limit(
    *,
    kind: Kind,
    nerve: str,
    measure: str,
    age_years: float | None,
    recording: str | None = None,
) -> LimitRow | None:
    """Return the built-in limit for a nerve and measure, or None when there is none.

    A row tied to a recording muscle applies only when the study used that muscle
    (or named none). A row with an age band applies only when the age is known and
    inside the band.
    """
    for row in _index().get((kind, nerve, measure), ()):
        if row.recording and recording and row.recording != recording:
            continue
        if row.applies_to_age(age_years):
            return row
    return None


class DurationCutoff(Record, frozen=True):
    """A distal CMAP duration cut-off of a criteria set (decision E10)."""

    criteria: str
    nerve: str
    recording: str | None
    lff_hz: float | None
    value_ms: float
    comparator: Literal[">", ">="]
    source: str
    verified: bool


@cache
def _duration_rows() -> tuple[DurationCutoff, ...]:
    doc = raw_table("limits")
    return tuple(
        DurationCutoff(
            criteria=row["criteria"],
            nerve=row["nerve"],
            recording=row.get("recording"),
            lff_hz=row.get("lff_hz"),
            value_ms=float(row["value_ms"]),
            comparator=row["comparator"],
            source=cite_row(row),
            verified=bool(row["verified"]),
        )
        for row in doc.get("distal_duration", [])
    )


def duration_cutoff(
    *, criteria: str, nerve: str, lff_hz: float | None, recording: str | None
) -> DurationCutoff | None:
    """Return the distal CMAP duration cut-off, or None when none applies.

    Filter-specific rows need the study's low-frequency filter to equal the row's
    (no interpolation, decision E10); a study recorded from a non-standard muscle
    has no cut-off.
    """
    return _duration_cutoff(criteria, nerve, lff_hz, recording)


@lru_cache(maxsize=1024)
def _duration_cutoff(
    criteria: str, nerve: str, lff_hz: float | None, recording: str | None
) -> DurationCutoff | None:
    # a function of the shipped table: cached
    for row in _duration_rows():
        if row.criteria != criteria or row.nerve != nerve:
            continue
        if row.recording and recording and row.recording != recording:
            continue
        if row.lff_hz is not None and (lff_hz is None or float(lff_hz) != float(row.lff_hz)):
            continue
        return row
    return None
