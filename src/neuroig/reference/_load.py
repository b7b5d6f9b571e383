"""Read the shipped TOML tables once; the typed loaders cache immutable results."""

from __future__ import annotations

import copy
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from neuroig.errors import ReferenceDataError

__all__ = ["raw_table"]


def raw_table(name: str) -> dict[str, Any]:
    """Return a private copy of the parsed TOML document ``data/<name>.toml``.

    The parse is cached; each caller gets its own copy, so no caller can change what
    the next one reads (the typed loaders cache their immutable results).

    Raises
    ------
    ReferenceDataError
        If the file is missing or is not valid TOML.
    """
    return copy.deepcopy(_parsed(name))


@cache
def _parsed(name: str) -> dict[str, Any]:
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
