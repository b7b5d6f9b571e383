"""Listing filters (decision G13): by site and by diagnosis (a fulfilled category of one
of the disease's sets; conditional or missing results are not "no": listed last)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from tests.store.conftest import make_user

from neuroig.errors import InputError
from neuroig.services import registry
from neuroig.store.permissions import Actor

EXAMPLES = Path(__file__).parents[2] / "examples"


def _save(engine: Engine, admin: Actor, name: str, site: str) -> None:
    data = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    registry.save_case(engine, admin, data, site=site)


@pytest.fixture
def listed(engine: Engine, admin: Actor) -> Engine:
    _save(engine, admin, "mmn-definite", "site-a")  # EFNS/PNS MMN definite
    _save(engine, admin, "mmn-no-block", "site-b")  # EFNS/PNS MMN possible
    _save(engine, admin, "cidp-typical", "site-a")  # EAN/PNS CIDP, EFNS/PNS definite
    _save(engine, admin, "mnd-mimic", "site-b")  # every set not fulfilled
    return engine


def _ids(
    engine: Engine, actor: Actor, *, site: str | None = None, diagnosis: str | None = None
) -> list[str]:
    rows = registry.list_patients(engine, actor, site=site, diagnosis=diagnosis)
    return [r.case_id for r in rows]


def test_by_diagnosis(listed: Engine, admin: Actor) -> None:
    assert _ids(listed, admin, diagnosis="mmn") == ["example-mmn-definite", "example-mmn-no-block"]
    assert _ids(listed, admin, diagnosis="cidp") == ["example-cidp-typical"]
    assert len(_ids(listed, admin)) == 4


def test_by_site_and_diagnosis(listed: Engine, admin: Actor) -> None:
    assert _ids(listed, admin, site="site-b") == ["example-mmn-no-block", "example-mnd-mimic"]
    assert _ids(listed, admin, site="site-b", diagnosis="mmn") == ["example-mmn-no-block"]
    only_a = make_user(listed, "cl-a", "clinician", ["site-a"])
    assert _ids(listed, only_a, site="site-b") == []  # a filter never widens the sites


def test_a_patient_without_a_result_is_unknown_and_listed_last(
    listed: Engine, admin: Actor
) -> None:
    with listed.begin() as conn:  # as after an upgrade of the rules, before reassess
        conn.execute(
            text(
                "DELETE FROM stored_results WHERE patient_id = (SELECT patient_id FROM "
                "patient_identifiers WHERE case_id = 'example-cidp-typical')"
            )
        )
    rows = registry.list_patients(listed, admin, diagnosis="mmn")
    assert [(r.case_id, r.summary is None) for r in rows] == [
        ("example-mmn-definite", False),
        ("example-mmn-no-block", False),
        ("example-cidp-typical", True),
    ]


def test_an_unknown_diagnosis_is_refused(listed: Engine, admin: Actor) -> None:
    with pytest.raises(InputError, match="mmn or cidp"):
        registry.list_patients(listed, admin, diagnosis="als")


def test_fulfils_reads_categories_not_conditional_ones() -> None:
    summary = {
        "categories": {
            "mmn_efns_pns_2010": {
                "category": "not_fulfilled",
                "conditional_category": {"category": "probable"},
            },
            "mmn_aaem_2003": {"category": "not_evaluable"},
            "cidp_ean_pns_2021": {"category": "possible_cidp"},
        }
    }
    assert registry.fulfils(summary, "mmn") is False
    assert registry.fulfils(summary, "cidp") is True
