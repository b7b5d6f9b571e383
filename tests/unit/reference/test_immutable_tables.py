"""Cached tables are read-only: no caller can change what the next one reads."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pytest

import neuroig.reference
from neuroig.errors import ReferenceDataError
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


DATA = Path(neuroig.reference.__file__).parent / "data"


@pytest.mark.parametrize("path", sorted(DATA.glob("*.toml")), ids=lambda p: p.stem)
def test_every_shipped_table_reads_as_the_standard_library_reads_it(path: Path) -> None:
    """The tables are parsed by rtoml (start-up); tomllib is the reference reader."""
    expected = tomllib.loads(path.read_text(encoding="utf-8"))
    assert expected  # a table is never empty
    assert raw_table(path.stem) == expected


def test_a_damaged_table_is_named_with_the_parser_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def damaged(self: Traversable, encoding: str = "utf-8") -> str:
        return 'version = "1"\n[[thresholds]\nid = 1\n'

    monkeypatch.setattr(type(DATA), "read_text", damaged)
    with pytest.raises(
        ReferenceDataError, match=r"reference table 'nerves' is not valid TOML: .*line 2"
    ):
        raw_table("nerves")
    monkeypatch.undo()
    assert raw_table("nerves") == tomllib.loads((DATA / "nerves.toml").read_text(encoding="utf-8"))
