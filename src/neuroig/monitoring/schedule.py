"""The treatment timeline: courses, immunoglobulin dose events and the intervals between them.

Rules (``docs/decisions.md``, Monitoring):

* An infusion belongs to the ``ivig`` (route iv) or ``scig`` (route sc) course whose
  dates contain it (the latest-starting one if several). With no Ig course recorded
  at all for a route, its infusions form an *implicit* course.
* Infusions of one course no more than ``DOSE-EVENT-GAP-DAYS`` apart are one *dose
  event* (a dose split over consecutive days) — decision M4a.
* A *break* is a gap of more than ``THERAPY-BREAK-DAYS`` (decision T2's 8 weeks)
  that crosses to another course or follows a course's end. The first dose event of
  the case, and the first after a break, is an *induction* (loading) dose.
* The interval that follows an induction, and a break, are not maintenance.
"""

from __future__ import annotations

import datetime as dt
import itertools
from datetime import date, timedelta
from typing import Literal

from neuroig.case import Case
from neuroig.record import Record, replace
from neuroig.reference.outcomes import rule_value

__all__ = [
    "IG_ROUTE",
    "CourseSpan",
    "DoseEvent",
    "Interval",
    "IntervalKind",
    "Schedule",
    "build_schedule",
    "weight_at",
]

#: Therapy of a treatment course ↔ infusion route.
IG_ROUTE = {"ivig": "iv", "scig": "sc"}
_THERAPY_OF_ROUTE = {v: k for k, v in IG_ROUTE.items()}

IntervalKind = Literal["maintenance", "after_induction", "break"]


class DoseEvent(Record, frozen=True):
    """One immunoglobulin dose: one or more infusions on consecutive days."""

    date: dt.date
    last_date: dt.date
    grams: float
    route: str
    products: tuple[str, ...]
    infusions: tuple[int, ...]
    course: str
    weight_kg: float | None
    induction: bool = False
    after_break: bool = False


class Interval(Record, frozen=True):
    """From one dose event to the next."""

    start: date
    end: date
    days: int
    grams: float
    route: str
    kind: IntervalKind
    course: str


class CourseSpan(Record, frozen=True):
    """A treatment course placed on the timeline.

    ``key`` is ``"treatments[i]"`` or ``"implicit-iv"``/``"implicit-sc"``;
    ``window_end`` (inclusive) is the first dose of the next course to start, so that
    a later course's effect is not credited to this one; None when open.
    """

    key: str
    index: int | None
    therapy: str
    start: date
    end: date | None
    first_dose: date
    induction_end: date
    window_end: date | None
    events: tuple[DoseEvent, ...]
    implicit: bool
    dose_g_per_kg: float | None
    interval_days: float | None
    stopped_because: str | None = None

    @property
    def ig(self) -> bool:
        """True for an IVIg or SCIg course."""
        return self.therapy in IG_ROUTE

    @property
    def continuation(self) -> bool:
        """True for an Ig course that continues Ig therapy without a break (e.g. IVIg → SCIg)."""
        return self.ig and bool(self.events) and not self.events[0].induction


class Schedule(Record, frozen=True):
    """Courses, dose events and intervals of one case."""

    courses: tuple[CourseSpan, ...]
    events: tuple[DoseEvent, ...]
    intervals: tuple[Interval, ...]
    notes: tuple[str, ...]

    def course(self, key: str) -> CourseSpan | None:
        """The course with ``key``, or None."""
        return next((c for c in self.courses if c.key == key), None)


def _link(case: Case) -> tuple[dict[int, str], list[str]]:
    """Map each infusion index to its course key (decision: latest-starting course)."""
    treatments = case.treatments or []
    has_course = dict.fromkeys(_THERAPY_OF_ROUTE, False)
    for t in treatments:
        if t.therapy in IG_ROUTE:
            has_course[IG_ROUTE[t.therapy]] = True
    links: dict[int, str] = {}
    notes: list[str] = []
    for i, inf in enumerate(case.infusions or ()):
        therapy = _THERAPY_OF_ROUTE[inf.route]
        candidates = [
            (t.start, -j, j)
            for j, t in enumerate(treatments)
            if t.therapy == therapy and t.start <= inf.date and (t.end is None or inf.date <= t.end)
        ]
        if candidates:
            links[i] = f"treatments[{max(candidates)[2]}]"
        elif not has_course[inf.route]:
            links[i] = f"implicit-{inf.route}"
        else:
            links[i] = f"unlinked-{inf.route}"
            notes.append(
                f"infusions[{i}] ({inf.date}, {inf.route}) lies outside every {therapy} course; "
                "it is counted in doses and cost but credited to no course"
            )
    return links, notes


def _events(case: Case, links: dict[int, str]) -> list[DoseEvent]:
    gap = int(rule_value("DOSE-EVENT-GAP-DAYS"))
    infusions = case.infusions or []
    order = sorted(range(len(infusions)), key=lambda i: (infusions[i].date, i))
    events: list[DoseEvent] = []
    for i in order:
        inf = infusions[i]
        last = events[-1] if events else None
        if (
            last is not None
            and last.route == inf.route
            and last.course == links[i]
            and (inf.date - last.last_date).days <= gap
        ):
            events[-1] = replace(
                last,
                last_date=inf.date,
                grams=last.grams + inf.dose_g,
                products=tuple(dict.fromkeys((*last.products, inf.product))),
                infusions=(*last.infusions, i),
                weight_kg=last.weight_kg if last.weight_kg is not None else inf.weight_kg,
            )
        else:
            events.append(
                DoseEvent(
                    date=inf.date,
                    last_date=inf.date,
                    grams=inf.dose_g,
                    route=inf.route,
                    products=(inf.product,),
                    infusions=(i,),
                    course=links[i],
                    weight_kg=inf.weight_kg,
                )
            )
    return events


def _mark_breaks(case: Case, events: list[DoseEvent]) -> list[DoseEvent]:
    limit = rule_value("THERAPY-BREAK-DAYS")
    treatments = case.treatments or []
    out: list[DoseEvent] = []
    for k, e in enumerate(events):
        if k == 0:
            out.append(replace(e, induction=True))
            continue
        prev = events[k - 1]
        gap = (e.date - prev.date).days
        ended = False
        if prev.course.startswith("treatments["):
            t = treatments[int(prev.course[11:-1])]
            ended = t.end is not None and t.end < e.date
        if gap > limit and (e.course != prev.course or ended):
            out.append(replace(e, induction=True, after_break=True))
        else:
            out.append(e)
    return out


def _intervals(events: list[DoseEvent]) -> list[Interval]:
    out: list[Interval] = []
    for a, b in itertools.pairwise(events):
        kind: IntervalKind
        if b.after_break:
            kind = "break"
        elif a.induction:
            kind = "after_induction"
        else:
            kind = "maintenance"
        out.append(
            Interval(
                start=a.date,
                end=b.date,
                days=(b.date - a.date).days,
                grams=a.grams,
                route=a.route,
                kind=kind,
                course=a.course,
            )
        )
    return out


def build_schedule(case: Case) -> Schedule:
    """Place the case's courses, dose events and intervals on one timeline."""
    links, notes = _link(case)
    events = _mark_breaks(case, _events(case, links))
    spans: list[tuple[str, int | None, str, date, date | None, bool, float | None, float | None]]
    spans = []
    for j, t in enumerate(case.treatments or ()):
        reg = t.regimen
        spans.append(
            (
                f"treatments[{j}]",
                j,
                t.therapy,
                t.start,
                t.end,
                False,
                reg.dose_g_per_kg if reg else None,
                reg.interval_days if reg else None,
            )
        )
    for route in ("iv", "sc"):
        own = [e for e in events if e.course == f"implicit-{route}"]
        if own:
            spans.append(
                (
                    f"implicit-{route}",
                    None,
                    _THERAPY_OF_ROUTE[route],
                    own[0].date,
                    None,
                    True,
                    None,
                    None,
                )
            )
            notes.append(
                f"no {_THERAPY_OF_ROUTE[route]} course is recorded: its {len(own)} dose(s) from "
                f"{own[0].date} are treated as one course"
            )
    firsts: list[tuple[str, date, date, date]] = []
    for key, index, _therapy, start, _end, _implicit, _d, _i in spans:
        own = [e for e in events if e.course == key]
        if own:
            first, induction_end = own[0].date, own[0].last_date
        else:
            first = start
            days = None
            if index is not None:
                reg = (case.treatments or [])[index].regimen
                days = reg.days if reg else None
            induction_end = start + timedelta(days=(days or 1) - 1)
        firsts.append((key, start, first, induction_end))
    courses: list[CourseSpan] = []
    for (key, index, therapy, start, end, implicit, dose, interval), (_, _, first, ind_end) in zip(
        spans, firsts, strict=True
    ):
        later = [f for k, s, f, _ in firsts if s > start and k != key]
        courses.append(
            CourseSpan(
                key=key,
                index=index,
                therapy=therapy,
                start=start,
                end=end,
                first_dose=first,
                induction_end=ind_end,
                window_end=min(later) if later else None,
                events=tuple(e for e in events if e.course == key),
                implicit=implicit,
                dose_g_per_kg=dose,
                interval_days=interval,
                stopped_because=(
                    (case.treatments or [])[index].stopped_because if index is not None else None
                ),
            )
        )
    courses.sort(key=lambda c: (c.start, c.key))
    return Schedule(tuple(courses), tuple(events), tuple(_intervals(events)), tuple(notes))


def weight_at(case: Case, when: date, event: DoseEvent | None = None) -> tuple[float, str] | None:
    """The patient's recorded weight at ``when`` and where it came from, or None.

    Order: the weight on the dose event's infusions; the latest assessment weight on or
    before ``when``; ``patient.weight_kg`` (the current weight, said so in the source).
    """
    if event is not None and event.weight_kg is not None:
        return event.weight_kg, f"weight recorded on the infusion of {event.date}"
    dated = [
        (a.date, a.weight_kg)
        for a in case.assessments or ()
        if a.weight_kg is not None and a.date <= when
    ]
    if dated:
        d, kg = max(dated, key=lambda x: (x[0], x[1]))
        return kg, f"weight recorded at the assessment of {d}"
    if case.patient is not None and case.patient.weight_kg is not None:
        return (
            case.patient.weight_kg,
            f"patient.weight_kg (the current weight; no weight is dated on or before {when})",
        )
    return None
