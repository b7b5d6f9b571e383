"""Product cost of an Ig plan (decision T8).

``per session = grams × price per gram`` where grams are the packs issued (opened packs
are paid for, wastage included) or, when no pack sizes are on file, the dose given.
``per course`` sums the sessions of the course (induction) or of one cycle
(maintenance, SCIg). ``per year`` is ``per cycle × 365.25 / interval days`` for
maintenance and SCIg and null for induction, a one-off course (T12). HyQvia's ramp-up
sessions (T20) are priced per session but are not part of the per-cycle cost.
"""

from __future__ import annotations

from typing import Literal

from neuroig.record import replace
from neuroig.reference.prices import PriceTable
from neuroig.reference.products import Product
from neuroig.therapy.model import Cost, RegimenPlan, Session

__all__ = ["DAYS_PER_YEAR", "cost_plan"]

DAYS_PER_YEAR = 365.25


def cost_plan(
    regimen: RegimenPlan, product: Product, prices: PriceTable, *, currency: str
) -> tuple[RegimenPlan, Cost | None, list[str]]:
    """Price the regimen; return it with per-session costs, the cost, and warnings."""
    on = regimen.sessions[0].date if regimen.sessions else None
    if on is None or regimen.route is None:
        return regimen, None, []
    row = prices.lookup(product=product.id, route=regimen.route, currency=currency, on=on)
    if row is None:
        have = ", ".join(prices.currencies()) or "none"
        return (
            regimen,
            None,
            [
                f"no {currency.upper()} price for {product.id} ({regimen.route}) on {on} in the "
                f"{prices.name} price table (currencies: {have}): cost not computed"
            ],
        )
    basis: Literal["issued", "dose"] = (
        "issued" if all(s.issued_g is not None for s in regimen.sessions) else "dose"
    )

    def priced(s: Session) -> Session:
        grams = s.issued_g if basis == "issued" else s.dose_g
        return replace(s, cost=round((grams or 0.0) * row.price_per_g, 2))

    sessions = [priced(s) for s in regimen.sessions]
    ramp = tuple(priced(s) for s in regimen.ramp_up)  # priced, not in the per-cycle cost
    per_course = round(sum(s.cost or 0.0 for s in sessions), 2)
    per_year = (
        None
        if regimen.interval_days is None
        else round(per_course * DAYS_PER_YEAR / regimen.interval_days, 2)
    )
    cost = Cost(
        currency=row.currency,
        price_per_g=row.price_per_g,
        grams_basis=basis,
        per_course=per_course,
        per_year=per_year,
        price_source=row.source,
        price_effective=row.effective,
        price_verified=row.verified,
        price_table=prices.name,
    )
    warnings = [] if basis == "issued" else ["cost priced on the dose: no pack sizes on file"]
    return replace(regimen, sessions=tuple(sessions), ramp_up=ramp), cost, warnings
