"""Every row of thresholds.toml and therapy.toml is read by some code path.

A row that nothing reads is a rule that looks applied and is not. Each id must appear in
the source as a literal, or be read while the example cases run through the criteria,
the planner and the review (rows addressed by a computed id, like ``f"{prefix}.c…"``).
The recording wraps the loaders' own mappings, so it sees every lookup.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import TypeVar

import pytest

from neuroig.assess import evaluate
from neuroig.case import load_case
from neuroig.monitoring.review import review
from neuroig.reference import thresholds as thresholds_module
from neuroig.reference._load import raw_table
from neuroig.therapy import params as params_module
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.plan import plan

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "neuroig"
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
V = TypeVar("V")


class Recording(Mapping[str, V]):
    """A read-only mapping that remembers every key looked up."""

    def __init__(self, inner: Mapping[str, V], seen: set[str]) -> None:
        self._inner, self._seen = inner, seen

    def __getitem__(self, key: str) -> V:
        self._seen.add(key)
        return self._inner[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._inner)

    def __len__(self) -> int:
        return len(self._inner)


def _literal_ids(ids: list[str]) -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    return {i for i in ids if f'"{i}"' in text or f"'{i}'" in text}


def _run_examples() -> None:
    for path in EXAMPLES:
        case = load_case(path)
        assessment = evaluate(case)
        start = date(2026, 12, 1)
        for regimen in ("ivig-induction", "ivig-maintenance", "scig", "prednisone"):
            product = {"prednisone": None, "scig": "hizentra"}.get(regimen, "privigen")
            dose = 0.2 if regimen == "scig" else None  # g/kg/week: no IVIg record needed
            options = PlanOptions(start=start, product=product, regimen=regimen, dose_g_per_kg=dose)
            plan(case, options, diagnosis=assessment.diagnosis)
        if case.assessments:
            review(case)


def test_every_threshold_row_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [row["id"] for row in raw_table("thresholds")["thresholds"]]
    seen: set[str] = set()
    real = thresholds_module.thresholds()
    monkeypatch.setattr(thresholds_module, "thresholds", lambda: Recording(real, seen))
    _run_examples()
    unread = sorted(set(ids) - seen - _literal_ids(ids))
    assert unread == []
    assert len(seen) >= 20  # the recording sees the criteria's lookups


def test_every_therapy_parameter_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [row["id"] for row in raw_table("therapy")["params"]]
    seen: set[str] = set()
    real = params_module.params()
    monkeypatch.setattr(params_module, "params", lambda: Recording(real, seen))
    _run_examples()
    assert sorted(set(ids) - seen - _literal_ids(ids)) == []
    # the planner itself reads the dose limits and the defaults it applies
    assert {"DOSE-DAY-MAX", "DOSE-COURSE-MAX", "PRED-MG-PER-DAY", "DEFAULT-CURRENCY"} <= seen


def test_a_row_that_nothing_reads_is_found() -> None:
    assert _literal_ids(["DOSE-DAY-MAX", "NO-SUCH-ROW-X"]) == {"DOSE-DAY-MAX"}
