"""The append-only, hash-chained audit log (decision G5).

Each row's ``hash`` is SHA-256 over the canonical JSON of its fields (seq, at, actor,
action, object, version, detail) and the previous row's hash; the first row chains to
64 zeros. Changing, deleting or reordering any row breaks the chain at that row, and
``seq`` numbers must run 1, 2, 3 … without gaps, so deleting the last rows is found too
unless the chain head is also removed — ``verify_chain`` reports the row count and head
hash so an auditor can compare them with a copy kept elsewhere.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from neuroig.record import Record
from neuroig.store.models import AuditEntry

__all__ = ["GENESIS", "ChainReport", "append", "entry_hash", "verify_chain"]

GENESIS = "0" * 64
_PG_AUDIT_LOCK = 0x6E65_7572  # "neur": one advisory lock serialises appends on PostgreSQL


def entry_hash(fields: dict[str, Any], prev_hash: str) -> str:
    payload = orjson.dumps({**fields, "prev_hash": prev_hash}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(payload).hexdigest()


def _fields(row: AuditEntry) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "version": row.version,
        "detail": row.detail,
    }


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    version: int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction (it commits with the action)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    row = AuditEntry(
        seq=seq,
        at=datetime.now(UTC).isoformat(timespec="microseconds"),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        version=version,
        detail=orjson.dumps(detail or {}, option=orjson.OPT_SORT_KEYS).decode(),
        prev_hash=prev,
        hash="",
    )
    row.hash = entry_hash(_fields(row), prev)
    session.add(row)
    session.flush()
    return row


class ChainReport(Record, frozen=True):
    ok: bool
    entries: int
    head: str
    problems: tuple[str, ...]


def verify_chain(session: Session) -> ChainReport:
    """Walk the log in ``seq`` order and report every break."""
    problems: list[str] = []
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
        count += 1
        if row.seq != expected_seq:
            problems.append(f"entry {row.seq}: expected entry {expected_seq} (deleted entries)")
        if row.prev_hash != prev:
            problems.append(f"entry {row.seq}: does not chain to the entry before it")
        if entry_hash(_fields(row), row.prev_hash) != row.hash:
            problems.append(f"entry {row.seq}: content changed since it was written")
        prev = row.hash
        expected_seq = row.seq + 1
    return ChainReport(ok=not problems, entries=count, head=prev, problems=tuple(problems))
