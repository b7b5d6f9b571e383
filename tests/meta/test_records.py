"""One way to declare a record: ``neuroig.record.Record`` (a frozen msgspec Struct)."""

from __future__ import annotations

import ast
import gc
import importlib
import pkgutil
import tracemalloc
from pathlib import Path

import msgspec
import pytest

import neuroig
from neuroig.electro import Finding
from neuroig.evidence import Evidence, Explained
from neuroig.record import LazyRecord, Record, replace
from neuroig.schemas.emit import to_json
from neuroig.services.assess import assess
from neuroig.services.plan import plan
from neuroig.services.review import review

SRC = Path(neuroig.__file__).parent


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_no_module_declares_a_dataclass() -> None:
    users = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "dataclasses":
                users.append(str(path.relative_to(SRC)))
            if isinstance(node, ast.Import) and any(a.name == "dataclasses" for a in node.names):
                users.append(str(path.relative_to(SRC)))
    assert users == []


def test_every_record_is_frozen_and_refuses_a_change() -> None:
    for info in pkgutil.walk_packages([str(SRC)], "neuroig."):
        if ".migrations" not in info.name:  # Alembic's scripts run only under Alembic
            importlib.import_module(info.name)
    records = _subclasses(Record)
    assert len(records) > 100
    mutable = sorted(c.__qualname__ for c in records if not c.__struct_config__.frozen)
    assert mutable == []


class _Point(Record, frozen=True):
    x_mm: float
    label: str = ""


def test_a_record_compares_hashes_prints_and_is_replaced_like_a_dataclass() -> None:
    p = _Point(1.5)
    assert p == _Point(1.5, "") and p != _Point(2.0)
    assert hash(p) == hash(_Point(1.5))
    assert repr(p) == "_Point(x_mm=1.5, label='')"
    assert replace(p, label="a") == _Point(1.5, "a") and p.label == ""
    name = "x_mm"
    with pytest.raises(AttributeError):
        setattr(p, name, 3.0)
    assert isinstance(p, msgspec.Struct)


def test_records_outside_the_collector_never_accumulate() -> None:
    """Records are untracked by the cyclic collector (neuroig.record): memory stays flat
    over repeated evaluations, plans and reviews, explanations and documents included."""
    examples = sorted((SRC.parents[1] / "examples").glob("*.json"))
    on_ig = {"mmn-declining-response", "cidp-wear-off", "cidp-ivig-responder"}
    planned = [p for p in examples if p.stem in on_ig]

    def once() -> None:
        for path in examples:
            done = assess(path)
            to_json(done.document)
            for m in done.assessment.electro.motor if done.assessment.electro else ():
                assert all(f.reason is not None for f in m.findings)
            to_json(review(path).document)
        for path in planned:
            to_json(plan(path).document)

    for _ in range(5):
        once()
    gc.collect()
    tracemalloc.start()
    try:
        sizes = []
        for _ in range(3):
            for _ in range(8):
                once()
            gc.collect()
            sizes.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    # 24 rounds of every example: a leaked record per case would add megabytes
    assert max(sizes) - min(sizes) < 64 * 1024, sizes


def test_a_lazy_record_compares_by_its_explanation_and_is_untracked() -> None:
    """A ``LazyRecord`` (a finding) is equal to the eager one with the same explanation,
    hashes alike, fills its explanation once, and is not tracked by the collector."""
    for info in pkgutil.walk_packages([str(SRC)], "neuroig."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
    lazy_kinds = _subclasses(LazyRecord)
    assert Finding in lazy_kinds
    for kind in lazy_kinds:
        # Explained before the Struct: equality and hashing come from the explanation
        assert kind.__mro__.index(Explained) < kind.__mro__.index(LazyRecord)
    calls: list[int] = []

    def explain() -> tuple[str, list[Evidence]]:
        calls.append(1)
        return "DML 6.3 ms = 150.0 % of ULN 4.2 ms", [Evidence("distal_latency_pct_uln", 150.0)]

    lazy = Finding.lazy("CIDP21-MOT-a", "met", "distal motor latency", "cite", explain)
    eager = Finding(
        "CIDP21-MOT-a",
        "met",
        "distal motor latency",
        "DML 6.3 ms = 150.0 % of ULN 4.2 ms",
        "cite",
        (Evidence("distal_latency_pct_uln", 150.0),),
    )
    assert not gc.is_tracked(lazy) and not gc.is_tracked(eager)
    assert calls == []
    assert lazy == eager and hash(lazy) == hash(eager)
    assert lazy.reason == eager.reason and calls == [1]


def test_every_explained_result_defines_its_equality_key() -> None:
    """``Explained._key`` is abstract in intent (not an abc method: see its docstring)."""
    for info in pkgutil.walk_packages([str(SRC)], "neuroig."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
    kinds = _subclasses(Explained)
    assert {"Finding", "EfnsBlock", "CriterionResult"} <= {k.__name__ for k in kinds}
    missing = sorted(k.__qualname__ for k in kinds if "_key" not in vars(k))
    assert missing == []
