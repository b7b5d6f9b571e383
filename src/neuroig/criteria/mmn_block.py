"""EFNS/PNS 2010 MMN motor conduction block: the one home of the block grade.

The electro engine measures each segment (area and amplitude drop, duration increase,
distance, distal CMAP and its floor values); :func:`grade_segment` grades it, and the
per-nerve findings shown in the output under ``EFNS-MMN-BLOCK-DEF`` and
``EFNS-MMN-BLOCK-PROB`` are "any segment of the nerve graded definite / probable or
definite" (:func:`nerve_block`). The criteria set counts those nerves
(``MMN10-EDX-DEF``, ``MMN10-EDX-PROB-1``, ``MMN10-EDX-PROB-2`` in
:mod:`neuroig.criteria.mmn_efns_pns_2010`).

This module imports neither the electro engine nor the criteria context, so the electro
engine can call it while it builds its segments.

References
----------
1. van Schaik IN et al. EFNS/PNS guideline on MMN, first revision.
   J Peripher Nerv Syst 2010;15:295-301 (Table 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Literal, cast

from neuroig.evidence import Evidence, Explain, Explained
from neuroig.record import Record
from neuroig.reference.thresholds import Threshold, threshold
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status, any_of, decide

__all__ = [
    "DEFINITE_ID",
    "EFNS_DEFINITE_NERVES",
    "EFNS_PROBABLE_NERVES",
    "PROBABLE_ID",
    "BlockMeasures",
    "EfnsBlock",
    "Grade",
    "grade_segment",
    "nerve_block",
]

Grade = Literal["definite", "probable", "none", "unknown"]

#: The per-nerve findings of the output (``electro.motor[].findings``), decided by
#: :func:`nerve_block` from the segment grades of :func:`grade_segment`.
DEFINITE_ID = "EFNS-MMN-BLOCK-DEF"
PROBABLE_ID = "EFNS-MMN-BLOCK-PROB"

#: Nerves eligible for definite block, and for probable block (decision E7).
EFNS_DEFINITE_NERVES = frozenset({"median", "ulnar", "fibular"})
EFNS_PROBABLE_NERVES = frozenset({"median", "ulnar", "radial", "musculocutaneous", "fibular"})

# Thresholds are data (reference/data/thresholds.toml), resolved once at import.
_T_FLOOR_MV = threshold("mmn10.floor.distal_amplitude_mv")
_T_FLOOR_LLN = threshold("mmn10.floor.distal_amplitude_pct_lln")
_T_DEF_AREA = threshold("mmn10.definite.area_drop_pct")
_T_DEF_DUR = threshold("mmn10.definite.duration_increase_pct")
_T_PA_AREA = threshold("mmn10.probable_a.area_drop_pct")
_T_PA_AREA_ERB = threshold("e5.erb_root.area_drop_pct")
_T_PB_AREA = threshold("mmn10.probable_b.area_drop_pct")


_new = object.__new__


class EfnsBlock(Explained):
    """The EFNS/PNS 2010 MMN block grade of one segment with its tri-state parts.

    ``grade``, ``definite`` and ``probable`` are decided when the block is built;
    ``reason`` and ``evidence`` are built the first time either is read.
    """

    __slots__ = ("_evidence", "_explain", "_reason", "definite", "grade", "probable")

    grade: Grade
    definite: Status
    probable: Status

    def __init__(
        self,
        grade: Grade,
        definite: Status,
        probable: Status,
        reason: str,
        evidence: tuple[Evidence, ...] = (),
    ) -> None:
        self.grade = grade
        self.definite = definite
        self.probable = probable
        self._explained(reason, evidence)

    @classmethod
    def lazy(cls, grade: Grade, definite: Status, probable: Status, explain: Explain) -> EfnsBlock:
        """A block whose reason and evidence are built by ``explain`` when first read."""
        # the slots set directly: an evaluation grades every segment
        block = _new(cls)
        block.grade, block.definite, block.probable = grade, definite, probable
        block._reason, block._evidence, block._explain = "", (), explain
        return block

    def _key(self) -> tuple[object, ...]:
        return (self.grade, self.definite, self.probable, self.reason, self.evidence)

    def __repr__(self) -> str:
        return (
            f"EfnsBlock(grade={self.grade!r}, definite={self.definite!r}, "
            f"probable={self.probable!r}, reason={self.reason!r}, evidence={self.evidence!r})"
        )


class BlockMeasures(Record, frozen=True, kw_only=True):
    """What the electro engine measured for one segment, as the block grade reads it."""

    nerve: str
    side: str
    segment: str
    upper_limb: bool
    entrapment: str | None
    distal_amplitude_mv: float | None
    amplitude_lln: float | None
    amplitude_lln_source: str | None
    amplitude_lln_verified: bool
    area_drop_pct: float | None
    amplitude_drop_pct: float | None
    duration_increase_pct: float | None
    long_segment: bool | None
    proximal_erb_or_root: bool


def _ev(
    t: Threshold,
    value: float | None,
    m: BlockMeasures,
    measure: str,
    *,
    with_limit: bool = False,
    surrogate: bool = False,
) -> Evidence:
    return Evidence(
        measure=measure,
        value=None if value is None else round(value, 1),
        threshold=t.value,
        comparator=t.comparator,
        nerve=m.nerve,
        side=m.side,
        segment=m.segment,
        limit=m.amplitude_lln if with_limit else None,
        limit_source=m.amplitude_lln_source if with_limit else None,
        verified=t.verified and (m.amplitude_lln_verified if with_limit else True),
        surrogate=surrogate,
    )


def _floor_evidence(m: BlockMeasures, distal_pct: float | None) -> tuple[Evidence, ...]:
    out = [_ev(_T_FLOOR_MV, m.distal_amplitude_mv, m, "distal_amplitude_mv")]
    if distal_pct is not None:
        out.append(_ev(_T_FLOOR_LLN, distal_pct, m, "distal_amplitude_pct_lln", with_limit=True))
    return tuple(out)


def _fixed(reason: str, evidence: tuple[Evidence, ...] = ()) -> Explain:
    return partial(_as_explanation, reason, evidence)


def _as_explanation(
    reason: str, evidence: tuple[Evidence, ...]
) -> tuple[str, tuple[Evidence, ...]]:
    return reason, evidence


def _explain_floor(
    m: BlockMeasures, reason: str, distal_pct: float | None
) -> tuple[str, tuple[Evidence, ...]]:
    return reason, _floor_evidence(m, distal_pct)


def _explain_grade(
    m: BlockMeasures,
    verdict: str,
    surrogate: bool,
    drop: float,
    dur_inc: float | None,
    distal_pct: float,
) -> tuple[str, tuple[Evidence, ...]]:
    what = "amplitude (surrogate for area, E2)" if surrogate else "area"
    dur_text = "duration missing" if dur_inc is None else f"duration +{dur_inc:.1f} %"
    facts = f"{what} drop {drop:.1f} %, {dur_text}"
    if m.long_segment is None and m.upper_limb:
        facts += ", segment length unknown"
    measure = "amplitude_drop_pct" if surrogate else "area_drop_pct"
    evidence = (
        *_floor_evidence(m, distal_pct),
        _ev(_T_DEF_AREA, drop, m, measure, surrogate=surrogate),
        _ev(_T_DEF_DUR, dur_inc, m, "duration_increase_pct"),
    )
    return f"{facts}: {verdict}", evidence


def _is_definite(definite_nerve: bool, w: Mapping[str, bool]) -> bool:
    """Definite block (Table 2): area reduction ≥ 50 % and duration increase ≤ 30 %, in a
    nerve that can carry definite block."""
    return definite_nerve and w["def_area"] and w["dur_small"]


def _is_probable(definite_nerve: bool, upper_limb: bool, w: Mapping[str, bool]) -> bool:
    """Probable (or definite) block (Table 2): (a) ≥ 30 % area reduction over a long
    upper-limb segment with duration increase ≤ 30 %, or (b) ≥ 50 % with duration
    increase > 30 %."""
    branch_a = upper_limb and w["long"] and w["pa_area"] and w["dur_small"]
    branch_b = w["pb_area"] and not w["dur_small"]
    return _is_definite(definite_nerve, w) or branch_a or branch_b


def _possible(w: Mapping[str, bool]) -> bool:
    # a drop of >= 50 % is also >= the probable (a) threshold (30 % or 50 %)
    return not (w["def_area"] and not w["pa_area"])


def grade_segment(m: BlockMeasures, *, amplitude_surrogate: bool = False) -> EfnsBlock:
    """Grade one segment by EFNS/PNS 2010 MMN Table 2 (decides the segment grades that
    ``EFNS-MMN-BLOCK-DEF`` and ``EFNS-MMN-BLOCK-PROB`` read).

    Definite: area reduction ≥ 50 %, duration increase ≤ 30 %, distal CMAP > 20 % of
    LLN and > 1 mV, in the median, ulnar or fibular nerve. Probable: area reduction
    ≥ 30 % over a long upper-limb segment with duration increase ≤ 30 % (a), or ≥ 50 %
    with duration increase > 30 % (b). Decisions E2, E3, E4, E5, E6, E7, E12.

    Statuses are decided here; the reason and evidence are built when first read.

    References
    ----------
    1. van Schaik IN et al. EFNS/PNS guideline on MMN, first revision.
       J Peripher Nerv Syst 2010;15:295-301 (Table 2).
    """
    nerve = m.nerve
    if nerve == "tibial":
        return EfnsBlock("none", NOT_MET, NOT_MET, "tibial nerve not eligible (E7)")
    if nerve not in EFNS_PROBABLE_NERVES:
        return EfnsBlock("none", NOT_MET, NOT_MET, f"{nerve} nerve not eligible for MMN block (E7)")
    if m.entrapment is not None:
        return EfnsBlock(
            "none",
            NOT_MET,
            NOT_MET,
            f"segment crosses an entrapment site ({m.entrapment}); never counted (E4)",
        )
    # the definite status of a nerve that can only carry probable block is never unknown (E7)
    definite_nerve = nerve in EFNS_DEFINITE_NERVES
    def_unknown: Status = UNKNOWN if definite_nerve else NOT_MET
    distal_mv = m.distal_amplitude_mv
    if distal_mv is None:
        return EfnsBlock(
            "unknown", def_unknown, UNKNOWN, "distal CMAP amplitude missing (not evaluable, E12)"
        )
    if not _T_FLOOR_MV.holds(distal_mv):
        return EfnsBlock.lazy(
            "unknown",
            def_unknown,
            UNKNOWN,
            partial(
                _explain_floor,
                m,
                f"distal CMAP {distal_mv:g} mV is not above 1 mV: not evaluable (E3, E12)",
                None,
            ),
        )
    lln = m.amplitude_lln
    if lln is None:
        return EfnsBlock.lazy(
            "unknown",
            def_unknown,
            UNKNOWN,
            partial(
                _explain_floor,
                m,
                "no amplitude LLN for the distal-floor check (> 20 % of LLN): not evaluable "
                "(E9, E12)",
                None,
            ),
        )
    distal_pct = 100.0 * distal_mv / lln
    if not _T_FLOOR_LLN.holds(round(distal_pct, 9)):
        return EfnsBlock.lazy(
            "unknown",
            def_unknown,
            UNKNOWN,
            partial(
                _explain_floor,
                m,
                f"distal CMAP {distal_pct:.1f} % of LLN is not above 20 %: not evaluable (E3, E12)",
                distal_pct,
            ),
        )
    surrogate = False
    drop = m.area_drop_pct
    if drop is None and amplitude_surrogate and m.amplitude_drop_pct is not None:
        drop, surrogate = m.amplitude_drop_pct, True
    if drop is None:
        return EfnsBlock.lazy(
            "unknown",
            def_unknown,
            UNKNOWN,
            _fixed(
                "negative-peak area missing at a site; EFNS/PNS MMN block needs area (E2)",
                _floor_evidence(m, distal_pct),
            ),
        )
    dur_inc = m.duration_increase_pct
    upper_limb = m.upper_limb
    t_pa_area = _T_PA_AREA_ERB if m.proximal_erb_or_root else _T_PA_AREA
    conditions: dict[str, bool | None] = {
        "def_area": _T_DEF_AREA.holds(drop),
        "pa_area": t_pa_area.holds(drop),
        "pb_area": _T_PB_AREA.holds(drop),
        "dur_small": _T_DEF_DUR.holds_or_none(dur_inc),
        "long": m.long_segment if upper_limb else False,
    }

    if None in conditions.values():
        definite = decide(partial(_is_definite, definite_nerve), conditions, possible=_possible)
        probable = decide(
            partial(_is_probable, definite_nerve, upper_limb), conditions, possible=_possible
        )
    else:  # every condition known (most segments): no case splitting to do
        known = cast("Mapping[str, bool]", conditions)
        definite = MET if _is_definite(definite_nerve, known) else NOT_MET
        probable = MET if _is_probable(definite_nerve, upper_limb, known) else NOT_MET
    def_area_holds = bool(conditions["def_area"])

    if definite == MET:
        grade: Grade = "definite"
        verdict = "definite block"
    elif probable == MET:
        extra = ""
        if definite == UNKNOWN:
            extra = "; definite if the duration increase is ≤ 30 %"
        elif not definite_nerve and def_area_holds:
            extra = f"; the {nerve} nerve can carry only probable block (E7)"
        grade, verdict = "probable", f"probable block{extra}"
    elif probable == UNKNOWN:
        grade, verdict = "unknown", "not decidable"
    else:
        grade, verdict = "none", "no block"
        definite = probable = NOT_MET
    explain = partial(_explain_grade, m, verdict, surrogate, drop, dur_inc, distal_pct)
    return EfnsBlock.lazy(grade, definite, probable, explain)


def nerve_block(blocks: Sequence[EfnsBlock], grade: Literal["definite", "probable"]) -> Status:
    """Decide ``EFNS-MMN-BLOCK-DEF`` (``grade="definite"``) or ``EFNS-MMN-BLOCK-PROB``
    (``grade="probable"``: probable or definite) for one nerve-side from its segment
    grades: met when any segment is met, unknown when none is met and one is unknown,
    unknown without proximal stimulation (no segment)."""
    if not blocks:
        return UNKNOWN
    statuses: Iterable[Status] = (
        (b.definite for b in blocks) if grade == "definite" else (b.probable for b in blocks)
    )
    return any_of(list(statuses))
