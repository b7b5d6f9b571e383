"""The response of each treatment course as of the case's latest dated record.

Decision M2 (with M7/M8) applied to every course; the criteria read it (decision C4:
a responder classification computed from the assessments counts as objective
improvement) and the review reports it. Pure core; imports only what judging needs, so
the criteria do not load the whole monitoring review.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from neuroig.case import Case
from neuroig.monitoring.readings import Reading, case_readings, merge_same_day
from neuroig.monitoring.response import CourseResponse, course_response
from neuroig.monitoring.schedule import Schedule, build_schedule

__all__ = ["as_of_view", "course_responses", "judge_courses", "latest_date"]


def latest_date(case: Case) -> date | None:
    """The last dated record of the case: assessment, infusion or NCS (else a course start).

    A planned course's start is not a record of what happened, so it counts only when
    nothing else is dated.
    """
    dates: list[date] = [a.date for a in case.assessments or ()]
    dates += [i.date for i in case.infusions or ()]
    if case.ncs is not None and case.ncs.date is not None:
        dates.append(case.ncs.date)
    if not dates:
        dates = [t.start for t in case.treatments or ()]
    return max(dates) if dates else None


def as_of_view(case: Case, as_of: date) -> Case:
    """The case as it stood on ``as_of``: later assessments and infusions dropped.

    Treatments are kept (their indices name the courses); courses starting later are
    left out of the review by their start date.
    """
    update: dict[str, Any] = {}
    if case.assessments is not None:
        update["assessments"] = [a for a in case.assessments if a.date <= as_of]
    if case.infusions is not None:
        update["infusions"] = [i for i in case.infusions if i.date <= as_of]
    return case.model_copy(update=update)


def course_responses(case: Case, *, mmn: bool | None = None) -> tuple[CourseResponse, ...]:
    """Decision M2 for every course of the case, as of its latest dated record.

    Used by the criteria (decision C4: a responder classification computed from the
    assessments counts as objective improvement). Empty when the case has no dated
    record or no assessment.
    """
    if not case.assessments:
        return ()
    as_of = latest_date(case)
    if as_of is None:
        return ()
    view = as_of_view(case, as_of)
    schedule = build_schedule(view)
    raw, _ = case_readings(view)
    by_day, _ = merge_same_day(raw)
    return judge_courses(view, schedule, by_day, as_of=as_of, mmn=mmn)


def judge_courses(
    case: Case, schedule: Schedule, readings: Sequence[Reading], *, as_of: date, mmn: bool | None
) -> tuple[CourseResponse, ...]:
    """Decisions M2/M7/M8 for each course started by ``as_of``, with its recorded judgement."""
    treatments = case.treatments or []
    out: list[CourseResponse] = []
    for c in schedule.courses:
        if c.start > as_of:
            continue
        t = treatments[c.index] if c.index is not None else None
        out.append(
            course_response(
                c,
                readings,
                as_of=as_of,
                mmn=mmn,
                clinician=t.response if t is not None else None,
                clinician_objective=t.objective if t is not None else None,
            )
        )
    return tuple(out)
