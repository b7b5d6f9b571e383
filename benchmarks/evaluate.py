"""Benchmark of ``evaluate`` (prints figures; not a test).

1. in-process time of ``evaluate``: mean and median per case over the example cases, and
   median with spread for a 12-nerve case (and of evaluate + JSON);
2. batch throughput (cases/s) of ``neuroig evaluate FILE.jsonl --out`` on this machine,
   one worker per core, over the example cases repeated;
3. peak memory (the largest RSS of any process of that batch, measured for each batch
   on its own) for 10,000 and 100,000 streamed cases, to show that memory does not grow
   with the number of cases.

Usage: .venv/bin/python benchmarks/evaluate.py [--cases 100000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import twelve_nerve_case  # benchmarks are scripts, not a package

from neuroig import evaluate
from neuroig.case import Case, case_from_data

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "neuroig"


def _hashed(case: Case) -> str:
    """Evaluate and read the input hash, which an assessment computes when first read."""
    return evaluate(case).input_sha256


def _per_case_ms(
    cases: list[Case],
    rounds: int,
    repeat: int,
    clock: Callable[[], float] = time.perf_counter,
    run: Callable[[Case], object] = evaluate,
) -> list[float]:
    """``rounds`` timings (ms per case) of ``repeat`` passes of ``run`` over ``cases``,
    after a warm-up."""
    for case in cases:
        run(case)
    out = []
    for _ in range(rounds):
        t0 = clock()
        for _ in range(repeat):
            for case in cases:
                run(case)
        out.append((clock() - t0) * 1e3 / (repeat * len(cases)))
    return out


def in_process() -> None:
    """In-process ``evaluate`` of the examples (each timed alone) and of the 12-nerve case.

    Wall-clock figures, and the process's CPU time, which other processes on a shared
    machine disturb less (they still share caches and cores).
    """
    print(f"load average before: {os.getloadavg()[0]:.2f} (figures are noisy above ~0.5)")
    examples = [
        case_from_data(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted((ROOT / "examples").glob("*.json"))
    ]
    twelve = Case.model_validate(twelve_nerve_case())
    for label, clock in (("wall", time.perf_counter), ("CPU", time.process_time)):
        # each example: the median of 15 rounds of 20 evaluations
        per_example = [statistics.median(_per_case_ms([c], 15, 20, clock)) for c in examples]
        print(
            f"evaluate, {len(examples)} example cases, in process ({label}): "
            f"mean {statistics.mean(per_example):.2f} ms, "
            f"median {statistics.median(per_example):.2f} ms per case "
            f"(fastest {min(per_example):.2f}, slowest {max(per_example):.2f} ms)"
        )
        runs = _per_case_ms([twelve], 31, 20, clock)
        q1, _, q3 = statistics.quantiles(runs, n=4)
        print(
            f"evaluate, 12-nerve case, in process ({label}): "
            f"median {statistics.median(runs):.2f} ms "
            f"(interquartile {q1:.2f}-{q3:.2f} ms, min {min(runs):.2f} ms, 31 rounds of 20)"
        )
    # the input hash is computed when first read (every rendered result reads it)
    per_example = [statistics.median(_per_case_ms([c], 15, 20, run=_hashed)) for c in examples]
    runs = _per_case_ms([twelve], 31, 20, run=_hashed)
    print(
        "evaluate + reading the input hash (wall): examples mean "
        f"{statistics.mean(per_example):.2f} ms, median {statistics.median(per_example):.2f} ms; "
        f"12-nerve case median {statistics.median(runs):.2f} ms"
    )
    runs_json = []
    for _ in range(15):
        t0 = time.perf_counter()
        for _ in range(20):
            json.dumps(evaluate(twelve).to_dict(), separators=(",", ":"))
        runs_json.append((time.perf_counter() - t0) / 20)
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


#: Run the command given as arguments; print the largest RSS (KiB) of it and of every
#: process it started (Linux passes a reaped process's largest descendant up to its parent).
PEAK_OF_ONE_RUN = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def batch(path: Path, n: int, detail: str = "summary") -> tuple[float, int, float]:
    """Run the CLI batch on ``path`` (``--detail``); return (seconds, peak RSS in MiB of
    any process, mean bytes per output line). The output is a file next to the input
    (the batch writes a temporary file and renames it, so never a device)."""
    out = path.with_name(f"{path.stem}-{detail}.out.jsonl")
    command = [str(EXE), "evaluate", str(path), "--out", str(out), "--detail", detail]
    # The largest RSS of the batch's processes is read in a fresh process that runs only
    # this batch: ``RUSAGE_CHILDREN`` keeps the largest child of a process's whole life,
    # so read here it would carry an earlier, larger run into this one's figure.
    t0 = time.perf_counter()
    report = subprocess.run(
        [sys.executable, "-c", PEAK_OF_ONE_RUN, *command],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    elapsed = time.perf_counter() - t0
    peak = int(report.stdout) // 1024
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
