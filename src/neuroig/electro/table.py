"""A plain per-site NCS table with each measure as a percentage of its limit.

Used by ``neuroig show``: the raw numbers a neurophysiologist reads first, before
any criterion is applied. Percentages: distal latency and F latency as % of the
ULN, distal amplitude and velocities as % of the LLN (decision E9 limits).
"""

from __future__ import annotations

from neuroig.case import Case, Ncs, age_at
from neuroig.electro.limits import Limit, motor_limit, sensory_limit
from neuroig.record import Record

__all__ = [
    "MotorSiteRow",
    "NcsTable",
    "SensoryRow",
    "ncs_table",
    "pct",
    "segment_words",
    "velocity_m_s",
]


def segment_words(label: str) -> str:
    """A segment label for display: ``wrist-below_elbow`` → ``wrist to below elbow``;
    an unrecorded site (``?``) is named, never shown as ``?-?``."""
    if "-" not in label:
        return label.replace("_", " ")
    start, _, end = label.partition("-")
    if start in ("?", "") and end in ("?", ""):
        return "sites not recorded"
    words = ["site not recorded" if x in ("?", "") else x.replace("_", " ") for x in (start, end)]
    return " to ".join(words)


def pct(value: float | None, limit: Limit | None) -> float | None:
    """Return ``100 × value / limit`` rounded to 0.1, or None if either is missing."""
    if value is None or limit is None or limit.value == 0:
        return None
    return round(100.0 * value / limit.value, 1)


def velocity_m_s(
    distance_mm: float | None, latency_from_ms: float | None, latency_to_ms: float | None
) -> float | None:
    """Conduction velocity over a segment: distance (mm) / latency difference (ms) = m/s."""
    if distance_mm is None or latency_from_ms is None or latency_to_ms is None:
        return None
    delta = latency_to_ms - latency_from_ms
    if delta <= 0:
        return None
    return distance_mm / delta


class MotorSiteRow(Record, frozen=True):
    nerve: str
    side: str
    site: str
    latency_ms: float | None
    latency_pct_uln: float | None
    amplitude_mv: float | None
    amplitude_pct_lln: float | None
    area_mvms: float | None
    duration_ms: float | None
    distance_mm: float | None
    velocity_m_s: float | None
    velocity_pct_lln: float | None
    no_response: bool
    f_latency_ms: float | None = None
    f_pct_uln: float | None = None
    f_absent: bool | None = None


class SensoryRow(Record, frozen=True):
    nerve: str
    side: str
    segment: str
    amplitude_uv: float | None
    amplitude_pct_lln: float | None
    velocity_m_s: float | None
    velocity_pct_lln: float | None
    peak_latency_ms: float | None
    peak_latency_pct_uln: float | None
    no_response: bool


class NcsTable(Record, frozen=True):
    motor: tuple[MotorSiteRow, ...]
    sensory: tuple[SensoryRow, ...]
    limit_sources: tuple[str, ...]


def ncs_table(case: Case, ncs: Ncs | None = None) -> NcsTable:
    """Tabulate a case's NCS (the presentation study unless ``ncs`` is given)."""
    study = ncs if ncs is not None else case.ncs
    if study is None:
        return NcsTable((), (), ())
    age = age_at(case, study.date)
    sources: list[str] = []

    def note(limit: Limit | None) -> Limit | None:
        if limit is not None and limit.source not in sources:
            sources.append(limit.source)
        return limit

    motor: list[MotorSiteRow] = []
    for m in study.motor or ():
        dl = note(motor_limit(study, m, "distal_latency_ms_uln", age))
        al = note(motor_limit(study, m, "amplitude_mv_lln", age))
        vl = note(motor_limit(study, m, "velocity_m_s_lln", age))
        fl = note(motor_limit(study, m, "f_latency_ms_uln", age))
        prev_latency: float | None = None
        for i, s in enumerate(m.sites):
            distal = i == 0
            v = None if distal else velocity_m_s(s.distance_mm, prev_latency, s.latency_ms)
            f = m.f_wave if distal else None
            motor.append(
                MotorSiteRow(
                    nerve=m.nerve,
                    side=m.side,
                    site=s.site,
                    latency_ms=s.latency_ms,
                    latency_pct_uln=pct(s.latency_ms, dl) if distal else None,
                    amplitude_mv=s.amplitude_mv,
                    amplitude_pct_lln=pct(s.amplitude_mv, al) if distal else None,
                    area_mvms=s.area_mvms,
                    duration_ms=s.duration_ms,
                    distance_mm=s.distance_mm,
                    velocity_m_s=round(v, 1) if v is not None else None,
                    velocity_pct_lln=pct(v, vl),
                    no_response=bool(s.no_response),
                    f_latency_ms=f.min_latency_ms if f else None,
                    f_pct_uln=pct(f.min_latency_ms, fl) if f else None,
                    f_absent=f.is_absent if f else None,
                )
            )
            prev_latency = s.latency_ms
    sensory: list[SensoryRow] = []
    for sn in study.sensory or ():
        amp_l = note(sensory_limit(study, sn, "amplitude_uv_lln", age))
        vel_l = note(sensory_limit(study, sn, "velocity_m_s_lln", age))
        lat_l = note(sensory_limit(study, sn, "peak_latency_ms_uln", age))
        segment = segment_words(f"{sn.from_site or '?'}-{sn.to_site or '?'}")
        sensory.append(
            SensoryRow(
                nerve=sn.nerve,
                side=sn.side,
                segment=segment,
                amplitude_uv=sn.amplitude_uv,
                amplitude_pct_lln=pct(sn.amplitude_uv, amp_l),
                velocity_m_s=sn.velocity_m_s,
                velocity_pct_lln=pct(sn.velocity_m_s, vel_l),
                peak_latency_ms=sn.peak_latency_ms,
                peak_latency_pct_uln=pct(sn.peak_latency_ms, lat_l),
                no_response=bool(sn.no_response),
            )
        )
    return NcsTable(tuple(motor), tuple(sensory), tuple(sources))
