"""The authorisation matrix, role × action × own/other site, exhaustively (decision G3)."""

from __future__ import annotations

import itertools
import json

import pytest
from sqlalchemy import Engine
from tests.store.conftest import EXAMPLES, make_user

from neuroig.services import registry
from neuroig.store.permissions import (
    ACTIONS,
    ROLES,
    Actor,
    PermissionDeniedError,
    authorize,
    is_allowed,
)

# Hand-written expectation, one row per action, columns admin, clinician, pharmacist,
# technician, auditor; "S" = allowed at the user's own sites only (patient data),
# "G" = allowed whatever the site (registry actions), "-" = never.
EXPECTED = """
case.read                  S S S S -
case.list                  S S S S -
case.history               S S S - -
case.save                  S S - - -
case.delete                S S - - -
case.infusion              S S S - -
case.assessment            S S - - -
case.study                 S S - S -
case.export                S S - - -
case.export_pseudonymised  S S S - S
case.reassess              S S - - -
audit.list                 G - - - G
audit.export               - - - - G
audit.verify               G - - - G
user.manage                G - - - -
db.backup                  G - - - -
db.restore                 G - - - -
db.upgrade                 G - - - -
"""


def _expected() -> dict[tuple[str, str, bool], bool]:
    out: dict[tuple[str, str, bool], bool] = {}
    for line in EXPECTED.strip().splitlines():
        action, *marks = line.split()
        for role, mark in zip(ROLES, marks, strict=True):
            out[(role, action, True)] = mark in {"S", "G"}
            out[(role, action, False)] = mark == "G"
    return out


def test_the_table_covers_every_action() -> None:
    assert sorted(line.split()[0] for line in EXPECTED.strip().splitlines()) == sorted(ACTIONS)


@pytest.mark.parametrize(
    ("role", "action", "own"), list(itertools.product(ROLES, ACTIONS, (True, False)))
)
def test_matrix(role: str, action: str, own: bool) -> None:
    expected = _expected()[(role, action, own)]
    assert is_allowed(role, action, own_site=own) is expected
    actor = Actor("u", role, frozenset({1}))  # the user belongs to site 1
    site = 1 if own else 2
    if expected:
        authorize(actor, action, site)
    else:
        with pytest.raises(PermissionDeniedError):
            authorize(actor, action, site)


def test_a_user_sees_only_patients_of_their_sites(engine: Engine) -> None:
    admin = make_user(engine, "root-admin", "admin", [])
    a = json.loads(EXAMPLES[0].read_text("utf-8"))
    b = json.loads(EXAMPLES[1].read_text("utf-8"))
    registry.save_case(engine, admin, a, site="site-a")
    registry.save_case(engine, admin, b, site="site-b")
    nurse = make_user(engine, "tech-a", "technician", ["site-a"])
    assert [p.case_id for p in registry.list_patients(engine, nurse)] == [a["case_id"]]
    with pytest.raises(PermissionDeniedError, match="another site"):
        registry.history(engine, make_user(engine, "doc-a", "clinician", ["site-a"]), b["case_id"])
    with pytest.raises(PermissionDeniedError):
        registry.export_case(engine, nurse, a["case_id"])
    auditor = make_user(engine, "aud", "auditor", ["site-a"])
    with pytest.raises(PermissionDeniedError):
        registry.list_patients(engine, auditor)
    assert registry.audit_verify(engine, auditor).ok
