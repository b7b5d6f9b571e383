"""Properties of the documents for generated cases: the full document and its summary
validate against their exported schemas, the summary says what the full document says,
and the same case gives the same bytes twice (the stamp is deterministic)."""

from __future__ import annotations

from typing import Any

import jsonschema
import orjson
from hypothesis import HealthCheck, given, settings
from tests.property.strategies import cases

from neuroig.case.load import case_from_data
from neuroig.schemas.assessment import assessment_document, assessment_summary
from neuroig.schemas.emit import json_schema, to_json
from neuroig.services.assess import assess

FULL = jsonschema.Draft202012Validator(json_schema("assessment"))
SUMMARY = jsonschema.Draft202012Validator(json_schema("assessment-summary"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_summary_agrees_with_the_full_document(data: dict[str, Any]) -> None:
    done = assess(case_from_data(data))
    full = orjson.loads(to_json(assessment_document(done.assessment)))
    summary = orjson.loads(to_json(assessment_summary(done.assessment)))
    FULL.validate(full)
    SUMMARY.validate(summary)
    for key in ("neuroig_version", "case_id", "input_sha256", "rules", "reference_tables"):
        assert summary[key] == full[key]
    for key, result in full["criteria"].items():
        assert summary["categories"][key]["category"] == result["category"]
        assert summary["categories"][key]["reachable"] == result["reachable"]
        statuses = {c["id"]: c["status"] for c in result["criteria"]}
        # tri-state: an unknown criterion is listed as unknown, never as not met
        assert all(statuses[c] == "not_met" for c in summary["criteria"][key]["not_met"])
        assert all(statuses[c] == "unknown" for c in summary["criteria"][key]["unknown"])
        assert set(summary["criteria"][key]["not_met"]).isdisjoint(
            summary["criteria"][key]["unknown"]
        )
    assert [f["id"] for f in summary["flags"]] == [f["id"] for f in full["flags"]]
    assert to_json(done.document) == to_json(assess(case_from_data(data)).document)
