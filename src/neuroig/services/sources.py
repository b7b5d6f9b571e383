"""The cases a batch or ``neuroig validate`` reads: a folder of case files or a JSON-lines
file (one case per line; blank lines are skipped), each read through the input boundary
(``neuroig.case.boundary``), so no case holds more than ``MAX_CASE_BYTES``. Reading a
source never loads the engine (criteria, therapy, monitoring).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from neuroig.case.boundary import MAX_CASE_BYTES, TextFormat, decode_case_bytes, read_case_file
from neuroig.errors import CaseError
from neuroig.record import Record

__all__ = ["CASE_SUFFIXES", "Source", "count_sources", "iter_sources"]

CASE_SUFFIXES: dict[str, TextFormat] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}


class Source(Record, frozen=True):
    """One case of a batch: its name, line number (JSON lines) and text or read error."""

    name: str
    line: int | None
    text: str | None
    fmt: TextFormat | None
    error: str | None = None


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
