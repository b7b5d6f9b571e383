"""Run the registry's Alembic migrations programmatically (``neuroig db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect

from neuroig.store.engine import make_engine

__all__ = ["HEAD", "config", "current", "downgrade", "upgrade"]

HEAD = "0006"
_SCRIPTS = Path(__file__).parent / "migrations"


def config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_SCRIPTS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (default: the newest)."""
    command.upgrade(config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    """Take the database at ``url`` down to ``revision`` (default: empty)."""
    command.downgrade(config(url), revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None before the first upgrade."""
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def engine_at_head(url: str) -> Engine:
    """An engine for ``url`` after upgrading it to the newest revision."""
    upgrade(url)
    return make_engine(url)
