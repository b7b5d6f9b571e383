"""Evaluate many cases in parallel with bounded memory.

Input: a folder of case files (``*.json``, ``*.yaml``, ``*.yml``) or a JSON-lines file
(one case per line). Output: one JSON line per case, in input order — the
``neuroig-assessment/1`` document, or a ``neuroig-error/1`` document naming the
problems. Workers receive batches; at most ``4 × jobs`` batches are in flight, so
memory does not grow with the number of cases.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import orjson

from neuroig.assess import EvaluateOptions, evaluate
from neuroig.case import parse_case
from neuroig.case.load import TextFormat
from neuroig.errors import CaseValidationError, NeuroigError, UnsupportedFormatError

__all__ = ["BatchSummary", "count_sources", "evaluate_one", "iter_sources", "run_batch"]

Source = tuple[str, str, TextFormat | None]  # (name, text, format hint)
CASE_SUFFIXES: dict[str, TextFormat] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """Counts of one batch run."""

    total: int
    valid: int
    invalid: int


def iter_sources(path: Path) -> Iterator[Source]:
    """Yield (name, text, format) for each case in a folder or a JSON-lines file."""
    if path.is_dir():
        for p in sorted(path.iterdir()):
            fmt = CASE_SUFFIXES.get(p.suffix.lower())
            if fmt and p.is_file():
                yield str(p), p.read_text(encoding="utf-8"), fmt
        return
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh, start=1):
            if line.strip():
                yield f"{path}:{i}", line, "json"


def count_sources(path: Path) -> int:
    """Number of cases in a folder or JSON-lines file (for the progress bar)."""
    if path.is_dir():
        return sum(1 for p in path.iterdir() if p.suffix.lower() in CASE_SUFFIXES and p.is_file())
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def evaluate_one(source: Source, options: EvaluateOptions) -> tuple[str, bool]:
    """Evaluate one source; return (JSON line, valid?)."""
    name, text, fmt = source
    try:
        case = parse_case(text, fmt=fmt, source=name)
        doc = evaluate(case, options).to_dict()
        doc["source"] = name
        return orjson.dumps(doc).decode("utf-8"), True
    except CaseValidationError as exc:
        problems = [{"path": p.path, "message": p.message} for p in exc.problems]
    except (UnsupportedFormatError, NeuroigError) as exc:
        problems = [{"path": "(document)", "message": str(exc)}]
    error = {"format": "neuroig-error/1", "source": name, "problems": problems}
    return json.dumps(error, ensure_ascii=False, separators=(",", ":")), False


def _work(args: tuple[list[Source], EvaluateOptions]) -> list[tuple[str, bool]]:
    batch, options = args
    return [evaluate_one(s, options) for s in batch]


def _batches(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    batch: list[Source] = []
    for s in sources:
        batch.append(s)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_batch(
    path: Path,
    out: IO[str],
    *,
    jobs: int | None = None,
    batch_size: int = 64,
    options: EvaluateOptions | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Evaluate every case under ``path``, writing one JSON line per case to ``out``."""
    opts = options or EvaluateOptions()
    n_jobs = max(1, jobs or os.cpu_count() or 1)
    total = valid = 0

    def consume(results: list[tuple[str, bool]]) -> None:
        nonlocal total, valid
        for line, ok in results:
            out.write(line)
            out.write("\n")
            total += 1
            valid += ok
        if on_progress:
            on_progress(len(results))

    if n_jobs == 1:
        for batch in _batches(iter_sources(path), batch_size):
            consume(_work((batch, opts)))
        return BatchSummary(total, valid, total - valid)

    window = threading.BoundedSemaphore(4 * n_jobs)

    def feed() -> Iterator[tuple[list[Source], EvaluateOptions]]:
        for batch in _batches(iter_sources(path), batch_size):
            window.acquire()
            yield batch, opts

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(n_jobs) as pool:
        for results in pool.imap(_work, feed()):
            window.release()
            consume(results)
    return BatchSummary(total, valid, total - valid)
