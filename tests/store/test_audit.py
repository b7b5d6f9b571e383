"""The hash-chained audit log: tamper detection and completeness (decision G5)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text, update
from tests.store.conftest import EXAMPLES, make_user

from neuroig.services import cohort, drafts, registry
from neuroig.store import audit
from neuroig.store.models import AuditEntry
from neuroig.store.permissions import Actor, PermissionDeniedError
from neuroig.store.repository import write_session


def _fill(engine: Engine, admin: Actor) -> str:
    data = json.loads(EXAMPLES[0].read_text("utf-8"))
    saved = registry.save_case(engine, admin, data, site="site-a")
    for _ in range(3):
        registry.export_case(engine, admin, saved.case_id)
    return saved.case_id


def _verify(engine: Engine) -> audit.ChainReport:
    with write_session(engine) as s:
        return audit.verify_chain(s)


def test_an_untouched_chain_verifies(engine: Engine, admin: Actor) -> None:
    _fill(engine, admin)
    report = _verify(engine)
    # bootstrap user.add + save + 3 exports = 5 entries
    assert (report.ok, report.entries, report.problems) == (True, 5, ())


def test_a_changed_row_is_detected(engine: Engine, admin: Actor) -> None:
    _fill(engine, admin)
    with engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.seq == 3).values(actor="mallory"))
    report = _verify(engine)
    assert not report.ok
    assert report.problems == ("entry 3: content changed since it was written",)


def test_a_deleted_row_is_detected(engine: Engine, admin: Actor) -> None:
    _fill(engine, admin)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    report = _verify(engine)
    assert not report.ok
    assert "entry 3: expected entry 2 (deleted entries)" in report.problems
    assert "entry 3: does not chain to the entry before it" in report.problems


def test_swapped_rows_are_detected(engine: Engine, admin: Actor) -> None:
    _fill(engine, admin)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET seq = -1 WHERE seq = 2"))
        conn.execute(text("UPDATE audit_log SET seq = 2 WHERE seq = 3"))
        conn.execute(text("UPDATE audit_log SET seq = 3 WHERE seq = -1"))
    report = _verify(engine)
    assert not report.ok
    assert any(p.startswith("entry 2:") for p in report.problems)
    assert any(p.startswith("entry 3:") for p in report.problems)


def test_a_rewritten_hash_is_still_detected(engine: Engine, admin: Actor) -> None:
    """Rewriting a row and its own hash breaks the link from the next row."""
    _fill(engine, admin)
    with write_session(engine) as s:
        row = s.get_one(AuditEntry, 2)
        row.actor = "mallory"
        row.hash = audit.entry_hash(
            {
                "seq": row.seq,
                "at": row.at,
                "actor": row.actor,
                "action": row.action,
                "object_type": row.object_type,
                "object_id": row.object_id,
                "version": row.version,
                "detail": row.detail,
            },
            row.prev_hash,
        )
    assert _verify(engine).problems == ("entry 3: does not chain to the entry before it",)


def _args(name: str, fn: Callable[..., Any], case_id: str, tmp: Path) -> dict[str, Any]:
    data = json.loads(EXAMPLES[1].read_text("utf-8"))
    calls: dict[str, dict[str, Any]] = {
        "add_user": {
            "name": "x-user",
            "role": "clinician",
            "sites": ["site-a"],
            "password": "p" * 9,
        },
        "save_case": {"data": data, "site": "site-a"},
        "append_record": {
            "case_id": case_id,
            "kind": "assessment",
            "record": {"date": "2026-01-05", "rankin": 2},
            "base_version": 1,
            "reason": "visit",
        },
        "delete_case": {"case_id": case_id, "base_version": 1, "reason": "dup"},
        "export_case": {"case_id": case_id},
        "read_case": {"case_id": case_id},
        "record_override": {"case_id": case_id, "rule_id": "SAFE-RENAL-EGFR", "reason": "agreed"},
        "update_user": {"name": "aud", "role": "auditor"},
        "list_patients": {},
        "history": {"case_id": case_id},
        "audit_verify": {},
        "audit_list": {},
        "audit_export": {},
        "backup": {"path": tmp / "backup.out"},
        "reassess": {},
        "save_draft": {"fields": [("case_id", case_id), ("patient.weight_kg", "70")]},
        "list_drafts": {},
        "load_draft": {"draft_id": 1},
        "delete_draft": {"draft_id": 1},
        "cohort_report": {"today": date(2026, 1, 5)},
        "run_query": {"name": "by_diagnosis", "today": date(2026, 1, 5)},
    }
    assert name in calls, f"add a call of the new service {name} to this test"
    params = set(inspect.signature(fn).parameters) - {"engine", "actor"}
    assert set(calls[name]) <= params
    return calls[name]


def test_every_service_call_leaves_exactly_one_audit_entry(
    engine: Engine, admin: Actor, tmp_path: Path
) -> None:
    auditor = make_user(engine, "aud", "auditor", ["site-a"])
    walked = []
    for name, (fn, _patient_data) in sorted(registry.SERVICES.items()):
        if name == "restore":
            continue  # restore needs an empty registry: tested in test_backup
        case_id = _fill(engine, admin) if name in {"append_record", "delete_case"} else "x"
        if name in {"export_case", "history", "read_case", "record_override"}:
            case_id = _fill(engine, admin)
        if name in {"load_draft", "delete_draft"}:
            with engine.begin() as conn:  # draft 1 of the admin, whatever ran before
                conn.execute(text("DELETE FROM drafts"))
            drafts.save_draft(engine, admin, [("case_id", "x")])
            with engine.begin() as conn:
                conn.execute(text("UPDATE drafts SET id = 1"))
        with engine.connect() as conn:
            before = conn.scalar(select(func.count()).select_from(AuditEntry))
        actor = auditor if name == "audit_export" else admin
        result = fn(engine, actor, **_args(name, fn, case_id, tmp_path))
        if inspect.isgenerator(result) or name == "audit_export":
            list(result)
        with engine.connect() as conn:
            after = conn.scalar(select(func.count()).select_from(AuditEntry))
        assert after == (before or 0) + 1, name
        walked.append(name)
        with engine.begin() as conn:  # start each service from one patient
            conn.execute(text("DELETE FROM reassess_progress"))
            conn.execute(text("DELETE FROM stored_results"))
            conn.execute(text("DELETE FROM cohort_facts"))
            conn.execute(text("DELETE FROM case_versions"))
            conn.execute(text("DELETE FROM patient_identifiers"))
            conn.execute(text("DELETE FROM patients"))
    assert cohort.cohort_report.__name__ in registry.SERVICES
    assert set(walked) | {"restore"} == set(registry.SERVICES)
    assert len(walked) >= 11


def _entries(engine: Engine) -> list[AuditEntry]:
    with write_session(engine) as s:
        rows = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        s.expunge_all()
        return rows


@pytest.mark.parametrize("role", ["technician", "pharmacist"])
def test_a_refused_call_leaves_one_refusal_entry(engine: Engine, admin: Actor, role: str) -> None:
    # decision G5a: the refusal itself is recorded (who tried what on which patient),
    # in its own entry of the chain; nothing else is written
    case_id = _fill(engine, admin)
    user = make_user(engine, f"u-{role}", role, ["site-a"])
    before = len(_entries(engine))
    with pytest.raises(PermissionDeniedError):
        registry.export_case(engine, user, case_id)
    after = _entries(engine)
    assert len(after) == before + 1
    last = after[-1]
    assert (last.actor, last.action, last.object_type, last.object_id) == (
        f"u-{role}",
        "case.export",
        "case_id",
        case_id,
    )
    detail = json.loads(last.detail)
    assert detail["outcome"] == "refused"
    assert detail["service"] == "export_case"
    assert _verify(engine).ok


def test_every_refusable_service_records_its_refusal(engine: Engine, admin: Actor) -> None:
    """A clinician of another site and a technician are refused by every service that
    is not theirs to call; each refusal leaves exactly one entry naming the action."""
    case_id = _fill(engine, admin)
    other = make_user(engine, "other-site", "clinician", ["site-b"])
    tech = make_user(engine, "tech", "technician", ["site-a"])
    calls: list[tuple[str, Actor, dict[str, Any], str]] = [
        ("export_case", other, {"case_id": case_id}, "case.export"),
        ("history", other, {"case_id": case_id}, "case.history"),
        (
            "append_record",
            other,
            {
                "case_id": case_id,
                "kind": "assessment",
                "record": {"date": "2026-01-05", "rankin": 2},
                "base_version": 1,
                "reason": "visit",
            },
            "case.assessment",
        ),
        (
            "delete_case",
            other,
            {"case_id": case_id, "base_version": 1, "reason": "x"},
            "case.delete",
        ),
        ("audit_list", tech, {}, "audit.list"),
        ("audit_verify", tech, {}, "audit.verify"),
        ("audit_export", tech, {}, "audit.export"),
        ("reassess", tech, {}, "case.reassess"),
        (
            "add_user",
            tech,
            {"name": "x", "role": "admin", "sites": ["site-a"], "password": "p" * 9},
            "user.manage",
        ),
    ]
    for name, actor, kwargs, action in calls:
        fn, _ = registry.SERVICES[name]
        before = len(_entries(engine))
        with pytest.raises(PermissionDeniedError):
            fn(engine, actor, **kwargs)
        after = _entries(engine)
        assert len(after) == before + 1, name
        assert (after[-1].actor, after[-1].action) == (actor.name, action), name
        assert json.loads(after[-1].detail)["outcome"] == "refused", name
    assert _verify(engine).ok
