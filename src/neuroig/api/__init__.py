"""neuroig's REST API (FastAPI): the services the CLI calls, over HTTP (docs/api.md)."""

from neuroig.api.app import create_app

__all__ = ["create_app"]
