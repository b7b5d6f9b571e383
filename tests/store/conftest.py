"""Store and registry tests run on SQLite and on PostgreSQL.

PostgreSQL comes from ``NEUROIG_TEST_POSTGRES_URL`` (an admin URL; each test gets its own
database), else a throwaway cluster this session starts when the PostgreSQL binaries are
installed. Without them the PostgreSQL runs are deselected with a warning line — except
when ``CI`` is set: then the session fails.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from neuroig.services import registry
from neuroig.store.migrate import upgrade
from neuroig.store.permissions import Actor

BACKENDS = ("sqlite", "postgresql")


def _pg_bin() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: str) -> None:
    if os.geteuid() == 0:
        subprocess.run(["su", "postgres", "-c", cmd], check=True, capture_output=True)
    else:
        subprocess.run(["sh", "-c", cmd], check=True, capture_output=True)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str | None]:
    url = os.environ.get("NEUROIG_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    pg_bin = _pg_bin()
    if pg_bin is None:
        if os.environ.get("CI"):
            pytest.fail(
                "CI is set but PostgreSQL is not installed and NEUROIG_TEST_POSTGRES_URL is "
                "unset: install the postgresql package (.ci/run does)"
            )
        yield None
        return
    folder = tempfile.mkdtemp(prefix="neuroig-pg-")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = _free_port()
    data = f"{folder}/data"
    _as_postgres(f"{pg_bin}/initdb -D {data} -U postgres -A trust --no-sync -E UTF8")
    _as_postgres(
        f"{pg_bin}/pg_ctl -D {data} -l {folder}/log -w -o "
        f"'-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off' start"
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        _as_postgres(f"{pg_bin}/pg_ctl -D {data} -m immediate -w stop")
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("NEUROIG_TEST_POSTGRES_URL") or _pg_bin() or os.environ.get("CI"):
        return
    keep = [i for i in items if "[postgresql" not in i.nodeid]
    dropped = len(items) - len(keep)
    if dropped:
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
        warnings.warn(
            f"PostgreSQL is not installed: {dropped} PostgreSQL store tests deselected",
            pytest.PytestConfigWarning,
            stacklevel=1,
        )


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_admin_url: str | None
) -> Iterator[str]:
    """A fresh, empty database URL (no tables yet) on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.db'}"
        return
    assert postgres_admin_url is not None
    name = f"neuroig_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine of a registry at the newest schema."""
    upgrade(db_url)
    eng = registry.open_registry(db_url)
    yield eng
    eng.dispose()


def make_user(engine: Engine, name: str, role: str, sites: list[str]) -> Actor:
    """Add a user (the first one bootstraps as admin) and return it as an actor."""
    existing = registry.resolve_actor_or_none(engine, "root-admin")
    if existing is None:
        registry.add_user(engine, None, "root-admin", "admin", ["site-a", "site-b"], "pw-admin-1")
        existing = registry.resolve_actor(engine, "root-admin")
    if name != "root-admin":
        registry.add_user(engine, existing, name, role, sites, f"pw-{name}-123")
    return registry.resolve_actor(engine, name)


@pytest.fixture
def admin(engine: Engine) -> Actor:
    return make_user(engine, "root-admin", "admin", ["site-a", "site-b"])


EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.json"))
