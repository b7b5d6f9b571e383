"""The fast JSON path of the input boundary gives the reference path's data or defers to it.

``parse_document`` first parses JSON with a C parser and one counting pass
(``_fast_json``); anything unusual goes to the reference path (``json`` with a hook for
repeated keys, then the limit checks). These tests hold the fast path to the reference:
same data (types included), and never a document the reference path refuses.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuroig.case.boundary import (
    _SLOW,
    MAX_DEPTH,
    _check,
    _fast_json,
    _load_json,
    parse_document,
)
from neuroig.errors import CaseError, CaseValidationError, InputLimitError

KEYS = st.text(max_size=6) | st.sampled_from(['a"b', "a\\b", "x_", "é", "\\", '"', "a:b"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(['\\"', "\\\\", '"', "\u2265", "\\u0022"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=25,
)


def _typed(v: Any) -> Any:
    """The value with every number tagged by its type (1 and 1.0 and True differ)."""
    if isinstance(v, dict):
        return {k: _typed(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_typed(x) for x in v]
    return (type(v).__name__, v)


def _reference(text: str) -> tuple[str, Any]:
    try:
        data = _load_json(text)
        _check(data, None)
    except (CaseError, ValueError) as exc:
        return "refused", type(exc).__name__
    return "accepted", data


def _agrees(text: str) -> None:
    fast = _fast_json(text)
    outcome, data = _reference(text)
    if fast is not _SLOW:
        assert outcome == "accepted"
        assert _typed(fast) == _typed(data)
        assert list(_walk_keys(fast)) == list(_walk_keys(data))  # same key order


def _walk_keys(v: Any) -> Any:
    if isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from _walk_keys(x)
    elif isinstance(v, list):
        for x in v:
            yield from _walk_keys(x)


@given(JSON, st.booleans())
def test_any_document_gives_the_reference_data(value: Any, ascii_only: bool) -> None:
    _agrees(json.dumps(value, ensure_ascii=ascii_only))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_parse_to_the_same_float(x: float) -> None:
    for text in (repr(x), f"{x:.17e}", f"{x:.3e}", f"{x:.25f}"):
        _agrees(f'{{"v": {text}}}')


@given(st.text(alphabet="0123456789", min_size=1, max_size=40), st.integers(-400, 400))
def test_long_decimals_parse_to_the_same_number(digits: str, exponent: int) -> None:
    _agrees(f'{{"v": 0.{digits}e{exponent}, "w": {digits.lstrip("0") or "0"}}}')


@given(JSON, st.data())
def test_a_repeated_key_is_never_taken_by_the_fast_path(value: Any, data: st.DataObject) -> None:
    """Repeat one key of a document (same or another value): the fast path defers, and
    the reference path names the repeated key."""
    doc = {"k": value, "other": [value]}
    text = json.dumps(doc)
    repeated = text[:-1] + ', "k": ' + json.dumps(data.draw(JSON)) + "}"
    assert _fast_json(repeated) is _SLOW
    with pytest.raises(CaseValidationError) as info:
        parse_document(repeated, "json")
    assert any(p.path == "k" and "appears twice" in p.message for p in info.value.problems)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"a": 1e999}',
        '{"a": 1234567890123456789012}',
        '{"a": 1, "a": 1}',
        '{"a": {"b": 1, "b": 2}}',
        '{"a": "x\\"", "a": 2}',
        '[{"a": "\\\\", "a": 2}]',
        "{" * 40 + "}" * 40,
        '{"a": 1,}',
        '{"a": "\\ud800"}',
    ],
)
def test_the_reference_path_decides_every_unusual_document(text: str) -> None:
    assert _fast_json(text) is _SLOW
    _agrees(text)


def test_depth_limit_is_the_reference_one() -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert _fast_json(ok) is not _SLOW
    parse_document(ok, "json")
    assert _fast_json(too_deep) is _SLOW
    with pytest.raises(InputLimitError):
        parse_document(too_deep, "json")


def test_a_null_document_is_data_not_the_marker() -> None:
    assert _fast_json("null") is None
    assert parse_document("null", "json") is None
    assert math.isclose(parse_document("[1.5]", "json")[0], 1.5)
