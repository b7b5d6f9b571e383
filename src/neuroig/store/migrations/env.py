"""Alembic environment of the registry (one set of migrations for SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic import context

from neuroig.store.engine import make_engine
from neuroig.store.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
if url is None:
    raise RuntimeError("sqlalchemy.url is not set")
engine = make_engine(url)
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
