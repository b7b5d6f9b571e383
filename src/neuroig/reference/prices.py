"""Dated, currency-tagged immunoglobulin price table (decisions T8 and T24).

The table is data: the shipped one (``data/prices.toml``) or a site's own, parsed
from TOML text by :meth:`PriceTable.from_toml` (reading the file is the shell's job).
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from typing import Any

from neuroig.errors import ReferenceDataError
from neuroig.record import Record
from neuroig.reference._load import raw_table
from neuroig.reference.sources import cite_or_text

__all__ = ["PriceRow", "PriceTable", "builtin_price_table"]


class PriceRow(Record, frozen=True):
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
            source=cite_or_text(raw),
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


def _specificity(
    row: PriceRow, *, product: str, route: str, currency: str
) -> tuple[int, int] | None:
    """How specifically ``row`` prices ``product`` by ``route`` (None: it does not apply)."""
    if row.currency != currency.upper() or row.route not in ("*", route):
        return None
    if row.product not in ("*", product):
        return None
    return (int(row.product == product), int(row.route == route))


class PriceTable(Record, frozen=True):
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

        A product-specific row wins over ``*``, and a row of the route over ``*`` (IV and
        SC prices differ, decision T24); then the latest effective date ≤ ``on``. None
        when no row applies on that date (see :meth:`earliest`).
        """
        best: tuple[tuple[int, int], date, PriceRow] | None = None
        for row in self.rows:
            specificity = _specificity(row, product=product, route=route, currency=currency)
            if specificity is None or row.effective > on:
                continue
            if best is None or (specificity, row.effective) > best[:2]:
                best = (specificity, row.effective, row)
        return best[2] if best else None

    def earliest(self, *, product: str, route: str, currency: str) -> PriceRow | None:
        """The earliest row that would price ``product`` by ``route`` in ``currency``.

        Used for a date before the table's first row (decision T24): the most specific
        row wins (product over ``*``), then the earliest effective date. None when the
        currency has no row for the product or route.
        """
        best: tuple[tuple[int, int], date, PriceRow] | None = None
        for row in self.rows:
            specificity = _specificity(row, product=product, route=route, currency=currency)
            if specificity is None:
                continue
            if (
                best is None
                or specificity > best[0]
                or (specificity == best[0] and row.effective < best[1])
            ):
                best = (specificity, row.effective, row)
        return best[2] if best else None


@cache
def builtin_price_table() -> PriceTable:
    """The shipped price table."""
    doc = raw_table("prices")
    return PriceTable(
        tuple(_row(r, f"prices.toml prices[{i}]") for i, r in enumerate(doc["prices"])), "built-in"
    )
