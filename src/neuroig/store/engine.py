"""Engines for the registry: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from neuroig.settings import load_settings

__all__ = ["BUSY_TIMEOUT_MS", "READ_ONLY_OPTION", "default_url", "is_sqlite", "make_engine"]

#: how long a writer waits for SQLite's lock before the clear "database is locked" error
BUSY_TIMEOUT_MS = 5000

#: execution option of a transaction that only reads (SQLite: a deferred ``BEGIN``)
READ_ONLY_OPTION = "neuroig_read_only"


def default_url() -> str:
    """The registry's URL from the settings: ``NEUROIG_DATABASE_URL``, else the SQLite
    file in the user's data folder (``neuroig.settings.default_database_url``)."""
    return load_settings().database_url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine whose transactions take the write lock at once on SQLite (``BEGIN
    IMMEDIATE``), so a read-check-append (versions, audit chain) is never interleaved;
    a transaction run with the :data:`READ_ONLY_OPTION` takes none (a plain ``BEGIN``)."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # a query session (repository.query_session) reads a WAL snapshot without the
            # write lock, so a long report never makes a writer wait
            deferred = conn.get_execution_options().get(READ_ONLY_OPTION, False)
            conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)
