"""Vocabularies that come from the shipped reference tables (muscles, products).

Built as ``Literal`` types at import so that validation is a fast membership test,
the JSON Schema lists every allowed id and a typo gets a suggestion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from neuroig.reference import muscle_ids, product_ids

__all__ = ["MuscleId", "ProductId"]

if TYPE_CHECKING:
    MuscleId = str
    ProductId = str
else:
    MuscleId = Literal[muscle_ids()]
    ProductId = Literal[product_ids()]
