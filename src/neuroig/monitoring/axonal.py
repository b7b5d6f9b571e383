"""Axonal loss from serial nerve conduction studies (decision M6).

For each motor nerve, side and recording muscle studied more than once (the
presentation study and the follow-up studies in assessments), the distal CMAP
amplitude of the first and the latest study are compared. The nerve is flagged
when the latest amplitude has fallen by ``M6-FALL-PCT`` (50 %) or more from the
first, or lies below the lower limit of normal (decision E9 limits: the study's own
``lab_reference``, else the built-in table, else unknown).

The rule reads serial studies (decision M6a): a nerve studied once is reported (with
its LLN status) but neither flagged nor cleared. A low distal CMAP can also come from
a distal conduction block (MMN, CIDP); the flag says "axonal loss likely".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from neuroig.case import Case, MotorStudy, Ncs, age_at
from neuroig.electro import motor_limit
from neuroig.electro.table import velocity_m_s
from neuroig.monitoring.readings import EPS
from neuroig.record import Record
from neuroig.reference.outcomes import rule_value

__all__ = ["AxonalNerve", "CmapPoint", "axonal_loss"]


class CmapPoint(Record, frozen=True):
    """The distal CMAP amplitude of one study of one nerve."""

    date: date
    amplitude_mv: float
    site: str
    lln_mv: float | None
    lln_source: str
    velocity_m_s: float | None = None


class AxonalNerve(Record, frozen=True):
    """One nerve-side followed over serial studies."""

    nerve: str
    side: str
    recording: str | None
    points: tuple[CmapPoint, ...]
    change_pct: float | None
    fall_flag: bool | None
    below_lln: bool | None
    flagged: bool | None
    reason: str

    @property
    def first_mv(self) -> float:
        """Distal CMAP amplitude at the first study."""
        return self.points[0].amplitude_mv

    @property
    def latest_mv(self) -> float:
        """Distal CMAP amplitude at the latest study."""
        return self.points[-1].amplitude_mv


def _studies(case: Case) -> list[tuple[date, Ncs]]:
    out: list[tuple[date, Ncs]] = []
    if case.ncs is not None and case.ncs.motor:
        when = case.ncs.date
        if when is None:
            dates = [a.date for a in case.assessments or ()]
            when = min(dates) if dates else None
        if when is not None:
            out.append((when, case.ncs))
    for a in case.assessments or ():
        if a.ncs is not None and a.ncs.motor:
            out.append((a.ncs.date or a.date, a.ncs))
    out.sort(key=lambda x: x[0])
    return out


def _distal_velocity(study: MotorStudy) -> float | None:
    """Conduction velocity of the first segment (distal to the next site), m/s, or None."""
    if len(study.sites) < 2:
        return None
    a, b = study.sites[0], study.sites[1]
    v = velocity_m_s(b.distance_mm, a.latency_ms, b.latency_ms)
    return None if v is None else round(v, 1)


def _distal(study: MotorStudy) -> tuple[float, str] | None:
    site = study.sites[0]
    if site.no_response:
        return 0.0, site.site
    if site.amplitude_mv is None:
        return None
    return site.amplitude_mv, site.site


def axonal_loss(case: Case) -> tuple[AxonalNerve, ...]:
    """Follow each motor nerve's distal CMAP amplitude over the case's studies (M6).

    References
    ----------
    Decision M6; Herraets IJT et al., Neurology 2020 and Cats EA et al., Neurology 2010
    (axonal loss predicts a worse long-term outcome in MMN).
    """
    fall = rule_value("M6-FALL-PCT")
    series: dict[tuple[str, str, str | None], list[CmapPoint]] = defaultdict(list)
    studies = _studies(case)
    recordings: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _when, ncs in studies:
        for m in ncs.motor or ():
            if m.recording:
                recordings[(m.nerve, m.side)].add(m.recording)
    for when, ncs in studies:
        for m in ncs.motor or ():
            distal = _distal(m)
            if distal is None:
                continue
            recording = m.recording
            if recording is None and len(recordings[(m.nerve, m.side)]) == 1:
                recording = next(iter(recordings[(m.nerve, m.side)]))
            limit = motor_limit(ncs, m, "amplitude_mv_lln", age_at(case, when))
            series[(m.nerve, m.side, recording)].append(
                CmapPoint(
                    date=when,
                    amplitude_mv=distal[0],
                    site=distal[1],
                    lln_mv=limit.value if limit else None,
                    lln_source=limit.source if limit else "",
                    velocity_m_s=_distal_velocity(m),
                )
            )
    out: list[AxonalNerve] = []
    for (nerve, side, recording), points in sorted(
        series.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")
    ):
        pts = tuple(sorted(points, key=lambda p: (p.date, p.amplitude_mv)))
        first, last = pts[0], pts[-1]
        change: float | None = None
        fall_flag: bool | None = None
        if len(pts) >= 2 and last.date > first.date:
            if first.amplitude_mv > 0:
                change = round(
                    100.0 * (last.amplitude_mv - first.amplitude_mv) / first.amplitude_mv, 1
                )
                fall_flag = -change >= fall - EPS
            else:
                fall_flag = False
        below = None if last.lln_mv is None else last.amplitude_mv < last.lln_mv
        if len(pts) < 2 or last.date == first.date:
            flagged: bool | None = None
        elif fall_flag or below:
            flagged = True
        elif fall_flag is None or below is None:
            flagged = None
        else:
            flagged = False
        parts: list[str] = []
        if change is not None:
            parts.append(
                f"distal CMAP {first.amplitude_mv:g} → {last.amplitude_mv:g} mV ({change:+.1f} %"
                f"{', a fall of ≥ ' + format(fall, 'g') + ' %' if fall_flag else ''})"
            )
        else:
            parts.append(f"one study only ({last.amplitude_mv:g} mV): no trend")
        if below is None:
            parts.append("no lower limit of normal for this nerve: below-LLN unknown")
        elif below:
            parts.append(f"below the LLN {last.lln_mv:g} mV ({last.lln_source})")
        else:
            parts.append(f"at or above the LLN {last.lln_mv:g} mV")
        out.append(
            AxonalNerve(
                nerve=nerve,
                side=side,
                recording=recording,
                points=pts,
                change_pct=change,
                fall_flag=fall_flag,
                below_lln=below,
                flagged=flagged,
                reason="; ".join(parts),
            )
        )
    return tuple(out)
