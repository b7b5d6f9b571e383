"""Which normative limit applies to a measure (decision E9).

Order: the nerve's own ``lab_reference``, the study-level ``lab_reference``, the
built-in table (age-banded where the source is); else there is no limit and the
measure is ``unknown``. The limit carries its source so evidence can show it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal, get_args

from neuroig.case import MotorStudy, Ncs, SensoryStudy
from neuroig.record import Record
from neuroig.reference import builtin_limit
from neuroig.vocab import MotorSite, SensorySite

__all__ = ["Limit", "motor_limit", "sensory_limit"]

Origin = Literal["lab_nerve", "lab_study", "builtin"]


class Limit(Record, frozen=True):
    """A limit value with where it came from."""

    value: float
    origin: Origin
    source: str
    verified: bool
    note: str = ""


def motor_limit(ncs: Ncs, study: MotorStudy, measure: str, age_years: float | None) -> Limit | None:
    """Return the limit for a motor measure of ``study`` (E9), or None.

    ``measure`` is a key of ``MotorLimits`` (``distal_latency_ms_uln``, ``amplitude_mv_lln``,
    ``velocity_m_s_lln``, ``f_latency_ms_uln``, ``duration_ms_uln``).
    """
    if study.lab_reference is not None:
        value = getattr(study.lab_reference, measure)
        if value is not None:
            return Limit(
                value, "lab_nerve", f"case lab_reference ({study.side} {study.nerve})", True
            )
    lab = ncs.lab_reference.motor if ncs.lab_reference and ncs.lab_reference.motor else None
    if lab is not None and study.nerve in lab:
        value = getattr(lab[study.nerve], measure)
        if value is not None:
            return Limit(value, "lab_study", f"case lab_reference (motor {study.nerve})", True)
    return _builtin("motor", study.nerve, measure, age_years, study.recording)


#: Sites a sensory entry may name only since decision P12 (motor stimulation sites).
_MOTOR_ONLY_SITES = frozenset(get_args(MotorSite)) - frozenset(get_args(SensorySite))


def sensory_limit(
    ncs: Ncs, study: SensoryStudy, measure: str, age_years: float | None
) -> Limit | None:
    """Return the limit for a sensory measure of ``study`` (E9), or None.

    A segment with an end at a motor-list site (decision P12, e.g. ulnar
    ``below_elbow``-``above_elbow``) is not the segment the per-nerve limits describe:
    only the entry's own ``lab_reference`` applies to it; without one it has no limit.
    """
    if study.lab_reference is not None:
        value = getattr(study.lab_reference, measure)
        if value is not None:
            return Limit(
                value, "lab_nerve", f"case lab_reference ({study.side} {study.nerve})", True
            )
    if study.from_site in _MOTOR_ONLY_SITES or study.to_site in _MOTOR_ONLY_SITES:
        return None
    lab = ncs.lab_reference.sensory if ncs.lab_reference and ncs.lab_reference.sensory else None
    if lab is not None and study.nerve in lab:
        value = getattr(lab[study.nerve], measure)
        if value is not None:
            return Limit(value, "lab_study", f"case lab_reference (sensory {study.nerve})", True)
    return _builtin("sensory", study.nerve, measure, age_years, None)


@lru_cache(maxsize=4096)
def _builtin(
    kind: Literal["motor", "sensory"],
    nerve: str,
    measure: str,
    age_years: float | None,
    recording: str | None,
) -> Limit | None:
    """The built-in limit as a :class:`Limit` (a function of the shipped table: cached)."""
    row = builtin_limit(
        kind=kind, nerve=nerve, measure=measure, age_years=age_years, recording=recording
    )
    if row is None:
        return None
    return Limit(row.value, "builtin", row.source, row.verified, row.note)
