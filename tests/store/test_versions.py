"""Round trip, versions, soft delete, optimistic concurrency, history (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import orjson
import pytest
from sqlalchemy import Engine, func, select
from tests.store.conftest import EXAMPLES

from neuroig.case import load_case
from neuroig.case.load import case_to_data
from neuroig.services import registry
from neuroig.store.models import CaseVersion, StoredResult
from neuroig.store.permissions import Actor
from neuroig.store.repository import ConflictError


def _canonical_example(path: object) -> bytes:
    return orjson.dumps(case_to_data(load_case(str(path))), option=orjson.OPT_SORT_KEYS)


def test_every_example_round_trips_byte_for_byte(engine: Engine, admin: Actor) -> None:
    assert len(EXAMPLES) >= 10
    for path in EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        saved = registry.save_case(engine, admin, data, site="site-a")
        assert (saved.status, saved.version) == ("new", 1)
        exported = registry.export_case(engine, admin, saved.case_id)
        assert exported == _canonical_example(path), path.name


def test_changed_import_is_version_2_and_version_1_stays(engine: Engine, admin: Actor) -> None:
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    first = registry.save_case(engine, admin, data, site="site-a")
    v1 = registry.export_case(engine, admin, first.case_id)
    again = registry.save_case(engine, admin, data, site="site-a")
    assert (again.status, again.version) == ("unchanged", 1)
    data.setdefault("patient", {})["weight_kg"] = 71.5
    second = registry.save_case(engine, admin, data, site="site-a", reason="weighed")
    assert (second.status, second.version, second.patient_id) == ("version", 2, first.patient_id)
    assert registry.export_case(engine, admin, first.case_id, version=1) == v1
    latest = orjson.loads(registry.export_case(engine, admin, first.case_id))
    assert latest["patient"]["weight_kg"] == 71.5
    hist = registry.history(engine, admin, first.case_id)
    assert [(h.version, h.parent_version, h.reason) for h in hist] == [
        (1, None, "import"),
        (2, 1, "weighed"),
    ]
    assert any(line.startswith("$.patient.weight_kg") for line in hist[1].diff)
    with engine.connect() as conn:
        n_versions = conn.scalar(select(func.count()).select_from(CaseVersion))
        n_results = conn.scalar(select(func.count()).select_from(StoredResult))
    assert (n_versions, n_results) == (2, 2)


def test_identifiers_are_stored_apart_from_the_document(engine: Engine, admin: Actor) -> None:
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data.setdefault("patient", {})["birth_date"] = "1970-05-04"
    saved = registry.save_case(engine, admin, data, site="site-a")
    with engine.connect() as conn:
        stored = conn.scalar(select(CaseVersion.document))
    assert stored is not None
    assert data["case_id"] not in stored
    assert "1970-05-04" not in stored
    exported = orjson.loads(registry.export_case(engine, admin, saved.case_id))
    assert exported["patient"]["birth_date"] == "1970-05-04"


def test_pseudonymised_export_hides_identifiers(
    engine: Engine, admin: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data.setdefault("patient", {})["birth_date"] = "1970-05-04"
    saved = registry.save_case(engine, admin, data, site="site-a")
    monkeypatch.delenv("NEUROIG_PSEUDONYM_KEY", raising=False)
    with pytest.raises(registry.InputError, match="NEUROIG_PSEUDONYM_KEY"):
        registry.export_case(engine, admin, saved.case_id, pseudonymise=True)
    monkeypatch.setenv("NEUROIG_PSEUDONYM_KEY", "a-study-secret-0123456789")
    one = orjson.loads(registry.export_case(engine, admin, saved.case_id, pseudonymise=True))
    two = orjson.loads(registry.export_case(engine, admin, saved.case_id, pseudonymise=True))
    assert one["case_id"] == two["case_id"] != data["case_id"]
    assert one["case_id"].startswith("pseud-")
    assert "birth_date" not in one["patient"]
    monkeypatch.setenv("NEUROIG_PSEUDONYM_KEY", "another-secret-0123456789")
    three = orjson.loads(registry.export_case(engine, admin, saved.case_id, pseudonymise=True))
    assert three["case_id"] != one["case_id"]


def test_a_save_on_an_old_base_is_refused(engine: Engine, admin: Actor) -> None:
    data = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    saved = registry.save_case(engine, admin, data, site="site-a")
    data.setdefault("patient", {})["weight_kg"] = 70
    registry.save_case(engine, admin, data, base_version=1, kind="edit", reason="a")
    data["patient"]["weight_kg"] = 72
    with pytest.raises(ConflictError, match="based on version 1 but version 2"):
        registry.save_case(engine, admin, data, base_version=1, kind="edit", reason="b")
    latest = orjson.loads(registry.export_case(engine, admin, saved.case_id))
    assert latest["patient"]["weight_kg"] == 70


def test_soft_delete_and_appended_records(engine: Engine, admin: Actor) -> None:
    data = json.loads((EXAMPLES[0].parent / "cidp-ivig-responder.json").read_text("utf-8"))
    saved = registry.save_case(engine, admin, data, site="site-a")
    infusions = data.get("infusions") or []
    assert infusions, "the responder example has infusions"
    added = registry.append_record(
        engine, admin, saved.case_id, "infusion", infusions[-1], base_version=1, reason="given"
    )
    assert added.version == 2
    doc = orjson.loads(registry.export_case(engine, admin, saved.case_id))
    assert len(doc["infusions"]) == len(infusions) + 1
    gone = registry.delete_case(engine, admin, saved.case_id, base_version=2, reason="dup")
    assert gone.version == 3
    assert registry.list_patients(engine, admin) == []
    listed = registry.list_patients(engine, admin, include_deleted=True)
    assert [(p.case_id, p.version, p.deleted) for p in listed] == [(saved.case_id, 3, True)]
    assert registry.export_case(engine, admin, saved.case_id, version=2) == orjson.dumps(
        doc, option=orjson.OPT_SORT_KEYS
    )


def test_list_and_search(engine: Engine, admin: Actor) -> None:
    for path in EXAMPLES[:4]:
        registry.save_case(engine, admin, json.loads(path.read_text("utf-8")), site="site-a")
    rows = registry.list_patients(engine, admin)
    assert len(rows) == 4
    assert all(r.summary is not None and "categories" in r.summary for r in rows)
    target = rows[2].case_id
    assert [r.case_id for r in registry.list_patients(engine, admin, search=target)] == [target]
