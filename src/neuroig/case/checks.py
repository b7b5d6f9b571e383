"""Warnings about a valid case: things worth a look that are not errors."""

from __future__ import annotations

from neuroig.case.model import Case
from neuroig.errors import Problem
from neuroig.reference import muscle

__all__ = ["case_warnings", "weak_territories"]


def weak_territories(case: Case) -> set[tuple[str, str]] | None:
    """Return the (main nerve, side) pairs with a muscle graded below MRC 5 (decision C2).

    None when no per-muscle grades are recorded.
    """
    if case.exam is None or not case.exam.strength:
        return None
    return {(muscle(e.muscle).main_nerve, e.side) for e in case.exam.strength if e.grade < 5}


def _weak_limbs(case: Case) -> set[str] | None:
    if case.exam is None or not case.exam.strength:
        return None
    out: set[str] = set()
    for e in case.exam.strength:
        m = muscle(e.muscle)
        if e.grade < 5 and m.limb in {"upper", "lower"}:
            out.add(f"{e.side}_{m.limb}")
    return out


def case_warnings(case: Case) -> list[Problem]:
    """Return warnings: e.g. the weakness summary disagreeing with the per-muscle grades.

    When both ``exam.strength`` and ``exam.weakness`` exist, strength wins and a
    disagreement is reported here (case format, ``exam``).
    """
    out: list[Problem] = []
    exam = case.exam
    if exam is None or exam.weakness is None or not exam.strength:
        return out
    w = exam.weakness
    territories = weak_territories(case) or set()
    if w.nerve_territories is not None:
        summary = {(t.nerve, t.side) for t in w.nerve_territories}
        if summary != territories & summary or not summary <= territories:
            missing = sorted(f"{s} {n}" for n, s in summary - territories)
            extra = sorted(
                f"{s} {n}"
                for n, s in territories - summary
                if n in {t.nerve for t in w.nerve_territories}
            )
            detail = "; ".join(
                x
                for x in (
                    f"summary names {', '.join(missing)} with no weak muscle graded"
                    if missing
                    else "",
                    f"grades show {', '.join(extra)} not in the summary" if extra else "",
                )
                if x
            )
            out.append(
                Problem(
                    path="exam.weakness.nerve_territories",
                    message=f"disagrees with exam.strength ({detail}); exam.strength is used",
                )
            )
    if w.limbs is not None:
        limbs = _weak_limbs(case) or set()
        if set(w.limbs) != limbs:
            out.append(
                Problem(
                    path="exam.weakness.limbs",
                    message=(
                        f"summary {sorted(w.limbs)} disagrees with the weak limbs in exam.strength "
                        f"{sorted(limbs)}; exam.strength is used"
                    ),
                )
            )
    return out
