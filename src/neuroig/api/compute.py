"""Stateless use cases: a case in, a result out (``/evaluate``, ``/plan``, ``/review``).

Each answers the same document, byte for byte, as ``neuroig evaluate|plan|review --json``
(the schema models of ``neuroig.schemas`` rendered by one emitter).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from neuroig.api.deps import SettingsDep, json_body
from neuroig.api.problems import Problem
from neuroig.errors import InputError
from neuroig.schemas.assessment import AssessmentDocument
from neuroig.schemas.emit import to_json
from neuroig.schemas.plan import PlanDocument
from neuroig.schemas.review import ReviewDocument
from neuroig.services.assess import assess
from neuroig.services.fhir import case_of_bundle
from neuroig.services.plan import plan
from neuroig.services.review import review
from neuroig.therapy.options import Override

__all__ = ["PlanQuery", "document_response", "plan_options", "router"]

router = APIRouter(tags=["compute"])

JSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A neuroig-case/1 document (docs/case-format.md).",
                }
            }
        },
    }
}

ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": Problem, "description": "The body is too large."},
    415: {"model": Problem, "description": "The body is not application/json."},
    422: {"model": Problem, "description": "Invalid input: every problem with its JSON path."},
}


def document_response(document: BaseModel, status: int = 200, **headers: str) -> Response:
    """The document exactly as the CLI prints it with ``--json``."""
    return Response(
        to_json(document, indent=True) + b"\n",
        status_code=status,
        media_type="application/json",
        headers=headers or None,
    )


@router.post(
    "/evaluate",
    summary="Classify a case by every criteria set",
    response_model=AssessmentDocument,
    responses=ERRORS,
    openapi_extra=JSON_BODY,
)
async def evaluate_case(request: Request, settings: SettingsDep) -> Response:
    data = await json_body(request, settings)
    done = await run_in_threadpool(assess, data)
    return document_response(done.document)


class PlanQuery(BaseModel):
    """The plan options an API caller may set (the rest come from the settings)."""

    start: date | None = None
    regimen: str | None = None
    product: str | None = None
    weight_policy: str | None = None
    rounding: str = "vials"
    override: list[str] = []


def plan_options(query: PlanQuery) -> dict[str, Any]:
    overrides = []
    for item in query.override:
        rule, sep, reason = item.partition("=")
        if not sep or not reason.strip():
            raise InputError("override", item, "must be ID=REASON (a reason is required)")
        overrides.append(Override(rule.strip(), reason.strip()))
    return {
        "start": query.start,
        "regimen": query.regimen,
        "product": query.product,
        "weight_policy": query.weight_policy,
        "rounding": query.rounding,
        "overrides": tuple(overrides),
    }


@router.post(
    "/plan",
    summary="Plan therapy for a case",
    response_model=PlanDocument,
    responses=ERRORS,
    openapi_extra=JSON_BODY,
)
async def plan_case(
    request: Request, settings: SettingsDep, query: Annotated[PlanQuery, Query()]
) -> Response:
    data = await json_body(request, settings)
    options = plan_options(query)
    done = await run_in_threadpool(lambda: plan(data, **options))
    return document_response(done.document)


@router.post(
    "/review",
    summary="Review a treated case",
    response_model=ReviewDocument,
    responses=ERRORS,
    openapi_extra=JSON_BODY,
)
async def review_case(
    request: Request,
    settings: SettingsDep,
    on: Annotated[date | None, Query(description="Review date (default: last record).")] = None,
) -> Response:
    data = await json_body(request, settings)
    done = await run_in_threadpool(lambda: review(data, as_of=on))
    return document_response(done.document)


FHIR_TYPES = ("application/fhir+json", "application/json")
FHIR_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            media: {
                "schema": {
                    "type": "object",
                    "description": "A FHIR R4 Bundle as `GET /patients/{id}/fhir` gives "
                    "(docs/fhir.md).",
                }
            }
            for media in FHIR_TYPES
        },
    }
}


@router.post(
    "/fhir",
    summary="Read a case back from a FHIR R4 Bundle",
    responses={
        200: {"description": "The neuroig-case/1 document read from the Bundle's resources."},
        **ERRORS,
    },
    openapi_extra=FHIR_BODY,
)
async def case_from_fhir(request: Request, settings: SettingsDep) -> Response:
    bundle = await json_body(request, settings, FHIR_TYPES)
    document = await run_in_threadpool(case_of_bundle, bundle)
    return Response(
        orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n",
        media_type="application/json",
    )
