"""Log-in (OAuth2 password flow), personal tokens and log-out (decisions A1-A3)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from neuroig.api.deps import ActorDep, EngineDep, SettingsDep
from neuroig.api.problems import ApiProblemError, Problem
from neuroig.services.auth import issue_personal_token, log_in, revoke_token

__all__ = ["router"]

router = APIRouter(prefix="/auth", tags=["auth"])
_bearer = HTTPBearer(auto_error=False)

AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Wrong user name or password, or no valid token."},
    422: {"model": Problem, "description": "A missing or invalid field."},
    429: {"model": Problem, "description": "Locked out after repeated failures (Retry-After)."},
}


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class PersonalTokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    label: str = Field(min_length=1, max_length=200)
    days: int | None = Field(default=None, ge=1, le=366)


def _answer(token: str, expires_at: datetime) -> TokenAnswer:
    seconds = int((expires_at - datetime.now(UTC)).total_seconds())
    return TokenAnswer(access_token=token, expires_in=max(0, seconds))


@router.post(
    "/token",
    summary="Log in (OAuth2 password flow): a bearer token",
    response_model=TokenAnswer,
    responses=AUTH_ERRORS,
)
async def token(
    engine: EngineDep,
    settings: SettingsDep,
    username: Annotated[str, Form(min_length=1, max_length=100)],
    password: Annotated[str, Form(min_length=1, max_length=1000)],
    grant_type: Annotated[str, Form(pattern="^password$")] = "password",
) -> TokenAnswer:
    issued = await run_in_threadpool(lambda: log_in(engine, username, password, settings=settings))
    return _answer(issued.token, issued.expires_at)


@router.post(
    "/personal-tokens",
    summary="A personal API token for a service account",
    status_code=201,
    response_model=TokenAnswer,
    responses=AUTH_ERRORS,
)
async def personal_token(
    body: PersonalTokenRequest, engine: EngineDep, actor: ActorDep
) -> TokenAnswer:
    issued = await run_in_threadpool(
        lambda: issue_personal_token(engine, actor, body.label, days=body.days)
    )
    return _answer(issued.token, issued.expires_at)


@router.post(
    "/revoke",
    summary="Revoke the token of this request (log out)",
    status_code=204,
    responses=AUTH_ERRORS,
)
async def revoke(
    engine: EngineDep,
    actor: ActorDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    if credentials is None:
        raise ApiProblemError(401, "no bearer token to revoke", {"WWW-Authenticate": "Bearer"})
    await run_in_threadpool(lambda: revoke_token(engine, actor, credentials.credentials))
    return Response(status_code=204)
