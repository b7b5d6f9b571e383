"""``neuroig serve``: the REST API (uvicorn) on the configured registry."""

from __future__ import annotations

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
) -> None:
    """Serve the REST API (docs/api.md) at http://HOST:PORT/api/v1 until interrupted.

    \b
    Examples:
      neuroig db upgrade && neuroig serve
      NEUROIG_DATABASE_URL=postgresql+psycopg://... neuroig serve --host 0.0.0.0
    """
    if not 1 <= port <= 65535:
        raise InputError("--port", port, "a TCP port from 1 to 65535")
    settings = load_settings(**({"database_url": db} if db else {}))
    app = create_app(settings)
    err_console.print(f"neuroig API on http://{host}:{port}/api/v1 (Ctrl+C stops)", markup=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
