"""The registry over HTTP: patients, their versions and records, results of a stored case.

A patient is named by its case id. ``GET /patients/{id}`` answers the latest version with
``ETag: "N"``; ``PUT`` with ``If-Match: "N"`` saves version N+1 or answers 412 when
another save came first (decision G4); a missing ``If-Match`` is 428.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from neuroig.api.compute import ERRORS, JSON_BODY, PlanQuery, document_response, plan_options
from neuroig.api.deps import ActorDep, EngineDep, SettingsDep, json_body
from neuroig.api.problems import ApiProblemError, Problem
from neuroig.schemas.assessment import AssessmentDocument
from neuroig.schemas.plan import PlanDocument
from neuroig.schemas.review import ReviewDocument
from neuroig.services import registry
from neuroig.services.assess import assess
from neuroig.services.fhir import patient_bundle
from neuroig.services.plan import plan
from neuroig.services.review import review
from neuroig.store.repository import ConflictError

__all__ = ["router"]

router = APIRouter(prefix="/patients", tags=["patients"])

CaseId = Annotated[str, Path(min_length=1, max_length=200, description="The case id.")]

READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Not logged in, or the token is not valid."},
    403: {"model": Problem, "description": "The role or site does not allow this."},
    404: {"model": Problem, "description": "No such patient (or version)."},
    422: {"model": Problem, "description": "An invalid parameter."},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    **ERRORS,
    409: {"model": Problem, "description": "The patient exists already, or is deleted."},
    412: {"model": Problem, "description": "If-Match names a version that is not the latest."},
    428: {"model": Problem, "description": "If-Match is required."},
}


class ReviewInfo(BaseModel):
    status: Literal["overdue", "due"] | None
    due: date | None


class PatientItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case_id: str
    site: str
    version: int
    deleted: bool
    updated_at: str
    categories: dict[str, Any] | None = Field(
        description="Each set's category under the installed rules (null: run reassess)."
    )
    review: ReviewInfo | None


class PatientPage(BaseModel):
    items: list[PatientItem]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class Saved(BaseModel):
    case_id: str
    version: int
    status: Literal["new", "version", "unchanged"]


class VersionItem(BaseModel):
    version: int
    parent_version: int | None
    kind: str
    author: str
    created_at: str
    reason: str
    deleted: bool
    changes: list[str]


def _etag(version: int) -> str:
    return f'"{version}"'


def _document(stored: registry.StoredCase) -> Response:
    headers = {"ETag": _etag(stored.version)}
    return Response(stored.document + b"\n", media_type="application/json", headers=headers)


def _if_match(value: str | None, *, required: bool) -> int | None:
    if value is None:
        if required:
            raise ApiProblemError(428, 'send If-Match: "N", the version your change is based on')
        return None
    text = value.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ApiProblemError(412, f'If-Match must name a version such as "3" (got {value!r})')
    return int(text)


def _cursor(case_id: str) -> str:
    return base64.urlsafe_b64encode(case_id.encode()).decode().rstrip("=")


def _after(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise ApiProblemError(422, "cursor: not a cursor this API gave") from None


@router.get(
    "",
    summary="List the patients of your sites",
    response_model=PatientPage,
    responses=READ_ERRORS,
)
async def list_patients(
    engine: EngineDep,
    actor: ActorDep,
    search: Annotated[str | None, Query(max_length=200, description="Part of a case id.")] = None,
    review_due: Annotated[bool, Query(description="Only overdue or due reviews.")] = False,
    category: Annotated[
        str | None,
        Query(
            max_length=100,
            pattern=r"^[a-z0-9_]+:[a-z_]+$",
            description="SET:CATEGORY, e.g. mmn_efns_pns_2010:definite.",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=400, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> PatientPage:
    rows = await run_in_threadpool(
        lambda: registry.list_patients(engine, actor, search=search, review_due=review_due)
    )
    if not review_due:
        rows.sort(key=lambda r: r.case_id)
    if category is not None:
        set_id, _, wanted = category.partition(":")

        def has(row: registry.PatientRow) -> bool:
            value = ((row.summary or {}).get("categories") or {}).get(set_id)
            return (value.get("category") if isinstance(value, dict) else value) == wanted

        rows = [r for r in rows if has(r)]
    start = 0
    if cursor is not None:
        after = _after(cursor)
        start = next((i + 1 for i, r in enumerate(rows) if r.case_id == after), len(rows))
    page = rows[start : start + limit]
    more = start + limit < len(rows)
    items = [
        PatientItem(
            case_id=r.case_id,
            site=r.site,
            version=r.version,
            deleted=r.deleted,
            updated_at=r.updated_at,
            categories=(r.summary or {}).get("categories") if r.summary else None,
            review=ReviewInfo(status=r.review.status, due=r.review.due) if r.review else None,
        )
        for r in page
    ]
    return PatientPage(items=items, next_cursor=_cursor(page[-1].case_id) if more else None)


@router.post(
    "",
    summary="Add a patient (its first version)",
    status_code=201,
    response_model=Saved,
    responses=WRITE_ERRORS,
    openapi_extra=JSON_BODY,
)
async def create_patient(
    request: Request,
    engine: EngineDep,
    actor: ActorDep,
    settings: SettingsDep,
    site: Annotated[str | None, Query(max_length=64, description="Site code.")] = None,
    reason: Annotated[str, Query(max_length=500)] = "created through the API",
) -> Response:
    data = await json_body(request, settings)
    try:
        saved = await run_in_threadpool(
            lambda: registry.save_case(
                engine, actor, data, site=site, base_version=0, reason=reason, kind="edit"
            )
        )
    except ConflictError:
        raise ApiProblemError(
            409, "a patient with this case id exists; PUT a new version"
        ) from None
    body = Saved(case_id=saved.case_id, version=saved.version, status=saved.status)
    return Response(
        body.model_dump_json().encode(),
        status_code=201,
        media_type="application/json",
        headers={"ETag": _etag(saved.version), "Location": f"/api/v1/patients/{saved.case_id}"},
    )


async def _read(engine: Any, actor: Any, case_id: str, version: int | None = None) -> Any:
    stored = await run_in_threadpool(
        lambda: registry.read_case(engine, actor, case_id, version=version)
    )
    if version is None and stored.deleted:
        raise ApiProblemError(
            404, f"patient {case_id!r} was deleted; its versions stay readable under /versions"
        )
    return stored


@router.get(
    "/{case_id}/fhir",
    summary="A patient's case as a FHIR R4 Bundle (audited as an export)",
    responses={200: {"description": "A FHIR R4 Bundle (docs/fhir.md)."}, **READ_ERRORS},
)
async def get_patient_fhir(
    case_id: CaseId,
    engine: EngineDep,
    actor: ActorDep,
    version: Annotated[int | None, Query(ge=1, description="Version (default latest).")] = None,
) -> Response:
    bundle = await run_in_threadpool(
        lambda: patient_bundle(engine, actor, case_id, version=version)
    )
    return Response(
        orjson.dumps(bundle, option=orjson.OPT_INDENT_2) + b"\n",
        media_type="application/fhir+json",
    )


@router.get(
    "/{case_id}",
    summary="The latest version of a patient's case (ETag: its version)",
    responses={200: {"description": "A neuroig-case/1 document."}, **READ_ERRORS},
)
async def get_patient(case_id: CaseId, engine: EngineDep, actor: ActorDep) -> Response:
    stored = await _read(engine, actor, case_id)
    return Response(
        stored.document + b"\n",
        media_type="application/json",
        headers={"ETag": _etag(stored.version)},
    )


@router.put(
    "/{case_id}",
    summary="Save a new version (If-Match: the version it is based on)",
    response_model=Saved,
    responses=WRITE_ERRORS,
    openapi_extra=JSON_BODY,
)
async def put_patient(
    case_id: CaseId,
    request: Request,
    engine: EngineDep,
    actor: ActorDep,
    settings: SettingsDep,
    if_match: Annotated[str | None, Header()] = None,
    reason: Annotated[str, Query(max_length=500)] = "edited through the API",
) -> Response:
    base = _if_match(if_match, required=True)
    data = await json_body(request, settings)
    if not isinstance(data, dict) or data.get("case_id") != case_id:
        raise ApiProblemError(422, f"the document's case_id must be {case_id!r}, as in the URL")
    await _read(engine, actor, case_id)  # 404 / 403 before anything is written
    try:
        saved = await run_in_threadpool(
            lambda: registry.save_case(
                engine, actor, data, base_version=base, reason=reason, kind="edit"
            )
        )
    except ConflictError as exc:
        raise ApiProblemError(412, str(exc)) from None
    body = Saved(case_id=saved.case_id, version=saved.version, status=saved.status)
    return Response(
        body.model_dump_json().encode(),
        media_type="application/json",
        headers={"ETag": _etag(saved.version)},
    )


@router.get(
    "/{case_id}/versions",
    summary="Every version with what changed",
    response_model=list[VersionItem],
    responses=READ_ERRORS,
)
async def versions(case_id: CaseId, engine: EngineDep, actor: ActorDep) -> list[VersionItem]:
    entries = await run_in_threadpool(lambda: registry.history(engine, actor, case_id))
    return [
        VersionItem(
            version=e.version,
            parent_version=e.parent_version,
            kind=e.kind,
            author=e.author,
            created_at=e.created_at,
            reason=e.reason,
            deleted=e.deleted,
            changes=list(e.diff),
        )
        for e in entries
    ]


@router.get(
    "/{case_id}/versions/{version}",
    summary="One version of a patient's case",
    responses={200: {"description": "A neuroig-case/1 document."}, **READ_ERRORS},
)
async def get_version(
    case_id: CaseId,
    version: Annotated[int, Path(ge=1, le=1_000_000)],
    engine: EngineDep,
    actor: ActorDep,
) -> Response:
    stored = await _read(engine, actor, case_id, version)
    return Response(
        stored.document + b"\n",
        media_type="application/json",
        headers={"ETag": _etag(stored.version)},
    )


def _record_route(
    kind: Literal["infusion", "assessment", "study", "treatment"], path: str, what: str
) -> None:
    @router.post(
        f"/{{case_id}}/{path}",
        summary=f"Append {what} as a new version",
        status_code=201,
        response_model=Saved,
        responses=WRITE_ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
        name=f"append_{kind}",
    )
    async def append(
        case_id: CaseId,
        request: Request,
        engine: EngineDep,
        actor: ActorDep,
        settings: SettingsDep,
        if_match: Annotated[str | None, Header()] = None,
        reason: Annotated[str, Query(max_length=500)] = kind,
    ) -> Response:
        base = _if_match(if_match, required=False)
        record = await json_body(request, settings)
        try:
            saved = await run_in_threadpool(
                lambda: registry.append_record(
                    engine, actor, case_id, kind, record, base_version=base, reason=reason
                )
            )
        except ConflictError as exc:
            raise ApiProblemError(412 if base is not None else 409, str(exc)) from None
        body = Saved(case_id=saved.case_id, version=saved.version, status=saved.status)
        return Response(
            body.model_dump_json().encode(),
            status_code=201,
            media_type="application/json",
            headers={"ETag": _etag(saved.version)},
        )


_record_route("infusion", "infusions", "one infusion (an `infusions` item)")
_record_route("assessment", "assessments", "one outcome assessment (an `assessments` item)")
_record_route("study", "studies", "a nerve study (the `ncs` object)")
_record_route("treatment", "treatments", "one treatment course (a `treatments` item)")


@router.get(
    "/{case_id}/assessment",
    summary="The criteria assessment of the latest version",
    response_model=AssessmentDocument,
    responses=READ_ERRORS,
)
async def patient_assessment(case_id: CaseId, engine: EngineDep, actor: ActorDep) -> Response:
    stored = await _read(engine, actor, case_id)
    done = await run_in_threadpool(assess, orjson.loads(stored.document))
    return document_response(done.document, ETag=_etag(stored.version))


@router.get(
    "/{case_id}/plan",
    summary="A therapy plan for the latest version",
    response_model=PlanDocument,
    responses=READ_ERRORS,
)
async def patient_plan(
    case_id: CaseId, engine: EngineDep, actor: ActorDep, query: Annotated[PlanQuery, Query()]
) -> Response:
    stored = await _read(engine, actor, case_id)
    options = plan_options(query)
    done = await run_in_threadpool(lambda: plan(orjson.loads(stored.document), **options))
    return document_response(done.document, ETag=_etag(stored.version))


@router.get(
    "/{case_id}/review",
    summary="The treatment review of the latest version",
    response_model=ReviewDocument,
    responses=READ_ERRORS,
)
async def patient_review(case_id: CaseId, engine: EngineDep, actor: ActorDep) -> Response:
    stored = await _read(engine, actor, case_id)
    done = await run_in_threadpool(lambda: review(orjson.loads(stored.document)))
    return document_response(done.document, ETag=_etag(stored.version))
