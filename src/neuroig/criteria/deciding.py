"""What a clinician reads first: the sets in order of relevance, the deciding evidence and
the next tests ordered by cost (issue 11; decisions C17, C18).

Pure selection from the criteria results; the CLI only lays these records out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from neuroig.criteria.categories import NOT_EVALUABLE, NOT_FULFILLED
from neuroig.criteria.next_steps import TIER_NAMES, cost_tier
from neuroig.criteria.verdict import CriteriaSetResult, CriterionResult
from neuroig.electro import ElectroResult
from neuroig.evidence import Evidence
from neuroig.record import Record
from neuroig.reference.thresholds import threshold
from neuroig.tristate import MET, UNKNOWN

__all__ = [
    "NBSP",
    "BlockRow",
    "EvidenceRow",
    "NextTest",
    "category_words",
    "conditional_words",
    "cut",
    "deciding_blocks",
    "deciding_criteria",
    "evidence_rows",
    "input_words",
    "measure_words",
    "next_tests",
    "sets_by_relevance",
    "site_words",
    "status_words",
    "with_unit",
]

_CATEGORY_WORDS = {
    "definite": "definite",
    "probable": "probable",
    "possible": "possible",
    "cidp": "CIDP",
    "possible_cidp": "possible CIDP",
    NOT_FULFILLED: "not fulfilled",
    NOT_EVALUABLE: "not evaluable (insufficient data)",
}
_STATUS_WORDS = {"met": "met", "not_met": "not met", "unknown": "unknown"}
#: A non-breaking space: a number and its unit (or a comparator and its number) stay
#: together when a line wraps.
NBSP = "\u00a0"
_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def cut(comparator: str, value: float, unit: str) -> str:
    """A cut-off in words that never wraps inside: ``≥ 50 %``."""
    return f"{_COMPARATORS.get(comparator, comparator)}{NBSP}{value:g}{NBSP}{unit}"


def with_unit(value: float | None, unit: str, digits: int = 0) -> str:
    """``62 %`` (non-breaking); ``—`` when missing."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}" if digits else f"{value:.0f}"
    return f"{text}{NBSP}{unit}"


#: measure → (words, unit) for evidence values.
_MEASURES: dict[str, tuple[str, str]] = {
    "area_drop_pct": ("area reduction", "%"),
    "amplitude_drop_pct": ("amplitude reduction", "%"),
    "duration_increase_pct": ("duration increase", "%"),
    "distal_amplitude_mv": ("distal CMAP amplitude", "mV"),
    "distal_amplitude_pct_lln": ("distal CMAP amplitude", "% of LLN"),
    "distal_latency_pct_uln": ("distal motor latency", "% of ULN"),
    "distal_latency_ms": ("distal motor latency", "ms"),
    "velocity_pct_lln": ("conduction velocity", "% of LLN"),
    "velocity_m_s": ("conduction velocity", "m/s"),
    "f_latency_pct_uln": ("F-wave latency", "% of ULN"),
    "f_latency_ms": ("F-wave latency", "ms"),
    "distal_duration_pct_uln": ("distal CMAP duration", "% of ULN"),
    "distal_duration_ms": ("distal CMAP duration", "ms"),
    "csf_protein_g_l": ("CSF protein", "g/L"),
    "weak_nerve_territories": ("weak nerve territories", "nerves"),
    "duration_months": ("disease duration", "months"),
}


def category_words(category: str) -> str:
    """A category in words (``possible_cidp`` → ``possible CIDP``)."""
    return _CATEGORY_WORDS.get(category, category.replace("_", " "))


def status_words(status: str) -> str:
    """A criterion status in words (``not_met`` → ``not met``)."""
    return _STATUS_WORDS.get(status, status.replace("_", " "))


def site_words(label: str) -> str:
    """A segment or site label in words: ``wrist-below_elbow`` → ``wrist to below elbow``."""
    parts = [p.replace("_", " ") for p in label.split("-")]
    return " to ".join(parts)


def measure_words(measure: str) -> tuple[str, str]:
    """(words, unit) of an evidence measure."""
    return _MEASURES.get(measure, (measure.replace("_", " "), ""))


def conditional_words(r: CriteriaSetResult) -> str | None:
    """``CIDP if IgM paraprotein with anti-MAG antibodies … is excluded`` (C9, C19)."""
    cond = r.conditional_category
    if not cond:
        return None
    names = []
    for cid in cond["if_absent"]:
        try:
            names.append(r.criterion(cid).statement)
        except KeyError:
            names.append(cid)
    return f"{category_words(cond['category'])} if {' and '.join(names)} is excluded"


def _relevance(r: CriteriaSetResult) -> int:
    if r.category not in (NOT_FULFILLED, NOT_EVALUABLE):
        return 0
    if r.conditional_category:
        return 1
    if r.reachable:
        return 2
    if r.category == NOT_FULFILLED and (
        r.phenotype is not None or any(c.kind == "clinical" and c.status == MET for c in r.criteria)
    ):
        return 3  # the clinical picture fits; something else decides against
    if r.category == NOT_FULFILLED:
        return 4
    return 5


def sets_by_relevance(sets: Mapping[str, CriteriaSetResult], order: Sequence[str]) -> list[str]:
    """Set ids, most relevant first: a met category, then a conditional one, then a
    reachable one, then not fulfilled with its clinical picture met, then not fulfilled,
    then not evaluable; ties keep ``order``."""
    return sorted(order, key=lambda k: (_relevance(sets[k]), order.index(k)))


class BlockRow(Record, frozen=True):
    """One motor segment judged for EFNS/PNS 2010 MMN conduction block, with its numbers."""

    nerve: str
    side: str
    segment: str
    area_drop_pct: float | None
    amplitude_drop_pct: float | None
    duration_increase_pct: float | None
    distal_amplitude_mv: float | None
    distal_amplitude_pct_lln: float | None
    floor: str
    grade: str
    threshold: str
    verified: bool


def _floor_text() -> str:
    mv = threshold("mmn10.floor.distal_amplitude_mv")
    pct = threshold("mmn10.floor.distal_amplitude_pct_lln")
    return f"{cut(mv.comparator, mv.value, 'mV')} and {cut(pct.comparator, pct.value, '% of LLN')}"


def _threshold_text(grade: str, duration_increase_pct: float | None) -> str:
    """The cut-offs of the rule the segment met: definite, or the probable branch that its
    duration increase selects (branch b only when the duration rose beyond branch a)."""
    if grade == "definite":
        a = threshold("mmn10.definite.area_drop_pct")
        d = threshold("mmn10.definite.duration_increase_pct")
        return f"area {cut(a.comparator, a.value, '%')}, duration {cut(d.comparator, d.value, '%')}"
    b_dur = threshold("mmn10.probable_b.duration_increase_pct")
    if duration_increase_pct is not None and b_dur.holds(duration_increase_pct):
        a2 = threshold("mmn10.probable_b.area_drop_pct")
        return (
            f"area {cut(a2.comparator, a2.value, '%')}, duration "
            f"{cut(b_dur.comparator, b_dur.value, '%')}"
        )
    a1 = threshold("mmn10.probable_a.area_drop_pct")
    d1 = threshold("mmn10.probable_a.duration_increase_pct")
    return (
        f"area {cut(a1.comparator, a1.value, '%')} (long segment), duration "
        f"{cut(d1.comparator, d1.value, '%')}"
    )


def deciding_blocks(electro: ElectroResult | None) -> list[BlockRow]:
    """Segments graded definite or probable block (EFNS/PNS 2010, Table 2), definite first;
    each with area, amplitude and duration change, the distal CMAP against its floor, the
    grade and the threshold it met."""
    if electro is None:
        return []
    rows: list[BlockRow] = []
    for m in electro.motor:
        for seg in m.segments:
            grade = seg.efns.grade
            if grade not in ("definite", "probable"):
                continue
            ev = {e.measure: e for e in seg.efns.evidence}
            mv = ev.get("distal_amplitude_mv")
            pct = ev.get("distal_amplitude_pct_lln")
            rows.append(
                BlockRow(
                    nerve=m.nerve,
                    side=m.side,
                    segment=seg.label,
                    area_drop_pct=seg.area_drop_pct,
                    amplitude_drop_pct=seg.amplitude_drop_pct,
                    duration_increase_pct=seg.duration_increase_pct,
                    distal_amplitude_mv=_num(mv.value) if mv else None,
                    distal_amplitude_pct_lln=_num(pct.value) if pct else None,
                    floor=_floor_text(),
                    grade=grade,
                    threshold=_threshold_text(grade, seg.duration_increase_pct),
                    verified=all(e.verified for e in seg.efns.evidence),
                )
            )
    rows.sort(key=lambda r: 0 if r.grade == "definite" else 1)
    return rows


def _num(value: float | str | bool | None) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


_DECIDING_KINDS = frozenset({"clinical", "electrodiagnostic", "exclusion", "supportive"})


def deciding_criteria(r: CriteriaSetResult) -> list[CriterionResult]:
    """The criteria behind the category: for a met category the met clinical,
    electrodiagnostic and supportive criteria; always any exclusion present; otherwise the
    criteria that fail, then those still unknown."""
    present = [c for c in r.criteria if c.kind == "exclusion" and c.status == MET]
    if r.category not in (NOT_FULFILLED, NOT_EVALUABLE):
        met = [
            c for c in r.criteria if c.kind in _DECIDING_KINDS - {"exclusion"} and c.status == MET
        ]
        return present + met
    failing = [
        c
        for c in r.criteria
        if c.kind in {"clinical", "electrodiagnostic"} and c.status == "not_met"
    ]
    unknown = [c for c in r.criteria if c.kind in _DECIDING_KINDS and c.status == UNKNOWN]
    return present + failing + unknown


class EvidenceRow(Record, frozen=True):
    """One measured value against a criterion's threshold, in words and units."""

    criterion: str
    nerve: str
    segment: str
    measure: str
    value: str
    threshold: str
    verified: bool


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def evidence_rows(criteria: Sequence[CriterionResult]) -> list[EvidenceRow]:
    """The numeric evidence of ``criteria`` (value against threshold, with units)."""
    out: list[EvidenceRow] = []
    seen: set[tuple[str, str, str, str]] = set()
    for c in criteria:
        for e in c.evidence:
            row = _evidence_row(c.id, e)
            if row is None:
                continue
            key = (row.nerve, row.segment, row.measure, row.value)
            if key in seen:
                continue
            seen.add(key)
            out.append(row)
    return out


def _evidence_row(cid: str, e: Evidence) -> EvidenceRow | None:
    if not isinstance(e.value, int | float) or isinstance(e.value, bool):
        return None
    words, unit = measure_words(e.measure)
    value = f"{_fmt(float(e.value))}{NBSP}{unit}" if unit else _fmt(float(e.value))
    limit = ""
    if e.threshold is not None:
        limit = f"{_COMPARATORS.get(e.comparator, e.comparator)}{NBSP}{_fmt(e.threshold)}"
        limit += f"{NBSP}{unit}" if unit else ""
    return EvidenceRow(
        criterion=cid,
        nerve=f"{e.side} {e.nerve}" if e.nerve and e.side else (e.nerve or ""),
        segment=site_words(e.segment) if e.segment else "",
        measure=words,
        value=value,
        threshold=limit,
        verified=e.verified,
    )


#: Case fields in words, for the next-tests list (the field stays in parentheses).
_INPUT_WORDS = {
    "exam.umn_signs": "examine for upper motor neuron signs",
    "exam.umn_signs.signs": "name the upper motor neuron signs found",
    "exam.bulbar": "examine bulbar function",
    "exam.strength": "grade muscle strength (MRC) on both sides",
    "exam.sensory.objective_loss": "examine for objective sensory loss",
    "exam.sensory": "examine sensation (which limbs)",
    "exam.reflexes": "examine the tendon reflexes",
    "history.course": "record the course (progressive, stepwise, relapsing)",
    "history.early_diffuse_symmetric_weakness": (
        "ask whether weakness was diffuse and symmetric in the first weeks"
    ),
    "history.onset_date or onset_age_years": "record the onset date",
    "labs.anti_gm1_igm": "IgM anti-GM1 antibodies",
    "labs.anti_mag": "anti-MAG antibodies",
    "labs.paraprotein (serum immunofixation)": "serum immunofixation (paraprotein)",
    "labs.csf.protein_g_l": "CSF protein (lumbar puncture)",
    "imaging.mri_plexus": "MRI of the brachial plexus",
}


def input_words(item: str) -> str:
    """A missing input in words, with the case field kept for reference."""
    words = _INPUT_WORDS.get(item)
    return f"{words} ({item})" if words else item


class NextTest(Record, frozen=True):
    """One input that would change a category, with its cost tier and what it could reach."""

    input: str
    tier: int
    tier_name: str
    could_reach: tuple[str, ...]

    @property
    def words(self) -> str:
        """The input in words (see :func:`input_words`)."""
        return input_words(self.input)


def next_tests(sets: Mapping[str, CriteriaSetResult], order: Sequence[str]) -> list[NextTest]:
    """Every missing input across the sets, once, cheapest first (bedside first, C18);
    ``could_reach`` lists "set title: category" for each set it could lift. A set that
    is not evaluable (C17) promises nothing."""
    reach: dict[str, list[str]] = {}
    for key in order:
        r = sets[key]
        if r.category == NOT_EVALUABLE:
            continue
        for m in r.missing:
            target = f"{r.title}: {category_words(m.could_reach)}"
            bucket = reach.setdefault(m.input, [])
            if target not in bucket:
                bucket.append(target)
    items = [
        NextTest(inp, cost_tier(inp), TIER_NAMES[cost_tier(inp)], tuple(targets))
        for inp, targets in reach.items()
    ]
    return sorted(items, key=lambda t: t.tier)
