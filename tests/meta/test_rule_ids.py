"""One home per rule: every criterion, finding, flag and gate id is defined in one module,
no id is used for two kinds of rule, and every id the outputs show carries its citation.

The static half reads the source (ids are string literals at their definition); the
dynamic half runs every example case through the criteria and the planner and checks
that each result names its source.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from neuroig.assess import evaluate
from neuroig.case import load_case
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.params import flag_gates
from neuroig.therapy.plan import plan

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "neuroig"
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))

#: How each kind of rule id is defined in the source.
DEFINITIONS = {
    "finding": re.compile(r'Finding\(\s*"([A-Z][A-Z0-9-]+)"'),
    "criterion": re.compile(r'\bmake\(\s*"([A-Z][A-Za-z0-9_.-]+)"'),
    "flag": re.compile(r'\badd\(\s*"([A-Z][A-Z0-9-]+)"'),
}


def defined_ids(text_by_file: dict[str, str]) -> dict[str, dict[str, set[str]]]:
    """kind → id → the files that define it."""
    out: dict[str, dict[str, set[str]]] = {k: defaultdict(set) for k in DEFINITIONS}
    for name, text in text_by_file.items():
        for kind, pattern in DEFINITIONS.items():
            for m in pattern.finditer(text):
                out[kind][m.group(1)].add(name)
    return out


def problems(defs: dict[str, dict[str, set[str]]]) -> list[str]:
    found = []
    for kind, ids in defs.items():
        for rule_id, files in sorted(ids.items()):
            if len(files) > 1:
                found.append(f"{kind} {rule_id} is defined in {sorted(files)}")
    kinds = list(defs)
    for i, a in enumerate(kinds):
        for b in kinds[i + 1 :]:
            for rule_id in sorted(set(defs[a]) & set(defs[b])):
                found.append(f"{rule_id} is both a {a} and a {b} id")
    return found


def _source() -> dict[str, str]:
    return {
        str(p.relative_to(SRC)): p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py"))
    }


def test_every_rule_id_has_one_home() -> None:
    defs = defined_ids(_source())
    assert len(defs["finding"]) >= 20 and len(defs["criterion"]) >= 20  # the scan finds them
    assert problems(defs) == []


def test_the_checker_reports_a_rule_defined_twice_and_an_id_of_two_kinds() -> None:
    defs = defined_ids(
        {
            "therapy/a.py": 'Finding("SAFE-X", "warn", "t", "s")\nadd("RF-Y", "warn", "t")',
            "therapy/b.py": 'Finding(\n    "SAFE-X", "info", "t", "s")\nmake("RF-Y", "c")',
        }
    )
    assert problems(defs) == [
        "finding SAFE-X is defined in ['therapy/a.py', 'therapy/b.py']",
        "RF-Y is both a criterion and a flag id",
    ]


def test_gate_ids_are_one_per_flag_and_every_gate_is_cited() -> None:
    gates = flag_gates()
    assert len(gates) == 10
    for flag, gate in gates.items():
        assert gate.id.startswith("GATE-"), flag
        assert gate.source and gate.text, flag
    findings = set(defined_ids(_source())["finding"])
    assert not findings & {g.id for g in gates.values()}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_criterion_flag_and_finding_of_an_example_is_cited(path: Path) -> None:
    case = load_case(path)
    assessment = evaluate(case)
    seen: set[tuple[str, str]] = set()
    for set_id, result in assessment.sets.items():
        assert result.cite, set_id
        for c in result.criteria:
            assert c.cite, f"{set_id} {c.id} has no citation"
            assert (set_id, c.id) not in seen, f"{c.id} reported twice"
            seen.add((set_id, c.id))
    for flag in assessment.flags:
        assert flag.cite, f"flag {flag.id} has no citation"
    options = PlanOptions(start=date(2026, 12, 1), product="privigen")
    planned = plan(case, options, diagnosis=assessment.diagnosis)
    for f in planned.safety:
        assert f.source, f"finding {f.id} has no source"
