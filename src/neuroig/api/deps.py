"""Request plumbing: the registry engine, the acting user, and bounded JSON bodies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from neuroig.api.problems import ApiProblemError
from neuroig.case.boundary import decode_case_bytes, parse_document
from neuroig.services.auth import actor_for_token
from neuroig.settings import Settings
from neuroig.store.permissions import Actor

__all__ = ["ActorDep", "EngineDep", "SettingsDep", "json_body"]

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token.")


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[Engine, Depends(_engine)]
SettingsDep = Annotated[Settings, Depends(_settings)]


async def _actor(
    engine: EngineDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiProblemError(
            401, "log in first: send Authorization: Bearer TOKEN", {"WWW-Authenticate": "Bearer"}
        )
    actor: Actor = await run_in_threadpool(actor_for_token, engine, credentials.credentials)
    return actor


ActorDep = Annotated[Actor, Depends(_actor)]


async def json_body(
    request: Request, settings: Settings, media_types: tuple[str, ...] = ("application/json",)
) -> Any:
    """The request's JSON document, within the input boundary's limits.

    415 unless the body is one of ``media_types`` (``application/json``); 413 when larger than
    ``api_max_body_bytes``; 422 (with the reason) when it is not JSON or exceeds a depth
    or value limit.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in media_types:
        raise ApiProblemError(
            415, f"send the document as {' or '.join(media_types)} (got {kind or 'none'!r})"
        )
    limit = settings.api_max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiProblemError(413, f"the body is larger than {limit:,} bytes")
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > limit:
            raise ApiProblemError(413, f"the body is larger than {limit:,} bytes")
    text = decode_case_bytes(bytes(data), "body")
    document = parse_document(text, "json", "body")
    if not isinstance(document, dict):
        raise ApiProblemError(
            422, f"the body must be a JSON object, not a {type(document).__name__} value"
        )
    return document
