"""The emitter refuses NaN and infinity wherever they sit, and passes every finite value."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neuroig.errors import InputError
from neuroig.schemas.emit import check_finite


class Ratio(float):
    """A float subclass: checked like a float."""


class Table(dict[str, Any]):
    """A dict subclass: walked like a dict."""


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, Ratio(math.nan)])
@pytest.mark.parametrize(
    "wrap",
    [
        lambda v: v,
        lambda v: {"a": [1, "x", None, True, {"b": (2.5, v)}]},
        lambda v: [[[v]]],
        lambda v: Table(deep=[v]),
    ],
)
def test_a_non_finite_number_anywhere_is_refused(bad: float, wrap: Any) -> None:
    with pytest.raises(InputError, match="only finite numbers"):
        check_finite(wrap(bad))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=30,
)


@given(json_values)
def test_finite_documents_pass(doc: Any) -> None:
    check_finite(doc)
