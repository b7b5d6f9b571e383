"""Read a site's price table file: one reader, one error, for every command."""

from __future__ import annotations

from pathlib import Path

from neuroig.errors import InputError, ReferenceDataError
from neuroig.reference import PriceTable

__all__ = ["load_price_table"]


def load_price_table(path: Path | None, *, option: str = "--prices") -> PriceTable | None:
    """Return the price table in ``path`` (TOML), or ``None`` when no path is given.

    Raises:
        InputError: the path is not a readable file, or the file is not a valid price table.
    """
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "is a directory" if path.is_dir() else str(exc)
        raise InputError(option, str(path), "must be a readable TOML price table", reason) from None
    try:
        return PriceTable.from_toml(text, name=str(path))
    except ReferenceDataError as exc:
        raise InputError(option, str(path), "must be a valid price table", str(exc)) from None
