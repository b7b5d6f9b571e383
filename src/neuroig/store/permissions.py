"""What each role may do: one table (decision G3), and the check that reads it.

Patient actions are site-scoped: a user may do them only for patients of a site the user
belongs to. Registry actions (users, audit, backup, migrations) are not tied to a site.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final, Literal

from neuroig.errors import AuthError
from neuroig.record import Record

__all__ = [
    "ACTIONS",
    "PERMISSIONS",
    "ROLES",
    "SITE_SCOPED",
    "Action",
    "Actor",
    "PermissionDeniedError",
    "Role",
    "authorize",
    "is_allowed",
]

Role = Literal["admin", "clinician", "pharmacist", "technician", "auditor"]
Action = Literal[
    "case.read",
    "case.list",
    "case.history",
    "case.save",
    "case.delete",
    "case.infusion",
    "case.assessment",
    "case.study",
    "case.export",
    "case.export_pseudonymised",
    "case.reassess",
    "audit.list",
    "audit.export",
    "audit.verify",
    "user.manage",
    "db.backup",
    "db.restore",
    "db.upgrade",
]

ROLES: Final[tuple[Role, ...]] = ("admin", "clinician", "pharmacist", "technician", "auditor")

_A, _C, _P, _T, _U = ROLES

#: action -> roles allowed to do it; the single source of truth (docs/registry.md copies it)
PERMISSIONS: Final[dict[Action, frozenset[Role]]] = {
    "case.read": frozenset({_A, _C, _P, _T}),
    "case.list": frozenset({_A, _C, _P, _T}),
    "case.history": frozenset({_A, _C, _P}),
    "case.save": frozenset({_A, _C}),
    "case.delete": frozenset({_A, _C}),
    "case.infusion": frozenset({_A, _C, _P}),
    "case.assessment": frozenset({_A, _C}),
    "case.study": frozenset({_A, _C, _T}),
    "case.export": frozenset({_A, _C}),
    "case.export_pseudonymised": frozenset({_A, _C, _P, _U}),
    "case.reassess": frozenset({_A, _C}),
    "audit.list": frozenset({_A, _U}),
    "audit.export": frozenset({_U}),
    "audit.verify": frozenset({_A, _U}),
    "user.manage": frozenset({_A}),
    "db.backup": frozenset({_A}),
    "db.restore": frozenset({_A}),
    "db.upgrade": frozenset({_A}),
}

ACTIONS: Final[tuple[Action, ...]] = tuple(PERMISSIONS)

#: actions on patient data: allowed only for patients of the user's own sites
SITE_SCOPED: Final[frozenset[Action]] = frozenset(a for a in ACTIONS if a.startswith("case."))


class PermissionDeniedError(AuthError):
    """The acting user may not do this action (role) or not at this site."""

    def __init__(self, message: str, *, action: str = "") -> None:
        super().__init__(message)
        #: the refused action (``case.read`` …), recorded by the refusal's audit entry
        self.action = action


class Actor(Record, frozen=True):
    """Who acts: a registry user name, role and site ids.

    ``all_sites`` is only for the OS user of a single-user SQLite registry (decision G7).
    """

    name: str
    role: Role
    site_ids: frozenset[int]
    all_sites: bool = False


def is_allowed(role: Role, action: Action, *, own_site: bool) -> bool:
    """The table's answer for a role, an action and whether the site is the user's own."""
    if role not in PERMISSIONS[action]:
        return False
    return own_site or action not in SITE_SCOPED


def authorize(actor: Actor, action: Action, site_ids: Collection[int] | int | None = None) -> None:
    """Raise :class:`PermissionDeniedError` unless ``actor`` may do ``action`` (at ``site_ids``)."""
    if action not in PERMISSIONS:
        raise PermissionDeniedError(f"unknown action {action!r}", action=str(action))
    sites = {site_ids} if isinstance(site_ids, int) else set(site_ids or ())
    own = actor.all_sites or (bool(sites) and sites <= actor.site_ids)
    if action in SITE_SCOPED and site_ids is None:
        own = True  # a listing: the query itself is restricted to the actor's sites
    if not is_allowed(actor.role, action, own_site=own):
        where = "" if action not in SITE_SCOPED or own else " for a patient of another site"
        raise PermissionDeniedError(
            f"user {actor.name!r} (role {actor.role}) may not {action}{where}", action=action
        )
