"""One home per rule (issue 12): every criterion id that the output of an example shows
is defined exactly once in ``src/``, so grepping an id lands on the code that decides it;
and the ids that docstrings and comments name exist.

A *defining* occurrence is the id as a string literal

* in the first argument of a builder of a verdict (``make`` for criteria, ``Finding`` /
  ``Finding.lazy`` and the motor-finding builders of ``electro/nerve.py``, ``add`` for
  flags),
* among the arguments of ``rule_ids(...)`` (ids a shared builder decides for a set), or
* as the value of a module constant whose name ends in ``_ID``.

Every other occurrence (``s["MMN10-EDX-DEF"]``, ``m.finding("CIDP21-MOT-e")``, a
category rule's list of the ids it reads) is a reference.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES, example_data

from neuroig.assess import EvaluateOptions, evaluate
from neuroig.case import case_from_data

SRC = Path(__file__).resolve().parents[2] / "src" / "neuroig"
DEFINERS = frozenset(
    {
        "make",
        "Finding",
        "lazy",
        "add",
        "_dml",
        "_velocity",
        "_f_latency",
        "_f_absent",
        "_any_segment",
        "_duration",
    }
)
#: An id as the output writes it: upper-case groups joined by hyphens, e.g. MMN10-EDX-DEF,
#: CIDP21-MOT-a, EFNS-MMN-BLOCK-PROB, RF-DIABETES (a lower-case last group is a letter).
ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*(-[A-Za-z0-9]+)$")
#: Prefixes of rule ids, to find ids named in docstrings and comments.
ID_IN_TEXT = re.compile(
    r"\b(?:MMN10|CIDP10|CIDP21|AAEM|EFNS-MMN|CIDP-EXCL|LMN-FLAG|RF)-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
)


def _callee(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and ID.match(node.value):
        return node.value
    return None


def definitions() -> dict[str, list[str]]:
    """Every defining occurrence of an id in ``src/neuroig``: id -> ``file:line`` list."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(SRC.parent)

        def note(value: str | None, line: int, where: Path = where) -> None:
            if value is not None:
                found[value].append(f"{where}:{line}")

        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                name = _callee(node)
                if name == "rule_ids":
                    for arg in node.args:
                        note(_literal(arg), node.lineno)
                elif name in DEFINERS:
                    note(_literal(node.args[0]), node.lineno)
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and stmt.value is not None:
                for target in stmt.targets:
                    if isinstance(target, ast.Name) and target.id.endswith("_ID"):
                        note(_literal(stmt.value), stmt.lineno)
    return found


def _ids(doc: Any) -> Iterator[str]:
    """Ids shown in a ``neuroig-assessment/1`` document: every ``id`` value and the keys
    of the ``electro.rules`` map."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key == "id" and isinstance(value, str):
                yield value
            elif key == "rules" and isinstance(value, dict):
                yield from value
            yield from _ids(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from _ids(value)


def shown_ids() -> set[str]:
    out: set[str] = set()
    for name in sorted(p.stem for p in EXAMPLES.glob("*.json")):
        case = case_from_data(example_data(name))
        for options in (EvaluateOptions(), EvaluateOptions(True, True)):
            out.update(i for i in _ids(evaluate(case, options).to_dict()) if ID.match(i))
    return out


DEFINED = definitions()
SHOWN = sorted(shown_ids())


def test_the_examples_show_the_rules_of_every_layer() -> None:
    # criteria (MMN10-, AAEM-, CIDP21-, CIDP10-), electro findings and flags all appear
    for prefix in ("MMN10-", "AAEM-", "CIDP21-CLIN-", "CIDP10-", "CIDP21-MOT-a", "EFNS-MMN-"):
        assert any(i.startswith(prefix) for i in SHOWN), prefix
    assert len(SHOWN) >= 80


@pytest.mark.parametrize("rule_id", SHOWN)
def test_each_shown_id_has_exactly_one_home(rule_id: str) -> None:
    homes = DEFINED.get(rule_id, [])
    assert len(homes) == 1, f"{rule_id} defined {len(homes)} times: {homes}"


def test_the_mmn_block_grade_lives_with_its_ids() -> None:
    # the segment grade and the per-nerve findings shown under these ids: criteria/mmn_block.py
    for rule_id in ("EFNS-MMN-BLOCK-DEF", "EFNS-MMN-BLOCK-PROB"):
        assert DEFINED[rule_id][0].startswith("neuroig/criteria/mmn_block.py:")
    electro_src = "\n".join(p.read_text(encoding="utf-8") for p in (SRC / "electro").glob("*.py"))
    assert "mmn10.definite.area_drop_pct" not in electro_src  # no grading threshold in electro


def _prose(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every docstring and comment of a module."""
    text = path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            if doc and node.body:
                start = node.body[0].lineno
                for i, line in enumerate(doc.splitlines()):
                    yield start + i, line
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT:
            yield tok.start[0], tok.string


def test_ids_named_in_docstrings_and_comments_exist() -> None:
    # a trailing ".." range such as MMN10-SUP-1..4 names ids by their common start
    unknown: dict[str, list[str]] = defaultdict(list)
    for path in sorted(SRC.rglob("*.py")):
        for n, line in _prose(path):
            for m in ID_IN_TEXT.finditer(line):
                token = m.group(0)
                if token in DEFINED or any(d.startswith(token + "-") for d in DEFINED):
                    continue
                if line[m.end() : m.end() + 2] == "..":
                    continue
                unknown[token].append(f"{path.relative_to(SRC.parent)}:{n}")
    assert not unknown, dict(unknown)


def test_an_id_that_no_code_defines_is_caught() -> None:
    # the id the old block-grade docstring named, found nowhere else in the code
    assert "MMN10-EDX-1" not in DEFINED
    assert not any(d.startswith("MMN10-EDX-1-") for d in DEFINED)


def test_a_second_definition_is_caught() -> None:
    # the check itself: a fake module defining MMN10-EDX-DEF again counts as a second home
    tree = ast.parse('make("MMN10-EDX-DEF", "x")\nOTHER_ID = "MMN10-EDX-DEF"\n')
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _callee(n) in DEFINERS]
    assert [_literal(c.args[0]) for c in calls] == ["MMN10-EDX-DEF"]
    assert len(DEFINED["MMN10-EDX-DEF"]) + len(calls) == 2
