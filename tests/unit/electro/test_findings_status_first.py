"""Electro findings decide their status first and build the reason and evidence when
first read (issue 12); an eager finding and a lazy one with the same content are equal."""

from __future__ import annotations

from neuroig.electro import Finding
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
