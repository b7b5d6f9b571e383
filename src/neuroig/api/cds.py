"""CDS Hooks 2.0 endpoints: ``GET /cds-services`` and ``POST /cds-services/{id}``.

Every hook call carries the EHR's signed JSON Web Token (``Authorization: Bearer``);
decision H1 (``docs/cds-hooks.md``): signed with ES384 or RS384 by a key of the
configured key set (``cds_jwks_file``, chosen by ``kid``), ``iss`` one of
``cds_issuers``, ``aud`` the URL of the service called, ``exp``, ``iat`` and ``jti``
present, not expired, and a ``jti`` no process of this registry has seen before
(replays are refused; table ``cds_token_ids``). The hooks act as the registry user
``cds_user``. These routes are outside ``/api/v1`` and its OpenAPI document: CDS Hooks
has its own discovery.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from neuroig.api.deps import EngineDep, SettingsDep
from neuroig.api.problems import ApiProblemError
from neuroig.errors import InputError
from neuroig.schemas.cds import CdsRequest
from neuroig.services import registry
from neuroig.services.cds import HookCall, call_hook, discovery, use_token_id
from neuroig.settings import Settings

__all__ = ["ALGORITHMS", "router"]

router = APIRouter(include_in_schema=False)

#: the algorithms CDS Hooks 2.0 names for the EHR's token
ALGORITHMS = ("ES384", "RS384")
#: clock skew allowed on ``exp`` and ``iat``, in seconds
LEEWAY_S = 30

_keys: dict[tuple[str, float], jwt.PyJWKSet] = {}


def _enabled(settings: Settings) -> str:
    """The acting user's name; 404 while CDS Hooks are off."""
    if not settings.cds_user:
        raise ApiProblemError(404, "CDS Hooks are off on this server (set NEUROIG_CDS_USER)")
    return settings.cds_user


def _refuse(why: str) -> ApiProblemError:
    return ApiProblemError(401, f"CDS Hooks call refused: {why}", {"WWW-Authenticate": "Bearer"})


def _key_set(path: Path | None) -> jwt.PyJWKSet:
    if path is None:
        raise _refuse("no key set is configured (NEUROIG_CDS_JWKS_FILE)")
    try:
        stamp = path.stat().st_mtime
        cached = _keys.get((str(path), stamp))
        if cached is None:
            cached = jwt.PyJWKSet.from_dict(json.loads(path.read_text(encoding="utf-8")))
            _keys.clear()
            _keys[(str(path), stamp)] = cached
    except (OSError, ValueError, jwt.PyJWTError) as exc:
        raise _refuse(f"the configured key set cannot be read ({type(exc).__name__})") from None
    return cached


def verify_token(authorization: str | None, settings: Settings, audience: str) -> dict[str, Any]:
    """The verified claims of a hook call's token (decision H1); 401 otherwise."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise _refuse("send the EHR's signed JWT as Authorization: Bearer TOKEN")
    token = authorization[7:].strip()
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _refuse("the token is not a JWT") from None
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise _refuse(f"algorithm {alg!r}; allowed: {', '.join(ALGORITHMS)}")
    keys = _key_set(settings.cds_jwks_file).keys
    kid = header.get("kid")
    match = [k for k in keys if k.key_id == kid] if kid else (keys if len(keys) == 1 else [])
    if not match:
        raise _refuse(f"no configured key has kid {kid!r}")
    if not settings.cds_issuers:
        raise _refuse("no issuer is configured (NEUROIG_CDS_ISSUERS)")
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            match[0].key,
            algorithms=[alg],
            audience=audience,
            issuer=settings.cds_issuers,
            leeway=LEEWAY_S,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as exc:
        raise _refuse(str(exc) or type(exc).__name__) from None
    return claims


@router.get("/cds-services")
def cds_discovery(settings: SettingsDep) -> JSONResponse:
    """The CDS Hooks services of this server."""
    _enabled(settings)
    return JSONResponse(discovery().model_dump(mode="json", exclude_none=True))


@router.post("/cds-services/{service_id}")
async def cds_call(
    service_id: str,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    body: Annotated[dict[str, Any], Body()],
) -> JSONResponse:
    """One hook call: the EHR's signed request → cards."""
    user = _enabled(settings)
    base = (settings.cds_base_url or str(request.base_url)).rstrip("/")
    audience = f"{base}/cds-services/{service_id}"
    claims = verify_token(request.headers.get("authorization"), settings, audience)
    expires = datetime.fromtimestamp(float(claims["exp"]), UTC)
    fresh = await run_in_threadpool(
        use_token_id, engine, str(claims["jti"]), expires, datetime.now(UTC)
    )
    if not fresh:
        raise _refuse("this token was used before (jti)")
    try:
        hook_request = CdsRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            ".".join(str(p) for p in first["loc"]) or "(request)",
            repr(first.get("input"))[:80],
            f"a CDS Hooks 2.0 request ({first['msg']})",
        ) from None
    actor = await run_in_threadpool(registry.resolve_actor_or_none, engine, user)
    if actor is None:
        raise ApiProblemError(503, "the configured CDS Hooks user is not an active registry user")
    call = HookCall(engine, actor, settings.cds_identifier_system, datetime.now(UTC).date())
    response = await run_in_threadpool(call_hook, call, service_id, hook_request)
    return JSONResponse(response.model_dump(mode="json", exclude_none=True))
