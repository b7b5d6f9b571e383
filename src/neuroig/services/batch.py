"""Evaluate many cases in parallel with bounded memory; one bad case never stops a batch.

Input: a folder of case files (``*.json``, ``*.yaml``, ``*.yml``) or a JSON-lines file
(one case per line; blank lines are skipped). Output: one JSON line per case, in input
order — the ``neuroig-assessment/1`` document, or a ``neuroig-error/1`` document naming
the source, the line (JSON lines input) and the problems. Every case is independent: a
file that cannot be read, an undecodable or oversized line, a limit exceeded, even an
internal error, becomes that case's error line and the run goes on (decision P14).

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
import json
import math
import multiprocessing
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from neuroig.assess import EvaluateOptions, evaluate
from neuroig.case import parse_case
from neuroig.case.boundary import (
    MAX_CASE_BYTES,
    MAX_PROBLEMS,
    TextFormat,
    decode_case_bytes,
    read_case_file,
)
from neuroig.errors import CaseError, CaseValidationError, InputError, NeuroigError

__all__ = [
    "CASE_SUFFIXES",
    "SUMMARY_FORMAT",
    "BatchSummary",
    "Source",
    "check_out_path",
    "count_sources",
    "evaluate_one",
    "iter_sources",
    "run_batch",
    "summary_line",
    "to_json_line",
    "write_batch",
]

CASE_SUFFIXES: dict[str, TextFormat] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
SUMMARY_FORMAT = "neuroig-batch-summary/1"


@dataclass(frozen=True, slots=True)
class Source:
    """One case of a batch: its name, line number (JSON lines) and text or read error."""

    name: str
    line: int | None
    text: str | None
    fmt: TextFormat | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """Counts of one batch run."""

    total: int
    valid: int
    invalid: int
    failed: tuple[str, ...] = ()


def to_json_line(doc: Any) -> str:
    """One JSON line; refuses NaN and infinity (never valid JSON) with an InputError."""
    try:
        return orjson.dumps(doc).decode("utf-8")
    except TypeError as exc:
        raise InputError("output", str(exc)[:80], "JSON output holds only finite numbers") from None


def _has_non_finite(doc: Any) -> bool:
    stack = [doc]
    while stack:
        v = stack.pop()
        if isinstance(v, float) and not math.isfinite(v):
            return True
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list | tuple):
            stack.extend(v)
    return False


def _folder_sources(path: Path) -> Iterator[Source]:
    for p in sorted(path.iterdir()):
        fmt = CASE_SUFFIXES.get(p.suffix.lower())
        if fmt is None or p.name.startswith("."):
            continue
        name = str(p)
        try:
            text = decode_case_bytes(read_case_file(p), name)
        except CaseError as exc:
            yield Source(name, None, None, fmt, str(exc))
            continue
        yield Source(name, None, text, fmt)


def _jsonl_sources(path: Path) -> Iterator[Source]:
    with path.open("rb") as fh:
        number = 0
        while True:
            raw = fh.readline(MAX_CASE_BYTES + 1)
            if not raw:
                return
            number += 1
            name = f"{path}:{number}"
            if len(raw) > MAX_CASE_BYTES and not raw.endswith(b"\n"):
                while True:  # skip the rest of the oversized line, a chunk at a time
                    rest = fh.readline(MAX_CASE_BYTES)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield Source(
                    name,
                    number,
                    None,
                    "json",
                    f"{name}: more than {MAX_CASE_BYTES:,} bytes on one line (input limit: size)",
                )
                continue
            if not raw.strip():
                continue
            try:
                text = decode_case_bytes(raw, name)
            except CaseError as exc:
                yield Source(name, number, None, "json", str(exc))
                continue
            yield Source(name, number, text, "json")


def iter_sources(path: Path) -> Iterator[Source]:
    """Yield one :class:`Source` per case in a folder or a JSON-lines file, in order."""
    if path.is_dir():
        yield from _folder_sources(path)
    else:
        yield from _jsonl_sources(path)


def count_sources(path: Path) -> int:
    """Number of cases in a folder or JSON-lines file (for the progress bar)."""
    if path.is_dir():
        return sum(
            1
            for p in path.iterdir()
            if p.suffix.lower() in CASE_SUFFIXES and not p.name.startswith(".")
        )
    with path.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def _error_line(source: Source, problems: list[dict[str, str]], omitted: int = 0) -> str:
    prefix = f"{source.name}: "
    for p in problems:
        p["message"] = p["message"].removeprefix(prefix)
    doc: dict[str, Any] = {"format": "neuroig-error/1", "source": source.name}
    if source.line is not None:
        doc["line"] = source.line
    doc["problems"] = problems
    if omitted:
        doc["more_problems"] = omitted
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def evaluate_one(source: Source, options: EvaluateOptions) -> tuple[str, bool]:
    """Evaluate one source; return (JSON line, valid?). Never raises for a bad case."""
    if source.text is None:
        return _error_line(source, [{"path": "(document)", "message": source.error or ""}]), False
    try:
        case = parse_case(source.text, fmt=source.fmt, source=source.name)
        doc = evaluate(case, options).to_dict()
        doc["source"] = source.name
        if source.line is not None:
            doc["line"] = source.line
        if _has_non_finite(doc):
            raise InputError("output", "a non-finite number", "JSON output holds finite numbers")
        return to_json_line(doc), True
    except CaseValidationError as exc:
        problems = [{"path": p.path, "message": p.message} for p in exc.problems[:MAX_PROBLEMS]]
        omitted = exc.omitted + max(0, len(exc.problems) - MAX_PROBLEMS)
        return _error_line(source, problems, omitted), False
    except NeuroigError as exc:
        return _error_line(source, [{"path": "(document)", "message": str(exc)}]), False
    except RecursionError:
        message = "nested too deeply (input limit: depth)"
        return _error_line(source, [{"path": "(document)", "message": message}]), False
    except Exception as exc:  # one case's internal error must not stop the batch
        message = f"internal error ({type(exc).__name__}); please report this case"
        return _error_line(source, [{"path": "(document)", "message": message}]), False


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
    on_invalid: Callable[[str, str], None] | None = None,
) -> BatchSummary:
    """Evaluate every case under ``path``, writing one whole JSON line per case to ``out``.

    ``on_invalid(source, first problem)`` is called for each case that fails.
    """
    opts = options or EvaluateOptions()
    n_jobs = max(1, jobs or os.cpu_count() or 1)
    total = valid = 0
    failed: list[str] = []

    def consume(results: list[tuple[str, bool]]) -> None:
        nonlocal total, valid
        out.write("".join(line + "\n" for line, _ in results))  # one piece per batch
        for line, ok in results:
            total += 1
            valid += ok
            if not ok:
                doc = json.loads(line)
                failed.append(doc["source"])
                if on_invalid:
                    first = doc["problems"][0] if doc["problems"] else {}
                    where = first.get("path", "")
                    on_invalid(doc["source"], f"{where}: {first.get('message', '')}")
        out.flush()
        if on_progress:
            on_progress(len(results))

    if n_jobs == 1:
        for batch in _batches(iter_sources(path), batch_size):
            consume(_work((batch, opts)))
        return BatchSummary(total, valid, total - valid, tuple(failed))

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
    return BatchSummary(total, valid, total - valid, tuple(failed))


def summary_line(summary: BatchSummary) -> str:
    """The last line of a streamed batch: its presence marks the output complete."""
    return json.dumps(
        {
            "format": SUMMARY_FORMAT,
            "cases": summary.total,
            "valid": summary.valid,
            "invalid": summary.invalid,
            "complete": True,
        },
        separators=(",", ":"),
    )


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
