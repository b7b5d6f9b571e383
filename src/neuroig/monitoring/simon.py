"""Replay of the Simon 2013 IVIg trial in a lower-motor-neuron syndrome without block.

Simon, Ayer & Lomen-Hoerth (Neurology 2013) treated 31 consecutive patients with a
progressive, asymmetric, pure lower-motor-neuron syndrome without conduction block
with IVIg 2 g/kg for at least 3 months and judged response on an expanded MRC sum
score and a neuromuscular symptom score: 3/31 responded; every responder had the
MMN-like triad (distal upper-limb onset, EMG confined to weak muscles, normal CK),
which 31 % of distal-onset non-responders also had.

The paper's numeric definition of response was not retrieved. neuroig decision
M2-SIMON (``verified: false``): the course is judged
against its baseline at ≥ 3 months after the first dose with the decision-M1 MCID of
the MRC sum score (any variant the case records, compared only with itself) and the
MCID the case declares for its symptom score; responder / non-responder /
indeterminate as in decision M2.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from neuroig.diagnosis import DiagnosisContext
from neuroig.errors import InputError
from neuroig.monitoring._dates import add_months
from neuroig.monitoring.readings import Reading
from neuroig.monitoring.response import CourseResponse, course_response
from neuroig.monitoring.schedule import Schedule
from neuroig.record import Record
from neuroig.reference.outcomes import SimonFigures, simon_2013

__all__ = ["SimonReplay", "simon_replay"]


class SimonReplay(Record, frozen=True):
    """The trial judged as in Simon 2013, with the published figures."""

    applies: bool
    requested: bool
    trigger: str
    course: CourseResponse | None
    judged_from: date | None
    triad: bool | None
    figures: SimonFigures
    reason: str


def simon_replay(
    schedule: Schedule,
    readings: Sequence[Reading],
    *,
    as_of: date,
    diagnosis: DiagnosisContext | None,
    course_index: int | None,
) -> SimonReplay | None:
    """Replay the Simon 2013 judgement when the syndrome is an LMN syndrome without block.

    Applies when ``diagnosis.lmn_without_block`` is True (to the first IVIg course) or
    when ``course_index`` (an index into ``treatments``) requests it. Returns None when
    neither holds.

    Raises
    ------
    InputError
        ``course_index`` names no treatment, or a treatment that is not IVIg.

    References
    ----------
    Simon NG, Ayer G, Lomen-Hoerth C. Neurology 2013;81:2116-2120; decision M2-SIMON.
    """
    figures = simon_2013()
    triad = diagnosis.lmn_mmn_like_triad if diagnosis is not None else None
    if course_index is not None:
        key = f"treatments[{course_index}]"
        course = schedule.course(key)
        if course is None:
            n = sum(1 for c in schedule.courses if c.index is not None)
            raise InputError(
                "simon_course",
                course_index,
                f"must index a treatment course (0 to {n - 1})"
                if n
                else "the case has no treatments",
            )
        if course.therapy != "ivig":
            raise InputError(
                "simon_course",
                course_index,
                f"must name an IVIg course; treatments[{course_index}] is {course.therapy}",
                "the Simon 2013 replay judges an IVIg trial",
            )
        trigger = f"requested for treatments[{course_index}]"
        requested = True
    else:
        if diagnosis is None or diagnosis.lmn_without_block is not True:
            return None
        course = next((c for c in schedule.courses if c.therapy == "ivig"), None)
        trigger = "diagnosis: progressive lower-motor-neuron syndrome without conduction block"
        requested = False
        if course is None:
            return SimonReplay(
                True,
                requested,
                trigger,
                None,
                None,
                triad,
                figures,
                "no IVIg course is recorded: nothing to judge",
            )
    judged_from = add_months(course.first_dose, figures.min_months)
    response = course_response(
        course,
        readings,
        as_of=as_of,
        mmn=False,
        measures=set(figures.measures),
        follow_up_from=judged_from,
        nonresponse_from=judged_from,
    )
    reason = (
        f"judged at ≥ {figures.min_months} months after the first dose ({judged_from}) against "
        "the baseline with the MRC sum score and the symptom score (neuroig decision M2-SIMON, "
        "not verified against the paper)"
    )
    return SimonReplay(True, requested, trigger, response, judged_from, triad, figures, reason)
