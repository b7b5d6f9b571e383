"""Benchmark of ``evaluate`` (prints figures; not a test).

1. median in-process time of ``evaluate`` for a 12-nerve case (and of evaluate + JSON);
2. batch throughput (cases/s) of ``neuroig evaluate FILE.jsonl --out`` on this machine,
   one worker per core, over the example cases repeated;
3. peak memory (max RSS of any process) for 10,000 and 100,000 streamed cases, to show
   that memory does not grow with the number of cases.

Usage: .venv/bin/python benchmarks/evaluate.py [--cases 100000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import twelve_nerve_case  # benchmarks are scripts, not a package

from neuroig import evaluate
from neuroig.case import Case

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "neuroig"


def in_process() -> None:
    case = Case.model_validate(twelve_nerve_case())
    for _ in range(20):
        evaluate(case)
    runs, runs_json = [], []
    for _ in range(15):
        t0 = time.perf_counter()
        for _ in range(20):
            evaluate(case)
        runs.append((time.perf_counter() - t0) / 20)
        t0 = time.perf_counter()
        for _ in range(20):
            json.dumps(evaluate(case).to_dict(), separators=(",", ":"))
        runs_json.append((time.perf_counter() - t0) / 20)
    print(
        f"evaluate, 12-nerve case, in process: median {statistics.median(runs) * 1e3:.2f} ms "
        f"(min {min(runs) * 1e3:.2f} ms)"
    )
    print(
        f"evaluate + neuroig-assessment/1 JSON: median {statistics.median(runs_json) * 1e3:.2f} ms"
    )


def write_jsonl(path: Path, n: int) -> None:
    examples = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "examples").glob("*.json"))
    ]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            doc = dict(examples[i % len(examples)])
            doc["case_id"] = f"bench-{i}"
            fh.write(json.dumps(doc, separators=(",", ":")) + "\n")


def batch(path: Path, n: int, detail: str = "summary") -> tuple[float, int, float]:
    """Run the CLI batch on ``path`` (``--detail``); return (seconds, peak RSS in MiB of
    any process, mean bytes per output line). The output is a file next to the input
    (the batch writes a temporary file and renames it, so never a device)."""
    out = path.with_name(f"{path.stem}-{detail}.out.jsonl")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(
        [str(EXE), "evaluate", str(path), "--out", str(out), "--detail", detail],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - t0
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) // 1024
    size = out.stat().st_size / n
    out.unlink()
    return elapsed, peak, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="small batches only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    in_process()
    sizes = [2_000] if args.quick else [10_000, args.cases]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"cases-{n}.jsonl"
            write_jsonl(path, n)
            for detail in ("summary", "full"):
                seconds, peak, size = batch(path, n, detail)
                print(
                    f"batch of {n:,} example cases, --detail {detail} "
                    f"({os.cpu_count()} workers): {n / seconds:,.0f} cases/s ({seconds:.1f} s); "
                    f"{size / 1024:,.1f} KiB per line; peak RSS of any process {peak} MiB"
                )


if __name__ == "__main__":
    main()
