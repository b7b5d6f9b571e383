"""Shared fixtures: the example cases and a way to mutate them."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: "ci" (the default, and whenever CI is set) is derandomised so a
# run is reproducible; "long" (HYPOTHESIS_PROFILE=long) searches far more for local runs.
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=100,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def script_module(relative_path: str) -> ModuleType:
    """Load a script of the repository (``scripts/…``, ``benchmarks/…``) as a module."""
    path = ROOT / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example_data(name: str) -> dict[str, Any]:
    """Return a fresh copy of an example case as a dict."""
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@pytest.fixture
def mmn_data() -> dict[str, Any]:
    return example_data("mmn-definite")


@pytest.fixture
def write_case(tmp_path: Path) -> Callable[[dict[str, Any] | str, str], Path]:
    """Write a case (dict or raw text) to a temporary file and return its path."""

    def _write(data: dict[str, Any] | str, name: str = "case.json") -> Path:
        path = tmp_path / name
        text = data if isinstance(data, str) else json.dumps(data)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
