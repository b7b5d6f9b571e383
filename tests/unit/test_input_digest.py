"""The assessment's input hash: computed when first read, the same value as before.

``evaluate`` no longer dumps the case for its hash; an assessment carries an
``InputDigest`` that dumps it the first time the hash is read (every rendered document
reads it), so a caller that reads only the decisions never pays for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from tests.conftest import EXAMPLES, example_data

import neuroig
import neuroig.assess as assess_module
from neuroig.assess import InputDigest, evaluate, input_sha256
from neuroig.case import Case, case_from_data, case_to_data, load_case
from neuroig.services import plan as plan_service
from neuroig.services import review as review_service

EXAMPLE_PATHS = sorted(EXAMPLES.glob("*.json"))


def _canonical_sha256(case: Case) -> str:
    # the definition of decision C-L5, written with the standard library's JSON writer
    text = json.dumps(case_to_data(case), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _counting_dumps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real: Callable[[Case], dict[str, Any]] = assess_module.case_to_data

    def counted(case: Case) -> dict[str, Any]:
        calls[0] += 1
        return real(case)

    monkeypatch.setattr(assess_module, "case_to_data", counted)
    return calls


@pytest.mark.parametrize("path", EXAMPLE_PATHS, ids=lambda p: p.stem)
def test_the_hash_read_from_an_assessment_is_the_canonical_json_hash(path: Any) -> None:
    case = load_case(path)
    expected = _canonical_sha256(case)
    result = evaluate(case)
    assert result.input_sha256 == expected
    assert result.input_sha256 == input_sha256(case)
    assert result.to_dict()["input_sha256"] == expected
    assert len(expected) == 64


def test_evaluate_does_not_dump_the_case_and_the_first_read_dumps_it_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = _counting_dumps(monkeypatch)
    result = evaluate(load_case(EXAMPLES / "mmn-definite.json"))
    assert calls[0] == 0
    first = result.input_sha256
    assert calls[0] == 1
    assert result.input_sha256 == first
    assert result.to_dict()["input_sha256"] == first
    assert calls[0] == 1


def test_assessments_are_equal_exactly_when_case_and_decisions_are() -> None:
    data = example_data("mmn-definite")
    a = evaluate(case_from_data(data))
    b = evaluate(case_from_data(data))
    assert a == b
    assert hash(a.digest) == hash(b.digest)
    # an x_ key changes the case (and its hash), not a decision
    changed = evaluate(case_from_data({**data, "x_note": "seen again"}))
    assert changed.sets == a.sets
    assert changed.input_sha256 != a.input_sha256
    assert changed != a
    assert repr(a.digest) == f"InputDigest({a.input_sha256!r})"
    assert (a.digest == "not a digest") is False


def test_a_digest_keeps_the_hash_not_the_case() -> None:
    case = load_case(EXAMPLES / "cidp-typical.json")
    digest = InputDigest(case)
    assert digest.value == input_sha256(case)
    assert digest._case is None
    assert digest.value == input_sha256(case)


def test_plan_and_review_dump_the_case_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting_dumps(monkeypatch)
    planned = plan_service.plan(EXAMPLES / "mmn-definite.json", product="privigen")
    assert calls[0] == 1
    assert planned.document.input_sha256 == input_sha256(planned.case)
    calls[0] = 0
    reviewed = review_service.review(EXAMPLES / "mmn-declining-response.json")
    assert calls[0] == 1
    assert reviewed.document.input_sha256 == neuroig.input_sha256(reviewed.case)


def _read(digest: InputDigest) -> str:
    return digest.value


def test_threads_reading_one_digest_all_get_the_hash() -> None:
    case = load_case(EXAMPLES / "cidp-ivig-responder.json")
    expected = input_sha256(case)
    for _ in range(20):
        digest = InputDigest(case)
        with ThreadPoolExecutor(max_workers=8) as pool:
            values = list(pool.map(_read, [digest] * 8))
        assert values == [expected] * 8
