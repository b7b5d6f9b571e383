"""Evaluate many cases in parallel with bounded memory; one bad case never stops a batch.

Input: a folder of case files (``*.json``, ``*.yaml``, ``*.yml``) or a JSON-lines file
(one case per line; blank lines are skipped). Output: one JSON line per case, in input
order — the ``neuroig-assessment/1`` document (its summary form unless ``detail="full"``),
or a ``neuroig-error/1`` document naming the source, the line (JSON lines input) and
the problems. Every case is independent: a file that cannot be read, an undecodable or
oversized line, a limit exceeded, even an internal error,
becomes that case's error line and the run goes on (decision P14).

Workers receive batches; at most ``4 × jobs`` batches are in flight, so memory does not
grow with the number of cases. Each input is read through the input boundary
(``neuroig.case.boundary``), so no case holds more than ``MAX_CASE_BYTES``.

:func:`write_batch` writes the lines to a temporary file next to the output and renames
it only when the run is complete (a file named ``--out`` is always whole); on a stream
(standard output) each line is written whole and flushed, and the run ends with a
``neuroig-batch-summary/1`` line, so a reader can tell a finished stream from a cut one.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from neuroig.assess import EvaluateOptions, evaluate
from neuroig.case import parse_case
from neuroig.errors import InputError, UnsupportedFormatError
from neuroig.record import Record
from neuroig.schemas.batch import SUMMARY_FORMAT, BatchSummaryDocument
from neuroig.schemas.emit import to_json
from neuroig.services.assess import Detail, assessment_model
from neuroig.services.errors import error_document
from neuroig.services.sources import (
    CASE_SUFFIXES,
    Source,
    count_sources,
    iter_sources,
)

__all__ = [
    "CASE_SUFFIXES",
    "SUMMARY_FORMAT",
    "BatchSummary",
    "Outcome",
    "Source",
    "check_out_path",
    "count_sources",
    "evaluate_one",
    "iter_sources",
    "run_batch",
    "summary_line",
    "write_batch",
]


class BatchSummary(Record, frozen=True):
    """Counts of one batch run."""

    total: int
    valid: int
    invalid: int
    failed: tuple[str, ...] = ()


#: One evaluated source: (JSON line bytes, valid?, source name, first problem or "").
Outcome = tuple[bytes, bool, str, str]


def _error_outcome(source: Source, exc: BaseException) -> Outcome:
    doc = error_document(exc, source=source.name, line=source.line)
    first = doc.problems[0] if doc.problems else None
    problem = f"{first.path}: {first.message}" if first else ""
    return to_json(doc), False, source.name, problem


def evaluate_one(source: Source, options: EvaluateOptions, detail: Detail = "summary") -> Outcome:
    """Evaluate one source into its JSON line, serialised here (in the worker).

    ``detail`` is ``summary`` (the default of a batch) or ``full``. Never raises for a
    bad case: any failure becomes the case's ``neuroig-error/1`` line.
    """
    try:
        if source.text is None:
            raise UnsupportedFormatError(source.error or f"{source.name}: cannot be read")
        case = parse_case(source.text, fmt=source.fmt, source=source.name)
        model = assessment_model(
            evaluate(case, options), detail, source=source.name, line=source.line
        )
        return to_json(model), True, source.name, ""
    except Exception as exc:  # one case's failure (even a bug) must not stop the batch
        return _error_outcome(source, exc)


#: Young-generation threshold of the cyclic garbage collector in a batch worker. An
#: evaluation allocates thousands of short-lived objects and makes few cycles; at the
#: default (700) a worker spends about a tenth of its time collecting (docs/performance.md).
WORKER_GC_THRESHOLD = 20_000


def _worker_init() -> None:
    """Set up a worker process: what it inherited (modules, tables) is never scanned again
    by the garbage collector, and young collections run less often."""
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(WORKER_GC_THRESHOLD, gen1, gen2)


def _work(args: tuple[list[Source], EvaluateOptions, Detail]) -> list[Outcome]:
    batch, options, detail = args
    return [evaluate_one(s, options, detail) for s in batch]


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
    detail: Detail = "summary",
    on_progress: Callable[[int], None] | None = None,
    on_invalid: Callable[[str, str], None] | None = None,
) -> BatchSummary:
    """Evaluate every case under ``path``, writing one whole JSON line per case to ``out``.

    ``on_invalid(source, first problem)`` is called for each case that fails.
    """
    opts = options or EvaluateOptions()
    n_jobs = max(1, jobs or os.cpu_count() or 1)
    total = valid = 0
    failed: list[str] = []

    def consume(results: list[Outcome]) -> None:
        nonlocal total, valid
        # one piece per batch
        out.write("".join(line.decode("utf-8") + "\n" for line, *_ in results))
        for _, ok, name, problem in results:
            total += 1
            valid += ok
            if not ok:
                failed.append(name)
                if on_invalid:
                    on_invalid(name, problem)
        out.flush()
        if on_progress:
            on_progress(len(results))

    if n_jobs == 1:
        for batch in _batches(iter_sources(path), batch_size):
            consume(_work((batch, opts, detail)))
        return BatchSummary(total, valid, total - valid, tuple(failed))

    window = threading.BoundedSemaphore(4 * n_jobs)

    def feed() -> Iterator[tuple[list[Source], EvaluateOptions, Detail]]:
        for batch in _batches(iter_sources(path), batch_size):
            window.acquire()
            yield batch, opts, detail

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(n_jobs, initializer=_worker_init) as pool:
        for results in pool.imap(_work, feed()):
            window.release()
            consume(results)
    return BatchSummary(total, valid, total - valid, tuple(failed))


def summary_line(summary: BatchSummary) -> str:
    """The last line of a streamed batch: its presence marks the output complete."""
    doc = BatchSummaryDocument(cases=summary.total, valid=summary.valid, invalid=summary.invalid)
    return to_json(doc).decode("utf-8")


def _real(p: Path) -> Path:
    return Path(os.path.realpath(p))


def _same_file(a: Path, b: Path) -> bool:
    if _real(a) == _real(b):
        return True
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def check_out_path(inputs: Path, out: Path) -> None:
    """Refuse an output that resolves (symlinks and hard links included) to an input.

    For a folder, any case file in it counts as an input, as does the folder itself.
    """
    if out.is_dir():
        raise InputError("--out", str(out), "must be a file, not a folder")
    if inputs.is_dir():
        if _same_file(out, inputs):
            raise InputError("--out", str(out), "must be a file, not the input folder")
        in_folder = _real(out).parent == _real(inputs)
        if in_folder and out.suffix.lower() in CASE_SUFFIXES:
            raise InputError(
                "--out",
                str(out),
                "must not be a case file of the input folder (it would overwrite an input)",
            )
        for p in inputs.iterdir():
            if p.suffix.lower() in CASE_SUFFIXES and _same_file(out, p):
                raise InputError(
                    "--out", str(out), f"is the input {p}; write the results elsewhere"
                )
        return
    if _same_file(out, inputs):
        raise InputError(
            "--out", str(out), "resolves to the input file; write the results elsewhere"
        )


def write_batch(
    path: Path,
    out: Path | None,
    stream: IO[str],
    **kwargs: Any,
) -> BatchSummary:
    """Run a batch into ``out`` (atomically: temporary file, then rename) or ``stream``.

    With ``out`` None the lines go to ``stream`` followed by the summary line.
    """
    if out is None:
        summary = run_batch(path, stream, **kwargs)
        stream.write(summary_line(summary) + "\n")
        stream.flush()
        return summary
    check_out_path(path, out)
    directory = _real(out).parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=directory)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            summary = run_batch(path, fh, **kwargs)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return summary
