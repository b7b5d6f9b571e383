"""Immunoglobulin product identities and routes (the therapy planner adds parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from neuroig.errors import ReferenceDataError
from neuroig.reference._load import raw_table

__all__ = ["ProductId", "product_ids", "product_routes"]


@dataclass(frozen=True, slots=True)
class ProductId:
    """A product's identity: id, brand name, maker and the routes it may be given by."""

    id: str
    name: str
    maker: str
    routes: tuple[str, ...]


@cache
def _products() -> dict[str, ProductId]:
    return {
        row["id"]: ProductId(
            id=row["id"], name=row["name"], maker=row["maker"], routes=tuple(row["routes"])
        )
        for row in raw_table("products")["products"]
    }


@cache
def product_ids() -> tuple[str, ...]:
    """Return every catalogued product id."""
    return tuple(_products())


def product_routes(product_id: str) -> tuple[str, ...]:
    """Return the routes (``iv``/``sc``) a product may be given by."""
    try:
        return _products()[product_id].routes
    except KeyError:
        raise ReferenceDataError(f"product {product_id!r} is not in the catalogue") from None
