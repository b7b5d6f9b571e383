"""The benchmark scripts run and print a figure for every row (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import script_module

ROOT = Path(__file__).resolve().parents[2]


def test_batch_parts_prints_every_phase() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "batch_parts.py"),
            "--cases",
            "26",
            "--rounds",
            "1",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    assert "26 distinct cases" in out
    phases = ("read", "validate", "evaluate", "input hash", "summary line", "all")
    for phase in (*phases, "with a free engine"):
        line = next(x for x in out.splitlines() if x.strip().startswith(phase))
        assert re.search(r"\d+\.\d{3} ms", line), line


def test_startup_prints_every_command_and_the_floor() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "startup.py"), "--runs", "1"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    rows = (
        "python -c pass",
        "import the libraries",
        "… and build the case models",
        "neuroig --version",
        "neuroig validate one.json",
        "neuroig evaluate one.json",
    )
    for row in rows:
        line = next(x for x in out.splitlines() if x.startswith(row))
        # median ms, min–max ms and the ratio to a bare start-up
        assert re.search(r"\s\d+\s+\d+–\d+\s+\d+\.\d$", line), line
    bare = next(x for x in out.splitlines() if x.startswith("python -c pass"))
    assert bare.endswith(" 1.0")


def _evaluate_benchmark() -> ModuleType:
    return script_module("benchmarks/evaluate.py")


def _peak_mib(*command: str) -> int:
    code = _evaluate_benchmark().PEAK_OF_ONE_RUN
    out = subprocess.run(
        [sys.executable, "-c", code, *command], check=True, capture_output=True, text=True
    ).stdout
    return int(out) // 1024


def test_the_batch_memory_figure_is_of_that_run_alone() -> None:
    big = [
        sys.executable,
        "-c",
        "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])",
    ]
    # a large child of this very process first, so a figure that kept the largest child
    # of the process's life would report it for the small run that follows
    subprocess.run(big, check=True)
    assert _peak_mib(*big) >= 200
    # and a grandchild's peak is reported through the process that started it
    nested = [sys.executable, "-c", f"import subprocess; subprocess.run({big!r}, check=True)"]
    assert _peak_mib(*nested) >= 200
    assert _peak_mib(sys.executable, "-c", "pass") < 100
