"""The registry's store: SQLAlchemy 2 models, Alembic migrations, versions, users, audit.

SQLite (WAL) by default, PostgreSQL through ``NEUROIG_DATABASE_URL``; one set of
migrations for both (``neuroig.store.migrate``). See docs/registry.md.
"""
