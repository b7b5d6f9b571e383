"""Read the shipped TOML tables once; every loader below caches its result."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from neuroig.errors import ReferenceDataError

__all__ = ["raw_table"]


@cache
def raw_table(name: str) -> dict[str, Any]:
    """Return the parsed TOML document ``data/<name>.toml``.

    Raises
    ------
    ReferenceDataError
        If the file is missing or is not valid TOML.
    """
    try:
        text = (
            resources.files("neuroig.reference")
            .joinpath("data", f"{name}.toml")
            .read_text(encoding="utf-8")
        )
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"reference table {name!r} is not shipped") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceDataError(f"reference table {name!r} is not valid TOML: {exc}") from exc
