"""Authentication of the REST API: log-in with lockout, bearer tokens, revocation.

Tokens are random (256 bits) and only their SHA-256 is stored (decision A2). Every
request resolves its token to the user's *current* role, sites and state, so demoting
or deactivating a user takes effect at once. Failed log-ins are counted per user; after
``login_max_failures`` in a row the user is locked out for ``login_lockout_minutes``
(decision A3). Log-ins, refusals, new tokens and revocations are audited.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import CursorResult, Engine, select, update
from sqlalchemy.orm import Session

from neuroig.errors import AuthError
from neuroig.record import Record
from neuroig.settings import Settings, get_settings
from neuroig.store import audit
from neuroig.store.models import ApiToken, User, UserSite
from neuroig.store.passwords import hash_password, verify_password
from neuroig.store.permissions import Actor, Role
from neuroig.store.repository import query_session, write_session

__all__ = [
    "IssuedToken",
    "LockedOutError",
    "actor_for_token",
    "issue_personal_token",
    "log_in",
    "revoke_token",
]

TOKEN_PREFIX = "nig_"
_NO_USER_HASH = hash_password("neuroig: no such API user")


class LockedOutError(AuthError):
    """Too many failed log-ins in a row: the user is locked out until ``until``."""

    def __init__(self, message: str, *, until: datetime) -> None:
        super().__init__(message)
        self.until = until


class IssuedToken(Record, frozen=True):
    """A new bearer token (shown once; only its hash is kept) and when it expires."""

    token: str
    kind: Literal["session", "personal"]
    expires_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes: they were stored in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token(
    engine: Engine,
    user_id: int,
    kind: Literal["session", "personal"],
    lifetime: timedelta,
    label: str,
    now: datetime,
) -> IssuedToken:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = now + lifetime
    with write_session(engine) as s:
        s.add(
            ApiToken(
                user_id=user_id,
                token_sha256=_digest(token),
                kind=kind,
                label=label,
                created_at=now,
                expires_at=expires,
            )
        )
    return IssuedToken(token, kind, expires)


def log_in(
    engine: Engine, name: str, password: str, *, settings: Settings | None = None
) -> IssuedToken:
    """A session token for ``name`` once ``password`` is proved.

    Raises:
        LockedOutError: the user is locked out (too many failures in a row).
        AuthError: a wrong name or password (one message for both).
    """
    cfg = settings or get_settings()
    now = _now()
    with write_session(engine) as s:
        user = s.scalar(select(User).where(User.name == name, User.active))
        if user is not None and user.locked_until is not None:
            until = _aware(user.locked_until)
            if until > now:
                audit.append(
                    s,
                    actor=name,
                    action="auth.refused",
                    object_type="user",
                    object_id=name,
                    detail={"outcome": "refused", "reason": "locked out"},
                )
                raise LockedOutError(
                    f"user {name!r} is locked out after repeated failed log-ins; "
                    f"try again after {until.isoformat(timespec='seconds')}",
                    until=until,
                )
        stored = user.password_hash if user is not None else None
        if user is not None and stored and verify_password(stored, password):
            user.failed_logins = 0
            user.locked_until = None
            user_id = user.id
            audit.append(s, actor=name, action="auth.login", object_type="user", object_id=name)
        else:
            if stored is None:
                verify_password(_NO_USER_HASH, password)  # the same cost for an unknown name
            reason = "wrong user name or password"
            if user is not None:
                user.failed_logins = (user.failed_logins or 0) + 1
                if user.failed_logins >= cfg.login_max_failures:
                    user.locked_until = now + timedelta(minutes=cfg.login_lockout_minutes)
                    user.failed_logins = 0
                    reason += "; locked out"
            audit.append(
                s,
                actor=name,
                action="auth.refused",
                object_type="user",
                object_id=name,
                detail={"outcome": "refused", "reason": reason},
            )
            user_id = None
    if user_id is None:
        raise AuthError("wrong user name or password")
    return _new_token(
        engine, user_id, "session", timedelta(minutes=cfg.api_token_minutes), "log-in", now
    )


def _token_row(s: Session, token: str) -> tuple[ApiToken, User] | None:
    found = s.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_sha256 == _digest(token))
    ).first()
    return None if found is None else (found[0], found[1])


def actor_for_token(engine: Engine, token: str) -> Actor:
    """The user a bearer token belongs to, with the user's current role and sites.

    Raises:
        AuthError: unknown, expired or revoked token, or an inactive user.
    """
    with query_session(engine) as s:
        found = _token_row(s, token)
        if found is None:
            raise AuthError("the bearer token is not valid")
        row, user = found
        if row.revoked_at is not None:
            raise AuthError("the bearer token was revoked")
        if _aware(row.expires_at) <= _now():
            raise AuthError("the bearer token has expired; log in again")
        if not user.active:
            raise AuthError("the user of this token is no longer active")
        sites = frozenset(s.scalars(select(UserSite.site_id).where(UserSite.user_id == user.id)))
    return Actor(user.name, cast(Role, user.role), sites)


def issue_personal_token(
    engine: Engine, actor: Actor, label: str, *, days: int | None = None
) -> IssuedToken:
    """A personal token of the acting user (a service account's credential)."""
    cfg = get_settings()
    lifetime = days if days is not None else cfg.api_personal_token_days
    if not 1 <= lifetime <= 366:
        raise AuthError("a personal token lives 1 to 366 days")
    with write_session(engine) as s:
        user = s.scalar(select(User).where(User.name == actor.name, User.active))
        if user is None:
            raise AuthError(f"user {actor.name!r} is not an active user")
        user_id = user.id
        audit.append(
            s,
            actor=actor.name,
            action="auth.token",
            object_type="user",
            object_id=actor.name,
            detail={"label": label[:200], "days": lifetime},
        )
    return _new_token(engine, user_id, "personal", timedelta(days=lifetime), label[:200], _now())


def revoke_token(engine: Engine, actor: Actor, token: str) -> None:
    """Revoke a token of the acting user (log-out, or retiring a personal token)."""
    now = _now()
    with write_session(engine) as s:
        user = s.scalar(select(User).where(User.name == actor.name))
        if user is None:
            raise AuthError("unknown user")
        done = cast(
            CursorResult[Any],
            s.execute(
                update(ApiToken)
                .where(
                    ApiToken.token_sha256 == _digest(token),
                    ApiToken.user_id == user.id,
                    ApiToken.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            ),
        )
        if not done.rowcount:
            raise AuthError("no active token of this user matches")
        audit.append(
            s, actor=actor.name, action="auth.revoke", object_type="user", object_id=actor.name
        )
