"""Benchmark: validation time of a 12-nerve case (prints figures; not a test).

Three figures: the case models' own validation (``Case.model_validate``, what a refused
case goes through to list its problems), the validation every reader uses
(``neuroig.case.validator.validate_case``: the fast validator, the models only on a
refusal) and parsing + validation of the JSON text (``parse_case``).

Usage: .venv/bin/python benchmarks/validate.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import twelve_nerve_case  # benchmarks are scripts, not a package

from neuroig import parse_case
from neuroig.case import Case
from neuroig.case.validator import validate_case


def _median_s(validate: Callable[[Any], Any], data: Any) -> float:
    for _ in range(200):
        validate(data)
    runs = []
    for _ in range(30):
        t0 = time.perf_counter()
        for _ in range(200):
            validate(data)
        runs.append((time.perf_counter() - t0) / 200)
    return statistics.median(runs)


def main() -> None:
    data = twelve_nerve_case()
    text = json.dumps(data)
    n_sites = sum(len(m["sites"]) for m in data["ncs"]["motor"])
    models = _median_s(Case.model_validate, data)
    fast = _median_s(validate_case, data)
    parse_runs = []
    for _ in range(10):
        t0 = time.perf_counter()
        for _ in range(100):
            parse_case(text, fmt="json")
        parse_runs.append((time.perf_counter() - t0) / 100)
    print(
        f"12-nerve case: {len(data['ncs']['motor'])} motor studies, {n_sites} sites, "
        f"{len(data['ncs']['sensory'])} sensory studies"
    )
    print(f"the models' validation (dict -> Case): median {models * 1e6:.0f} µs")
    print(f"validate_case (dict -> Case): median {fast * 1e6:.0f} µs")
    print(
        f"parse + validate (JSON text -> Case): median {statistics.median(parse_runs) * 1e6:.0f} µs"
    )


if __name__ == "__main__":
    main()
