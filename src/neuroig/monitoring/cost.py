"""Cumulative immunoglobulin grams and cost (decision T8 price table).

Grams are the recorded ``dose_g`` of each infusion (administered, not dispensed: the
case records no packs). Each infusion is priced on its own date from the dated,
currency-tagged price table; an infusion without a price leaves the total cost
``None`` with the reason — a missing price is never counted as zero.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from neuroig.case import Case
from neuroig.monitoring._dates import add_months
from neuroig.reference import PriceTable

__all__ = ["CumulativeUse", "cumulative_use"]


@dataclass(frozen=True, slots=True)
class CumulativeUse:
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


def cumulative_use(case: Case, *, currency: str, prices: PriceTable, as_of: date) -> CumulativeUse:
    """Sum the grams given and price each infusion on its date (T8).

    References
    ----------
    Decision T8; therapy-research.md §6 (cost = Σ grams × price per gram on the date).
    """
    infusions = [i for i in case.infusions or () if i.date <= as_of]
    by_route: dict[str, list[float]] = defaultdict(list)
    by_product: dict[str, list[float]] = defaultdict(list)
    by_year: dict[int, list[float]] = defaultdict(list)
    priced: list[float] = []
    unpriced: list[str] = []
    unpriced_g: list[float] = []
    sources: dict[str, None] = {}
    since = add_months(as_of, -12)
    for inf in infusions:
        by_route[inf.route].append(inf.dose_g)
        by_product[inf.product].append(inf.dose_g)
        by_year[inf.date.year].append(inf.dose_g)
        row = prices.lookup(product=inf.product, route=inf.route, currency=currency, on=inf.date)
        if row is None:
            unpriced.append(f"{inf.date} {inf.product} ({inf.route}) {inf.dose_g:g} g")
            unpriced_g.append(inf.dose_g)
        else:
            priced.append(inf.dose_g * row.price_per_g)
            sources[f"{row.source} ({row.currency} {row.price_per_g:g}/g from {row.effective})"] = (
                None
            )
    grams = math.fsum(i.dose_g for i in infusions)
    part = round(math.fsum(priced), 2)
    if not infusions:
        cost: float | None = 0.0
        reason = "no infusion recorded"
    elif unpriced:
        cost = None
        reason = (
            f"{len(unpriced)} infusion(s) have no {currency.upper()} price in the "
            f"{prices.name} price table on their date; the total is not computed"
        )
    else:
        cost = part
        reason = f"every infusion priced in {currency.upper()} on its date"
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
    )
