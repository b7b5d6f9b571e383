"""The benchmark scripts run and print a figure for every row (no timing asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

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
