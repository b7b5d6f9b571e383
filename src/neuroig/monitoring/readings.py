"""Outcome readings taken from a case's assessments, and how two readings compare (M1).

A *reading* is one value of one series on one date: ``grip_kpa_left``,
``mrc_sum``, ``incat_adjusted``… Two readings are compared only when they belong to
the same series and the same scale: grip readings of different devices are
different series (never converted), MRC sum scores of different variants or
maxima are never compared, an I-RODS raw score is never turned into a centile.

Readings of one series on one day are merged into their mean (``math.fsum``, so
the result does not depend on the order of the assessments).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from neuroig.case import Assessment, Case
from neuroig.record import Record, replace
from neuroig.reference.outcomes import mrc_variants, outcome_measure

__all__ = [
    "EPS",
    "Change",
    "Reading",
    "Status",
    "case_readings",
    "compare",
    "gain",
    "incompatibility",
    "mcid_for",
    "merge_same_day",
    "mmn_muscle_change",
    "readings_of",
    "series_label",
]

#: Numerical tolerance when a change is compared with an MCID (not a clinical number).
EPS = 1e-9

#: ``mixed`` (MMN per-muscle rule only): >= 2 muscles gained and >= 2 lost a grade.
Status = Literal["improved", "worsened", "mixed", "unchanged", "not_judged"]

_LABELS = {
    "incat_adjusted": "Adjusted INCAT (arm + leg)",
    "irods_centile": "I-RODS centile",
    "mrc_sum": "MRC sum score",
    "grip_kpa_left": "Grip left, Vigorimeter (kPa)",
    "grip_kpa_right": "Grip right, Vigorimeter (kPa)",
    "grip_kg_left": "Grip left, Jamar (kg)",
    "grip_kg_right": "Grip right, Jamar (kg)",
    "walk_10m_s": "10-metre walk (s)",
    "rankin": "Modified Rankin",
    "nss": "Symptom score",
    "mrc_muscles_mmn": "MMN: MRC grade per affected muscle",
}


def series_label(key: str) -> str:
    """A readable name of a series key."""
    if key.startswith("mrc_muscle:"):
        _, muscle, side = key.split(":")
        return f"MRC {side} {muscle.replace('_', ' ')}"
    return _LABELS.get(key, key)


class Reading(Record, frozen=True):
    """One value of one outcome series on one date."""

    key: str
    measure: str
    date: date
    value: float
    timing: str | None = None
    scale: str = ""
    max: float | None = None
    muscles: tuple[str, ...] | None = None
    arm: float | None = None
    leg: float | None = None
    higher_is_better: bool | None = None
    declared_mcid: float | None = None
    derived: str = ""
    count: int = 1

    def signature(self) -> tuple[object, ...]:
        """Everything but the value that must match for readings to be merged."""
        return (
            self.key,
            self.scale,
            self.max,
            self.muscles,
            self.higher_is_better,
            self.declared_mcid,
            self.derived,
        )

    def sort_key(self) -> tuple[object, ...]:
        """A total order that does not depend on the order of the input."""
        return (self.date, self.key, repr(self.signature()), self.timing or "", self.value)


def _timing(a: Assessment) -> str | None:
    return None if a.timing in (None, "unspecified") else a.timing


def _kleyweg(a: Assessment) -> Reading | None:
    """Kleyweg 0-60 sum from per-muscle grades when all 12 muscles are graded."""
    if not a.strength:
        return None
    variant = mrc_variants()["kleyweg"]
    grades: dict[tuple[str, str], float] = {(e.muscle, e.side): e.grade for e in a.strength}
    needed: list[tuple[str, str]] = [(m, s) for m in variant.muscles for s in ("left", "right")]
    if not all(k in grades for k in needed):
        return None
    return Reading(
        key="mrc_sum",
        measure="mrc_sum",
        date=a.date,
        value=math.fsum(grades[k] for k in needed),
        timing=_timing(a),
        scale=variant.id,
        max=float(variant.max),
        muscles=tuple(sorted(variant.muscles)),
        derived="summed from the per-muscle grades (Kleyweg 6 pairs)",
    )


def readings_of(a: Assessment) -> tuple[list[Reading], list[str]]:
    """Return the readings of one assessment and notes on values that cannot be used."""
    out: list[Reading] = []
    notes: list[str] = []
    t = _timing(a)
    if a.mrc_sum_score is not None:
        m = a.mrc_sum_score
        out.append(
            Reading(
                key="mrc_sum",
                measure="mrc_sum",
                date=a.date,
                value=float(m.score),
                timing=t,
                scale=m.variant or "",
                max=float(m.max),
                muscles=tuple(sorted(m.muscles)) if m.muscles else None,
            )
        )
    else:
        derived = _kleyweg(a)
        if derived is not None:
            out.append(derived)
    if a.incat is not None:
        out.append(
            Reading(
                key="incat_adjusted",
                measure="incat_adjusted",
                date=a.date,
                value=float(a.incat.arm + a.incat.leg),
                timing=t,
                arm=float(a.incat.arm),
                leg=float(a.incat.leg),
            )
        )
    if a.irods is not None:
        if a.irods.centile is not None:
            out.append(
                Reading(
                    key="irods_centile",
                    measure="irods_centile",
                    date=a.date,
                    value=float(a.irods.centile),
                    timing=t,
                )
            )
        else:
            notes.append(
                f"{a.date}: I-RODS raw score {a.irods.raw} not used — only the centile is "
                "compared; converting a raw score needs the instrument's published table"
            )
    if a.grip is not None:
        g = a.grip
        for side, value in (("left", g.left), ("right", g.right)):
            if value is not None:
                out.append(
                    Reading(
                        key=f"grip_{g.unit}_{side}",
                        measure=f"grip_{g.unit}",
                        date=a.date,
                        value=float(value),
                        timing=t,
                        scale=g.device,
                    )
                )
    if a.walk_10m_s is not None:
        out.append(
            Reading(
                key="walk_10m_s", measure="walk_10m_s", date=a.date, value=a.walk_10m_s, timing=t
            )
        )
    if a.rankin is not None:
        out.append(
            Reading(key="rankin", measure="rankin", date=a.date, value=float(a.rankin), timing=t)
        )
    if a.nss is not None:
        s = a.nss_scale
        out.append(
            Reading(
                key="nss",
                measure="nss",
                date=a.date,
                value=float(a.nss),
                timing=t,
                scale=s.name if s else "",
                higher_is_better=s.higher_is_better if s else None,
                declared_mcid=s.mcid if s else None,
            )
        )
    for e in a.strength or ():
        out.append(
            Reading(
                key=f"mrc_muscle:{e.muscle}:{e.side}",
                measure="mrc_muscle",
                date=a.date,
                value=e.grade,
                timing=t,
            )
        )
    return out, notes


def case_readings(case: Case) -> tuple[list[Reading], list[str]]:
    """Return every reading of the case's assessments, in a stable order, and notes."""
    readings: list[Reading] = []
    notes: list[str] = []
    for a in case.assessments or ():
        r, n = readings_of(a)
        readings += r
        notes += n
    readings.sort(key=Reading.sort_key)
    return readings, sorted(set(notes))


def merge_same_day(
    readings: Iterable[Reading], *, by_timing: bool = False
) -> tuple[list[Reading], list[str]]:
    """Merge readings of one series and scale on one day into their mean.

    With ``by_timing`` the timing label is part of the group (wear-off keeps a
    trough and a peak of the same day apart). Returns the merged readings in a
    stable order and one note per merge.
    """
    groups: dict[tuple[object, ...], list[Reading]] = defaultdict(list)
    for r in readings:
        gk = (r.date, r.signature(), r.timing if by_timing else None)
        groups[gk].append(r)
    out: list[Reading] = []
    notes: list[str] = []
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        n = len(group)
        value = math.fsum(r.value for r in group) / n
        arm = math.fsum(r.arm for r in group if r.arm is not None) / n
        leg = math.fsum(r.leg for r in group if r.leg is not None) / n
        timings = {r.timing for r in group}
        first = min(group, key=Reading.sort_key)
        merged = replace(
            first,
            value=value,
            arm=arm if first.arm is not None else None,
            leg=leg if first.leg is not None else None,
            timing=first.timing if len(timings) == 1 else None,
            count=n,
        )
        out.append(merged)
        if not first.key.startswith("mrc_muscle:"):
            values = ", ".join(f"{r.value:g}" for r in sorted(group, key=Reading.sort_key))
            notes.append(
                f"{first.date}: {n} values of {series_label(first.key)} on the same day "
                f"({values}) — their mean {value:g} is used"
            )
    out.sort(key=Reading.sort_key)
    return out, notes


def incompatibility(a: Reading, b: Reading) -> str | None:
    """Why two readings of a series cannot be compared, or None when they can."""
    if a.key != b.key:
        return f"different series ({a.key} vs {b.key})"
    if a.measure == "mrc_sum":
        if a.max != b.max:
            return f"MRC sum score maxima differ ({a.max:g} vs {b.max:g})"
        if a.scale and b.scale and a.scale != b.scale:
            return f"MRC sum score variants differ ({a.scale} vs {b.scale})"
        if a.muscles and b.muscles and a.muscles != b.muscles:
            return "MRC sum scores graded different muscles"
    if a.measure == "nss":
        if a.scale != b.scale:
            return f"symptom score instruments differ ({a.scale or '?'} vs {b.scale or '?'})"
        if a.higher_is_better != b.higher_is_better:
            return "symptom score directions differ"
    return None


class Change(Record, frozen=True):
    """A series compared between two dates, judged against its MCID."""

    measure: str
    label: str
    baseline: float
    latest: float
    delta: float
    mcid: float | None
    status: Status
    counts: bool
    baseline_date: date
    latest_date: date
    higher_is_better: bool | None
    verified: bool
    note: str = ""


def mcid_for(base: Reading) -> tuple[float | None, bool, str]:
    """Return the MCID that applies to a change from ``base``, its verified flag and a note.

    References
    ----------
    Decision M1 (docs/decisions.md); ``reference/data/outcome_measures.toml``.
    """
    m = outcome_measure(base.measure)
    if m.mcid_kind == "absolute":
        return m.mcid, m.verified, ""
    if m.mcid_kind == "per_60":
        scale_max = base.max or 60.0
        assert m.mcid is not None
        value = m.mcid * scale_max / 60.0
        if scale_max == 60.0:
            return value, m.verified, ""
        return (
            value,
            False,
            f"MCID scaled to the {scale_max:g}-point score: {m.mcid:g} × {scale_max:g} / 60 "
            "(decision M1; not validated for this variant)",
        )
    if m.mcid_kind == "pct_of_baseline":
        assert m.mcid is not None
        value = m.mcid / 100.0 * base.value
        return value, m.verified, f"MCID = {m.mcid:g} % of the baseline {base.value:g}"
    if m.mcid_kind == "declared":
        if base.declared_mcid is None or base.higher_is_better is None:
            return None, False, "no MCID: the case declares none for this symptom score"
        return (
            base.declared_mcid,
            False,
            f"MCID {base.declared_mcid:g} declared by the case for {base.scale}",
        )
    return m.mcid, m.verified, ""


def compare(base: Reading, later: Reading) -> Change:
    """Compare two readings of one series (decision M1); ``later`` is the newer one.

    The adjusted INCAT ignores a change of the arm score between 0 and 1 (ICE, Hughes 2008).
    A change of at least the MCID in the better direction is ``improved``, in the worse
    direction ``worsened``; a measure without a direction or MCID is ``not_judged``.
    """
    m = outcome_measure(base.measure)
    mcid, verified, note = mcid_for(base)
    higher = m.higher_is_better if m.mcid_kind != "declared" else base.higher_is_better
    delta = later.value - base.value
    if base.measure == "incat_adjusted":
        assert base.arm is not None and later.arm is not None
        assert base.leg is not None and later.leg is not None
        arm_delta = later.arm - base.arm
        if max(base.arm, later.arm) <= 1.0 and arm_delta != 0:
            arm_delta = 0.0
            note = f"arm {base.arm:g}→{later.arm:g} ignored (adjusted INCAT)"
        delta = (later.leg - base.leg) + arm_delta
    status: Status
    if mcid is None or higher is None:
        status = "not_judged"
    else:
        gain = delta if higher else -delta
        if gain >= mcid - EPS:
            status = "improved"
        elif -gain >= mcid - EPS:
            status = "worsened"
        else:
            status = "unchanged"
    counts = status != "not_judged" and (m.in_m1 or m.mcid_kind == "declared")
    if not m.in_m1 and m.mcid_kind != "declared":
        note = (note + "; " if note else "") + "not a decision-M1 measure: shown, not counted"
    if base.derived:
        note = (note + "; " if note else "") + base.derived
    return Change(
        measure=base.key,
        label=series_label(base.key),
        baseline=round(base.value, 2),
        latest=round(later.value, 2),
        delta=round(delta, 2),
        mcid=None if mcid is None else round(mcid, 2),
        status=status,
        counts=counts,
        baseline_date=base.date,
        latest_date=later.date,
        higher_is_better=higher,
        verified=verified,
        note=note,
    )


def gain(change: Change) -> float:
    """The change in the better direction (negative when worse); 0 without a direction."""
    if change.higher_is_better is None:
        return 0.0
    return change.delta if change.higher_is_better else -change.delta


def mmn_muscle_change(
    base: Sequence[Reading], later: Sequence[Reading], *, latest_date: date
) -> Change | None:
    """MMN-specific MCID (decision M1): >= 1 MRC grade in >= 2 affected muscles.

    Affected = graded below 5 at baseline. Improved when >= 2 affected muscles each
    gained >= 1 grade; worsened when >= 2 muscles graded at both visits each lost
    >= 1 grade (neuroig decision M1a). None when no muscle is graded at both visits.

    References
    ----------
    Leger JM et al., J Neurol Neurosurg Psychiatry 2008;79:93-96; decision M1.
    """
    m = outcome_measure("mrc_muscles_mmn")
    assert m.mcid is not None
    before = {r.key: r for r in base}
    after = {r.key: r for r in later}
    both = sorted(set(before) & set(after))
    if not both:
        return None
    gained = [k for k in both if before[k].value < 5 and after[k].value - before[k].value >= 1]
    lost = [k for k in both if before[k].value - after[k].value >= 1]
    need = int(m.mcid)
    status: Status
    if len(gained) >= need and len(lost) >= need:
        status = "mixed"
    elif len(gained) >= need:
        status = "improved"
    elif len(lost) >= need:
        status = "worsened"
    else:
        status = "unchanged"

    def fmt(keys: list[str]) -> str:
        return ", ".join(
            f"{series_label(k)[4:]} {before[k].value:g}→{after[k].value:g}" for k in keys
        )

    note = (
        f"{len(gained)} affected muscle(s) gained ≥ 1 grade"
        + (f" ({fmt(gained)})" if gained else "")
        + f"; {len(lost)} lost ≥ 1 grade"
        + (f" ({fmt(lost)})" if lost else "")
        + f"; {len(both)} muscles graded at both visits"
    )
    base_sum = math.fsum(before[k].value for k in both)
    later_sum = math.fsum(after[k].value for k in both)
    return Change(
        measure="mrc_muscles_mmn",
        label=series_label("mrc_muscles_mmn"),
        baseline=round(base_sum, 2),
        latest=round(later_sum, 2),
        delta=round(later_sum - base_sum, 2),
        mcid=m.mcid,
        status=status,
        counts=True,
        baseline_date=min(before[k].date for k in both),
        latest_date=latest_date,
        higher_is_better=True,
        verified=m.verified,
        note=note,
    )
