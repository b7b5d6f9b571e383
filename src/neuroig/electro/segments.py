"""Motor segments (decision E1) and their block, dispersion and slowing measures.

See ``docs/methods/electro.md`` for the rules; each grading function names its
criterion and cites its source.
"""

from __future__ import annotations

from typing import Literal, cast

from neuroig.case import MotorSiteResult, MotorStudy
from neuroig.criteria.mmn_block import BlockMeasures, EfnsBlock, grade_segment
from neuroig.electro.limits import Limit
from neuroig.record import Record
from neuroig.reference import entrapment_zone, motor_nerve_info
from neuroig.reference.thresholds import threshold
from neuroig.tristate import MET, NOT_MET, Status, and_bools

__all__ = [
    "EfnsBlock",
    "ElectroOptions",
    "Segment",
    "build_segments",
    "pct_change",
    "reference_distal_index",
]

Kind = Literal["segmental", "cumulative"]

# Thresholds are data (reference/data/thresholds.toml), resolved once at import.
_T_LONG = threshold("e5.long_segment_mm")
_T_EAN_DROP = threshold("cidp21.e.amplitude_drop_pct")
_T_EAN_DROP_ERB = threshold("cidp21.e.erb_root.amplitude_drop_pct")
_T_EAN_FLOOR = threshold("cidp21.e.distal_amplitude_pct_lln")
_T_EAN_DISP = threshold("cidp21.f.duration_increase_pct")
_T_EAN_DISP_TIB = threshold("cidp21.f.tibial_duration_increase_pct")
_T_C10_DEF = threshold("cidp10.e.amplitude_drop_pct")
_T_C10_FLOOR = threshold("cidp10.e.distal_amplitude_pct_lln")
_T_C10_PROB = threshold("cidp10.prob.amplitude_drop_pct")
_T_C10_DISP = threshold("cidp10.f.duration_increase_pct")

_PROXIMAL_SITES = frozenset({"erb", "root"})


class ElectroOptions(Record, frozen=True):
    """Analysis options. ``amplitude_surrogate``: grade EFNS MMN block by amplitude when
    area is missing (decision E2; off by default, evidence labelled ``surrogate``)."""

    amplitude_surrogate: bool = False


def pct_change(before: float | None, after: float | None) -> float | None:
    """``100 × (after / before − 1)``; None if either is missing or ``before`` is 0.

    Rounded to 9 decimals so that values exactly on a threshold compare as equal.
    """
    if before is None or after is None or before == 0:
        return None
    return round(100.0 * (after / before - 1.0), 9)


def _drop(distal: float | None, proximal: float | None) -> float | None:
    """``-pct_change(distal, proximal)`` (rounding is symmetric: the same value, the same
    signed zero)."""
    if distal is None or proximal is None or distal == 0:
        return None
    return -round(100.0 * (proximal / distal - 1.0), 9)


class Segment(Record, frozen=True):
    """A motor segment from ``from_site`` (distal) to ``to_site`` (proximal)."""

    nerve: str
    side: str
    from_site: str
    to_site: str
    kind: Kind
    distance_mm: float | None
    velocity_m_s: float | None
    velocity_pct_lln: float | None
    amplitude_drop_pct: float | None
    area_drop_pct: float | None
    duration_increase_pct: float | None
    entrapment: str | None
    long_segment: bool | None
    proximal_erb_or_root: bool
    efns: EfnsBlock
    ean_block: bool | None
    ean_block_reason: str
    ean_dispersion: bool | None
    cidp10_block: Status
    cidp10_probable_block: Status
    cidp10_dispersion: bool | None

    @property
    def label(self) -> str:
        """``wrist-below_elbow`` style name."""
        return f"{self.from_site}-{self.to_site}"

    @property
    def entrapment_site(self) -> bool:
        return self.entrapment is not None


def reference_distal_index(study: MotorStudy) -> int:
    """Index of the nerve's reference distal site (local decision E-L3).

    The most distal site, except that palm stimulation (used for carpal tunnel work)
    gives way to the wrist when both were stimulated: distal latency, distal CMAP and
    the CIDP "distal CMAP" floors then refer to the wrist.
    """
    if len(study.sites) > 1 and study.sites[0].site == "palm" and study.sites[1].site == "wrist":
        return 1
    return 0


def _responds(site: MotorSiteResult) -> bool:
    return not site.no_response


def _value(site: MotorSiteResult, attr: str) -> float | None:
    """Site value; a non-responding site has amplitude and area 0 and no latency/duration."""
    if site.no_response:
        return 0.0 if attr in {"amplitude_mv", "area_mvms"} else None
    value: float | None = getattr(site, attr)
    return value


def build_segments(
    study: MotorStudy,
    *,
    amplitude_lln: Limit | None,
    options: ElectroOptions,
    velocity_lln: Limit | None = None,
) -> tuple[Segment, ...]:
    """Return the segmental and cumulative segments of one motor nerve-side (E1)."""
    info = motor_nerve_info(study.nerve)
    upper = info.upper_limb
    nerve, side = study.nerve, study.side
    sites = study.sites
    n = len(sites)
    if n < 2:
        return ()
    # per-site values, once (a non-responding site: amplitude and area 0, no latency/duration)
    responds = [not s.no_response for s in sites]
    lat = [s.latency_ms if r else None for s, r in zip(sites, responds, strict=True)]
    amp = [s.amplitude_mv if r else 0.0 for s, r in zip(sites, responds, strict=True)]
    area = [s.area_mvms if r else 0.0 for s, r in zip(sites, responds, strict=True)]
    dur = [s.duration_ms if r else None for s, r in zip(sites, responds, strict=True)]
    dist = [s.distance_mm for s in sites]
    names = [s.site for s in sites]
    nerve_distal_amp = amp[reference_distal_index(study)]
    # what the segment grades read of the limits, once per nerve
    lln_value = amplitude_lln.value if amplitude_lln else None
    lln_source = amplitude_lln.source if amplitude_lln else None
    lln_verified = amplitude_lln.verified if amplitude_lln else True
    velocity_lln_value = velocity_lln.value if velocity_lln is not None else None
    distal_floor_pct = _floor_pct(nerve_distal_amp, amplitude_lln)
    surrogate = options.amplitude_surrogate
    tibial = nerve == "tibial"
    out: list[Segment] = []
    pairs: list[tuple[int, int, Kind]] = [(i - 1, i, "segmental") for i in range(1, n)]
    pairs += [(0, i, "cumulative") for i in range(2, n)]
    for a, b, kind in pairs:
        d_site, p_site = names[a], names[b]
        seg = f"{d_site}-{p_site}"
        span = dist[a + 1 : b + 1]
        distance = None if None in span else float(sum(cast("list[float]", span)))
        lat_d, lat_p = lat[a], lat[b]
        velocity = None
        if distance is not None and lat_d is not None and lat_p is not None and lat_p > lat_d:
            velocity = distance / (lat_p - lat_d)
        if responds[a]:
            amp_d = amp[a]
            amp_drop = _drop(amp_d, amp[b])
            area_drop = _drop(area[a], area[b])
        else:
            amp_d = amp_drop = area_drop = None
        dur_inc = pct_change(dur[a], dur[b])
        zone = entrapment_zone(nerve, d_site, p_site)
        entrapment = zone.name if zone else None
        long_segment = _T_LONG.holds_or_none(distance) if upper else False
        prox = p_site in _PROXIMAL_SITES
        # measurements only: the EFNS/PNS 2010 MMN grade has its one home in
        # neuroig.criteria.mmn_block (EFNS-MMN-BLOCK-DEF / EFNS-MMN-BLOCK-PROB)
        efns = grade_segment(
            BlockMeasures(
                nerve=nerve,
                side=side,
                segment=seg,
                upper_limb=upper,
                entrapment=entrapment,
                distal_amplitude_mv=amp_d,
                amplitude_lln=lln_value,
                amplitude_lln_source=lln_source,
                amplitude_lln_verified=lln_verified,
                area_drop_pct=area_drop,
                amplitude_drop_pct=amp_drop,
                duration_increase_pct=dur_inc,
                long_segment=long_segment,
                proximal_erb_or_root=prox,
            ),
            amplitude_surrogate=surrogate,
        )
        # the CIDP block criteria (2021 e, 2010 e and probable) read the same inputs
        ean_block, ean_reason = _ean_block(tibial, entrapment, amp_drop, distal_floor_pct, prox)
        c10_block, c10_prob = _cidp10_blocks(tibial, entrapment, amp_drop, distal_floor_pct, prox)
        out.append(
            Segment(
                nerve,
                side,
                d_site,
                p_site,
                kind,
                distance,
                velocity,
                (
                    round(100.0 * velocity / velocity_lln_value, 9)
                    if velocity is not None and velocity_lln_value
                    else None
                ),
                amp_drop,
                area_drop,
                dur_inc,
                entrapment,
                long_segment,
                prox,
                efns,
                ean_block,
                ean_reason,
                _ean_dispersion(tibial, entrapment, dur_inc),
                c10_block,
                c10_prob,
                False if entrapment else _T_C10_DISP.holds_or_none(dur_inc),
            )
        )
    return tuple(out)


def _floor_pct(amp: float | None, lln: Limit | None) -> float | None:
    if amp is None or lln is None or lln.value == 0:
        return None
    return round(100.0 * amp / lln.value, 9)


def _ean_block(
    tibial: bool,
    entrapment: str | None,
    amplitude_drop: float | None,
    distal_floor_pct: float | None,
    proximal_erb_or_root: bool,
) -> tuple[bool | None, str]:
    """EAN/PNS 2021 CIDP criterion (e), motor conduction block, for one segment.

    ≥ 30 % reduction of the proximal relative to the distal negative-peak CMAP
    amplitude (≥ 50 % from Erb's point or root, decision E13), distal CMAP ≥ 20 % of
    LLN (``distal_floor_pct``: the nerve's distal CMAP in % of LLN), tibial nerve
    excluded; entrapment segments never count (E4).

    References
    ----------
    1. Van den Bergh PYK et al. EAN/PNS CIDP guideline, second revision.
       Eur J Neurol 2021;28:3556-3583.
    """
    if tibial:
        return False, "tibial nerve excluded"
    if entrapment is not None:
        return False, f"entrapment site ({entrapment})"
    t_drop = _T_EAN_DROP_ERB if proximal_erb_or_root else _T_EAN_DROP
    drop_ok = t_drop.holds_or_none(amplitude_drop)
    floor_ok = _T_EAN_FLOOR.holds_or_none(distal_floor_pct)
    status = and_bools(drop_ok, floor_ok)
    if status == MET:
        return True, f"amplitude drop {amplitude_drop:.1f} % ≥ {t_drop.value:g} %"
    if status == NOT_MET:
        if drop_ok is False:
            return False, f"amplitude drop {amplitude_drop:.1f} % < {t_drop.value:g} %"
        return False, "distal CMAP below 20 % of LLN"
    if amplitude_drop is None:
        return None, "amplitude missing"
    return None, "no amplitude LLN for the distal CMAP check"


def _ean_dispersion(
    tibial: bool, entrapment: str | None, duration_increase: float | None
) -> bool | None:
    """EAN/PNS 2021 CIDP criterion (f), abnormal temporal dispersion, for one segment.

    > 30 % duration increase of the proximal negative peak relative to the distal
    (≥ 100 % in the tibial nerve). Entrapment segments do not count (local decision).
    """
    if entrapment is not None:
        return False
    return (_T_EAN_DISP_TIB if tibial else _T_EAN_DISP).holds_or_none(duration_increase)


def _cidp10_blocks(
    tibial: bool,
    entrapment: str | None,
    amplitude_drop: float | None,
    distal_floor_pct: float | None,
    proximal_erb_or_root: bool,
) -> tuple[Status, Status]:
    """EFNS/PNS 2010 CIDP partial block (≥ 50 %) and probable block (≥ 30 %) for a segment.

    Both need the distal CMAP ≥ 20 % of LLN; tibial excluded (E7); entrapment segments
    never count (E4); from Erb's point or root ≥ 50 % (E13).

    References
    ----------
    1. Van den Bergh PYK et al. EFNS/PNS CIDP guideline, first revision.
       Eur J Neurol 2010;17:356-363.
    """
    if tibial or entrapment is not None:
        return NOT_MET, NOT_MET
    floor = _T_C10_FLOOR.holds_or_none(distal_floor_pct)
    t_prob = _T_EAN_DROP_ERB if proximal_erb_or_root else _T_C10_PROB
    definite = and_bools(_T_C10_DEF.holds_or_none(amplitude_drop), floor)
    probable = and_bools(t_prob.holds_or_none(amplitude_drop), floor)
    return definite, probable
