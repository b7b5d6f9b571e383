"""The committed OpenAPI document is the app's, and documents every answer it gives."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

from tests.conftest import script_module

ROOT = Path(__file__).parents[2]


def _generator() -> ModuleType:
    return script_module("scripts/gen_openapi.py")


def test_docs_openapi_json_is_the_apps() -> None:
    committed = (ROOT / "docs" / "openapi.json").read_text("utf-8")
    generated = _generator().openapi_text()
    assert committed == generated, (
        "docs/openapi.json disagrees with the API: run scripts/gen-openapi"
    )


def test_the_document_is_openapi_3_1_and_errors_are_problems() -> None:
    doc = json.loads((ROOT / "docs" / "openapi.json").read_text("utf-8"))
    assert doc["openapi"].startswith("3.1")
    operations = [op for ops in doc["paths"].values() for op in ops.values()]
    assert len(operations) == 24
    for op in operations:
        for code, answer in op["responses"].items():
            if int(code) >= 400:
                assert list(answer["content"]) == ["application/problem+json"], (op, code)
    secured = [p for p in doc["paths"] if p.startswith("/api/v1/patients")]
    for path in secured:
        for op in doc["paths"][path].values():
            assert "401" in op["responses"] and "403" in op["responses"], path
