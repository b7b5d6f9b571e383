"""The API application factory: ``create_app(settings)`` (``neuroig serve`` runs it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from neuroig._version import __version__
from neuroig.api import auth_routes, compute, patients, system
from neuroig.api.problems import install_handlers
from neuroig.services.registry import open_registry
from neuroig.settings import Settings, get_settings

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

    app = FastAPI(
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
    if cfg.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cfg.cors_origins,
            allow_methods=["GET", "POST", "PUT"],
            allow_headers=["Authorization", "Content-Type", "If-Match"],
            expose_headers=["ETag", "Location"],
        )
    api = APIRouter(prefix=API_PREFIX)
    for module in (system, auth_routes, compute, patients):
        api.include_router(module.router)
    app.include_router(api)
    return app
