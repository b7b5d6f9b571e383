"""Cached tables are read-only: no caller can change what the next one reads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from neuroig.reference._load import raw_table
from neuroig.reference.muscles import muscles
from neuroig.reference.nerves import motor_nerve_info, motor_nerves
from neuroig.reference.outcomes import cdas_classes, mrc_variants, outcome_measures
from neuroig.reference.products import products
from neuroig.reference.sources import bibliography
from neuroig.reference.thresholds import thresholds
from neuroig.therapy.params import flag_gates, params

LOADERS: list[Callable[[], Mapping[Any, Any]]] = [
    bibliography,
    cdas_classes,
    flag_gates,
    motor_nerves,
    mrc_variants,
    muscles,
    outcome_measures,
    params,
    products,
    thresholds,
]


@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
def test_a_cached_table_refuses_changes(loader: Callable[[], Mapping[Any, Any]]) -> None:
    table: Any = loader()  # Any: the point is to try what the type forbids
    key = next(iter(table))
    with pytest.raises(TypeError):
        table[key] = None
    with pytest.raises(TypeError):
        del table[key]
    assert loader() is table and key in loader()


def test_rows_are_frozen() -> None:
    row: Any = thresholds()["mmn10.definite.area_drop_pct"]
    with pytest.raises(AttributeError):
        row.value = 40
    ranks: Any = motor_nerve_info("median").site_ranks
    with pytest.raises(TypeError):
        ranks["wrist"] = 9


def test_the_raw_documents_are_private_copies() -> None:
    doc = raw_table("thresholds")
    doc["thresholds"][0]["value"] = 999
    assert raw_table("thresholds")["thresholds"][0]["value"] == 50
