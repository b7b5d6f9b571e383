"""Read the shipped TOML tables; the typed loaders cache immutable results.

The tables are parsed by rtoml (a TOML 1.0 parser in Rust, about fifteen times faster than
the standard library's ``tomllib`` on these tables: a command line parses them at each
start, docs/performance.md); a test checks that both parsers read every shipped table
the same.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import rtoml

from neuroig.errors import ReferenceDataError

__all__ = ["raw_table"]


def raw_table(name: str) -> dict[str, Any]:
    """Return the parsed TOML document ``data/<name>.toml``, parsed for this caller.

    Each call parses the file again (a fraction of a millisecond, cheaper than copying a
    cached document), so no caller can change what the next one reads; the typed
    loaders cache their immutable results.

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
        parsed: dict[str, Any] = rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        raise ReferenceDataError(f"reference table {name!r} is not valid TOML: {exc}") from exc
    return parsed
