"""Benchmark: model validation time of a 12-nerve case (prints figures; not a test).

Usage: .venv/bin/python benchmarks/validate.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import twelve_nerve_case  # benchmarks are scripts, not a package

from neuroig import parse_case
from neuroig.case import Case


def main() -> None:
    data = twelve_nerve_case()
    text = json.dumps(data)
    n_sites = sum(len(m["sites"]) for m in data["ncs"]["motor"])
    for _ in range(200):
        Case.model_validate(data)
    runs = []
    for _ in range(30):
        t0 = time.perf_counter()
        for _ in range(200):
            Case.model_validate(data)
        runs.append((time.perf_counter() - t0) / 200)
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
    print(f"model validation (dict -> Case): median {statistics.median(runs) * 1e6:.0f} µs")
    print(
        f"parse + validate (JSON text -> Case): median {statistics.median(parse_runs) * 1e6:.0f} µs"
    )


if __name__ == "__main__":
    main()
