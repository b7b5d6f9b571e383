"""Health and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from neuroig._version import __version__
from neuroig.api.deps import ActorDep, EngineDep
from neuroig.api.problems import Problem
from neuroig.services import registry
from neuroig.store.migrate import current

__all__ = ["router"]

router = APIRouter(tags=["system"])


class Health(BaseModel):
    status: str
    version: str
    schema_version: str | None


class AuditItem(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    version: int | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@router.get("/health", summary="Liveness and the database schema", response_model=Health)
async def health(engine: EngineDep) -> Health:
    at = await run_in_threadpool(current, engine)
    return Health(status="ok", version=__version__, schema_version=at)


@router.get(
    "/audit",
    summary="The newest audit entries (auditors and admins)",
    response_model=list[AuditItem],
    responses={
        401: {"model": Problem, "description": "Not logged in."},
        403: {"model": Problem, "description": "Not an auditor or admin."},
        422: {"model": Problem, "description": "An invalid parameter."},
    },
)
async def audit_entries(
    engine: EngineDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    object_id: Annotated[str | None, Query(max_length=200)] = None,
) -> list[AuditItem]:
    rows = await run_in_threadpool(
        lambda: registry.audit_list(engine, actor, limit=limit, object_id=object_id)
    )
    return [AuditItem(**row) for row in rows]
