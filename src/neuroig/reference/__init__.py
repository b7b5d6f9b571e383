"""Shipped reference tables with provenance: muscles, nerves and sites, NCS limits, products.

Each table lives in ``data/*.toml`` with a source per row (or per table) and a
``verified`` flag; tables are read once and are immutable (read-only mappings, tuples,
frozen rows). Sources are keys of the bibliography ``data/sources.toml``
(:mod:`neuroig.reference.sources`), which renders every printed citation; ``lint.py``
checks that every key exists and every entry is cited.
"""

from neuroig.reference.limits import LimitRow, builtin_limit, limit_rows
from neuroig.reference.muscles import Muscle, muscle, muscle_ids, muscles
from neuroig.reference.nerves import (
    EntrapmentZone,
    MotorNerveInfo,
    entrapment_zone,
    motor_nerve_info,
    motor_nerves,
    sensory_nerve_for,
    site_rank,
)
from neuroig.reference.prices import PriceRow, PriceTable, builtin_price_table
from neuroig.reference.products import product_ids, product_routes

__all__ = [
    "EntrapmentZone",
    "LimitRow",
    "MotorNerveInfo",
    "Muscle",
    "PriceRow",
    "PriceTable",
    "builtin_limit",
    "builtin_price_table",
    "entrapment_zone",
    "limit_rows",
    "motor_nerve_info",
    "motor_nerves",
    "muscle",
    "muscle_ids",
    "muscles",
    "product_ids",
    "product_routes",
    "sensory_nerve_for",
    "site_rank",
]
