"""CIDP Disease Activity Status (Gorson 2010) from the treatment record and the outcomes.

Classes (``outcome_measures.toml``): 1 cure — stable, off treatment ≥ 5 years;
2 remission — stable, off treatment < 5 years; 3 stable active disease on ongoing
therapy ≥ 1 year; 4 improvement after a recent start of therapy; 5 unstable active
disease (treatment-naive or refractory).

How neuroig reads the record (decision M7, local): *stable* = no decision-M1 measure
worse by its MCID over the window judged (the last 12 months on therapy; since the
stop when off therapy); *improving* = the current therapy's first course is a
responder (M2) within its first year; classes 1-2 (cure, remission) are not given
after a last therapy that was stopped as ineffective or judged a non-responder. An
Ig course without an end date whose last dose is more than ``THERAPY-BREAK-DAYS``
before the review date counts as stopped at that dose. Courses separated by no more
than that gap are one continuous therapy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from neuroig.monitoring._dates import add_months
from neuroig.monitoring.intensity import outcome_over
from neuroig.monitoring.readings import Change, Reading
from neuroig.monitoring.response import CourseResponse
from neuroig.monitoring.schedule import CourseSpan
from neuroig.record import Record
from neuroig.reference.outcomes import cdas_classes, rule_value

__all__ = ["Cdas", "TherapyState", "cdas", "therapy_state"]


class TherapyState(Record, frozen=True):
    """Whether immunotherapy is ongoing at the review date, and since when."""

    ongoing: bool
    run_start: date | None
    stopped_on: date | None
    first_course: str | None
    run_courses: tuple[str, ...]
    notes: tuple[str, ...]


class Cdas(Record, frozen=True):
    """The CDAS class (1-5) or None, with the reasoning."""

    number: int | None
    name: str | None
    reason: str
    changes: tuple[Change, ...]
    source: str


def therapy_state(courses: Sequence[CourseSpan], *, as_of: date) -> TherapyState:
    """Group courses into continuous therapy and say whether the latest is ongoing."""
    gap = timedelta(days=rule_value("THERAPY-BREAK-DAYS"))
    notes: list[str] = []
    spans: list[tuple[date, date | None, str]] = []
    for c in sorted(courses, key=lambda c: (c.start, c.key)):
        if c.start > as_of:
            continue
        end = c.end
        if end is None and c.ig and c.events:
            last = c.events[-1].last_date
            if as_of - last > gap:
                end = last
                notes.append(
                    f"{c.key} has no end date but its last dose was {last}: counted as stopped then"
                )
        spans.append((c.start, end, c.key))
    if not spans:
        return TherapyState(False, None, None, None, (), tuple(notes))
    runs: list[list[tuple[date, date | None, str]]] = []
    for s in spans:
        if runs:
            run_end = _run_end(runs[-1])
            if run_end is None or s[0] <= run_end + gap:
                runs[-1].append(s)
                continue
        runs.append([s])
    last_run = runs[-1]
    end = _run_end(last_run)
    start = last_run[0][0]
    keys = tuple(k for _s, _e, k in last_run)
    if end is None or end >= as_of:
        return TherapyState(True, start, None, last_run[0][2], keys, tuple(notes))
    return TherapyState(False, start, end, last_run[0][2], keys, tuple(notes))


def _run_end(run: list[tuple[date, date | None, str]]) -> date | None:
    ends = [e for _s, e, _k in run]
    if any(e is None for e in ends):
        return None
    return max(e for e in ends if e is not None)


def _worse(changes: Sequence[Change]) -> list[Change]:
    return [c for c in changes if c.status in ("worsened", "mixed")]


def cdas(
    courses: Sequence[CourseSpan],
    responses: Sequence[CourseResponse],
    readings: Sequence[Reading],
    *,
    as_of: date,
) -> Cdas:
    """Classify CDAS (Gorson 2010) as of ``as_of``.

    References
    ----------
    Gorson KC et al. CIDP disease activity status. J Peripher Nerv Syst 2010;15:326-333.
    """
    classes = cdas_classes()
    source = classes[1].source

    def out(n: int | None, reason: str, changes: Sequence[Change] = ()) -> Cdas:
        return Cdas(n, classes[n].name if n else None, reason, tuple(changes), source)

    state = therapy_state(courses, as_of=as_of)
    first_date = readings[0].date if readings else as_of
    if state.run_start is None:
        changes = outcome_over(readings, first_date, as_of)
        if _worse(changes) and not any(c.status == "improved" for c in changes):
            return out(5, "treatment-naive and worse by an MCID: unstable active disease", changes)
        return out(None, "treatment-naive and not shown to worsen: no CDAS class fits", changes)
    if state.ongoing:
        assert state.run_start is not None
        years = rule_value("CDAS-STABLE-YEARS")
        one_year = add_months(state.run_start, int(12 * years))
        if as_of >= one_year:
            since = add_months(as_of, -12)
            changes = outcome_over(readings, since, as_of)
            if not changes:
                return out(
                    None,
                    f"on therapy since {state.run_start}, but no measure was compared within the "
                    f"last 12 months ({since} → {as_of}): stability unknown",
                )
            if _worse(changes):
                return out(5, "on therapy ≥ 1 year but worse by an MCID: refractory", changes)
            return out(
                3,
                f"on therapy since {state.run_start} (≥ 1 year) and no measure worse by its MCID "
                f"over {since} → {as_of}",
                changes,
            )
        first = next((r for r in responses if r.course == state.first_course), None)
        if first is not None and first.response == "responder":
            return out(
                4,
                f"therapy started {state.run_start} (< 1 year) and the course is a responder",
                first.changes,
            )
        if first is not None and first.response == "non_responder":
            return out(
                5, "therapy started < 1 year ago without response: refractory", first.changes
            )
        if first is not None and _worse(first.changes):
            return out(5, "worse by an MCID after starting therapy: unstable", first.changes)
        return out(
            None,
            f"therapy started {state.run_start} (< 1 year); response not yet established",
        )
    assert state.stopped_on is not None
    failed = [
        c.key for c in courses if c.key in state.run_courses and c.stopped_because == "ineffective"
    ] + [
        r.course
        for r in responses
        if r.course in state.run_courses and r.response == "non_responder"
    ]
    if failed:
        return out(
            None,
            f"off therapy since {state.stopped_on} after a course without response "
            f"({', '.join(sorted(set(failed)))}): classes 1-2 describe remission after treatment "
            "(neuroig decision M7); not classified",
        )
    before = [r for r in readings if r.date <= state.stopped_on]
    start = before[-1].date if before else state.stopped_on
    changes = outcome_over(readings, start, as_of)
    off_years = (as_of - state.stopped_on).days / 365.25
    if not changes:
        return out(
            None,
            f"off therapy since {state.stopped_on}; no measure compared since: stability unknown",
        )
    if _worse(changes):
        return out(5, f"off therapy since {state.stopped_on} and worse by an MCID", changes)
    cure = rule_value("CDAS-CURE-YEARS")
    if off_years >= cure:
        return out(1, f"stable and off therapy for {off_years:.1f} years (≥ {cure:g})", changes)
    return out(2, f"stable and off therapy for {off_years:.1f} years (< {cure:g})", changes)
