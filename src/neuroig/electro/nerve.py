"""Per motor nerve-side: distal measures against limits and the demyelination findings.

The nerve-count rules (2 nerves, 1 nerve plus another parameter…) belong to the
criteria layer; here each finding is judged for one nerve. Rules and thresholds:
``docs/methods/electro.md`` and ``reference/data/thresholds.toml``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from neuroig.case import MotorStudy, Ncs
from neuroig.criteria import mmn_block
from neuroig.electro.limits import Limit, motor_limit
from neuroig.electro.segments import ElectroOptions, Segment, build_segments, reference_distal_index
from neuroig.evidence import Evidence, Explain, Explained
from neuroig.record import LazyRecord, Record, field
from neuroig.reference import motor_nerve_info
from neuroig.reference.limits import duration_cutoff
from neuroig.reference.thresholds import Threshold, threshold
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, and_bools, any_of, decide, from_bool

__all__ = ["FINDINGS_OF", "FINDING_IDS", "Finding", "MotorNerveResult", "analyse_motor_nerve"]

CITE_EAN_2021 = (
    "Van den Bergh PYK et al. Eur J Neurol 2021;28:3556-3583 (EAN/PNS CIDP, motor conduction)"
)
CITE_EFNS_2010_CIDP = (
    "Van den Bergh PYK et al. Eur J Neurol 2010;17:356-363 (EFNS/PNS CIDP, electrodiagnosis)"
)
CITE_EFNS_2010_MMN = (
    "van Schaik IN et al. J Peripher Nerv Syst 2010;15:295-301 (EFNS/PNS MMN, Table 2)"
)


class Finding(Explained, LazyRecord, gc=False):
    """One criterion judged for one nerve (or one study): status, reason, evidence.

    Built as ``Finding(id, status, statement, reason, cite, evidence=())``, ``evidence``
    a tuple. The status is decided when the finding is built; a finding built with
    :meth:`lazy` builds its reason and evidence the first time either is read (the
    criteria read statuses; only a rendered result reads the explanation).
    """

    id: str
    status: Status
    statement: str
    _reason: str
    cite: str
    _evidence: tuple[Evidence, ...] = ()
    _explain: Explain | None = None

    @classmethod
    def lazy(cls, fid: str, status: Status, statement: str, cite: str, explain: Explain) -> Finding:
        """A finding whose reason and evidence ``explain`` builds when first read."""
        return cls(fid, status, statement, "", cite, (), explain)

    def _key(self) -> tuple[object, ...]:
        return (self.id, self.status, self.statement, self.reason, self.cite, self.evidence)

    def __repr__(self) -> str:
        return (
            f"Finding(id={self.id!r}, status={self.status!r}, statement={self.statement!r}, "
            f"reason={self.reason!r}, cite={self.cite!r}, evidence={self.evidence!r})"
        )


class MotorNerveResult(Record, frozen=True):
    """The analysis of one motor nerve-side."""

    nerve: str
    side: str
    recording: str | None
    limb: str
    segments: tuple[Segment, ...]
    findings: tuple[Finding, ...]
    distal_latency_ms: float | None
    distal_latency_pct_uln: float | None
    distal_amplitude_mv: float | None
    distal_amplitude_pct_lln: float | None
    slowest_velocity_m_s: float | None
    slowest_velocity_pct_lln: float | None
    f_latency_ms: float | None
    f_latency_pct_uln: float | None
    f_absent: bool | None
    distal_duration_ms: float | None
    temperature_c: float | None
    temperature_warning: str | None
    limits: dict[str, Limit | None] = field(default_factory=dict)

    def finding(self, finding_id: str) -> Finding:
        """Return the finding with this id (KeyError if the engine does not produce it)."""
        found = self.findings[_POSITION[finding_id]]
        if found.id != finding_id:
            raise KeyError(finding_id)
        return found

    def statuses(self, finding_ids: tuple[str, ...]) -> list[Status]:
        """The statuses of these findings, in this order (KeyError for an id the engine
        does not produce)."""
        findings = self.findings
        return [findings[_POSITION[fid]].status for fid in finding_ids]

    def findings_of(self, prefix: str) -> tuple[Finding, ...]:
        """The findings whose ids start with ``prefix`` (a key of :data:`FINDINGS_OF`)."""
        return self.findings[FINDINGS_OF[prefix]]

    @property
    def key(self) -> tuple[str, str]:
        return (self.nerve, self.side)


#: The ids of a motor nerve-side's findings, in the order :func:`analyse_motor_nerve`
#: builds them (a finding is looked up by its position).
FINDING_IDS = (
    "CIDP21-MOT-a",
    "CIDP21-MOT-b",
    "CIDP21-MOT-c",
    "CIDP21-MOT-d",
    "CIDP21-MOT-e",
    "CIDP21-MOT-f",
    "CIDP21-MOT-g",
    "CIDP10-MOT-a",
    "CIDP10-MOT-b",
    "CIDP10-MOT-c",
    "CIDP10-MOT-d",
    "CIDP10-MOT-e",
    "CIDP10-MOT-f",
    "CIDP10-MOT-g",
    "CIDP10-PROB-CB",
    mmn_block.DEFINITE_ID,
    mmn_block.PROBABLE_ID,
)
_POSITION = {fid: i for i, fid in enumerate(FINDING_IDS)}
#: The positions in :data:`FINDING_IDS` of the findings of each criteria set, by id prefix.
FINDINGS_OF = {
    "CIDP21-MOT-": slice(0, 7),
    "CIDP10-": slice(7, 15),
    "EFNS-MMN-BLOCK-": slice(15, 17),
}


#: A condition's status from its boolean (None: unknown), as :func:`from_bool` without a call.
_FROM_BOOL: dict[bool | None, Status] = {True: MET, False: NOT_MET, None: UNKNOWN}


def _pct(value: float | None, limit: Limit | None) -> float | None:
    if value is None or limit is None or limit.value == 0:
        return None
    return round(100.0 * value / limit.value, 9)


def _ev(
    measure: str,
    value: float | None,
    t: Threshold | None,
    study: MotorStudy,
    limit: Limit | None = None,
    note: str = "",
    segment: str | None = None,
) -> Evidence:
    return Evidence(
        measure=measure,
        value=None if value is None else round(value, 1),
        threshold=t.value if t else None,
        comparator=t.comparator if t else "",
        nerve=study.nerve,
        side=study.side,
        segment=segment,
        limit=limit.value if limit else None,
        limit_source=limit.source if limit else None,
        verified=(t.verified if t else True) and (limit.verified if limit else True),
        note=note,
    )


def _dml(
    fid: str, tid: str, cite: str, study: MotorStudy, dml: float | None, uln: Limit | None
) -> Finding:
    """Distal motor latency ≥ 150 % of ULN (EAN/PNS 2021 (a); EFNS/PNS 2010 (a))."""
    t = threshold(tid)
    pct = _pct(dml, uln)
    status = from_bool(t.holds_or_none(pct))
    explain = partial(_explain_dml, study, status, dml, pct, uln, t)
    return Finding.lazy(fid, status, "distal motor latency at least 50 % above ULN", cite, explain)


def _explain_dml(
    study: MotorStudy,
    status: Status,
    dml: float | None,
    pct: float | None,
    uln: Limit | None,
    t: Threshold,
) -> tuple[str, list[Evidence]]:
    note = (
        "exclude median neuropathy at the wrist (carpal tunnel syndrome)"
        if study.nerve == "median" and status == MET
        else ""
    )
    if pct is None or uln is None or dml is None:
        reason = "distal latency or its ULN missing"
    else:
        reason = f"DML {dml:g} ms = {pct:.1f} % of ULN {uln.value:g} ms"
    return reason, [_ev("distal_latency_pct_uln", pct, t, study, uln, note)]


class _Velocities(Record, frozen=True):
    """What both velocity criteria read of a nerve's segments, computed once."""

    eligible: tuple[Segment, ...]
    pcts: tuple[float | None, ...]
    slowest: Segment | None
    slowest_m_s: float | None
    slowest_pct_lln: float | None


def _velocities(segments: tuple[Segment, ...], lln: Limit | None) -> _Velocities:
    """The non-entrapment segmental CVs, their % of LLN, and the slowest (E13)."""
    eligible = tuple(s for s in segments if s.kind == "segmental" and s.entrapment is None)
    known = [s for s in eligible if s.velocity_m_s is not None]
    slowest = min(known, key=lambda s: s.velocity_m_s or 0.0) if known else None
    v = slowest.velocity_m_s if slowest else None
    # a segment's velocity_pct_lln is its CV in % of this same LLN
    pcts = (
        tuple(s.velocity_pct_lln for s in eligible) if lln is not None else (None,) * len(eligible)
    )
    return _Velocities(eligible, pcts, slowest, v, _pct(v, lln))


def _velocity(
    fid: str, tid: str, cite: str, study: MotorStudy, vel: _Velocities, lln: Limit | None
) -> Finding:
    """Slowest non-entrapment segmental CV ≤ 70 % of LLN (criterion b, 2021 and 2010; E13)."""
    t = threshold(tid)
    status = any_of([from_bool(t.holds_or_none(p)) for p in vel.pcts]) if vel.eligible else UNKNOWN
    explain = partial(_explain_velocity, study, vel, lln, t, status)
    return Finding.lazy(
        fid, status, "motor conduction velocity at least 30 % below LLN", cite, explain
    )


def _explain_velocity(
    study: MotorStudy, vel: _Velocities, lln: Limit | None, t: Threshold, status: Status
) -> tuple[str, list[Evidence]]:
    slowest, v, pct = vel.slowest, vel.slowest_m_s, vel.slowest_pct_lln
    if not vel.eligible:
        reason = "no non-entrapment segment with two stimulation sites"
    elif lln is None:
        reason = "no velocity LLN"
    elif slowest is None:
        reason = "no segment velocity could be computed (distance or latency missing)"
    else:
        reason = f"slowest CV {v:.1f} m/s ({slowest.label}) = {pct:.1f} % of LLN {lln.value:g} m/s"
        if status == UNKNOWN:
            reason += "; another segment's velocity is unknown"
    segment = slowest.label if slowest else None
    return reason, [_ev("velocity_pct_lln", pct, t, study, lln, segment=segment)]


#: Criterion (c) of each set: F latency in % of ULN, the same when the distal CMAP is
#: low, and the distal CMAP % of LLN below which the higher threshold applies.
_F_THRESHOLDS = {
    "cidp21": (
        threshold("cidp21.c.f_latency_pct_uln"),
        threshold("cidp21.c.f_latency_low_cmap_pct_uln"),
        threshold("cidp21.c.low_cmap_pct_lln"),
    ),
    "cidp10": (
        threshold("cidp10.c.f_latency_pct_uln"),
        threshold("cidp10.c.f_latency_low_cmap_pct_uln"),
        threshold("cidp10.c.low_cmap_pct_lln"),
    ),
}


def _f_statement(t_norm: Threshold, t_high: Threshold, t_low: Threshold) -> str:
    return (
        f"minimal F latency ≥ {t_norm.value - 100:g} % above ULN "
        f"(≥ {t_high.value - 100:g} % if distal CMAP < {t_low.value:g} % of LLN)"
    )


_F_STATEMENTS = {prefix: _f_statement(*ts) for prefix, ts in _F_THRESHOLDS.items()}


def _f_latency(
    fid: str,
    prefix: str,
    cite: str,
    study: MotorStudy,
    f_ms: float | None,
    f_absent: bool | None,
    uln: Limit | None,
    distal_pct_lln: float | None,
) -> Finding:
    """F latency ≥ 120 % (2021) / 130 % (2010) of ULN; ≥ 150 % if distal CMAP < 80 % of LLN (c)."""
    t_norm, t_high, t_low = _F_THRESHOLDS[prefix]
    statement = _F_STATEMENTS[prefix]
    if f_absent:
        return Finding(fid, NOT_MET, statement, "F-waves absent (see criterion d)", cite)
    pct = _pct(f_ms, uln)
    if pct is None:
        reason = "F-wave not recorded" if f_ms is None else "no F-latency ULN"
        explain = partial(_explain_f_missing, reason, study, uln, t_norm)
        return Finding.lazy(fid, UNKNOWN, statement, cite, explain)
    low = t_low.holds_or_none(distal_pct_lln)
    status = decide(lambda w: t_high.holds(pct) if w["low"] else t_norm.holds(pct), {"low": low})
    explain = partial(_explain_f_latency, prefix, study, f_ms, pct, uln, low)
    return Finding.lazy(fid, status, statement, cite, explain)


def _explain_f_missing(
    reason: str, study: MotorStudy, uln: Limit | None, t_norm: Threshold
) -> tuple[str, list[Evidence]]:
    return reason, [_ev("f_latency_pct_uln", None, t_norm, study, uln)]


def _explain_f_latency(
    prefix: str,
    study: MotorStudy,
    f_ms: float | None,
    pct: float,
    uln: Limit | None,
    low: bool | None,
) -> tuple[str, list[Evidence]]:
    t_norm, t_high, _ = _F_THRESHOLDS[prefix]
    used = t_high if low else t_norm
    reason = f"F {f_ms:g} ms = {pct:.1f} % of ULN {uln.value if uln else 0:g} ms"
    if low is None:
        reason += (
            "; distal CMAP % of LLN unknown, so the threshold (120/150 %) is undecided"
            if prefix == "cidp21"
            else "; distal CMAP % of LLN unknown"
        )
    return reason, [_ev("f_latency_pct_uln", pct, used, study, uln)]


def _f_absent(
    fid: str,
    tid: str,
    cite: str,
    study: MotorStudy,
    f_absent: bool | None,
    distal_pct_lln: float | None,
    lln: Limit | None,
) -> Finding:
    """Absent F-waves in a nerve whose distal CMAP is ≥ 20 % of LLN (criterion d)."""
    t = threshold(tid)
    floor = t.holds_or_none(distal_pct_lln)
    status = and_bools(f_absent, floor)
    explain = partial(_explain_f_absent, study, f_absent, floor, distal_pct_lln, t, lln)
    return Finding.lazy(fid, status, "absent F-waves with distal CMAP ≥ 20 % of LLN", cite, explain)


def _explain_f_absent(
    study: MotorStudy,
    f_absent: bool | None,
    floor: bool | None,
    distal_pct_lln: float | None,
    t: Threshold,
    lln: Limit | None,
) -> tuple[str, list[Evidence]]:
    if f_absent is None:
        reason = "F-waves not recorded"
    elif not f_absent:
        reason = "F-waves present"
    elif floor is None:
        reason = "F-waves absent; distal CMAP % of LLN unknown"
    else:
        reason = f"F-waves absent; distal CMAP {distal_pct_lln:.1f} % of LLN"
    return reason, [_ev("distal_amplitude_pct_lln", distal_pct_lln, t, study, lln)]


def _any_segment(
    fid: str,
    statement: str,
    cite: str,
    segments: tuple[Segment, ...],
    statuses: list[Status],
    describe: Callable[[Segment], str],
    why: Callable[[Segment], str] | None = None,
    evidence: Callable[[Segment], tuple[Evidence, ...]] | None = None,
    status: Status | None = None,
) -> Finding:
    """Met when any segment meets the condition; unknown without proximal stimulation.

    ``statuses`` holds the condition's status in each segment. ``status``, when given,
    is the nerve's status decided elsewhere (it must agree with ``statuses``); the
    explanation is built from the segments when first read.
    """
    if not segments:
        return Finding(fid, UNKNOWN, statement, "no proximal stimulation site", cite)
    decided = any_of(statuses) if status is None else status
    explain = partial(_explain_any_segment, segments, statuses, decided, describe, why, evidence)
    return Finding.lazy(fid, decided, statement, cite, explain)


def _explain_any_segment(
    segments: tuple[Segment, ...],
    statuses: list[Status],
    decided: Status,
    describe: Callable[[Segment], str],
    why: Callable[[Segment], str] | None,
    evidence: Callable[[Segment], tuple[Evidence, ...]] | None,
) -> tuple[str, list[Evidence]]:
    hits = [s for s, st in zip(segments, statuses, strict=True) if st == MET]
    if hits:
        reason = "; ".join(f"{s.label} ({s.kind}): {describe(s)}" for s in hits)
    elif decided == UNKNOWN:
        unknown = [
            f"{s.label} ({why(s)})" if why else s.label
            for s, st in zip(segments, statuses, strict=True)
            if st == UNKNOWN
        ]
        reason = "undecided in " + "; ".join(dict.fromkeys(unknown))
    else:
        reason = "not in any studied segment"
    return reason, [e for s in hits for e in evidence(s)] if evidence else []


def _duration(
    fid: str,
    criteria: str,
    cite: str,
    study: MotorStudy,
    duration: float | None,
    lff_hz: float | None,
    lab_uln: Limit | None,
) -> Finding:
    """Distal CMAP duration prolongation (criterion g; decision E10)."""
    statement = "distal CMAP duration prolonged"
    if duration is None:
        return Finding(fid, UNKNOWN, statement, "distal CMAP duration not recorded", cite)
    if criteria == "cidp_ean_pns_2021" and lab_uln is not None:
        explain = partial(
            _explain_duration,
            study,
            duration,
            "the lab's ULN",
            lab_uln.value,
            ">",
            lab_uln.value,
            lab_uln.source,
            True,
        )
        return Finding.lazy(fid, from_bool(duration > lab_uln.value), statement, cite, explain)
    cut = duration_cutoff(
        criteria=criteria, nerve=study.nerve, lff_hz=lff_hz, recording=study.recording
    )
    if cut is None:
        if criteria == "cidp_ean_pns_2021":
            why = (
                f"no cut-off for a {lff_hz:g} Hz low-frequency filter (2, 5, 10 or 20 Hz only, E10)"
                if lff_hz is not None
                else "low-frequency filter not recorded (E10)"
            )
            if study.nerve not in {"median", "ulnar", "fibular", "tibial"}:
                why = f"no cut-off for the {study.nerve} nerve"
        else:
            why = f"no cut-off for the {study.nerve} nerve" + (
                f" recorded from {study.recording}" if study.recording else ""
            )
        return Finding(fid, UNKNOWN, statement, why, cite)
    holds = duration > cut.value_ms if cut.comparator == ">" else duration >= cut.value_ms
    explain = partial(
        _explain_duration,
        study,
        duration,
        f"cut-off {cut.comparator}",
        cut.value_ms,
        cut.comparator,
        None,
        cut.source,
        cut.verified,
    )
    return Finding.lazy(fid, from_bool(holds), statement, cite, explain)


def _explain_duration(
    study: MotorStudy,
    duration: float,
    against: str,
    value: float,
    comparator: str,
    limit: float | None,
    source: str | None,
    verified: bool,
) -> tuple[str, list[Evidence]]:
    """The distal CMAP duration against the lab's ULN or a set's cut-off (E10)."""
    return f"duration {duration:g} ms vs {against} {value:g} ms", [
        Evidence(
            "distal_duration_ms",
            duration,
            value,
            comparator,
            study.nerve,
            study.side,
            limit=limit,
            limit_source=source,
            verified=verified,
        )
    ]


def _ean_block_reason(s: Segment) -> str:
    return s.ean_block_reason


def _duration_increase(s: Segment) -> str:
    return f"duration +{s.duration_increase_pct:.1f} %"


def _amplitude_drop(s: Segment) -> str:
    return f"amplitude drop {s.amplitude_drop_pct:.1f} %"


def _efns_reason(s: Segment) -> str:
    return s.efns.reason


def _efns_evidence(s: Segment) -> tuple[Evidence, ...]:
    return s.efns.evidence


def _temperature(study: MotorStudy, ncs: Ncs, limb: str) -> tuple[float | None, str | None]:
    temp = study.temperature_c if study.temperature_c is not None else ncs.temperature_c
    if temp is None or limb not in {"upper", "lower"}:
        return temp, None
    t = threshold("e11.hand_temperature_c" if limb == "upper" else "e11.foot_temperature_c")
    if t.holds(temp):
        where = "hand" if limb == "upper" else "foot"
        return temp, (
            f"{where} temperature {temp:g} °C is below {t.value:g} °C: slowing may be "
            "artefactual (values not corrected, E11)"
        )
    return temp, None


def analyse_motor_nerve(
    ncs: Ncs, study: MotorStudy, *, age_years: float | None, options: ElectroOptions
) -> MotorNerveResult:
    """Analyse one motor nerve-side: segments, distal measures, findings."""
    info = motor_nerve_info(study.nerve)
    limits = {
        m: motor_limit(ncs, study, m, age_years)
        for m in (
            "distal_latency_ms_uln",
            "amplitude_mv_lln",
            "velocity_m_s_lln",
            "f_latency_ms_uln",
            "duration_ms_uln",
        )
    }
    amp_lln = limits["amplitude_mv_lln"]
    segments = build_segments(
        study, amplitude_lln=amp_lln, options=options, velocity_lln=limits["velocity_m_s_lln"]
    )
    distal = study.sites[reference_distal_index(study)]
    dml = None if distal.no_response else distal.latency_ms
    damp = 0.0 if distal.no_response else distal.amplitude_mv
    ddur = None if distal.no_response else distal.duration_ms
    damp_pct = _pct(damp, amp_lln)
    f = study.f_wave
    f_ms = f.min_latency_ms if f else None
    f_absent = f.is_absent if f else None
    temp, warning = _temperature(study, ncs, info.limb)

    findings: list[Finding] = []
    findings.append(
        _dml(
            "CIDP21-MOT-a",
            "cidp21.a.distal_latency_pct_uln",
            CITE_EAN_2021,
            study,
            dml,
            limits["distal_latency_ms_uln"],
        )
    )
    vel = _velocities(segments, limits["velocity_m_s_lln"])
    findings.append(
        _velocity(
            "CIDP21-MOT-b",
            "cidp21.b.velocity_pct_lln",
            CITE_EAN_2021,
            study,
            vel,
            limits["velocity_m_s_lln"],
        )
    )
    findings.append(
        _f_latency(
            "CIDP21-MOT-c",
            "cidp21",
            CITE_EAN_2021,
            study,
            f_ms,
            f_absent,
            limits["f_latency_ms_uln"],
            damp_pct,
        )
    )
    findings.append(
        _f_absent(
            "CIDP21-MOT-d",
            "cidp21.d.distal_amplitude_pct_lln",
            CITE_EAN_2021,
            study,
            f_absent,
            damp_pct,
            amp_lln,
        )
    )
    findings.append(
        _any_segment(
            "CIDP21-MOT-e",
            "motor conduction block (≥ 30 % amplitude reduction, distal CMAP ≥ 20 % of LLN)",
            CITE_EAN_2021,
            segments,
            [_FROM_BOOL[s.ean_block] for s in segments],
            _ean_block_reason,
            _ean_block_reason,
        )
    )
    findings.append(
        _any_segment(
            "CIDP21-MOT-f",
            "abnormal temporal dispersion (> 30 % duration increase; ≥ 100 % tibial)",
            CITE_EAN_2021,
            segments,
            [_FROM_BOOL[s.ean_dispersion] for s in segments],
            _duration_increase,
        )
    )
    lab_dur = (
        limits["duration_ms_uln"]
        if limits["duration_ms_uln"] and limits["duration_ms_uln"].origin != "builtin"
        else None
    )
    findings.append(
        _duration(
            "CIDP21-MOT-g",
            "cidp_ean_pns_2021",
            CITE_EAN_2021,
            study,
            ddur,
            ncs.low_frequency_filter_hz,
            lab_dur,
        )
    )
    findings.append(
        _dml(
            "CIDP10-MOT-a",
            "cidp10.a.distal_latency_pct_uln",
            CITE_EFNS_2010_CIDP,
            study,
            dml,
            limits["distal_latency_ms_uln"],
        )
    )
    findings.append(
        _velocity(
            "CIDP10-MOT-b",
            "cidp10.b.velocity_pct_lln",
            CITE_EFNS_2010_CIDP,
            study,
            vel,
            limits["velocity_m_s_lln"],
        )
    )
    findings.append(
        _f_latency(
            "CIDP10-MOT-c",
            "cidp10",
            CITE_EFNS_2010_CIDP,
            study,
            f_ms,
            f_absent,
            limits["f_latency_ms_uln"],
            damp_pct,
        )
    )
    findings.append(
        _f_absent(
            "CIDP10-MOT-d",
            "cidp10.d.distal_amplitude_pct_lln",
            CITE_EFNS_2010_CIDP,
            study,
            f_absent,
            damp_pct,
            amp_lln,
        )
    )
    findings.append(
        _any_segment(
            "CIDP10-MOT-e",
            "partial motor conduction block (≥ 50 % amplitude drop, distal CMAP ≥ 20 % of LLN)",
            CITE_EFNS_2010_CIDP,
            segments,
            [s.cidp10_block for s in segments],
            _amplitude_drop,
        )
    )
    findings.append(
        _any_segment(
            "CIDP10-MOT-f",
            "abnormal temporal dispersion (> 30 % duration increase)",
            CITE_EFNS_2010_CIDP,
            segments,
            [_FROM_BOOL[s.cidp10_dispersion] for s in segments],
            _duration_increase,
        )
    )
    findings.append(
        _duration(
            "CIDP10-MOT-g",
            "cidp_efns_pns_2010",
            CITE_EFNS_2010_CIDP,
            study,
            ddur,
            ncs.low_frequency_filter_hz,
            None,
        )
    )
    findings.append(
        _any_segment(
            "CIDP10-PROB-CB",
            "probable block (≥ 30 % amplitude reduction, distal CMAP ≥ 20 % of LLN)",
            CITE_EFNS_2010_CIDP,
            segments,
            [s.cidp10_probable_block for s in segments],
            _amplitude_drop,
        )
    )
    findings.append(
        _any_segment(
            mmn_block.DEFINITE_ID,
            "definite motor conduction block (EFNS/PNS 2010)",
            CITE_EFNS_2010_MMN,
            segments,
            [s.efns.definite for s in segments],
            _efns_reason,
            _efns_reason,
            evidence=_efns_evidence,
            status=mmn_block.nerve_block([s.efns for s in segments], "definite"),
        )
    )
    findings.append(
        _any_segment(
            mmn_block.PROBABLE_ID,
            "probable (or definite) motor conduction block (EFNS/PNS 2010)",
            CITE_EFNS_2010_MMN,
            segments,
            [s.efns.probable for s in segments],
            _efns_reason,
            _efns_reason,
            evidence=_efns_evidence,
            status=mmn_block.nerve_block([s.efns for s in segments], "probable"),
        )
    )
    return MotorNerveResult(
        nerve=study.nerve,
        side=study.side,
        recording=study.recording,
        limb=info.limb,
        segments=segments,
        findings=tuple(findings),
        distal_latency_ms=dml,
        distal_latency_pct_uln=_pct(dml, limits["distal_latency_ms_uln"]),
        distal_amplitude_mv=damp,
        distal_amplitude_pct_lln=damp_pct,
        slowest_velocity_m_s=vel.slowest_m_s,
        slowest_velocity_pct_lln=vel.slowest_pct_lln,
        f_latency_ms=f_ms,
        f_latency_pct_uln=_pct(f_ms, limits["f_latency_ms_uln"]),
        f_absent=f_absent,
        distal_duration_ms=ddur,
        temperature_c=temp,
        temperature_warning=warning,
        limits=limits,
    )
