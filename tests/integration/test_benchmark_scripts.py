"""The batch-phase benchmark runs and prints a figure for every phase (no timing asserted)."""

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
    for phase in ("read", "validate", "evaluate", "summary line", "all"):
        line = next(x for x in out.splitlines() if x.strip().startswith(phase))
        assert re.search(r"\d+\.\d{3} ms", line), line
