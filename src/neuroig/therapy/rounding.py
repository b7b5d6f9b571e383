"""Rounding a course or cycle (T3, T21) and splitting it over its days."""

from __future__ import annotations

from neuroig.errors import InputError
from neuroig.record import Record, replace
from neuroig.reference.products import Product
from neuroig.therapy.ig_context import IgNotes
from neuroig.therapy.model import Session
from neuroig.therapy.packs import PackCount, pack_set

__all__ = ["Dose", "cg_split", "nearest_5g", "round_course", "with_dose"]


def cg_split(total_g: float, n: int) -> list[float]:
    """Equal split of ``total_g`` over ``n`` days to 0.01 g (remainder cents first)."""
    cg = round(total_g * 100)
    base, rem = divmod(cg, n)
    return [(base + (1 if i < rem else 0)) / 100 for i in range(n)]


def nearest_5g(total_g: float, cap_g: float | None) -> float:
    """Ontario: the course total to the nearest 5 g (ties to the lower), then 5 g lower
    while above the cap (T21: the authorised maximum and the T4 limits bind); a cap below
    5 g is given exactly."""
    cg = round(total_g * 100)
    r = cg % 500
    out = cg - r + (500 if r > 250 else 0)  # nearest 5 g, ties to the lower (T3)
    cap = None if cap_g is None else round(cap_g * 100)
    while cap is not None and out > cap and out > 500:
        out -= 500
    if cap is not None and out > cap:
        out = cap
    if out <= 0:
        raise InputError(
            "rounding",
            "nearest-5g",
            f"a dose of {total_g:g} g rounds to 0 g",
            "use --rounding none",
        )
    return out / 100


class Dose(Record, frozen=True):
    """One day's dose: computed, given, and the packs issued for it."""

    computed_g: float
    dose_g: float
    packs: tuple[PackCount, ...] | None
    issued_g: float | None
    wastage_g: float | None


def round_course(
    *,
    product: Product,
    computed_g: float,
    n: int,
    rounding: str,
    course_cap_g: float | None,
    day_cap_g: float | None,
    authorised_g: float | None,
    out: IgNotes,
    ontario_total_g: float | None = None,
) -> tuple[list[Dose], float | None]:
    """Round a course/cycle and split it into ``n`` days; return doses and the tolerance.

    ``vials`` never goes above ``course_cap_g`` (the authorised maximum: the T4 limit or the
    authorisation) nor puts more than ``day_cap_g`` on one day; ``nearest-5g`` is capped
    only by an explicit authorisation (``authorised_g``).
    """
    packs = pack_set(product.packs_g.value) if product.packs_g else None
    computed = cg_split(computed_g, n)
    caps = [c for c in (course_cap_g, None if day_cap_g is None else day_cap_g * n) if c]
    cap = min(caps) if caps else None
    if rounding == "vials" and packs is None:
        out.warnings.append(
            f"no pack sizes on file for {product.id}: rounding 'vials' is not possible, the "
            "exact dose is planned (rounding none)"
        )
        rounding = "none"
    if rounding == "vials":
        assert packs is not None
        for total in packs.candidates(computed_g, cap_g=cap, min_packs=n)[:200]:
            if abs(total - (computed_g if cap is None else min(computed_g, cap))) >= (
                packs.smallest_g
            ):
                break  # beyond the policy's tolerance: refuse rather than over/under-dose
            split = packs.split(total, n, cap_g=day_cap_g)
            if split is not None:
                whole = [
                    Dose(c, d, packs.fewest_packs(d), d, 0.0)
                    for c, d in zip(computed, split, strict=True)
                ]
                return whole, packs.smallest_g
        raise InputError(
            "rounding",
            "vials",
            f"no combination of {product.id} packs "
            f"({', '.join(f'{s:g}' for s in packs.sizes_g)} g) splits {computed_g:g} g "
            f"over {n} day(s) within one pack of the dose and within the limits",
            "use fewer days, or --rounding none or nearest-5g",
        )
    if rounding == "nearest-5g" and ontario_total_g is not None:
        # SCIg under Ontario (T21): the IVIg-interval total was rounded, then divided by
        # the weeks; the cycle takes its share exactly, within the caps.
        total = ontario_total_g if cap is None else min(ontario_total_g, cap)
        tolerance = 2.5
    elif rounding == "nearest-5g":
        # Ontario's rule on the course total (T21): nearest 5 g, never above the
        # authorised maximum nor the T4 limits.
        total, tolerance = nearest_5g(computed_g, cap), 2.5
    else:
        total, tolerance = (computed_g if cap is None else min(computed_g, cap)), 0.0
    shares = cg_split(total, n)
    if packs is not None and rounding == "nearest-5g" and ontario_total_g is None:
        # T21: packs chosen per session to minimise wastage - whole packs when the total
        # splits into them within the daily limit, else equal shares.
        by_pack = packs.split(total, n, cap_g=day_cap_g)
        if by_pack is not None:
            shares = list(by_pack)
    doses = []
    for c, d in zip(computed, shares, strict=True):
        if packs is None:
            doses.append(Dose(c, d, None, None, None))
            continue
        issued = packs.covering(d)
        doses.append(Dose(c, d, packs.fewest_packs(issued), issued, round(issued - d, 2)))
    if packs is None:
        out.warnings.append(
            f"no pack sizes on file for {product.id}: packs and wastage are not computed"
        )
    return doses, tolerance


def with_dose(s: Session, d: Dose, volume: float) -> Session:
    return replace(
        s,
        computed_g=d.computed_g,
        dose_g=d.dose_g,
        volume_ml=volume,
        packs=d.packs,
        issued_g=d.issued_g,
        wastage_g=d.wastage_g,
    )
