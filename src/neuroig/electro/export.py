"""The ``electro`` object of ``neuroig-assessment/1`` and ``neuroig ncs --json``
(docs/outputs.md)."""

from __future__ import annotations

from typing import Any

from neuroig.electro.analysis import ElectroResult
from neuroig.electro.nerve import Finding, MotorNerveResult
from neuroig.electro.segments import Segment
from neuroig.electro.sensory import SensoryNerveResult

__all__ = ["electro_to_dict", "finding_to_dict"]


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def finding_to_dict(f: Finding, *, full: bool = True) -> dict[str, Any]:
    """A finding as JSON; ``full=False`` leaves out the statement and citation, which the
    ``electro.rules`` map gives once per document."""
    out: dict[str, Any] = {"id": f.id, "status": f.status, "reason": f.reason}
    if full:
        out["statement"] = f.statement
        out["cite"] = f.cite
    out["evidence"] = [e.to_dict() for e in f.evidence]
    return out


def _segment(s: Segment) -> dict[str, Any]:
    return {
        "from": s.from_site,
        "to": s.to_site,
        "kind": s.kind,
        "distance_mm": _r(s.distance_mm),
        "velocity_m_s": _r(s.velocity_m_s),
        "velocity_pct_lln": _r(s.velocity_pct_lln),
        "amplitude_drop_pct": _r(s.amplitude_drop_pct),
        "area_drop_pct": _r(s.area_drop_pct),
        "duration_increase_pct": _r(s.duration_increase_pct),
        "entrapment_site": s.entrapment_site,
        "entrapment_zone": s.entrapment,
        "long_segment": s.long_segment,
        "block_efns_pns_2010": s.efns.grade,
        "efns_definite": s.efns.definite,
        "efns_probable": s.efns.probable,
        "efns_reason": s.efns.reason,
        "efns_evidence": [e.to_dict() for e in s.efns.evidence],
        "block_ean_pns_2021": s.ean_block,
        "ean_reason": s.ean_block_reason,
        "dispersion_ean_pns_2021": s.ean_dispersion,
    }


def _limits(m: MotorNerveResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for measure, limit in m.limits.items():
        if limit is not None:
            out[measure] = {
                "value": limit.value,
                "origin": limit.origin,
                "source": limit.source,
                "verified": limit.verified,
            }
    return out


def _motor(m: MotorNerveResult) -> dict[str, Any]:
    return {
        "nerve": m.nerve,
        "side": m.side,
        "recording": m.recording,
        "distal_latency_ms": m.distal_latency_ms,
        "distal_latency_pct_uln": _r(m.distal_latency_pct_uln),
        "distal_amplitude_mv": m.distal_amplitude_mv,
        "distal_amplitude_pct_lln": _r(m.distal_amplitude_pct_lln),
        "slowest_velocity_m_s": _r(m.slowest_velocity_m_s),
        "slowest_velocity_pct_lln": _r(m.slowest_velocity_pct_lln),
        "f_latency_ms": m.f_latency_ms,
        "f_latency_pct_uln": _r(m.f_latency_pct_uln),
        "f_absent": m.f_absent,
        "distal_duration_ms": m.distal_duration_ms,
        "temperature_c": m.temperature_c,
        "temperature_warning": m.temperature_warning,
        "limits": _limits(m),
        "segments": [_segment(s) for s in m.segments],
        "findings": [finding_to_dict(f, full=False) for f in m.findings],
    }


def _sensory(s: SensoryNerveResult) -> dict[str, Any]:
    return {
        "nerve": s.nerve,
        "side": s.side,
        "abnormal": s.abnormal,
        "reason": s.reason,
        "entries": [
            {
                "segment": e.segment,
                "abnormal": e.abnormal,
                "reason": e.reason,
                "amplitude_pct_lln": _r(e.amplitude_pct_lln),
                "velocity_pct_lln": _r(e.velocity_pct_lln),
                "evidence": [x.to_dict() for x in e.evidence],
            }
            for e in s.entries
        ],
    }


def electro_to_dict(result: ElectroResult) -> dict[str, Any]:
    """Return the JSON-ready ``electro`` object."""
    rules: dict[str, dict[str, str]] = {}
    for m in result.motor:
        for f in m.findings:
            rules.setdefault(f.id, {"statement": f.statement, "cite": f.cite})
    return {
        "age_years": _r(result.age_years),
        "rules": rules,
        "options": {"amplitude_surrogate": result.options.amplitude_surrogate},
        "motor": [_motor(m) for m in result.motor],
        "sensory": [_sensory(s) for s in result.sensory],
        "sural_sparing": finding_to_dict(result.sural_sparing),
        "warnings": list(result.warnings),
    }
