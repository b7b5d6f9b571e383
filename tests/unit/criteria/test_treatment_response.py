"""Decisions C4/C14: objective improvement recorded, or computed from assessments (M2)."""

from __future__ import annotations

from typing import Any

from tests.conftest import example_data

from neuroig import evaluate
from neuroig.case import case_from_data


def _without_recorded_response(name: str) -> dict[str, Any]:
    data = example_data(name)
    for t in data.get("treatments", []):
        t.pop("response", None)
        t.pop("objective", None)
    return data


def test_responder_on_assessments_counts_as_objective_improvement() -> None:
    a = evaluate(case_from_data(_without_recorded_response("cidp-ivig-responder")))
    c = a.sets["cidp_ean_pns_2021"].criterion("CIDP21-SUP-RESP")
    assert c.status == "met"
    assert "responder on the assessments (M2)" in c.reason


def test_non_responder_on_assessments_is_not_met() -> None:
    a = evaluate(case_from_data(_without_recorded_response("cidp-ivig-non-responder")))
    c = a.sets["cidp_ean_pns_2021"].criterion("CIDP21-SUP-RESP")
    assert c.status == "not_met"
    assert "non-responder on the assessments (M2)" in c.reason


def test_no_course_and_no_assessment_is_unknown_and_names_the_trial() -> None:
    a = evaluate(case_from_data(example_data("cidp-typical")))
    c = a.sets["cidp_ean_pns_2021"].criterion("CIDP21-SUP-RESP")
    assert c.status == "unknown"
    assert any("a trial of" in n for n in c.needs)


def test_mmn_counts_only_ivig_and_scig_c14() -> None:
    data = example_data("mmn-no-block")
    for t in data["treatments"]:
        t["therapy"] = "prednisone"
    data.pop("infusions", None)
    a = evaluate(case_from_data(data))
    assert a.sets["mmn_efns_pns_2010"].criterion("MMN10-SUP-4").status == "unknown"
    assert a.sets["cidp_ean_pns_2021"].criterion("CIDP21-SUP-RESP").status == "met"
