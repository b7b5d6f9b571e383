"""Where a batch worker's time goes, per case (prints figures; not a test).

Writes the batch benchmark's input (the example cases repeated with distinct case ids,
as ``benchmarks/evaluate.py`` does), sets up this process as a batch worker is set up
(``neuroig.services.batch._worker_init``: collector settings), then times each case's
phases in CPU time, one case after the other as a worker runs them: reading the JSON
line (the input boundary), validating the case, evaluating it, hashing the case (the
assessment computes its input hash when first read: the case dumped by pydantic's
serialiser, fixed by decision C-L5 whatever the engine) and building + serialising its
summary line. Prints the median over rounds of the mean per case of each phase, and the
most two workers could reach with this engine and with an engine that cost nothing.

Usage: .venv/bin/python benchmarks/batch_parts.py [--cases 4000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluate import write_jsonl  # benchmarks are scripts, not a package

from neuroig.assess import EvaluateOptions, evaluate
from neuroig.case.boundary import parse_document
from neuroig.case.validator import validate_case
from neuroig.schemas.emit import to_json
from neuroig.services.assess import assessment_model
from neuroig.services.batch import _worker_init
from neuroig.services.sources import iter_sources

PHASES = (
    "read (JSON line → data)",
    "validate (data → Case)",
    "evaluate",
    "input hash",
    "summary line",
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.jsonl"
        write_jsonl(path, args.cases)
        sources = list(iter_sources(path))
    _worker_init()
    options = EvaluateOptions()
    clock = time.process_time
    per_round: list[list[float]] = []
    for _ in range(args.rounds):
        totals = [0.0] * len(PHASES)
        for s in sources:
            assert s.text is not None
            t0 = clock()
            data = parse_document(s.text, "json", s.name)
            t1 = clock()
            case = validate_case(data)
            t2 = clock()
            result = evaluate(case, options)
            t3 = clock()
            digest = result.input_sha256  # computed here, when first read
            t4 = clock()
            line = to_json(assessment_model(result, "summary", source=s.name, line=s.line))
            t5 = clock()
            assert digest.encode() in line  # the summary line carries the hash read above
            for i, dt in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                totals[i] += dt
        per_round.append([1e3 * t / len(sources) for t in totals])
    print(f"batch worker, {len(sources):,} distinct cases, {args.rounds} rounds (CPU ms per case)")
    phases = [statistics.median(r[i] for r in per_round) for i in range(len(PHASES))]
    for name, value in zip(PHASES, phases, strict=True):
        print(f"  {name:28} {value:6.3f} ms")
    total = sum(phases)
    print(f"  {'all':28} {total:6.3f} ms  → at most {2000 / total:,.0f} cases/s on 2 workers")
    free = total - phases[PHASES.index("evaluate")]
    print(
        f"  {'with a free engine':28} {free:6.3f} ms  → at most {2000 / free:,.0f} cases/s "
        "on 2 workers (reading, validation, the input hash and the summary line only)"
    )


if __name__ == "__main__":
    main()
