"""Start-up cost of the ``neuroig`` command (prints figures; not a test).

Times, over repeated runs, a bare ``python -c pass``, ``neuroig --version``,
``neuroig validate`` and ``neuroig evaluate`` of one example case, and prints each
median, its spread (min–max) and its ratio to the bare interpreter start-up.
Aims (issue 12): ``--version`` ≤ 8×, ``evaluate one.json`` ≤ 15× a bare start-up.

Two more rows give the floor under ``validate`` and ``evaluate``: importing only the
libraries every case command is built on (pydantic's model machinery, Typer, Rich's
console), and that plus building the case models (``neuroig.case.model``, the pydantic
classes that every command reading a case needs). Neither runs any command.

The commands run with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` removed
from their environment), as an installed package runs: pip compiles the bytecode when it
installs a wheel, and the warm-up run writes it for a source checkout.

Usage: .venv/bin/python benchmarks/startup.py [--runs 15] [--case examples/mmn-definite.json]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "neuroig"


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

#: What ``neuroig`` sets before it imports pydantic (neuroig.cli.app), then the imports.
_NO_PLUGINS = "import os; os.environ.setdefault('PYDANTIC_DISABLE_PLUGINS', '__all__'); "
LIBRARIES = _NO_PLUGINS + "from pydantic import BaseModel, Field; import typer, rich.console"
CASE_MODELS = LIBRARIES + "; import neuroig.case.model"


def timed(cmd: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of ``runs`` runs of ``cmd`` (one warm-up run first)."""
    subprocess.run(cmd, check=True, capture_output=True, env=ENV)
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=ENV)
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--case", default=str(ROOT / "examples" / "mmn-definite.json"))
    args = ap.parse_args()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import the libraries": [sys.executable, "-c", LIBRARIES],
        "… and build the case models": [sys.executable, "-c", CASE_MODELS],
        "neuroig --version": [str(EXE), "--version"],
        "neuroig validate one.json": [str(EXE), "validate", args.case],
        "neuroig evaluate one.json": [str(EXE), "evaluate", args.case],
    }
    results = {name: timed(cmd, args.runs) for name, cmd in commands.items()}
    base = statistics.median(results["python -c pass"])
    print(f"{'command':28} {'median ms':>10} {'min–max ms':>17} {'× bare':>8}   ({args.runs} runs)")
    for name, times in results.items():
        med = statistics.median(times)
        spread = f"{min(times) * 1e3:.0f}–{max(times) * 1e3:.0f}"
        print(f"{name:28} {med * 1e3:10.0f} {spread:>17} {med / base:8.1f}")


if __name__ == "__main__":
    main()
