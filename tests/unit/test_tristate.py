"""Three-valued logic (met, not met, unknown) as docs/decisions.md uses it (E-L2)."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuroig.criteria.cidp_common import with_other
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


def _worlds(items: list[str]) -> list[list[bool]]:
    """Every assignment of the unknown items (met → True, not met → False)."""
    free = [i for i, s in enumerate(items) if s == UNKNOWN]
    out = []
    for values in itertools.product((True, False), repeat=len(free)):
        world = [s == MET for s in items]
        for i, v in zip(free, values, strict=True):
            world[i] = v
        out.append(world)
    return out


def _split(items: list[str], holds: Callable[[list[bool]], bool]) -> str:
    outcomes = {holds(w) for w in _worlds(items)}
    return MET if outcomes == {True} else NOT_MET if outcomes == {False} else UNKNOWN


@given(st.lists(S, max_size=7), st.integers(min_value=0, max_value=4))
def test_combinators_agree_with_case_splitting_whatever_the_iterable(
    items: list[str], n: int
) -> None:
    for shape in (list, tuple, iter):
        assert all_of(shape(items)) == _split(items, all)
        assert any_of(shape(items)) == _split(items, any)
        assert at_least(n, shape(items)) == _split(items, lambda w: sum(w) >= n)


@given(st.lists(st.tuples(S, S), max_size=6), st.integers(min_value=1, max_value=3))
def test_with_other_agrees_with_case_splitting(pairs: list[tuple[str, str]], n: int) -> None:
    """≥ n nerves meet X and another nerve meets another parameter."""
    xs = [x for x, _ in pairs]
    others = [o for _, o in pairs]
    k = len(pairs)

    def holds(w: list[bool]) -> bool:
        x, o = w[:k], w[k:]
        return any(o[j] and sum(x[i] for i in range(k) if i != j) >= n for j in range(k))

    assert with_other(xs, others, n) == _split(xs + others, holds)
