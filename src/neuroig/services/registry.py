"""Registry use cases: every function that touches patient data authorises the actor,
does its work and appends exactly one audit entry, all in one transaction.

Each such function is registered with :func:`service` so the tests can walk them all
(audit completeness). See docs/registry.md for the model and the decisions G1–G9.
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import hmac
import inspect
import io
import os
import sqlite3
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, date, datetime, timedelta
from functools import wraps
from itertools import islice
from pathlib import Path
from typing import Any, Final, Literal, ParamSpec, TypeVar, cast

import orjson
from sqlalchemy import (
    ColumnElement,
    Engine,
    Table,
    delete,
    false,
    func,
    insert,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import Session

from neuroig import __version__, evaluate
from neuroig.assess import Assessment
from neuroig.case import Case, case_from_data
from neuroig.case.boundary import (
    decode_case_bytes,
    detect_format,
    parse_document,
    read_case_file,
)
from neuroig.case.load import case_to_data
from neuroig.errors import (
    AuthError,
    InputError,
    NeuroigError,
    RegistryError,
    UnknownPatientError,
)
from neuroig.monitoring.dose_review import last_review_due, review_due
from neuroig.monitoring.review import review as make_review
from neuroig.record import Record, field
from neuroig.schemas.assessment import assessment_summary
from neuroig.schemas.stamp import reference_tables, rules_versions
from neuroig.services.cohort_facts import DIAGNOSIS_SETS, FACTS_VERSION, facts_of, fulfils
from neuroig.services.plan import continuation_status
from neuroig.store import audit
from neuroig.store.engine import is_sqlite, make_engine
from neuroig.store.migrate import HEAD, current
from neuroig.store.models import (
    AuditEntry,
    Base,
    CaseVersion,
    CohortFact,
    Patient,
    PatientIdentifier,
    ReassessProgress,
    Site,
    StoredResult,
    User,
    UserSite,
)
from neuroig.store.passwords import hash_password, verify_password
from neuroig.store.permissions import (
    ROLES,
    Action,
    Actor,
    PermissionDeniedError,
    Role,
    authorize,
)
from neuroig.store.repository import (
    ConflictError,
    canonical,
    join_identifiers,
    split_identifiers,
    write_session,
)

__all__ = [
    "SERVICES",
    "ConflictError",
    "HistoryEntry",
    "PatientRow",
    "ReassessReport",
    "ReviewCalendar",
    "SaveResult",
    "StoredCase",
    "add_user",
    "append_record",
    "audit_export",
    "audit_list",
    "audit_verify",
    "authenticate",
    "backup",
    "case_documents",
    "csv_documents",
    "csv_text_documents",
    "delete_case",
    "export_case",
    "has_users",
    "history",
    "json_diff",
    "latest_version",
    "list_patients",
    "open_registry",
    "read_case",
    "reassess",
    "record_document",
    "record_override",
    "recorded_overrides",
    "resolve_actor",
    "resolve_actor_or_none",
    "restore",
    "review_calendar",
    "rules_version",
    "save_case",
    "summarise",
    "update_user",
    "upload_documents",
]

P = ParamSpec("P")
R = TypeVar("R")

#: name -> (function, whether it touches patient data); filled by @service
SERVICES: Final[dict[str, tuple[Callable[..., Any], bool]]] = {}

Kind = Literal["import", "edit", "infusion", "assessment", "study", "treatment", "delete"]


def service(*, patient_data: bool) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Register a registry service; a refused call leaves one audit entry (decision G5a)."""

    def register(fn: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(fn)

        @wraps(fn)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except PermissionDeniedError as exc:
                bound = signature.bind_partial(*args, **kwargs).arguments
                _audit_refusal(bound, fn.__name__, exc)
                raise

        SERVICES[fn.__name__] = (call, patient_data)
        return call

    return register


def _audit_refusal(arguments: dict[str, Any], name: str, exc: PermissionDeniedError) -> None:
    """Record a refused call in its own transaction: who tried what, on which object."""
    engine = arguments.get("engine")
    actor = arguments.get("actor")
    if not isinstance(engine, Engine):
        return
    who = actor.name if isinstance(actor, Actor) else f"os:{getpass.getuser()}"
    target = arguments.get("case_id")
    with write_session(engine) as s:
        audit.append(
            s,
            actor=who,
            action=exc.action or name,
            object_type="case_id" if target is not None else "registry",
            object_id=str(target) if target is not None else "*",
            detail={"outcome": "refused", "service": name, "reason": str(exc)},
        )


# ---------------------------------------------------------------- opening, actors


def open_registry(url: str) -> Engine:
    """An engine for a registry at the newest schema; a clear error otherwise."""
    engine = make_engine(url)
    try:
        at = current(engine)
    except Exception as exc:
        engine.dispose()
        raise RegistryError(f"cannot open the registry database: {exc}") from None
    if at != HEAD:
        engine.dispose()
        raise RegistryError(
            f"the registry database is at schema {at or 'none'}, this neuroig needs {HEAD}; "
            "run `neuroig db upgrade`"
        )
    return engine


def _now() -> datetime:
    return datetime.now(UTC)


def has_users(engine: Engine) -> bool:
    """Whether the registry has any user yet (the first one bootstraps as admin)."""
    with write_session(engine) as s:
        return bool(s.scalar(select(func.count()).select_from(User)))


def resolve_actor_or_none(engine: Engine, name: str) -> Actor | None:
    """The active registry user ``name`` as an actor, or None."""
    with write_session(engine) as s:
        user = s.scalar(select(User).where(User.name == name, User.active))
        if user is None:
            return None
        sites = frozenset(s.scalars(select(UserSite.site_id).where(UserSite.user_id == user.id)))
        return Actor(user.name, cast(Role, user.role), sites)


def resolve_actor(engine: Engine, name: str | None) -> Actor:
    """The acting user (decision G7): a registry user named by ``--as`` or the OS user.

    Without registry users, on an SQLite file, the OS user acts as ``os:<name>`` with the
    admin role at every site (a single-user registry). Anywhere else the name must be a
    registry user.
    """
    who = name or getpass.getuser()
    with write_session(engine) as s:
        user = s.scalar(select(User).where(User.name == who, User.active))
        if user is not None:
            sites = frozenset(
                s.scalars(select(UserSite.site_id).where(UserSite.user_id == user.id))
            )
            return Actor(user.name, cast(Role, user.role), sites)
        any_user = s.scalar(select(func.count()).select_from(User)) or 0
        if not any_user and is_sqlite(str(engine.url)) and name is None:
            return Actor(f"os:{who}", "admin", frozenset(), all_sites=True)
    raise RegistryError(
        f"{who!r} is not a user of this registry; add it with `neuroig user add` "
        "or act as one with --as NAME"
    )


#: a hash checked when the user does not exist, so a wrong name costs as long as a wrong password
_NO_USER_HASH: Final[str] = hash_password("neuroig: no such user")


def authenticate(engine: Engine, name: str, password: str) -> Actor:
    """The active registry user ``name`` once ``password`` is proved (decision G7).

    A wrong name or password raises :class:`AuthError` (the same message for both) and
    leaves one ``auth.refused`` audit entry.
    """
    with write_session(engine) as s:
        user = s.scalar(select(User).where(User.name == name, User.active))
        stored = user.password_hash if user is not None and user.password_hash else None
        ok = verify_password(stored or _NO_USER_HASH, password) and stored is not None
        if user is not None and ok:
            sites = frozenset(
                s.scalars(select(UserSite.site_id).where(UserSite.user_id == user.id))
            )
            return Actor(user.name, cast(Role, user.role), sites)
    with write_session(engine) as s:
        audit.append(
            s,
            actor=name,
            action="auth.refused",
            object_type="user",
            object_id=name,
            detail={"outcome": "refused", "reason": "wrong user name or password"},
        )
    raise AuthError(f"user {name!r}: wrong user name or password")


def sa_true(flag: bool) -> ColumnElement[bool]:
    """A literal SQL boolean (an actor who sees every site)."""
    return true() if flag else false()


def _site(s: Session, code: str) -> Site:
    site = s.scalar(select(Site).where(Site.code == code))
    if site is None:
        site = Site(code=code, name=code)
        s.add(site)
        s.flush()
    return site


@service(patient_data=False)
def add_user(
    engine: Engine, actor: Actor | None, name: str, role: str, sites: list[str], password: str
) -> int:
    """Add a user (argon2id password) belonging to ``sites`` (created when new).

    ``actor`` may be None only while the registry has no users (the first admin).
    """
    if role not in ROLES:
        raise InputError("--role", role, "one of " + ", ".join(ROLES))
    if not sites:
        raise InputError("--site", "(none)", "at least one site code")
    if len(password) < 8:
        raise InputError("password", "(hidden)", "at least 8 characters")
    with write_session(engine) as s:
        count = s.scalar(select(func.count()).select_from(User)) or 0
        if actor is None:
            if count:
                raise RegistryError("the registry has users; act as an admin with --as NAME")
            if role != "admin":
                raise InputError("--role", role, "admin (the first user must be an admin)")
            actor_name = f"os:{getpass.getuser()}"
        else:
            authorize(actor, "user.manage")
            actor_name = actor.name
        if s.scalar(select(User).where(User.name == name)) is not None:
            raise InputError("NAME", name, "a name that is not yet a user")
        user = User(name=name, role=role, password_hash=hash_password(password), created_at=_now())
        s.add(user)
        s.flush()
        for code in sites:
            s.add(UserSite(user_id=user.id, site_id=_site(s, code).id))
        audit.append(
            s,
            actor=actor_name,
            action="user.add",
            object_type="user",
            object_id=name,
            detail={"role": role, "sites": sorted(sites)},
        )
        return user.id


# ---------------------------------------------------------------- summaries


def rules_version() -> str:
    """neuroig's version and a hash of the stamp's rule versions, reference tables and
    the cohort facts' version (``neuroig.schemas.stamp``, decision G14): stored results
    made under another rules version are recomputed by ``reassess``."""
    stamp = {
        "rules": dict(rules_versions()),
        "reference_tables": dict(reference_tables()),
        "cohort_facts": FACTS_VERSION,
    }
    return f"{__version__}+{hashlib.sha256(canonical(stamp)).hexdigest()[:12]}"


#: the parts of a stored summary that ``reassess`` compares (decision G9)
COMPARED: Final[tuple[str, ...]] = ("categories", "flags", "lmn_ivig_trial")


def summarise(document: dict[str, Any]) -> dict[str, Any]:
    """The stored summary of one case document (:func:`summarise_case`)."""
    return summarise_case(case_from_data(document))


def summarise_case(case: Case) -> dict[str, Any]:
    """The stored summary of one case: the public summary form
    (``neuroig.schemas.assessment_summary``) without the case id and input hash, which
    the stored result row keeps apart (identifiers stay out of clinical data)."""
    assessment = evaluate(case)
    summary = assessment_summary(assessment).model_dump(mode="json")
    for key in ("case_id", "input_sha256", "source", "line"):
        summary.pop(key, None)
    summary["review"] = _review_dates(case, assessment)
    return summary


def _review_dates(case: Case, assessment: Assessment) -> dict[str, Any] | None:
    """What the review calendar needs (decisions M5, M9, G11): the start of the ongoing
    immunoglobulin therapy and the last outcome assessment, as of the case's last dated
    record; with what the cohort figures count (G14, G15): whether a dose-reduction trial
    is suggested (M5), a declining response (M4), wear-off (M3), the immunoglobulin's
    cost and whether the plan that would continue it is blocked. None when the case
    records no treatment."""
    if not (case.treatments or case.infusions):
        return None
    reviewed = make_review(case, diagnosis=assessment.diagnosis)
    start = reviewed.dose_review.therapy_start
    plan = continuation_status(case, assessment, start=reviewed.as_of + timedelta(days=1))
    return {
        "as_of": reviewed.as_of.isoformat(),
        "ig_since": start.isoformat() if start else None,
        "last_assessment": (
            reviewed.last_assessment.isoformat() if reviewed.last_assessment else None
        ),
        "taper_suggested": reviewed.dose_review.taper_suggested,
        "declining": reviewed.declining.detected,
        "wear_off": reviewed.wear_off.detected,
        "plan": None if plan is None else {"status": plan[0], "blocked_by": list(plan[1])},
        "cost": reviewed.use.cost,
        "currency": reviewed.use.currency,
    }


ReviewStatus = Literal["overdue", "due"]


class ReviewCalendar(Record, frozen=True):
    """A patient's review calendar on ``today`` (decisions M5, M9, G11)."""

    status: ReviewStatus | None
    #: overdue: the review date with no outcome assessment since; due: the next review date
    due: date | None


def review_calendar(
    review: dict[str, Any] | None, *, today: date, within_days: int
) -> ReviewCalendar:
    """Overdue when a review date (M5: 6 months after the Ig start, then yearly) has passed
    with no outcome assessment on or after it (M9); due when the next review date falls
    within ``within_days`` of ``today``; neither without an ongoing Ig therapy."""
    if not review or not review.get("ig_since"):
        return ReviewCalendar(None, None)
    start = date.fromisoformat(review["ig_since"])
    last = review.get("last_assessment")
    last_day = date.fromisoformat(last) if last else None
    passed = last_review_due(start, as_of=today)
    if passed is not None and (last_day is None or last_day < passed):
        return ReviewCalendar("overdue", passed)
    upcoming = review_due(start, as_of=today)
    if (upcoming - today).days <= within_days:
        return ReviewCalendar("due", upcoming)
    return ReviewCalendar(None, upcoming)


def _compared(summary: dict[str, Any]) -> dict[str, Any]:
    return {k: summary.get(k) for k in COMPARED}


class Prepared(Record, frozen=True):
    """A document's stored summary and cohort facts computed ahead of its save (in a
    worker process of an import); used only for the document whose canonical SHA-256 is
    ``sha``."""

    sha: str
    summary: dict[str, Any]
    facts: dict[str, Any]
    #: the canonical document (validated by :func:`prepare`)
    document: dict[str, Any]


def prepare(label: str, data: Any) -> Prepared | None:
    """The stored summary and cohort facts of one document, or None when it is invalid
    (the save then reports why)."""
    try:
        case = case_from_data(data, source=label)
    except (NeuroigError, ValueError):
        return None
    document = case_to_data(case)
    summary = summarise_case(case)
    return Prepared(
        hashlib.sha256(canonical(document)).hexdigest(),
        summary,
        facts_of(case, summary),
        document,
    )


def _store_result(
    s: Session,
    patient_id: int,
    version: int,
    sha: str,
    document: dict[str, Any],
    prepared: Prepared | None = None,
) -> None:
    if prepared is not None and prepared.sha == sha:
        summary, facts = prepared.summary, prepared.facts
    else:
        case = case_from_data(document)
        summary = summarise_case(case)
        facts = facts_of(case, summary)
    s.add(
        StoredResult(
            patient_id=patient_id,
            version=version,
            input_sha256=sha,
            rules_version=rules_version(),
            summary=canonical(summary).decode(),
            created_at=_now(),
        )
    )
    _store_facts(s, patient_id, version, facts)


def _store_facts(s: Session, patient_id: int, version: int, facts: dict[str, Any]) -> None:
    """Replace the patient's cohort facts by those of this version (decision G14)."""
    s.execute(delete(CohortFact).where(CohortFact.patient_id == patient_id))
    site_id = s.scalar(select(Patient.site_id).where(Patient.id == patient_id))
    s.add(
        CohortFact(
            patient_id=patient_id,
            site_id=site_id,
            version=version,
            rules_version=rules_version(),
            **facts,
        )
    )


# ---------------------------------------------------------------- saving versions


class SaveResult(Record, frozen=True):
    patient_id: int
    case_id: str
    version: int
    status: Literal["new", "version", "unchanged"]


def _canonical_case(data: Any, source: str | None = None) -> dict[str, Any]:
    """Validate a document and return its canonical data (exactly the keys given)."""
    return case_to_data(case_from_data(data, source=source))


def _latest(s: Session, patient_id: int) -> CaseVersion | None:
    return s.scalar(
        select(CaseVersion)
        .where(CaseVersion.patient_id == patient_id)
        .order_by(CaseVersion.version.desc())
        .limit(1)
    )


def _patient_by_case_id(s: Session, case_id: str) -> tuple[Patient, PatientIdentifier] | None:
    row = s.execute(
        select(Patient, PatientIdentifier)
        .join(PatientIdentifier, PatientIdentifier.patient_id == Patient.id)
        .where(PatientIdentifier.case_id == case_id)
    ).first()
    return None if row is None else (row[0], row[1])


def _append_version(
    s: Session,
    actor: Actor,
    patient: Patient,
    ident: PatientIdentifier,
    document: dict[str, Any],
    *,
    parent: int,
    kind: Kind,
    reason: str,
    deleted: bool = False,
    prepared: Prepared | None = None,
) -> CaseVersion:
    clinical, case_id, birth = split_identifiers(document)
    if case_id != ident.case_id:
        raise InputError("case_id", case_id, f"{ident.case_id!r} (the patient's case id)")
    if birth != ident.birth_date:
        ident.birth_date = birth
    sha = hashlib.sha256(canonical(document)).hexdigest()
    row = CaseVersion(
        patient_id=patient.id,
        version=parent + 1,
        parent_version=parent,
        kind=kind,
        document=canonical(clinical).decode(),
        input_sha256=sha,
        author=actor.name,
        reason=reason,
        created_at=_now(),
        deleted=deleted,
    )
    s.add(row)
    s.flush()
    if deleted:
        s.execute(delete(CohortFact).where(CohortFact.patient_id == patient.id))
    else:
        _store_result(s, patient.id, row.version, sha, document, prepared)
    return row


@service(patient_data=True)
def save_case(
    engine: Engine,
    actor: Actor,
    data: Any,
    *,
    site: str | None = None,
    base_version: int | None = None,
    reason: str = "import",
    kind: Kind = "import",
    source: str | None = None,
    prepared: Prepared | None = None,
) -> SaveResult:
    """Save a case document: a new patient (at ``site``), or a new version of the patient
    with that ``case_id``. ``base_version`` is the version the edit started from; a save
    is refused with :class:`ConflictError` when another save came first. Without it (an
    import) the new version follows the latest. An unchanged document adds no version.
    ``prepared`` (:func:`prepare` of ``data``) spares validating the document and
    computing its stored result again."""
    document = prepared.document if prepared is not None else _canonical_case(data, source)
    case_id = str(document["case_id"])
    sha = hashlib.sha256(canonical(document)).hexdigest()
    with write_session(engine) as s:
        found = _patient_by_case_id(s, case_id)
        if found is None:
            if base_version not in (None, 0):
                raise ConflictError(f"case {case_id!r} has no version {base_version}")
            site_row = _site_for_new(s, actor, site)
            authorize(actor, "case.save", site_row.id)
            patient = Patient(site_id=site_row.id, created_at=_now())
            s.add(patient)
            s.flush()
            ident = PatientIdentifier(patient_id=patient.id, case_id=case_id, birth_date=None)
            s.add(ident)
            s.flush()
            row = _append_version(
                s,
                actor,
                patient,
                ident,
                document,
                parent=0,
                kind=kind,
                reason=reason,
                prepared=prepared,
            )
            row.parent_version = None
            status: Literal["new", "version", "unchanged"] = "new"
        else:
            patient, ident = found
            authorize(actor, "case.save", patient.site_id)
            latest = _latest(s, patient.id)
            latest_n = latest.version if latest else 0
            if base_version is not None and base_version != latest_n:
                raise ConflictError(
                    f"case {case_id!r}: this save is based on version {base_version} but "
                    f"version {latest_n} was saved since; nothing was overwritten — reload "
                    "the latest version and save again"
                )
            if latest is not None and latest.input_sha256 == sha and not latest.deleted:
                audit.append(
                    s,
                    actor=actor.name,
                    action="case.save.unchanged",
                    object_type="patient",
                    object_id=str(patient.id),
                    version=latest_n,
                )
                return SaveResult(patient.id, case_id, latest_n, "unchanged")
            row = _append_version(
                s,
                actor,
                patient,
                ident,
                document,
                parent=latest_n,
                kind=kind,
                reason=reason,
                prepared=prepared,
            )
            status = "version"
        audit.append(
            s,
            actor=actor.name,
            action=f"case.{kind}",
            object_type="patient",
            object_id=str(patient.id),
            version=row.version,
            detail={"reason": reason},
        )
        return SaveResult(patient.id, case_id, row.version, status)


def _site_for_new(s: Session, actor: Actor, code: str | None) -> Site:
    if code is not None:
        site = s.scalar(select(Site).where(Site.code == code))
        if site is None and actor.all_sites:
            return _site(s, code)
        if site is None:
            raise InputError("--site", code, "a site of this registry")
        return site
    if len(actor.site_ids) == 1:
        return s.get_one(Site, next(iter(actor.site_ids)))
    if actor.all_sites:
        return _site(s, "local")
    raise InputError("--site", "(none)", "the site of the new patient (the user has several)")


def _load_patient(
    s: Session, actor: Actor, case_id: str, action: Action
) -> tuple[Patient, PatientIdentifier]:
    found = _patient_by_case_id(s, case_id)
    if found is None:
        raise UnknownPatientError("PATIENT", case_id, "the case id of a patient in the registry")
    authorize(actor, action, found[0].site_id)
    return found


def _document(row: CaseVersion, ident: PatientIdentifier) -> dict[str, Any]:
    clinical = orjson.loads(row.document)
    return join_identifiers(clinical, ident.case_id, ident.birth_date)


@service(patient_data=True)
def append_record(
    engine: Engine,
    actor: Actor,
    case_id: str,
    kind: Literal["infusion", "assessment", "study", "treatment"],
    record: dict[str, Any],
    *,
    base_version: int | None,
    reason: str,
) -> SaveResult:
    """Append an infusion, outcome assessment or treatment course (to ``infusions``,
    ``assessments``, ``treatments``) or a nerve study (replacing ``ncs``) as a new version
    based on ``base_version`` (None: the latest version, as an import does; decision G4).
    A treatment course is a change of the case's clinical record: it needs ``case.save``."""
    if not isinstance(record, dict):
        raise InputError(kind, type(record).__name__, f"one {kind} object (a JSON/YAML mapping)")
    action: Action = "case.save" if kind == "treatment" else cast(Action, f"case.{kind}")
    with write_session(engine) as s:
        patient, ident = _load_patient(s, actor, case_id, action)
        latest = _latest(s, patient.id)
        if latest is None or latest.deleted:
            raise ConflictError(f"case {case_id!r} is deleted; nothing can be appended to it")
        if base_version is not None and latest.version != base_version:
            raise ConflictError(
                f"case {case_id!r}: based on version {base_version} but the latest is "
                f"{latest.version}; nothing was saved"
            )
        document = _document(latest, ident)
        if kind == "study":
            document["ncs"] = record
        else:
            document.setdefault(f"{kind}s", []).append(record)
        document = _canonical_case(document)
        row = _append_version(
            s, actor, patient, ident, document, parent=latest.version, kind=kind, reason=reason
        )
        audit.append(
            s,
            actor=actor.name,
            action=f"case.{kind}",
            object_type="patient",
            object_id=str(patient.id),
            version=row.version,
            detail={"reason": reason},
        )
        return SaveResult(patient.id, case_id, row.version, "version")


@service(patient_data=True)
def delete_case(
    engine: Engine, actor: Actor, case_id: str, *, base_version: int | None, reason: str
) -> SaveResult:
    """Soft delete: a tombstone version (same document, ``deleted``); nothing is erased.

    ``base_version`` None follows the latest version (decision G4)."""
    if not reason.strip():
        raise InputError("--reason", "(empty)", "why the patient is deleted (recorded)")
    with write_session(engine) as s:
        patient, ident = _load_patient(s, actor, case_id, "case.delete")
        latest = _latest(s, patient.id)
        if latest is None or latest.deleted:
            raise ConflictError(f"case {case_id!r} is already deleted")
        if base_version is not None and latest.version != base_version:
            raise ConflictError(
                f"case {case_id!r}: based on version {base_version} but the latest is "
                f"{latest.version}; nothing was deleted"
            )
        row = _append_version(
            s,
            actor,
            patient,
            ident,
            _document(latest, ident),
            parent=latest.version,
            kind="delete",
            reason=reason,
            deleted=True,
        )
        audit.append(
            s,
            actor=actor.name,
            action="case.delete",
            object_type="patient",
            object_id=str(patient.id),
            version=row.version,
            detail={"reason": reason},
        )
        return SaveResult(patient.id, case_id, row.version, "version")


# ---------------------------------------------------------------- reading


def _pseudonym(key: bytes, case_id: str) -> str:
    return "pseud-" + hmac.new(key, case_id.encode(), hashlib.sha256).hexdigest()[:20]


def pseudonym_key() -> bytes:
    """The key of pseudonymised exports: ``NEUROIG_PSEUDONYM_KEY`` (decision G6)."""
    key = os.environ.get("NEUROIG_PSEUDONYM_KEY", "")
    if len(key) < 16:
        raise InputError(
            "NEUROIG_PSEUDONYM_KEY",
            "(unset)" if not key else "(too short)",
            "a secret of at least 16 characters, the same for every export of a study",
        )
    return key.encode()


@service(patient_data=True)
def export_case(
    engine: Engine,
    actor: Actor,
    case_id: str,
    *,
    version: int | None = None,
    pseudonymise: bool = False,
) -> bytes:
    """The canonical document (sorted keys, no spaces) of a version (default: latest).

    ``pseudonymise`` replaces the case id by a keyed hash and leaves out the birth date.
    """
    key = pseudonym_key() if pseudonymise else b""
    action: Action = "case.export_pseudonymised" if pseudonymise else "case.export"
    with write_session(engine) as s:
        patient, ident = _load_patient(s, actor, case_id, action)
        query = select(CaseVersion).where(CaseVersion.patient_id == patient.id)
        if version is None:
            query = query.order_by(CaseVersion.version.desc()).limit(1)
        else:
            query = query.where(CaseVersion.version == version)
        row = s.scalar(query)
        if row is None:
            raise UnknownPatientError("--version", version, f"a version of case {case_id!r}")
        clinical = orjson.loads(row.document)
        if pseudonymise:
            document = join_identifiers(clinical, _pseudonym(key, ident.case_id), None)
        else:
            document = join_identifiers(clinical, ident.case_id, ident.birth_date)
        audit.append(
            s,
            actor=actor.name,
            action=action,
            object_type="patient",
            object_id=str(patient.id),
            version=row.version,
        )
        return canonical(document)


class StoredCase(Record, frozen=True):
    """One version of a patient's case: its number, canonical document and state."""

    case_id: str
    version: int
    latest_version: int
    deleted: bool
    document: bytes


@service(patient_data=True)
def read_case(
    engine: Engine, actor: Actor, case_id: str, *, version: int | None = None
) -> StoredCase:
    """A version of a patient's case (default: the latest) with its version number, for
    readers that need both (an API's ``ETag``); audited as a read."""
    with write_session(engine) as s:
        patient, ident = _load_patient(s, actor, case_id, "case.read")
        latest = _latest(s, patient.id)
        if latest is None:
            raise UnknownPatientError("PATIENT", case_id, "a patient with a saved version")
        row: CaseVersion | None = latest
        if version is not None and version != latest.version:
            row = s.scalar(
                select(CaseVersion).where(
                    CaseVersion.patient_id == patient.id, CaseVersion.version == version
                )
            )
        if row is None:
            raise UnknownPatientError("version", version, f"a version of case {case_id!r}")
        document = join_identifiers(orjson.loads(row.document), ident.case_id, ident.birth_date)
        audit.append(
            s,
            actor=actor.name,
            action="case.read",
            object_type="patient",
            object_id=str(patient.id),
            version=row.version,
        )
        return StoredCase(
            ident.case_id, row.version, latest.version, bool(row.deleted), canonical(document)
        )


@service(patient_data=True)
def record_override(
    engine: Engine, actor: Actor, case_id: str, *, rule_id: str, reason: str
) -> int:
    """Record a clinician's reasoned override of a plan's block for a patient (decision
    T4): who, when, which rule and why, in the audit chain. Returns the entry's number.

    Only roles that may change the patient's case (``case.save``) may override."""
    if not reason.strip():
        raise InputError("reason", "(empty)", "why the block is overridden (recorded)")
    if len(reason) > 500:
        raise InputError("reason", f"{len(reason)} characters", "at most 500 characters")
    with write_session(engine) as s:
        patient, _ident = _load_patient(s, actor, case_id, "case.save")
        latest = _latest(s, patient.id)
        entry = audit.append(
            s,
            actor=actor.name,
            action="plan.override",
            object_type="patient",
            object_id=str(patient.id),
            version=latest.version if latest else None,
            detail={"rule": rule_id, "reason": reason.strip()},
        )
        return entry.seq


def recorded_overrides(engine: Engine, actor: Actor, case_id: str) -> tuple[tuple[str, str], ...]:
    """The (rule, reason) overrides recorded for the patient's latest version, oldest
    first, the last per rule kept: a plan of that version is made with them. An override
    recorded for an earlier version does not carry over to a new one.

    Refused like a read of the case; it leaves no audit entry of its own: it is only
    called beside :func:`read_case`, whose ``case.read`` entry covers it (as G10)."""
    with write_session(engine) as s:
        patient, _ident = _load_patient(s, actor, case_id, "case.read")
        latest = _latest(s, patient.id)
        if latest is None:
            return ()
        rows = s.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action == "plan.override",
                AuditEntry.object_type == "patient",
                AuditEntry.object_id == str(patient.id),
                AuditEntry.version == latest.version,
            )
            .order_by(AuditEntry.seq)
        )
        found: dict[str, str] = {}
        for row in rows:
            detail = orjson.loads(row.detail)
            found.pop(str(detail["rule"]), None)
            found[str(detail["rule"])] = str(detail["reason"])
        return tuple(found.items())


@service(patient_data=False)
def update_user(
    engine: Engine,
    actor: Actor,
    name: str,
    *,
    role: str | None = None,
    active: bool | None = None,
) -> None:
    """Change a user's role or deactivate (delete) it; its API tokens stop working at once
    (every request reads the user's current role and state)."""
    if role is not None and role not in ROLES:
        raise InputError("--role", role, "one of " + ", ".join(ROLES))
    with write_session(engine) as s:
        authorize(actor, "user.manage")
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            raise InputError("NAME", name, "the name of a registry user")
        if role is not None:
            user.role = role
        if active is not None:
            user.active = active
        audit.append(
            s,
            actor=actor.name,
            action="user.update",
            object_type="user",
            object_id=name,
            detail={"role": role, "active": active},
        )


class PatientRow(Record, frozen=True):
    patient_id: int
    case_id: str
    site: str
    version: int
    deleted: bool
    updated_at: str
    summary: dict[str, Any] | None
    #: the review calendar on the listing's day (None: not computed under these rules)
    review: ReviewCalendar | None = None


#: how many days ahead a review counts as due in listings (decision G11)
REVIEW_DUE_WITHIN_DAYS: Final[int] = 30


@service(patient_data=True)
def list_patients(
    engine: Engine,
    actor: Actor,
    *,
    search: str | None = None,
    include_deleted: bool = False,
    review_due: bool = False,
    today: date | None = None,
    within_days: int = REVIEW_DUE_WITHIN_DAYS,
    site: str | None = None,
    diagnosis: str | None = None,
) -> list[PatientRow]:
    """Patients of the actor's sites, latest version each; ``search`` matches the case id,
    ``site`` keeps one of the actor's sites (by code).

    ``diagnosis`` (``mmn`` or ``cidp``) keeps patients whose stored result fulfils a
    category of at least one of that disease's criteria sets (decision G13); a patient
    with no result under the installed rules is unknown, not "no": it stays, last.

    ``review_due`` keeps only patients whose review is overdue or due within
    ``within_days`` of ``today`` (default: the current UTC date), overdue first, then by
    date (decision G11). A patient whose stored result predates the installed rules has
    no calendar until ``reassess``: unknown is not "not due", so such a patient stays in
    that listing, last, with ``review`` None."""
    authorize(actor, "case.list")
    if diagnosis is not None and diagnosis not in DIAGNOSIS_SETS:
        raise InputError("--diagnosis", diagnosis, " or ".join(DIAGNOSIS_SETS))
    if within_days < 0 or within_days > 366:
        raise InputError("--within", str(within_days), "a number of days from 0 to 366")
    day = today or _now().date()
    with write_session(engine) as s:
        latest = (
            select(CaseVersion.patient_id, func.max(CaseVersion.version).label("v"))
            .group_by(CaseVersion.patient_id)
            .subquery()
        )
        query = (
            select(Patient, PatientIdentifier, Site, CaseVersion)
            .join(PatientIdentifier, PatientIdentifier.patient_id == Patient.id)
            .join(Site, Site.id == Patient.site_id)
            .join(latest, latest.c.patient_id == Patient.id)
            .join(
                CaseVersion,
                (CaseVersion.patient_id == Patient.id) & (CaseVersion.version == latest.c.v),
            )
            .where(Patient.site_id.in_(actor.site_ids) | sa_true(actor.all_sites))
            .order_by(PatientIdentifier.case_id)
        )
        if search:
            query = query.where(PatientIdentifier.case_id.contains(search, autoescape=True))
        if site:
            query = query.where(Site.code == site)
        rows: list[PatientRow] = []
        rv = rules_version()
        for patient, ident, site_row, version in s.execute(query):
            if version.deleted and not include_deleted:
                continue
            stored = s.scalar(
                select(StoredResult.summary).where(
                    StoredResult.patient_id == patient.id,
                    StoredResult.version == version.version,
                    StoredResult.rules_version == rv,
                )
            )
            summary = orjson.loads(stored) if stored else None
            calendar = (
                review_calendar(summary.get("review"), today=day, within_days=within_days)
                if summary is not None
                else None
            )
            if review_due and calendar is not None and calendar.status is None:
                continue
            if diagnosis is not None and summary is not None and not fulfils(summary, diagnosis):
                continue
            rows.append(
                PatientRow(
                    patient.id,
                    ident.case_id,
                    site_row.code,
                    version.version,
                    version.deleted,
                    version.created_at.isoformat(timespec="seconds"),
                    summary,
                    calendar,
                )
            )
        if review_due:
            rows.sort(key=attention)
        elif diagnosis is not None:
            rows.sort(key=lambda r: r.summary is None)  # unknown last, else by case id
        audit.append(
            s,
            actor=actor.name,
            action="case.list",
            object_type="patients",
            object_id="*",
            detail={
                "search": search,
                "site": site,
                "diagnosis": diagnosis,
                "review_due": review_due,
                "today": day.isoformat(),
                "count": len(rows),
            },
        )
        return rows


def attention(row: PatientRow) -> tuple[int, date, str]:
    """Overdue before due before unknown, then the earliest date, then the case id."""
    calendar = row.review
    if calendar is None or calendar.due is None:
        return (2, date.max, row.case_id)
    return (0 if calendar.status == "overdue" else 1, calendar.due, row.case_id)


def json_diff(old: Any, new: Any, path: str = "$") -> list[str]:
    """Differences between two JSON values as ``path: old -> new`` lines (JSONPath-like)."""
    if isinstance(old, dict) and isinstance(new, dict):
        lines: list[str] = []
        for k in sorted(set(old) | set(new)):
            sub = f"{path}.{k}"
            if k not in old:
                lines.append(f"{sub}: added {orjson.dumps(new[k]).decode()}")
            elif k not in new:
                lines.append(f"{sub}: removed")
            else:
                lines.extend(json_diff(old[k], new[k], sub))
        return lines
    if isinstance(old, list) and isinstance(new, list):
        lines = []
        for i in range(max(len(old), len(new))):
            sub = f"{path}[{i}]"
            if i >= len(old):
                lines.append(f"{sub}: added {orjson.dumps(new[i]).decode()}")
            elif i >= len(new):
                lines.append(f"{sub}: removed")
            else:
                lines.extend(json_diff(old[i], new[i], sub))
        return lines
    if old != new:
        return [f"{path}: {orjson.dumps(old).decode()} -> {orjson.dumps(new).decode()}"]
    return []


class HistoryEntry(Record, frozen=True):
    version: int
    parent_version: int | None
    kind: str
    author: str
    created_at: str
    reason: str
    deleted: bool
    diff: tuple[str, ...] = field(default_factory=tuple)


@service(patient_data=True)
def history(engine: Engine, actor: Actor, case_id: str) -> list[HistoryEntry]:
    """Every version of a patient, oldest first, each with its diff from its parent."""
    with write_session(engine) as s:
        patient, _ident = _load_patient(s, actor, case_id, "case.history")
        out: list[HistoryEntry] = []
        previous: dict[int, Any] = {}
        for row in s.scalars(
            select(CaseVersion)
            .where(CaseVersion.patient_id == patient.id)
            .order_by(CaseVersion.version)
        ):
            doc = orjson.loads(row.document)
            parent = previous.get(row.parent_version) if row.parent_version else None
            diff = json_diff(parent, doc) if parent is not None else []
            previous[row.version] = doc
            out.append(
                HistoryEntry(
                    row.version,
                    row.parent_version,
                    row.kind,
                    row.author,
                    row.created_at.isoformat(timespec="seconds"),
                    row.reason,
                    row.deleted,
                    tuple(diff),
                )
            )
        audit.append(
            s,
            actor=actor.name,
            action="case.history",
            object_type="patient",
            object_id=str(patient.id),
        )
        return out


# ---------------------------------------------------------------- audit


def _audit_dict(row: AuditEntry) -> dict[str, Any]:
    return {
        "seq": row.seq,
        "at": row.at,
        "actor": row.actor,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "version": row.version,
        "detail": orjson.loads(row.detail),
        "prev_hash": row.prev_hash,
        "hash": row.hash,
    }


@service(patient_data=False)
def audit_verify(engine: Engine, actor: Actor) -> audit.ChainReport:
    """Check the whole audit chain (the check itself is logged after it ran)."""
    authorize(actor, "audit.verify")
    with write_session(engine) as s:
        report = audit.verify_chain(s)
        audit.append(
            s,
            actor=actor.name,
            action="audit.verify",
            object_type="audit",
            object_id="*",
            detail={"ok": report.ok, "entries": report.entries},
        )
        return report


@service(patient_data=False)
def audit_list(
    engine: Engine, actor: Actor, *, limit: int = 100, object_id: str | None = None
) -> list[dict[str, Any]]:
    """The newest ``limit`` audit entries (oldest first), optionally of one object."""
    authorize(actor, "audit.list")
    with write_session(engine) as s:
        query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
        if object_id is not None:
            query = query.where(AuditEntry.object_id == object_id)
        rows = [_audit_dict(r) for r in reversed(list(s.scalars(query)))]
        audit.append(s, actor=actor.name, action="audit.list", object_type="audit", object_id="*")
        return rows


@service(patient_data=False)
def audit_export(engine: Engine, actor: Actor) -> Iterator[bytes]:
    """The whole log as JSON lines (auditors)."""
    authorize(actor, "audit.export")
    with write_session(engine) as s:
        lines = [
            canonical(_audit_dict(r)) + b"\n"
            for r in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]
        audit.append(s, actor=actor.name, action="audit.export", object_type="audit", object_id="*")
    return iter(lines)


# ---------------------------------------------------------------- backup, restore

_TABLE_ORDER = [t.name for t in Base.metadata.sorted_tables]


@service(patient_data=True)
def backup(engine: Engine, actor: Actor, path: Path) -> int:
    """A consistent online copy: SQLite's backup API to a database file, or, on
    PostgreSQL, every table as JSON lines read in one REPEATABLE READ transaction.
    Returns the number of audit entries in the copy (the backup entry included)."""
    authorize(actor, "db.backup")
    if path.exists():
        raise InputError("FILE", str(path), "a path that does not exist yet")
    with write_session(engine) as s:
        audit.append(s, actor=actor.name, action="db.backup", object_type="database", object_id="*")
    if is_sqlite(str(engine.url)):
        raw = engine.raw_connection()
        try:
            source = cast(sqlite3.Connection, raw.driver_connection)
            target = sqlite3.connect(path)
            with target:
                source.backup(target)
            target.close()
        finally:
            raw.close()
    else:
        with (
            engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
            path.open("wb") as out,
        ):
            out.write(canonical({"format": "neuroig-registry-dump/1", "schema": HEAD}))
            out.write(b"\n")
            for name in _TABLE_ORDER:
                for row in conn.execute(select(Base.metadata.tables[name])).mappings():
                    out.write(orjson.dumps({"t": name, "r": dict(row)}) + b"\n")
    with write_session(engine) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


@service(patient_data=True)
def restore(engine: Engine, actor: Actor | None, path: Path) -> audit.ChainReport:
    """Restore a backup into an empty registry (at the newest schema), then verify the
    audit chain and log the restore. ``actor`` is None when the registry has no users."""
    if actor is not None:
        authorize(actor, "db.restore")
    with write_session(engine) as s:
        for name in _TABLE_ORDER:
            if s.execute(select(func.count()).select_from(Base.metadata.tables[name])).scalar():
                raise RegistryError(
                    f"restore needs an empty registry, but table {name} has rows; "
                    "restore into a new database"
                )
    if not path.is_file():
        raise InputError("FILE", str(path), "a backup file made by `neuroig backup`")
    if path.read_bytes()[:16] == b"SQLite format 3\x00":
        source = make_engine(f"sqlite:///{path}")
        rows = _rows_from_engine(source)
        source.dispose()
    else:
        rows = _rows_from_dump(path)
    with write_session(engine) as s:
        for name in _TABLE_ORDER:
            table = Base.metadata.tables[name]
            batch = [_coerce(table, r) for t, r in rows if t == name]
            if batch:
                s.execute(insert(table), batch)
        if engine.dialect.name == "postgresql":
            for name in _TABLE_ORDER:
                table = Base.metadata.tables[name]
                pk = next(iter(table.primary_key.columns))
                if pk.autoincrement is True or (
                    pk.autoincrement == "auto" and len(table.primary_key.columns) == 1
                ):
                    s.execute(
                        select(
                            func.setval(
                                func.pg_get_serial_sequence(name, pk.name),
                                func.coalesce(func.max(pk), 0) + 1,
                                False,
                            )
                        ).select_from(table)
                    )
        report = audit.verify_chain(s)
        audit.append(
            s,
            actor=actor.name if actor else f"os:{getpass.getuser()}",
            action="db.restore",
            object_type="database",
            object_id="*",
            detail={"chain_ok": report.ok, "entries": report.entries},
        )
        return report


def _coerce(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for col in table.columns:
        value = out.get(col.name)
        if isinstance(value, str) and col.type.python_type is datetime:
            out[col.name] = datetime.fromisoformat(value)
        elif isinstance(value, str) and col.type.python_type is date:
            out[col.name] = date.fromisoformat(value)
        elif isinstance(value, int) and col.type.python_type is bool:
            out[col.name] = bool(value)
    return out


def _rows_from_engine(source: Engine) -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = []
    with source.connect() as conn:
        for name in _TABLE_ORDER:
            table = Base.metadata.tables[name]
            rows.extend((name, dict(r)) for r in conn.execute(select(table)).mappings())
    return rows


def _rows_from_dump(path: Path) -> list[tuple[str, dict[str, Any]]]:
    with path.open("rb") as f:
        head = orjson.loads(f.readline() or b"{}")
        if head.get("format") != "neuroig-registry-dump/1":
            raise InputError("FILE", str(path), "a backup file made by `neuroig backup`")
        return [(d["t"], d["r"]) for d in map(orjson.loads, f)]


# ---------------------------------------------------------------- reassess


class ReassessReport(Record, frozen=True):
    rules_version: str
    evaluated: int
    skipped: int
    changed: list[dict[str, Any]]


def _reassess_one(
    item: tuple[int, int, str],
) -> tuple[int, int, dict[str, Any], dict[str, Any]]:
    patient_id, version, text = item
    case = case_from_data(orjson.loads(text))
    summary = summarise_case(case)
    return patient_id, version, summary, facts_of(case, summary)


@service(patient_data=True)
def reassess(
    engine: Engine,
    actor: Actor,
    *,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 200,
    part: tuple[int, int] | None = None,
) -> ReassessReport:
    """Re-evaluate every patient's latest version under the installed rules and report
    whose categories, flags or IVIg-trial gate changed and how. Resumable: patients done
    under this rules version are skipped on the next run.

    ``part`` ``(k, n)`` takes only the k-th of n parts (patients whose number modulo n is
    k - 1), so that n machines, each running one part against the same PostgreSQL,
    reassess the registry between them (docs/cohort.md, scale); the parts are disjoint and
    together hold every patient. Documents are read one chunk at a time.

    Raises:
        InputError: ``part`` is not 1 ≤ k ≤ n ≤ 1000.
    """
    authorize(actor, "case.reassess")
    if part is not None and not (1 <= part[0] <= part[1] <= 1000):
        raise InputError("--part", f"{part[0]}/{part[1]}", "K/N with 1 <= K <= N <= 1000")
    rv = rules_version()
    with write_session(engine) as s:
        latest = (
            select(CaseVersion.patient_id, func.max(CaseVersion.version).label("v"))
            .group_by(CaseVersion.patient_id)
            .subquery()
        )
        done = select(ReassessProgress.patient_id).where(ReassessProgress.rules_version == rv)
        mine = sa_true(True) if part is None else (CaseVersion.patient_id % part[1]) == part[0] - 1
        todo = s.execute(
            select(CaseVersion.patient_id, CaseVersion.version)
            .join(
                latest,
                (latest.c.patient_id == CaseVersion.patient_id)
                & (latest.c.v == CaseVersion.version),
            )
            .join(Patient, Patient.id == CaseVersion.patient_id)
            .where(
                Patient.site_id.in_(actor.site_ids) | sa_true(actor.all_sites),
                CaseVersion.deleted.is_(False),
                CaseVersion.patient_id.not_in(done),
                mine,
            )
            .order_by(CaseVersion.patient_id)
        ).all()
        skipped = s.scalar(select(func.count()).select_from(done.subquery())) or 0
    keys = [(int(p), int(v)) for p, v in todo]
    changed: list[dict[str, Any]] = []
    total = len(keys)
    finished = 0
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        for start in range(0, total, chunk):
            batch = _documents_of(engine, keys[start : start + chunk])
            results = (
                list(pool.map(_reassess_one, batch, chunksize=16))
                if pool
                else [_reassess_one(i) for i in batch]
            )
            with write_session(engine) as s:
                for patient_id, version, summary, facts in results:
                    before = s.scalar(
                        select(StoredResult.summary)
                        .where(
                            StoredResult.patient_id == patient_id,
                            StoredResult.version == version,
                            StoredResult.rules_version != rv,
                        )
                        .order_by(StoredResult.id.desc())
                        .limit(1)
                    )
                    diff = (
                        json_diff(_compared(orjson.loads(before)), _compared(summary))
                        if before
                        else []
                    )
                    if diff:
                        changed.append({"patient_id": patient_id, "version": version, "why": diff})
                    exists = s.scalar(
                        select(StoredResult.id).where(
                            StoredResult.patient_id == patient_id,
                            StoredResult.version == version,
                            StoredResult.rules_version == rv,
                        )
                    )
                    if exists is None:
                        s.add(
                            StoredResult(
                                patient_id=patient_id,
                                version=version,
                                input_sha256="",
                                rules_version=rv,
                                summary=canonical(summary).decode(),
                                created_at=_now(),
                            )
                        )
                    _store_facts(s, patient_id, version, facts)
                    s.add(
                        ReassessProgress(
                            rules_version=rv,
                            patient_id=patient_id,
                            version=version,
                            changed=canonical(diff).decode(),
                        )
                    )
            finished += len(batch)
            if progress:
                progress(finished, total)
    finally:
        if pool:
            pool.shutdown()
    with write_session(engine) as s:
        audit.append(
            s,
            actor=actor.name,
            action="case.reassess",
            object_type="patients",
            object_id="*",
            detail={
                "rules_version": rv,
                "evaluated": total,
                "changed": len(changed),
                "part": None if part is None else f"{part[0]}/{part[1]}",
            },
        )
    return ReassessReport(rv, total, skipped, changed)


def _documents_of(engine: Engine, keys: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(patient id, version, document with a placeholder case id) of each key, in order."""
    with engine.connect() as c:
        rows = c.execute(
            select(CaseVersion.patient_id, CaseVersion.version, CaseVersion.document).where(
                tuple_(CaseVersion.patient_id, CaseVersion.version).in_(keys)
            )
        ).all()
    found = {(int(p), int(v)): d for p, v, d in rows}
    return [(p, v, _with_placeholder_id(found[(p, v)])) for p, v in keys]


def _with_placeholder_id(document: str) -> str:
    data = orjson.loads(document)
    data["case_id"] = "registry-reassess"
    return orjson.dumps(data).decode()


# ---------------------------------------------------------------- reading import sources


def record_document(source: str) -> Any:
    """One record (an infusion, outcome assessment or nerve study) from a JSON/YAML file
    or ``-`` (standard input), parsed within the input limits of a case file."""
    if source == "-":
        label = "<stdin>"
        text = decode_case_bytes(sys.stdin.buffer.read(), label)
    else:
        label = source
        text = decode_case_bytes(read_case_file(Path(source)), source)
    return parse_document(text, detect_format(text, None if source == "-" else source), label)


def case_documents(source: str) -> Iterator[tuple[str, Any]]:
    """(label, data) of each case in a file (.json/.yaml), a folder of them, a JSON-lines
    file (.jsonl) or ``-`` (standard input: one document or JSON lines)."""
    if source == "-":
        text = sys.stdin.read()
        yield from _text_documents(text, "<stdin>")
        return
    path = Path(source)
    if path.is_dir():
        for p in sorted(path.iterdir()):
            if p.suffix in {".json", ".yaml", ".yml", ".jsonl"} and p.is_file():
                yield from case_documents(str(p))
        return
    if path.suffix == ".jsonl":
        with path.open("rb") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    yield f"{path}:{n}", orjson.loads(line)
        return
    text = decode_case_bytes(read_case_file(path), str(path))
    yield str(path), parse_document(text, detect_format(text, str(path)), str(path))


def upload_documents(engine: Engine, name: str, content: bytes) -> list[tuple[str, Any]]:
    """(label, data) of each case in an uploaded file: a CSV of motor NCS rows (decision
    G8, merged into each patient's current document) when ``name`` ends in ``.csv``,
    otherwise a case document (JSON or YAML) or JSON lines. The whole file is read first:
    a file that cannot be read raises and nothing is saved.

    Raises:
        InputError: the file is too large, not UTF-8, not a case format or a bad CSV.
    """
    text = decode_case_bytes(content, name)
    if name.lower().endswith(".csv"):
        return list(csv_text_documents(text, name, lambda cid: current_document(engine, cid)))
    try:
        return list(_text_documents(text, name))
    except orjson.JSONDecodeError as exc:
        raise InputError(name, "a line", f"one JSON document per line ({exc})") from None


def _text_documents(text: str, label: str) -> Iterator[tuple[str, Any]]:
    stripped = text.lstrip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if (
        stripped.startswith("{")
        and len(lines) > 1
        and all(ln.lstrip().startswith("{") and ln.rstrip().endswith("}") for ln in lines)
    ):
        for n, line in enumerate(lines, 1):
            yield f"{label}:{n}", orjson.loads(line)
        return
    yield label, parse_document(text, detect_format(text, label), label)


#: CSV columns (decision G8): one row per motor nerve stimulation site
CSV_COLUMNS: Final[dict[str, str]] = {
    "case_id": "the patient's case id (a new case when unknown)",
    "nerve": "motor nerve (as in ncs.motor[].nerve, e.g. median, ulnar)",
    "side": "left or right",
    "site": "stimulation site (as in ncs.motor[].sites[].site, e.g. wrist, elbow)",
    "latency_ms": "onset latency in ms at this site (ncs.motor[].sites[].latency_ms)",
    "amplitude_mv": "CMAP amplitude in mV",
    "duration_ms": "CMAP duration in ms",
    "area_mvms": "CMAP area in mV·ms",
    "distance_mm": "distance from the previous site in mm (velocity is derived from it)",
    "study_date": "date of the study, YYYY-MM-DD (optional)",
}


def csv_documents(
    path: Path, current: Callable[[str], dict[str, Any] | None]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Case documents built from a spreadsheet file of motor NCS values: see
    :func:`csv_text_documents`."""
    text = path.read_text(encoding="utf-8-sig")
    yield from csv_text_documents(text, str(path), current)


def csv_text_documents(
    text: str, label: str, current: Callable[[str], dict[str, Any] | None]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Case documents built from a spreadsheet of motor NCS values (columns
    :data:`CSV_COLUMNS`): each case id's rows become its ``ncs.motor`` section, on top of
    the patient's current document (``current(case_id)``) or a new minimal case."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"case_id", "nerve", "side", "site"} - set(reader.fieldnames or [])
    if missing:
        raise InputError(
            "CSV header", ",".join(reader.fieldnames or []), "columns " + ", ".join(CSV_COLUMNS)
        )
    by_case: dict[str, list[dict[str, str]]] = {}
    for n, row in enumerate(reader, 2):
        cells = {k: (v if isinstance(v, str) else "") for k, v in row.items() if k is not None}
        if not cells.get("case_id", "").strip():
            raise InputError(f"{label}: line {n}", "case_id", "a case id on every row")
        by_case.setdefault(cells["case_id"].strip(), []).append(cells)
    for case_id, rows in by_case.items():
        base = current(case_id) or {"format": "neuroig-case/1", "case_id": case_id}
        nerves: dict[tuple[str, str], dict[str, Any]] = {}
        date = next((r.get("study_date") for r in rows if r.get("study_date")), None)
        for r in rows:
            key = (r.get("nerve", "").strip(), r.get("side", "").strip())
            nerve = nerves.setdefault(key, {"nerve": key[0], "side": key[1], "sites": []})
            site: dict[str, Any] = {"site": r.get("site", "").strip()}
            for col in ("latency_ms", "amplitude_mv", "duration_ms", "area_mvms", "distance_mm"):
                value = (r.get(col) or "").strip()
                if value:
                    try:
                        site[col] = float(value)
                    except ValueError:
                        raise InputError(
                            f"{label}: {col} of {case_id}", value, "a number"
                        ) from None
            nerve["sites"].append(site)
        ncs = dict(base.get("ncs") or {})
        ncs["motor"] = list(nerves.values())
        if date:
            ncs["date"] = date
        base["ncs"] = ncs
        yield f"{label}:{case_id}", base


def import_documents(
    engine: Engine,
    actor: Actor,
    documents: Iterable[tuple[str, Any]],
    *,
    site: str | None,
    reason: str,
    workers: int = 1,
) -> Iterator[tuple[str, SaveResult | Exception]]:
    """Save each document in its own transaction (whole cases only), in order; errors
    per case. With ``workers`` > 1, that many processes evaluate the documents ahead of
    the saves (:func:`prepare`); the saves stay in this process, one at a time."""
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    items: Iterator[tuple[tuple[str, Any], Prepared | None]] = (
        _ahead(pool, documents, 32 * workers) if pool else ((item, None) for item in documents)
    )
    try:
        for (label, data), prepared in items:
            try:
                result = save_case(
                    engine, actor, data, site=site, reason=reason, source=label, prepared=prepared
                )
            except (InputError, RegistryError, ValueError) as exc:
                yield label, exc
            else:
                yield label, result
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)


def _ahead(
    pool: ProcessPoolExecutor, documents: Iterable[tuple[str, Any]], depth: int
) -> Iterator[tuple[tuple[str, Any], Prepared | None]]:
    """Each document with its :func:`prepare` result, in order, keeping ``depth``
    documents in the workers' hands."""
    source = iter(documents)
    pending: deque[tuple[tuple[str, Any], Future[Prepared | None]]] = deque()
    while True:
        for item in islice(source, depth - len(pending)):
            pending.append((item, pool.submit(prepare, *item)))
        if not pending:
            return
        item, future = pending.popleft()
        yield item, future.result()


def latest_version(engine: Engine, case_id: str) -> int | None:
    """The latest version number of a case id (None when unknown); no patient data."""
    with write_session(engine) as s:
        found = _patient_by_case_id(s, case_id)
        if found is None:
            return None
        latest = _latest(s, found[0].id)
        return None if latest is None else latest.version


def current_document(engine: Engine, case_id: str) -> dict[str, Any] | None:
    """The latest document of a case id without an audit entry (CSV merge helper; the
    save that follows is audited)."""
    with write_session(engine) as s:
        found = _patient_by_case_id(s, case_id)
        if found is None:
            return None
        latest = _latest(s, found[0].id)
        return None if latest is None else _document(latest, found[1])
