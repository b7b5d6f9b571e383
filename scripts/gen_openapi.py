"""Write docs/openapi.json: the API's OpenAPI document (a test keeps it equal to the app's)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from neuroig.api import create_app
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade

TARGET = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def openapi_text() -> str:
    """The OpenAPI document as committed: indented, sorted keys, one final newline."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'registry.db'}"
        upgrade(url)
        app = create_app(load_settings(database_url=url))
        text = json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        app.state.engine.dispose()
        return text


if __name__ == "__main__":
    TARGET.write_text(openapi_text(), encoding="utf-8")
    sys.stdout.write(f"{TARGET}: written\n")
