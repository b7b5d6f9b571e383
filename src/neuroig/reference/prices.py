"""Dated, currency-tagged immunoglobulin price table (decision T8).

The table is data: the shipped one (``data/prices.toml``) or a site's own, parsed
from TOML text by :meth:`PriceTable.from_toml` (reading the file is the shell's job).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from neuroig.errors import ReferenceDataError
from neuroig.reference._load import raw_table

__all__ = ["PriceRow", "PriceTable", "builtin_price_table"]


@dataclass(frozen=True, slots=True)
class PriceRow:
    """Price per gram of a product (or any product of a route) in one region from a date."""

    region: str
    currency: str
    product: str
    route: str
    price_per_g: float
    effective: date
    source: str
    verified: bool
    note: str = ""


def _row(raw: dict[str, Any], where: str) -> PriceRow:
    try:
        price = float(raw["price_per_g"])
        effective = raw["effective"]
        if isinstance(effective, str):
            effective = date.fromisoformat(effective)
        row = PriceRow(
            region=str(raw["region"]),
            currency=str(raw["currency"]).upper(),
            product=str(raw.get("product", "*")),
            route=str(raw.get("route", "*")),
            price_per_g=price,
            effective=effective,
            source=str(raw["source"]),
            verified=bool(raw.get("verified", False)),
            note=str(raw.get("note", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError(f"{where}: malformed price row ({exc})") from None
    if not price > 0:
        raise ReferenceDataError(f"{where}: price_per_g must be > 0, got {price}")
    if row.route not in {"iv", "sc", "*"}:
        raise ReferenceDataError(f"{where}: route must be iv, sc or *, got {row.route!r}")
    return row


@dataclass(frozen=True, slots=True)
class PriceTable:
    """A set of price rows with a lookup by product, route, currency and date."""

    rows: tuple[PriceRow, ...]
    name: str = "built-in"

    @classmethod
    def from_toml(cls, text: str, *, name: str = "site price table") -> PriceTable:
        """Parse a price table from TOML text (same shape as ``data/prices.toml``)."""
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ReferenceDataError(f"{name}: not valid TOML ({exc})") from None
        rows = doc.get("prices")
        if not isinstance(rows, list) or not rows:
            raise ReferenceDataError(f"{name}: needs at least one [[prices]] row")
        return cls(tuple(_row(r, f"{name} prices[{i}]") for i, r in enumerate(rows)), name)

    def currencies(self) -> tuple[str, ...]:
        """Currencies present in the table, in order of first appearance."""
        return tuple(dict.fromkeys(r.currency for r in self.rows))

    def lookup(self, *, product: str, route: str, currency: str, on: date) -> PriceRow | None:
        """Return the row that prices ``product`` by ``route`` in ``currency`` on ``on``.

        A product-specific row wins over ``*``; then the latest effective date ≤ ``on``.
        """
        currency = currency.upper()
        best: tuple[int, date, PriceRow] | None = None
        for row in self.rows:
            if row.currency != currency or row.effective > on:
                continue
            if row.route not in ("*", route):
                continue
            if row.product == product:
                specificity = 2
            elif row.product == "*":
                specificity = 1
            else:
                continue
            key = (specificity, row.effective, row)
            if best is None or key[:2] > best[:2]:
                best = key
        return best[2] if best else None


@cache
def builtin_price_table() -> PriceTable:
    """The shipped price table."""
    doc = raw_table("prices")
    return PriceTable(
        tuple(_row(r, f"prices.toml prices[{i}]") for i, r in enumerate(doc["prices"])), "built-in"
    )
