"""Typed ORM models of the registry (SQLAlchemy 2).

Case versions are immutable rows: every save, import, infusion or soft delete appends a
row; nothing is updated in place. Identifiers (case id, birth date) live in
``patient_identifiers``, apart from the clinical document in ``case_versions``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Base",
    "CaseVersion",
    "CdsTokenId",
    "CohortFact",
    "Patient",
    "PatientIdentifier",
    "ReassessProgress",
    "Site",
    "StoredResult",
    "User",
    "UserSite",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: failed password checks since the last success (API log-in lockout, decision A3)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class UserSite(Base):
    __tablename__ = "user_sites"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)


class Patient(Base):
    __tablename__ = "patients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PatientIdentifier(Base):
    """Identifying data, kept apart from the clinical document (pseudonymised exports)."""

    __tablename__ = "patient_identifiers"
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(200), unique=True)
    birth_date: Mapped[str | None] = mapped_column(String(10), nullable=True)


class CaseVersion(Base):
    """One immutable version of a patient's ``neuroig-case/1`` document."""

    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("patient_id", "version", name="uq_case_versions_pv"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    parent_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: canonical JSON (sorted keys, no spaces) of the clinical part of the document
    document: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the whole canonical document (identifiers included), as neuroig.evaluate
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    author: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class StoredResult(Base):
    """An assessment summary keyed by input hash and rules version."""

    __tablename__ = "stored_results"
    __table_args__ = (
        UniqueConstraint("patient_id", "version", "rules_version", name="uq_stored_results_pvr"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    input_sha256: Mapped[str] = mapped_column(String(64))
    rules_version: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One append-only, hash-chained audit row."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ReassessProgress(Base):
    """Which latest versions a ``reassess`` run has done (resumable)."""

    __tablename__ = "reassess_progress"
    rules_version: Mapped[str] = mapped_column(String(40), primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    changed: Mapped[str] = mapped_column(Text)


class ApiToken(Base):
    """A bearer token of the REST API: only its SHA-256 is stored (decision A2)."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "session" or "personal"
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Draft(Base):
    """A user's unfinished entry form (decision G12): its fields as typed, valid or not,
    kept until the case is saved or the user discards it. Only its author sees it."""

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200), default="")
    fields: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CdsTokenId(Base):
    """The ``jti`` of a CDS Hooks token already used, kept until the token expires, so a
    replay is refused by every server process (decision H1)."""

    __tablename__ = "cds_token_ids"
    jti: Mapped[str] = mapped_column(String(200), primary_key=True, autoincrement=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CohortFact(Base):
    """The cohort facts of a patient's latest version (decision G14): what cohort
    analytics aggregate in SQL. Rewritten with every stored result; none for a deleted
    patient."""

    __tablename__ = "cohort_facts"
    __table_args__ = (Index("ix_cohort_facts_site_id_diagnosis", "site_id", "diagnosis"),)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id"), primary_key=True, autoincrement=False
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    version: Mapped[int] = mapped_column(Integer)
    rules_version: Mapped[str] = mapped_column(String(40))
    diagnosis: Mapped[str] = mapped_column(String(10))
    mmn_category: Mapped[str | None] = mapped_column(String(40), nullable=True)
    cidp_category: Mapped[str | None] = mapped_column(String(40), nullable=True)
    ig_regimen: Mapped[str | None] = mapped_column(String(20), nullable=True)
    response: Mapped[str | None] = mapped_column(String(40), nullable=True)
    days_to_response: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ig_dependent: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    current_regimen: Mapped[str | None] = mapped_column(String(20), nullable=True)
    ig_grams: Mapped[float] = mapped_column(Float)
    ig_years: Mapped[float] = mapped_column(Float)
    ig_since: Mapped[date | None] = mapped_column(Date, nullable=True)
    last_assessment: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_due_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    taper_suggested: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    declining: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    wear_off: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    plan_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    plan_blocked_by: Mapped[str | None] = mapped_column(Text, nullable=True)
    ig_cost: Mapped[float | None] = mapped_column(Float, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
