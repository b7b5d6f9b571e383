"""``neuroig serve``: the REST API (uvicorn) on the configured registry."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from neuroig.api import create_app
from neuroig.cli.console import err_console, handle_errors
from neuroig.errors import InputError
from neuroig.settings import load_settings

__all__ = ["serve"]


@handle_errors
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port (1-65535).")] = 8000,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: NEUROIG_DATABASE_URL, else SQLite)."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Server processes (1-64); more than one uses more cores, each with its own "
            "database connections.",
        ),
    ] = 1,
) -> None:
    """Serve the REST API (docs/api.md) at http://HOST:PORT/api/v1 until interrupted.

    \b
    Examples:
      neuroig db upgrade && neuroig serve
      NEUROIG_DATABASE_URL=postgresql+psycopg://... neuroig serve --host 0.0.0.0 --workers 4
    """
    if not 1 <= port <= 65535:
        raise InputError("--port", port, "a TCP port from 1 to 65535")
    if not 1 <= workers <= 64:
        raise InputError("--workers", workers, "a number of processes from 1 to 64")
    settings = load_settings(**({"database_url": db} if db else {}))
    err_console.print(f"neuroig API on http://{host}:{port}/api/v1 (Ctrl+C stops)", markup=False)
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    # each worker process builds the app from the environment, with this database
    os.environ["NEUROIG_DATABASE_URL"] = settings.database_url
    uvicorn.run(
        "neuroig.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
