"""The API application factory: ``create_app(settings)`` (``neuroig serve`` runs it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from neuroig._version import __version__
from neuroig.api import auth_routes, cds, cohort, compute, patients, system
from neuroig.api.middleware import TimeLimitMiddleware
from neuroig.api.problems import PROBLEM_TYPE, install_handlers
from neuroig.services.registry import open_registry
from neuroig.settings import Settings, get_settings
from neuroig.web import install_web

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/v1"

DESCRIPTION = (
    "neuroig's engine and registry over HTTP: the services the command line calls. "
    "Every failure is application/problem+json. See docs/api.md."
)


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The API on the configured registry (``settings.database_url``) or on ``engine``."""
    cfg = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if engine is None:
            app.state.engine.dispose()

    app = NeuroigApi(
        title="neuroig",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = cfg
    app.state.engine = engine if engine is not None else open_registry(cfg.database_url)
    install_handlers(app)
    limit = cfg.api_request_seconds

    app.add_middleware(TimeLimitMiddleware, seconds=limit)

    if cfg.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cfg.cors_origins,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
            expose_headers=["ETag", "Location"],
        )
    api = APIRouter(prefix=API_PREFIX)
    for module in (system, auth_routes, compute, patients, cohort):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(cds.router)
    install_web(app, cfg)
    return app


class NeuroigApi(FastAPI):
    """FastAPI whose OpenAPI document gives every error answer as
    ``application/problem+json`` with the Problem model (FastAPI alone would describe them
    as ``application/json`` with its own validation model)."""

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema:
            return self.openapi_schema
        schema = super().openapi()
        problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                operation.setdefault("responses", {})["503"] = {
                    "description": "The database is unavailable, or the request took too long."
                }
                for code, answer in operation.get("responses", {}).items():
                    if code.isdigit() and int(code) >= 400:
                        answer["content"] = {PROBLEM_TYPE: problem}
                        if code == "422":
                            answer["description"] = "Invalid input: each problem with its path."
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        self.openapi_schema = schema
        return schema
