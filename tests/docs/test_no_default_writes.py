"""Decision D2: no command writes into the working folder unless given a path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLES

NEUROIG = Path(sys.executable).parent / "neuroig"


def test_default_runs_write_nothing(tmp_path: Path) -> None:
    mmn = str(EXAMPLES / "mmn-definite.json")
    declining = str(EXAMPLES / "mmn-declining-response.json")
    runs = [
        ["new"],
        ["new", "--template", "mmn", "--format", "json"],
        ["validate", mmn],
        ["show", mmn],
        ["ncs", mmn, "--json"],
        ["evaluate", mmn],
        ["plan", mmn, "--product", "privigen", "--start", "2026-01-05"],
        ["review", declining],
        ["schema"],
    ]
    for args in runs:
        done = subprocess.run(
            [str(NEUROIG), *args], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, (args, done.stderr)
    assert list(tmp_path.iterdir()) == []


def test_batch_evaluate_needs_an_explicit_out(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(NEUROIG), "evaluate", str(EXAMPLES)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("--out: got None; is required for a folder or .jsonl input")
    assert list(tmp_path.iterdir()) == []
