"""Cumulative immunoglobulin grams and cost (decisions T8 and T24).

Grams are the recorded ``dose_g`` of each infusion (administered, not dispensed: the
case records no packs). Each infusion is priced on its own date from the dated,
currency-tagged price table, per product and route (a product-specific row over a
generic one, a route row over ``*``: IV and SC prices differ). An infusion dated
before the table's first applicable row is priced at the earliest row, with a note
(decision T24), so the total is always computed when the currency has a row for the
product and route. Only an infusion without any row leaves the total ``None`` with
the reason — a missing price is never counted as zero.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from neuroig.case import Case
from neuroig.monitoring._dates import add_months
from neuroig.record import Record, field
from neuroig.reference import PriceTable

__all__ = ["CumulativeUse", "cumulative_use"]


class CumulativeUse(Record, frozen=True):
    """Grams of immunoglobulin given, and what they cost."""

    grams: float
    grams_by_route: dict[str, float]
    grams_by_product: dict[str, float]
    grams_by_year: dict[int, float]
    grams_last_12_months: float
    infusions: int
    first: date | None
    last: date | None
    currency: str
    cost: float | None
    cost_priced_part: float
    unpriced_grams: float
    unpriced: tuple[str, ...]
    price_sources: tuple[str, ...]
    price_table: str
    reason: str
    cost_by_product_route: dict[str, float] = field(default_factory=dict)
    before_table: int = 0
    price_notes: tuple[str, ...] = ()


def cumulative_use(case: Case, *, currency: str, prices: PriceTable, as_of: date) -> CumulativeUse:
    """Sum the grams given and price each infusion on its date (T8, T24).

    References
    ----------
    Decisions T8 and T24 (docs/decisions.md): cost = Σ grams × price per gram of the
    product and route on the date.
    """
    infusions = [i for i in case.infusions or () if i.date <= as_of]
    by_route: dict[str, list[float]] = defaultdict(list)
    by_product: dict[str, list[float]] = defaultdict(list)
    by_year: dict[int, list[float]] = defaultdict(list)
    by_pr: dict[str, list[float]] = defaultdict(list)
    priced: list[float] = []
    unpriced: list[str] = []
    unpriced_g: list[float] = []
    sources: dict[str, None] = {}
    early: dict[str, list[date]] = defaultdict(list)
    generic: dict[str, None] = {}
    since = add_months(as_of, -12)
    for inf in infusions:
        by_route[inf.route].append(inf.dose_g)
        by_product[inf.product].append(inf.dose_g)
        by_year[inf.date.year].append(inf.dose_g)
        row = prices.lookup(product=inf.product, route=inf.route, currency=currency, on=inf.date)
        if row is None:
            row = prices.earliest(product=inf.product, route=inf.route, currency=currency)
            if row is not None:
                early[f"{row.currency} {row.price_per_g:g}/g from {row.effective}"].append(inf.date)
        if row is None:
            unpriced.append(f"{inf.date} {inf.product} ({inf.route}) {inf.dose_g:g} g")
            unpriced_g.append(inf.dose_g)
            continue
        amount = inf.dose_g * row.price_per_g
        priced.append(amount)
        by_pr[f"{inf.product} ({inf.route})"].append(amount)
        sources[f"{row.source} ({row.currency} {row.price_per_g:g}/g from {row.effective})"] = None
        if row.product == "*" or row.route == "*":
            what = "product" if row.product == "*" else "route"
            what = "product or route" if row.product == row.route == "*" else what
            generic[
                f"{inf.product} ({inf.route}) priced with the generic row "
                f"({row.currency} {row.price_per_g:g}/g, product {row.product}, route "
                f"{row.route}): the table has no {what}-specific price"
                + (f" — {row.note}" if row.note else "")
            ] = None
    notes = list(generic)
    for label, dates in early.items():
        notes.append(
            f"{len(dates)} infusion(s) from {min(dates)} to {max(dates)} precede the table's "
            f"first applicable price and are priced at the earliest one ({label}) "
            "(decision T24)"
        )
    grams = math.fsum(i.dose_g for i in infusions)
    part = round(math.fsum(priced), 2)
    if not infusions:
        cost: float | None = 0.0
        reason = "no infusion recorded"
    elif unpriced:
        cost = None
        reason = (
            f"{len(unpriced)} infusion(s) have no {currency.upper()} price for their product "
            f"and route in the {prices.name} price table; the total is not computed"
        )
    else:
        cost = part
        reason = f"every infusion priced in {currency.upper()} by product and route"
        if early:
            reason += f" ({sum(len(d) for d in early.values())} at the earliest price)"
    return CumulativeUse(
        grams=round(grams, 2),
        grams_by_route={k: round(math.fsum(v), 2) for k, v in sorted(by_route.items())},
        grams_by_product={k: round(math.fsum(v), 2) for k, v in sorted(by_product.items())},
        grams_by_year={k: round(math.fsum(v), 2) for k, v in sorted(by_year.items())},
        grams_last_12_months=round(math.fsum(i.dose_g for i in infusions if i.date > since), 2),
        infusions=len(infusions),
        first=min((i.date for i in infusions), default=None),
        last=max((i.date for i in infusions), default=None),
        currency=currency.upper(),
        cost=cost,
        cost_priced_part=part,
        unpriced_grams=round(math.fsum(unpriced_g), 2),
        unpriced=tuple(unpriced),
        price_sources=tuple(sources),
        price_table=prices.name,
        reason=reason,
        cost_by_product_route={k: round(math.fsum(v), 2) for k, v in sorted(by_pr.items())},
        before_table=sum(len(d) for d in early.values()),
        price_notes=tuple(notes),
    )
