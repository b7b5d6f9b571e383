"""Electro findings decide their status first and build the reason and evidence when
first read (issue 12); an eager finding and a lazy one with the same content are equal."""

from __future__ import annotations

import json
from pathlib import Path

from neuroig.case import case_from_data
from neuroig.electro import ElectroOptions, Finding, analyse
from neuroig.electro.nerve import FINDING_IDS, FINDINGS_OF
from neuroig.evidence import Evidence
from neuroig.tristate import MET


def test_lazy_finding_builds_its_explanation_once_on_first_read() -> None:
    calls: list[str] = []

    def explain() -> tuple[str, list[Evidence]]:
        calls.append("built")
        return "DML 6.3 ms = 150.0 % of ULN 4.2 ms", [Evidence("distal_latency_pct_uln", 150.0)]

    f = Finding.lazy("CIDP21-MOT-a", MET, "distal motor latency", "cite", explain)
    assert (f.id, f.status, f.statement, f.cite) == (
        "CIDP21-MOT-a",
        MET,
        "distal motor latency",
        "cite",
    )
    assert calls == []
    # 6.3 / 4.2 = 1.5 -> 150.0 % of ULN
    assert f.reason == "DML 6.3 ms = 150.0 % of ULN 4.2 ms"
    assert f.evidence == (Evidence("distal_latency_pct_uln", 150.0),)
    assert calls == ["built"]
    eager = Finding(
        "CIDP21-MOT-a",
        MET,
        "distal motor latency",
        "DML 6.3 ms = 150.0 % of ULN 4.2 ms",
        "cite",
        (Evidence("distal_latency_pct_uln", 150.0),),
    )
    assert f == eager and hash(f) == hash(eager)


def test_findings_of_a_set_are_the_findings_whose_ids_carry_its_prefix() -> None:
    # every id belongs to exactly one set's positions
    covered = [i for part in FINDINGS_OF.values() for i in range(len(FINDING_IDS))[part]]
    assert sorted(covered) == list(range(len(FINDING_IDS)))
    root = Path(__file__).resolve().parents[3] / "examples"
    case = case_from_data(json.loads((root / "mmn-definite.json").read_text(encoding="utf-8")))
    electro = analyse(case, ElectroOptions())
    assert electro is not None and electro.motor
    for m in electro.motor:
        assert [f.id for f in m.findings] == list(FINDING_IDS)
        assert m.statuses(FINDING_IDS[::-1]) == [f.status for f in reversed(m.findings)]
        for prefix in FINDINGS_OF:
            assert m.findings_of(prefix) == tuple(f for f in m.findings if f.id.startswith(prefix))
