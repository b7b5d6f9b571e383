"""A criterion result may build its reason, evidence and needs when first read (issue 12):
the lazy and the eager result with the same content are equal, the explanation is built
once, ``needs`` is kept only for an unknown status, and ``verified`` is false when the
rule, the explanation or any evidence says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from neuroig import evaluate
from neuroig.case import case_from_data
from neuroig.criteria.verdict import CriterionResult
from neuroig.evidence import Evidence
from neuroig.tristate import MET, UNKNOWN

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def test_lazy_result_builds_once_and_equals_the_eager_one() -> None:
    calls: list[int] = []
    ev = Evidence("area_drop_pct", 62.0, 50.0, ">=")

    def explain() -> tuple[str, list[Evidence], list[str], bool]:
        calls.append(1)
        return "definite block in left ulnar", [ev], ["ncs.sensory"], True

    lazy = CriterionResult.lazy("MMN10-EDX-DEF", "electrodiagnostic", MET, "stmt", "cite", explain)
    assert (lazy.id, lazy.kind, lazy.status, lazy.statement, lazy.cite) == (
        "MMN10-EDX-DEF",
        "electrodiagnostic",
        MET,
        "stmt",
        "cite",
    )
    assert calls == []
    eager = CriterionResult(
        "MMN10-EDX-DEF",
        "electrodiagnostic",
        MET,
        "stmt",
        "definite block in left ulnar",
        "cite",
        evidence=(ev,),
        needs=["ncs.sensory"],
    )
    assert lazy == eager and hash(lazy) == hash(eager)
    assert lazy.reason == "definite block in left ulnar"
    assert lazy.evidence == (ev,)
    assert lazy.needs == ()  # met: nothing is needed
    assert lazy.verified is True
    assert calls == [1]
    assert lazy.to_dict() == eager.to_dict()


@pytest.mark.parametrize(
    ("stated", "explained", "evidence_verified", "want"),
    [
        (True, True, True, True),
        (False, True, True, False),
        (True, False, True, False),
        (True, True, False, False),
    ],
)
def test_verified_is_false_when_the_rule_the_explanation_or_evidence_is_unverified(
    stated: bool, explained: bool, evidence_verified: bool, want: bool
) -> None:
    ev = Evidence("f_latency_pct_uln", 131.0, verified=evidence_verified)
    r = CriterionResult.lazy(
        "X",
        "electrodiagnostic",
        UNKNOWN,
        "s",
        "c",
        lambda: ("why", [ev], ["ncs.motor"], explained),
        verified=stated,
    )
    assert r.verified is want
    assert r.needs == ("ncs.motor",)  # unknown: the inputs that would decide it


def test_aggregated_criteria_of_an_evaluation_render_like_their_eager_form() -> None:
    """The per-nerve aggregations (CIDP21-MOT-*, CIDP10-EDX-*, MMN10-EDX-*) are lazy; their
    rendered form is what an eager result with the same parts renders."""
    case = case_from_data(json.loads((EXAMPLES / "mmn-definite.json").read_text("utf-8")))
    a = evaluate(case)
    lazy_ids = set()
    for s in a.sets.values():
        for c in s.criteria:
            if c.id.startswith(("CIDP21-MOT-", "CIDP10-EDX-", "MMN10-EDX-")):
                lazy_ids.add(c.id)
                eager = CriterionResult(
                    c.id,
                    c.kind,
                    c.status,
                    c.statement,
                    c.reason,
                    c.cite,
                    evidence=c.evidence,
                    needs=c.needs,
                    verified=c.verified,
                )
                assert eager.to_dict() == c.to_dict()
    assert {"CIDP21-MOT-STRONG", "CIDP10-EDX-DEF", "MMN10-EDX-DEF", "MMN10-EDX-3"} <= lazy_ids
    mmn = a.sets["mmn_efns_pns_2010"].criterion("MMN10-EDX-DEF")
    # the example's definite block is explained with its area evidence
    assert mmn.status == MET
    assert any(e.measure == "area_drop_pct" for e in mmn.evidence)
