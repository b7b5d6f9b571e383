"""Sensory conduction: each entry and each nerve-side normal / abnormal / unknown.

An entry is abnormal when any measure is outside its limit (amplitude < LLN,
velocity < LLN, peak latency > ULN) or there is no response (unless the amplitude LLN
is 0). It is normal when nothing is outside and both the amplitude and a conduction
measure (velocity or peak latency) were compared with a limit. Otherwise unknown.
See ``docs/methods/electro.md``.
"""

from __future__ import annotations

from neuroig.case import Ncs, SensoryStudy
from neuroig.electro.limits import Limit, sensory_limit
from neuroig.electro.nerve import Finding
from neuroig.evidence import Evidence
from neuroig.record import Record
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status

__all__ = ["SensoryEntryResult", "SensoryNerveResult", "analyse_sensory", "sural_sparing"]

CITE_SURAL = (
    "Van den Bergh PYK et al. Eur J Neurol 2021;28:3556-3583 (EAN/PNS CIDP, sensory criteria)"
)


class SensoryEntryResult(Record, frozen=True):
    """One recorded sensory segment judged against its limits."""

    nerve: str
    side: str
    segment: str
    abnormal: bool | None
    reason: str
    evidence: tuple[Evidence, ...]
    amplitude_pct_lln: float | None
    velocity_pct_lln: float | None


class SensoryNerveResult(Record, frozen=True):
    """A sensory nerve-side: abnormal if any entry is, normal if all are, else unknown."""

    nerve: str
    side: str
    abnormal: bool | None
    reason: str
    entries: tuple[SensoryEntryResult, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.nerve, self.side)


def _pct(value: float | None, limit: Limit | None) -> float | None:
    if value is None or limit is None or limit.value == 0:
        return None
    return round(100.0 * value / limit.value, 9)


def _entry(ncs: Ncs, s: SensoryStudy, age: float | None) -> SensoryEntryResult:
    amp_l = sensory_limit(ncs, s, "amplitude_uv_lln", age)
    vel_l = sensory_limit(ncs, s, "velocity_m_s_lln", age)
    lat_l = sensory_limit(ncs, s, "peak_latency_ms_uln", age)
    segment = f"{s.from_site or '?'}-{s.to_site or '?'}"
    evidence: list[Evidence] = []
    outside: list[str] = []
    unknown: list[str] = []
    amp_checked = False
    conduction_checked = False

    def ev(measure: str, value: float | None, limit: Limit | None, comparator: str) -> None:
        evidence.append(
            Evidence(
                measure=measure,
                value=value,
                threshold=limit.value if limit else None,
                comparator=comparator,
                nerve=s.nerve,
                side=s.side,
                segment=segment,
                limit=limit.value if limit else None,
                limit_source=limit.source if limit else None,
                verified=limit.verified if limit else True,
            )
        )

    if s.no_response:
        ev("amplitude_uv", 0.0, amp_l, ">=")
        if amp_l is not None and amp_l.value == 0:
            amp_checked = True
            conduction_checked = True  # nothing to conduct; an absent SNAP is within normal here
        elif amp_l is None and s.nerve == "sural":
            unknown.append(
                "absent sural SNAP; its LLN is age-banded and the age (or band) is unknown"
            )
        else:
            outside.append(
                "no response" + ("" if amp_l else " (no limit on file; an absent SNAP is abnormal)")
            )
    else:
        if s.amplitude_uv is not None:
            ev("amplitude_uv", s.amplitude_uv, amp_l, ">=")
            if amp_l is None:
                unknown.append("amplitude has no LLN")
            else:
                amp_checked = True
                if s.amplitude_uv < amp_l.value:
                    outside.append(f"amplitude {s.amplitude_uv:g} µV < LLN {amp_l.value:g}")
        # conduction measures: (name, value, limit, unit, is it outside the limit?)
        conduction = (
            ("velocity_m_s", "velocity", s.velocity_m_s, vel_l, "m/s", ">=", "<", "LLN"),
            ("peak_latency_ms", "peak latency", s.peak_latency_ms, lat_l, "ms", "<=", ">", "ULN"),
        )
        for measure, label, value, limit, unit, comparator, sign, kind in conduction:
            if value is None:
                continue
            ev(measure, value, limit, comparator)
            if limit is None:
                unknown.append(f"{label} has no {kind}")
                continue
            conduction_checked = True
            beyond = value < limit.value if sign == "<" else value > limit.value
            if beyond:
                outside.append(f"{label} {value:g} {unit} {sign} {kind} {limit.value:g}")
    if outside:
        abnormal: bool | None = True
        reason = "; ".join(outside)
    elif amp_checked and conduction_checked and not unknown:
        abnormal = False
        reason = "within limits"
    else:
        abnormal = None
        missing = list(unknown)
        if not amp_checked and not unknown:
            missing.append("amplitude not compared with a limit")
        if not conduction_checked and not s.no_response:
            missing.append("no velocity or peak latency compared with a limit")
        reason = "; ".join(missing) or "not evaluable"
    return SensoryEntryResult(
        nerve=s.nerve,
        side=s.side,
        segment=segment,
        abnormal=abnormal,
        reason=reason,
        evidence=tuple(evidence),
        amplitude_pct_lln=0.0
        if s.no_response and amp_l and amp_l.value
        else _pct(s.amplitude_uv, amp_l),
        velocity_pct_lln=_pct(s.velocity_m_s, vel_l),
    )


def analyse_sensory(ncs: Ncs, *, age_years: float | None) -> tuple[SensoryNerveResult, ...]:
    """Judge every sensory entry and group them by nerve-side, in first-seen order."""
    groups: dict[tuple[str, str], list[SensoryEntryResult]] = {}
    for s in ncs.sensory or ():
        groups.setdefault((s.nerve, s.side), []).append(_entry(ncs, s, age_years))
    out: list[SensoryNerveResult] = []
    for (nerve, side), entries in groups.items():
        flags = [e.abnormal for e in entries]
        if any(f is True for f in flags):
            abnormal: bool | None = True
            reason = "; ".join(f"{e.segment}: {e.reason}" for e in entries if e.abnormal)
        elif all(f is False for f in flags):
            abnormal = False
            reason = "all segments within limits"
        else:
            abnormal = None
            reason = "; ".join(f"{e.segment}: {e.reason}" for e in entries if e.abnormal is None)
        out.append(SensoryNerveResult(nerve, side, abnormal, reason, tuple(entries)))
    return tuple(out)


def sural_sparing(sensory: tuple[SensoryNerveResult, ...]) -> Finding:
    """CIDP21-SENS-SC-b, sural-sparing pattern: abnormal median or radial SNAP, normal sural SNAP.

    Judged per side; met on either side. A median-only abnormality carries the note
    "exclude carpal tunnel syndrome" (the guideline excludes CTS).

    References
    ----------
    1. Van den Bergh PYK et al. EAN/PNS CIDP guideline, second revision.
       Eur J Neurol 2021;28:3556-3583 (sensory conduction criteria).
    """
    by_key = {r.key: r for r in sensory}
    statuses: list[Status] = []
    reasons: list[str] = []
    for side in ("left", "right"):
        upper = [by_key.get((n, side)) for n in ("median", "radial")]
        sural = by_key.get(("sural", side))
        up_abn = [u.abnormal for u in upper if u is not None]
        if sural is None or not up_abn:
            statuses.append(UNKNOWN)
            continue
        upper_any: bool | None = (
            True if True in up_abn else (False if all(x is False for x in up_abn) else None)
        )
        sural_normal = None if sural.abnormal is None else not sural.abnormal
        if upper_any is True and sural_normal is True:
            statuses.append(MET)
            only_median = (
                by_key.get(("median", side)) is not None
                and by_key[("median", side)].abnormal
                and not (
                    by_key.get(("radial", side)) is not None and by_key[("radial", side)].abnormal
                )
            )
            reasons.append(
                f"{side}: abnormal {'median' if only_median else 'median/radial'} with normal sural"
                + ("; exclude carpal tunnel syndrome" if only_median else "")
            )
        elif upper_any is False or sural_normal is False:
            statuses.append(NOT_MET)
        else:
            statuses.append(UNKNOWN)
    if MET in statuses:
        status: Status = MET
    elif all(s == NOT_MET for s in statuses):
        status = NOT_MET
    else:
        status = UNKNOWN
    reason = (
        "; ".join(reasons)
        if reasons
        else ("no pattern" if status == NOT_MET else "median/radial or sural not judged on a side")
    )
    return Finding(
        "CIDP21-SENS-SC-b",
        status,
        "sural-sparing pattern (abnormal median or radial SNAP, normal sural SNAP)",
        reason,
        CITE_SURAL,
    )
