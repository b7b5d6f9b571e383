"""Backup → wipe → restore, and migrations up and down, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select
from tests.store.conftest import EXAMPLES

from neuroig.services import registry
from neuroig.store.migrate import HEAD, current, downgrade, upgrade
from neuroig.store.models import Base
from neuroig.store.permissions import Actor

TABLES = {t.name for t in Base.metadata.sorted_tables}


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            rows = conn.execute(select(table).order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def test_backup_wipe_restore_gives_the_same_data(
    db_url: str, engine: Engine, admin: Actor, tmp_path: Path
) -> None:
    for path in EXAMPLES[:5]:
        data = json.loads(path.read_text("utf-8"))
        registry.save_case(engine, admin, data, site="site-a")
        data.setdefault("patient", {})["weight_kg"] = 66
        registry.save_case(engine, admin, data, site="site-a")
    target = tmp_path / "registry.backup"
    registry.backup(engine, admin, target)
    before = _snapshot(engine)
    exported = registry.export_case(engine, admin, registry.list_patients(engine, admin)[0].case_id)
    with engine.connect() as conn:
        audit_before = conn.execute(select(Base.metadata.tables["audit_log"])).all()
    engine.dispose()
    downgrade(db_url)  # wipe: every table dropped
    upgrade(db_url)
    fresh = registry.open_registry(db_url)
    report = registry.restore(fresh, None, target)
    assert report.ok
    assert _snapshot(fresh) == before
    with fresh.connect() as conn:
        audit_after = conn.execute(select(Base.metadata.tables["audit_log"])).all()
    # the copy holds every entry up to the backup's own; restore appends one more
    assert audit_after[: len(audit_before) - 2] == audit_before[: len(audit_before) - 2]
    assert audit_after[-1].action == "db.restore"
    admin2 = registry.resolve_actor(fresh, "root-admin")
    case_id = registry.list_patients(fresh, admin2)[0].case_id
    assert registry.export_case(fresh, admin2, case_id) == exported
    assert registry.audit_verify(fresh, admin2).ok
    # new rows after a restore get new ids (PostgreSQL sequences follow the data)
    registry.save_case(fresh, admin2, json.loads(EXAMPLES[6].read_text("utf-8")), site="site-b")
    fresh.dispose()


def test_restore_refuses_a_registry_with_data(engine: Engine, admin: Actor, tmp_path: Path) -> None:
    target = tmp_path / "b.backup"
    registry.backup(engine, admin, target)
    with pytest.raises(registry.RegistryError, match="empty registry"):
        registry.restore(engine, admin, target)


def test_migrations_up_and_down(db_url: str) -> None:
    engine = registry.make_engine(db_url)
    assert current(engine) is None
    upgrade(db_url)
    assert current(engine) == HEAD
    assert set(inspect(engine).get_table_names()) >= TABLES
    downgrade(db_url)
    assert current(engine) is None
    assert not (TABLES & set(inspect(engine).get_table_names()))
    upgrade(db_url)
    assert current(engine) == HEAD
    engine.dispose()


def test_an_old_schema_is_a_clear_error(db_url: str) -> None:
    with pytest.raises(registry.RegistryError, match="neuroig db upgrade"):
        registry.open_registry(db_url)
