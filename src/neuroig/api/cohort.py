"""Cohort figures of the caller's sites (decision G14, docs/cohort.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from neuroig.api.deps import ActorDep, EngineDep
from neuroig.api.problems import Problem
from neuroig.services.cohort import cohort_report

__all__ = ["router"]

router = APIRouter(tags=["cohort"])


class CohortFigures(BaseModel):
    """``neuroig cohort report --json``."""

    as_of: date
    patients: int
    without_facts: int
    by_diagnosis: dict[str, int]
    categories: dict[str, dict[str, int]]
    response: dict[str, dict[str, int]]
    grams_per_patient_year: dict[str, float]
    review: dict[str, int]
    cost_per_patient_year: dict[str, float]
    dose_reduction_candidates: int
    declining_response: int
    response_rates: dict[str, dict[str, float]]
    ig_dependent: dict[str, int]
    current_regimen: dict[str, int]
    time_to_response: dict[str, dict[str, float]]
    wear_off: int
    plans: dict[str, int]
    blocked_by: dict[str, int]
    rules: dict[str, str | int]


@router.get(
    "/cohort",
    summary="Cohort figures of your sites (audited)",
    response_model=CohortFigures,
    responses={
        401: {"model": Problem, "description": "Not logged in."},
        403: {"model": Problem, "description": "The role may not list patients."},
        422: {"model": Problem, "description": "An invalid parameter."},
    },
)
async def cohort_figures(
    engine: EngineDep,
    actor: ActorDep,
    on: Annotated[
        date | None, Query(description="The day reviews are counted on (default today).")
    ] = None,
) -> CohortFigures:
    day = on or datetime.now(UTC).date()
    report = await run_in_threadpool(lambda: cohort_report(engine, actor, today=day))
    return CohortFigures.model_validate(report.to_dict())
