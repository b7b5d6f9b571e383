"""Three-valued logic (met, not met, unknown) as docs/decisions.md uses it (E-L2)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuroig.tristate import MET, NOT_MET, UNKNOWN, all_of, any_of, at_least, decide, negate

S = st.sampled_from([MET, NOT_MET, UNKNOWN])


@pytest.mark.parametrize(
    ("items", "and_", "or_"),
    [
        ([MET, MET], MET, MET),
        ([MET, UNKNOWN], UNKNOWN, MET),
        ([NOT_MET, UNKNOWN], NOT_MET, UNKNOWN),
        ([NOT_MET, MET], NOT_MET, MET),
        ([UNKNOWN, UNKNOWN], UNKNOWN, UNKNOWN),
        ([NOT_MET, NOT_MET], NOT_MET, NOT_MET),
        ([], MET, NOT_MET),
    ],
)
def test_and_or(items: list[str], and_: str, or_: str) -> None:
    assert all_of(items) == and_
    assert any_of(items) == or_


@pytest.mark.parametrize(
    ("n", "items", "want"),
    [
        (2, [MET, MET, NOT_MET], MET),
        (2, [MET, UNKNOWN, NOT_MET], UNKNOWN),
        (2, [MET, NOT_MET, NOT_MET], NOT_MET),
        (1, [UNKNOWN], UNKNOWN),
        (1, [], NOT_MET),
    ],
)
def test_at_least(n: int, items: list[str], want: str) -> None:
    assert at_least(n, items) == want


@given(st.lists(S, max_size=6))
def test_unknown_never_resolves_to_not_met_when_it_could_be_met(items: list[str]) -> None:
    # Replacing every unknown by met can only move AND/OR/at-least towards met, never the reverse.
    optimistic = [MET if s == UNKNOWN else s for s in items]
    for f in (all_of, any_of, lambda xs: at_least(2, xs)):
        if f(items) == NOT_MET:
            assert f(optimistic) == NOT_MET


def test_negate() -> None:
    assert [negate(s) for s in (MET, NOT_MET, UNKNOWN)] == [NOT_MET, MET, UNKNOWN]


def test_decide_case_splits_unknown_conditions() -> None:
    # x or not x is met whatever x is; x and y with y false is not met
    assert decide(lambda w: w["x"] or not w["x"], {"x": None}) == MET
    assert decide(lambda w: w["x"] and w["y"], {"x": None, "y": False}) == NOT_MET
    assert decide(lambda w: w["x"], {"x": None}) == UNKNOWN
    assert decide(lambda w: w["x"], {"x": True}) == MET


@given(st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=4))
def test_decide_agrees_with_all_of_on_conjunctions(values: list[bool | None]) -> None:
    conds = {f"c{i}": v for i, v in enumerate(values)}
    want = all_of([{True: MET, False: NOT_MET, None: UNKNOWN}[v] for v in values])
    assert decide(lambda w: all(w.values()), conds) == want
    _ = itertools
