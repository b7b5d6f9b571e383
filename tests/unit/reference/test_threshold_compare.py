"""A threshold compares ``value <comparator> threshold`` exactly as its comparator says,
on the boundary included; every shipped threshold names one of the four comparators."""

from __future__ import annotations

from typing import cast

import pytest

from neuroig.reference.thresholds import Comparator, Threshold, thresholds


def _t(comparator: str) -> Threshold:
    return Threshold("x", 50.0, cast(Comparator, comparator), "%", "statement", "source", True)


@pytest.mark.parametrize(
    ("comparator", "below", "at", "above"),
    [
        (">=", False, True, True),
        (">", False, False, True),
        ("<=", True, True, False),
        ("<", True, False, False),
    ],
)
def test_each_comparator_on_and_around_the_boundary(
    comparator: str, below: bool, at: bool, above: bool
) -> None:
    t = _t(comparator)
    assert (t.holds(49.999), t.holds(50.0), t.holds(50.001)) == (below, at, above)
    assert t.holds_or_none(None) is None
    assert t.holds_or_none(50.0) is at


def test_every_shipped_threshold_has_a_known_comparator() -> None:
    assert {t.comparator for t in thresholds().values()} <= {">=", ">", "<=", "<"}
    assert len(thresholds()) >= 40  # the tables ship 45
