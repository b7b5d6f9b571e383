"""Transactions and the document helpers the registry services share.

``write_session`` serialises writers: SQLite takes the write lock at ``BEGIN IMMEDIATE``
(``neuroig.store.engine``), PostgreSQL an advisory transaction lock, so a
read-latest-version → check base → append is atomic on both. Database failures become
:class:`~neuroig.errors.RegistryError` with a message a user can act on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from neuroig.errors import RegistryError
from neuroig.store.engine import READ_ONLY_OPTION

__all__ = [
    "ConflictError",
    "canonical",
    "join_identifiers",
    "query_session",
    "read_session",
    "split_identifiers",
    "write_session",
]

_PG_WRITE_LOCK = 0x6E65_7577


class ConflictError(RegistryError):
    """A save named a base version that is no longer the latest (optimistic concurrency)."""


def canonical(data: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8 (as ``neuroig.assess.input_sha256``)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def split_identifiers(document: dict[str, Any]) -> tuple[dict[str, Any], str, str | None]:
    """The clinical part of a case document, its ``case_id`` and ``patient.birth_date``;
    ``document`` is not changed (the parts that differ are new dicts, the rest shared)."""
    clinical = dict(document)
    case_id = str(clinical.pop("case_id"))
    patient = clinical.get("patient")
    birth = None
    if isinstance(patient, dict):
        kept = dict(patient)
        birth = kept.pop("birth_date", None)
        clinical["patient"] = kept
    return clinical, case_id, birth


def join_identifiers(clinical: dict[str, Any], case_id: str, birth: str | None) -> dict[str, Any]:
    """The whole document again; ``clinical`` is not changed (copied where it is added to)."""
    document = {**clinical, "case_id": case_id}
    if birth is not None:
        patient = document.get("patient")
        kept = patient if isinstance(patient, dict) else {}
        document["patient"] = {**kept, "birth_date": birth}
    return document


def _translate(exc: DBAPIError) -> RegistryError:
    message = str(exc.orig) if exc.orig is not None else str(exc)
    low = message.lower()
    if "locked" in low or "lock timeout" in low:
        return RegistryError(
            "the registry database is locked by another process and stayed locked; "
            "nothing was changed — try again when the other process has finished"
        )
    if "disk is full" in low or "no space" in low or "disk full" in low:
        return RegistryError(
            "the registry database or its disk is full; nothing of this change was saved "
            "and the data already stored is intact — free space, then try again"
        )
    if "no such table" in low or ("does not exist" in low and "relation" in low):
        return RegistryError(
            "the registry database has no tables yet; run `neuroig db upgrade` first"
        )
    if "unable to open" in low or "could not connect" in low or "connection" in low:
        return RegistryError(f"cannot open the registry database: {message.strip()}")
    return RegistryError(f"the registry database failed: {message.strip()}")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction: commit on success, roll back on any error."""
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            if engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
            yield session
    except IntegrityError as exc:
        raise ConflictError(
            "another save came first (the version or case id now exists); "
            "reload the latest version and save again"
        ) from exc
    except (OperationalError, DBAPIError) as exc:
        raise _translate(exc) from exc


@contextmanager
def query_session(engine: Engine) -> Iterator[Session]:
    """A transaction that only reads and writes nothing, not even an audit entry (checking
    a token, a cohort report's queries): it takes no write lock (on SQLite a deferred
    ``BEGIN`` reading one WAL snapshot), so it never waits for a writer nor makes one
    wait."""
    bind = engine.execution_options(**{READ_ONLY_OPTION: True})
    try:
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session
    except (OperationalError, DBAPIError) as exc:
        raise _translate(exc) from exc


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """Reads also write their audit entry, so they use a write transaction too."""
    with write_session(engine) as session:
        yield session
