"""``application/problem+json`` (RFC 9457) for every failure, from the one error mapper.

A failure's status follows what went wrong: invalid input 422 (each problem with its
JSON path), too large 413, not JSON 415, unknown patient 404, not logged in 401, not
allowed 403, a conflict 409, a stale ``If-Match`` 412, a missing one 428, locked out
429, the database unavailable 503. Anything else is 500 with no internal detail.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from neuroig.errors import (
    AuthError,
    CaseError,
    CaseValidationError,
    InputError,
    InputLimitError,
    NeuroigError,
    RegistryError,
    UnknownPatientError,
)
from neuroig.services.auth import LockedOutError
from neuroig.services.errors import failure
from neuroig.store.permissions import PermissionDeniedError
from neuroig.store.repository import ConflictError

__all__ = [
    "PROBLEM_TYPE",
    "ApiProblemError",
    "Problem",
    "ProblemItem",
    "install_handlers",
    "problem_response",
]

PROBLEM_TYPE = "application/problem+json"


class ProblemItem(BaseModel):
    """One invalid field: its JSON path and what was wrong and what is allowed."""

    model_config = ConfigDict(extra="forbid")
    path: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(extra="forbid")
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemItem] | None = Field(default=None)


class ApiProblemError(Exception):
    """A failure the API raises itself (a status and a message)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal error",
    503: "Service unavailable",
}


def problem_response(
    status: int,
    detail: str,
    *,
    errors: list[ProblemItem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(title=TITLES.get(status, "Error"), status=status, detail=detail, errors=errors)
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_TYPE,
        headers=headers,
    )


def _status(exc: BaseException) -> int:
    if isinstance(exc, InputLimitError):
        return 413 if exc.limit == "size" else 422
    if isinstance(exc, UnknownPatientError):
        return 404
    if isinstance(exc, CaseError | InputError):
        return 422
    if isinstance(exc, LockedOutError):
        return 429
    if isinstance(exc, PermissionDeniedError):
        return 403
    if isinstance(exc, AuthError):
        return 401
    if isinstance(exc, ConflictError):
        return 409
    if isinstance(exc, RegistryError):
        return 503
    return 500


def _from_exception(exc: BaseException) -> JSONResponse:
    status = _status(exc)
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, LockedOutError):
        wait = max(1, int((exc.until - datetime.now(UTC)).total_seconds()))
        headers["Retry-After"] = str(wait)
    if status == 500:
        return problem_response(500, "internal error; please report it with the request")
    f = failure(exc)
    errors = None
    if isinstance(exc, CaseValidationError):
        errors = [ProblemItem(path=p, message=m) for p, m in f.problems]
    message = f.message.removeprefix("error: ")
    return problem_response(status, message, errors=errors, headers=headers or None)


def _validation(exc: RequestValidationError) -> JSONResponse:
    errors = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ()))
        errors.append(ProblemItem(path=loc, message=str(err.get("msg", "invalid"))))
    return problem_response(422, f"{len(errors)} invalid parameter(s)", errors=errors)


def install_handlers(app: Any) -> None:
    """Route every failure through :func:`problem_response`."""

    async def api_problem(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiProblemError)
        return problem_response(exc.status, exc.detail, headers=exc.headers or None)

    async def validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return _validation(exc)

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # a body FastAPI could not parse: invalid input
            return problem_response(422, f"the body could not be read: {exc.detail}")
        return problem_response(
            exc.status_code, str(exc.detail), headers=dict(exc.headers or {}) or None
        )

    async def known_error(_: Request, exc: Exception) -> JSONResponse:
        return _from_exception(exc)

    app.add_exception_handler(ApiProblemError, api_problem)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(NeuroigError, known_error)
    app.add_exception_handler(PermissionError, known_error)
    app.add_exception_handler(Exception, known_error)
