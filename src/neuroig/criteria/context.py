"""Clinical facts derived once per case for every criteria set (decisions C1-C3, C12, C15).

Pure functions of the case; each returns a tri-state or a value that can be None
(unknown), never a silent default.
"""

from __future__ import annotations

from functools import cached_property

from neuroig.case import Case, age_at, disease_duration_months, reference_date
from neuroig.electro import ElectroResult, analyse
from neuroig.monitoring.course_judgement import course_responses
from neuroig.monitoring.response import CourseResponse
from neuroig.record import Record
from neuroig.reference import muscle
from neuroig.tristate import MET, NOT_MET, UNKNOWN, Status

__all__ = ["LIMB_NERVES", "CaseContext"]

#: Named peripheral nerves of the limbs; a weak territory counts for C2 only here.
LIMB_NERVES = frozenset(
    {
        "median",
        "ulnar",
        "radial",
        "musculocutaneous",
        "axillary",
        "suprascapular",
        "long_thoracic",
        "fibular",
        "tibial",
        "femoral",
        "obturator",
        "sciatic",
        "superior_gluteal",
        "inferior_gluteal",
    }
)


class Pair(Record, frozen=True):
    """A muscle graded on both sides."""

    muscle: str
    left: float
    right: float

    @property
    def weaker(self) -> float:
        return min(self.left, self.right)

    @property
    def difference(self) -> float:
        return abs(self.left - self.right)

    @property
    def asymmetric(self) -> bool:
        """Decision C1: ≥ 1 grade apart when the weaker side is > 3; ≥ 2 when ≤ 3."""
        return self.difference >= (1 if self.weaker > 3 else 2)


class CaseContext:
    """A case with its derived clinical facts and its electrodiagnostic analysis."""

    def __init__(self, case: Case, electro: ElectroResult | None = None) -> None:
        self.case = case
        self.electro = electro if electro is not None else analyse(case)
        self.index_date = reference_date(case)
        self.age_years = age_at(case, self.index_date)
        self.duration_months = disease_duration_months(case)

    # ------------------------------------------------------------------ strength
    @cached_property
    def grades(self) -> dict[tuple[str, str], float] | None:
        """(muscle, side) → numeric MRC grade; None when no per-muscle grades exist."""
        exam = self.case.exam
        if exam is None or not exam.strength:
            return None
        return {(e.muscle, e.side): e.grade for e in exam.strength}

    @cached_property
    def limb_grades(self) -> dict[tuple[str, str], float] | None:
        if self.grades is None:
            return None
        return {k: g for k, g in self.grades.items() if muscle(k[0]).limb in {"upper", "lower"}}

    @cached_property
    def weak(self) -> list[tuple[str, str, float]]:
        """Limb muscles graded below 5: (muscle, side, grade)."""
        return [(m, s, g) for (m, s), g in (self.limb_grades or {}).items() if g < 5]

    @cached_property
    def pairs(self) -> list[Pair]:
        g = self.limb_grades or {}
        out: list[Pair] = []
        for (m, side), grade in g.items():
            if side == "left" and (m, "right") in g:
                out.append(Pair(m, grade, g[(m, "right")]))
        return out

    @cached_property
    def unpaired_weak(self) -> list[str]:
        """Weak limb muscles graded on one side only (their symmetry cannot be judged)."""
        g = self.limb_grades or {}
        return [
            f"{s} {m}" for m, s, _ in self.weak if (m, "right" if s == "left" else "left") not in g
        ]

    def _summary_symmetric(self) -> bool | None:
        exam = self.case.exam
        w = exam.weakness if exam is not None else None
        return w.symmetric if w is not None else None

    @cached_property
    def territories(self) -> set[tuple[str, str]] | None:
        """Decision C2: (main nerve, side) of each weak limb muscle; None if not recorded."""
        if self.limb_grades is not None:
            out = {(muscle(m).main_nerve, s) for m, s, _ in self.weak}
            return {t for t in out if t[0] in LIMB_NERVES}
        exam = self.case.exam
        if (
            exam is not None
            and exam.weakness is not None
            and exam.weakness.nerve_territories is not None
        ):
            return {(t.nerve, t.side) for t in exam.weakness.nerve_territories}
        return None

    @cached_property
    def weak_limbs(self) -> set[str] | None:
        """``left_upper`` style names of limbs with weakness; None if not recorded."""
        if self.limb_grades is not None:
            return {f"{s}_{muscle(m).limb}" for m, s, _ in self.weak}
        exam = self.case.exam
        if exam is not None and exam.weakness is not None and exam.weakness.limbs is not None:
            return set(exam.weakness.limbs)
        return None

    @cached_property
    def weak_limb_counts(self) -> tuple[int, int] | None:
        """(upper-limb, lower-limb) counts of weak muscles — or of weak limbs when only the
        weakness summary is recorded; None if neither is recorded."""
        if self.limb_grades is not None:
            levels = [muscle(m).limb for m, _, _ in self.weak]
            return levels.count("upper"), levels.count("lower")
        limbs = self.weak_limbs
        if limbs is None:
            return None
        return (
            sum(1 for x in limbs if x.endswith("_upper")),
            sum(1 for x in limbs if x.endswith("_lower")),
        )

    @cached_property
    def onset_age_years(self) -> float | None:
        """Age at onset: recorded, else birth date to onset date, else the age at the index
        date minus the disease duration; None if unknown."""
        h = self.case.history
        p = self.case.patient
        if h is None:
            return None
        if h.onset_age_years is not None:
            return float(h.onset_age_years)
        if h.onset_date is not None and p is not None and p.birth_date is not None:
            return (h.onset_date - p.birth_date).days / 365.25
        if self.age_years is not None and self.duration_months is not None:
            return self.age_years - self.duration_months / 12.0
        return None

    @cached_property
    def weak_parts(self) -> set[tuple[str, str]] | None:
        """(limb level, part) pairs with weakness, e.g. ("upper", "distal")."""
        if self.limb_grades is None:
            return None
        return {(muscle(m).limb, muscle(m).part) for m, _, _ in self.weak}

    @cached_property
    def asymmetry(self) -> tuple[Status, str]:
        """Decision C1 asymmetry over homologous muscle pairs."""
        if self.limb_grades is not None:
            hits = [p for p in self.pairs if p.asymmetric]
            if hits:
                text = ", ".join(
                    f"{p.muscle.replace('_', ' ')} L{p.left:g}/R{p.right:g}" for p in hits
                )
                return MET, f"asymmetric: {text}"
            unpaired = self.unpaired_weak
            if unpaired:
                return UNKNOWN, "weak muscle graded on one side only: " + ", ".join(unpaired)
            if not self.weak:
                return NOT_MET, "no weak limb muscle"
            return NOT_MET, "every weak muscle pair within 1 grade (C1)"
        symmetric = self._summary_symmetric()
        if symmetric is None:
            return UNKNOWN, "no per-muscle grades or weakness summary"
        return (
            (NOT_MET, "weakness recorded as symmetric")
            if symmetric
            else (MET, "weakness recorded as asymmetric")
        )

    @cached_property
    def symmetric_cidp(self) -> tuple[Status, str]:
        """Symmetric weakness for the CIDP phenotypes (local decision C-S1).

        Met when every muscle graded on both sides is weak on both or normal on both and
        no pair differs by ≥ 2 grades; not met when a muscle is weak on one side only or
        a pair differs by ≥ 2 grades; unknown when a weak muscle is graded on one side only.
        """
        if self.limb_grades is not None:
            lopsided = [p for p in self.pairs if (p.left < 5) != (p.right < 5) or p.difference >= 2]
            if lopsided:
                text = ", ".join(f"{p.muscle} L{p.left:g}/R{p.right:g}" for p in lopsided)
                return NOT_MET, f"asymmetric: {text}"
            unpaired = self.unpaired_weak
            if unpaired:
                return UNKNOWN, "weak muscle graded on one side only: " + ", ".join(unpaired)
            return MET, "weakness symmetric"
        symmetric = self._summary_symmetric()
        if symmetric is None:
            return UNKNOWN, "no per-muscle grades or weakness summary"
        return (
            (MET, "weakness recorded as symmetric")
            if symmetric
            else (NOT_MET, "weakness recorded as asymmetric")
        )

    # ------------------------------------------------------------------ treatment
    @cached_property
    def course_responses(self) -> tuple[CourseResponse, ...]:
        """Decision M2 responder classification of each course from the assessments (C4)."""
        return course_responses(self.case)

    # ------------------------------------------------------------------ sensory
    @cached_property
    def sensory_loss(self) -> str | None:
        """``none`` / ``minor_vibration_lower_limbs`` / ``present`` (decision C3), or None."""
        exam = self.case.exam
        if exam is None or exam.sensory is None:
            return None
        return exam.sensory.objective_loss

    @cached_property
    def sensory_limbs(self) -> set[str] | None:
        """Limbs with objective sensory loss (C15: minor vibration loss = both lower limbs)."""
        loss = self.sensory_loss
        if loss is None:
            return None
        if loss == "none":
            return set()
        if loss == "minor_vibration_lower_limbs":
            return {"left_lower", "right_lower"}
        exam = self.case.exam
        limbs = exam.sensory.limbs if exam and exam.sensory else None
        return set(limbs) if limbs is not None else None

    # ------------------------------------------------------------------ course
    @cached_property
    def course(self) -> str | None:
        return self.case.history.course if self.case.history else None

    def reflex(self, limb: str) -> str | None:
        exam = self.case.exam
        if exam is None or exam.reflexes is None:
            return None
        value: str | None = getattr(exam.reflexes, limb)
        return value
