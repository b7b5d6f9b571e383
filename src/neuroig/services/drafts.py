"""Drafts of entry forms (decision G12): what a user typed, valid or not, kept until the
case is saved or the draft discarded. A draft belongs to its author alone (no other user,
admin included, can read it); every save, read and discard is audited. A user who may not
save cases keeps no drafts."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from neuroig.errors import InputError, UnknownPatientError
from neuroig.record import Record
from neuroig.services.registry import service
from neuroig.store import audit
from neuroig.store.models import Draft, User
from neuroig.store.permissions import Actor, PermissionDeniedError, is_allowed
from neuroig.store.repository import write_session

__all__ = ["MAX_DRAFTS", "DraftInfo", "delete_draft", "list_drafts", "load_draft", "save_draft"]

#: Drafts one user may keep; the next new draft is refused until one is used or discarded.
MAX_DRAFTS = 50
KINDS = frozenset({"new-patient"})


class DraftInfo(Record, frozen=True):
    """A draft as listed: its number, form, label (the case id typed) and times."""

    id: int
    kind: str
    label: str
    created_at: datetime
    updated_at: datetime


def _info(row: Draft) -> DraftInfo:
    return DraftInfo(row.id, row.kind, row.label, row.created_at, row.updated_at)


def _author(s: Session, actor: Actor) -> int:
    if not is_allowed(actor.role, "case.save", own_site=True):
        raise PermissionDeniedError(
            f"a {actor.role} does not enter cases, so keeps no drafts", action="case.save"
        )
    user_id = s.scalar(select(User.id).where(User.name == actor.name, User.active))
    if user_id is None:
        raise PermissionDeniedError(f"no active registry user {actor.name!r}", action="case.save")
    return int(user_id)


def _own(s: Session, actor: Actor, draft_id: int) -> Draft:
    user_id = _author(s, actor)
    row = s.get(Draft, draft_id)
    if row is None or row.user_id != user_id:  # another user's draft is not there for you
        raise UnknownPatientError("draft", draft_id, "one of your drafts")
    return row


def _audit(s: Session, actor: Actor, action: str, draft_id: int) -> None:
    audit.append(s, actor=actor.name, action=action, object_type="draft", object_id=str(draft_id))


@service(patient_data=True)
def save_draft(
    engine: Engine,
    actor: Actor,
    fields: list[tuple[str, str]],
    *,
    kind: str = "new-patient",
    draft_id: int | None = None,
) -> DraftInfo:
    """Keep the form's fields as a new draft, or as the new content of one of the user's
    drafts (``draft_id``). Empty fields are not kept."""
    if kind not in KINDS:
        raise InputError("draft kind", kind, ", ".join(sorted(KINDS)))
    kept = [[name, value] for name, value in fields if value.strip() and name != "csrf"]
    label = next((value.strip() for name, value in fields if name == "case_id"), "")[:200]
    now = datetime.now(UTC)
    with write_session(engine) as s:
        if draft_id is not None:
            row = _own(s, actor, draft_id)
            row.fields = orjson.dumps(kept).decode()
            row.label = label
            row.updated_at = now
        else:
            user_id = _author(s, actor)
            count = s.scalar(select(func.count()).where(Draft.user_id == user_id)) or 0
            if count >= MAX_DRAFTS:
                raise InputError(
                    "drafts",
                    f"{count} kept",
                    f"at most {MAX_DRAFTS}: save or discard one of your drafts first",
                )
            row = Draft(
                user_id=user_id,
                kind=kind,
                label=label,
                fields=orjson.dumps(kept).decode(),
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
        _audit(s, actor, "draft.save", row.id)
        return _info(row)


@service(patient_data=True)
def list_drafts(engine: Engine, actor: Actor) -> list[DraftInfo]:
    """The user's own drafts, the latest first (audited ``draft.list``)."""
    with write_session(engine) as s:
        user_id = _author(s, actor)
        _audit(s, actor, "draft.list", 0)
        rows = s.scalars(
            select(Draft).where(Draft.user_id == user_id).order_by(Draft.updated_at.desc())
        )
        return [_info(row) for row in rows]


@service(patient_data=True)
def load_draft(
    engine: Engine, actor: Actor, draft_id: int
) -> tuple[DraftInfo, list[tuple[str, str]]]:
    """One of the user's drafts and its fields (audited ``draft.read``)."""
    with write_session(engine) as s:
        row = _own(s, actor, draft_id)
        _audit(s, actor, "draft.read", row.id)
        fields = [(str(name), str(value)) for name, value in orjson.loads(row.fields)]
        return _info(row), fields


@service(patient_data=True)
def delete_draft(engine: Engine, actor: Actor, draft_id: int) -> None:
    """Discard one of the user's drafts (audited ``draft.delete``); used when its case is
    saved, or on the user's request."""
    with write_session(engine) as s:
        row = _own(s, actor, draft_id)
        _audit(s, actor, "draft.delete", row.id)
        s.delete(row)
