"""Hypothesis mutates valid cases; only neuroig's own exceptions may escape.

Public functions (``parse_case``, ``case_from_data``, ``evaluate``) raise nothing but
:class:`~neuroig.errors.NeuroigError`; every CLI command exits 0 or 2 with no Python
exception. Profiles: ``ci`` (derandomised, the default) and ``long``
(``HYPOTHESIS_PROFILE=long``), registered in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLES, example_data
from typer.testing import CliRunner

from neuroig import evaluate, parse_case
from neuroig.case import case_from_data
from neuroig.case.boundary import TextFormat
from neuroig.cli.app import app
from neuroig.errors import NeuroigError

runner = CliRunner()
BASES = sorted(p.stem for p in EXAMPLES.glob("*.json"))

# Hostile leaf values: wrong types, bounds, huge and tiny numbers, control and markup
# characters (markup and mathtext are left to the report renderers' own tests).
_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="[]$", blacklist_categories=("Cs",)),
    max_size=30,
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 1e-308, 1e308, 0.001, 99999, "2099-01-01", "0001-01-01", "", " x"]),
    _TEXT,
    st.lists(st.integers(0, 5), max_size=3),
    st.dictionaries(_TEXT, st.integers(), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*prefix, i))
            out.extend(_paths(v, (*prefix, i)))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid example with 1-4 random edits: replace, delete or duplicate a value."""
    data = copy.deepcopy(example_data(draw(st.sampled_from(BASES))))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "nest"]))
        if action == "replace":
            parent[path[-1]] = draw(LEAVES)
        elif action == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = [parent[path[-1]]]
    return data


@settings(max_examples=150)
@given(mutated())
def test_only_neuroig_errors_escape_the_public_functions(data: dict[str, Any]) -> None:
    text = json.dumps(data)
    for call in (
        lambda: parse_case(text),
        lambda: case_from_data(data),
        lambda: evaluate(parse_case(text)),
    ):
        with contextlib.suppress(NeuroigError):
            call()


@settings(max_examples=150)
@given(mutated(), st.integers(0, 10_000), st.binary(max_size=8))
def test_only_neuroig_errors_escape_damaged_text(
    data: dict[str, Any], cut: int, noise: bytes
) -> None:
    text = json.dumps(data)
    damaged = text[: cut % (len(text) + 1)] + noise.decode("latin-1")
    formats: tuple[TextFormat | None, ...] = ("json", "yaml", None)
    for fmt in formats:
        with contextlib.suppress(NeuroigError):
            parse_case(damaged, fmt=fmt)


COMMANDS = (
    ["validate"],
    ["show"],
    ["ncs"],
    ["ncs", "--json"],
    ["evaluate"],
    ["evaluate", "--json"],
    ["plan"],
    ["plan", "--json"],
    ["review"],
    ["review", "--json"],
)


@settings(max_examples=25)
@given(mutated())
def test_every_cli_command_exits_0_or_2_without_an_exception(
    tmp_path_factory: Any, data: dict[str, Any]
) -> None:
    path: Path = tmp_path_factory.mktemp("m") / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for command in COMMANDS:
        result = runner.invoke(app, [command[0], str(path), *command[1:]])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command,
            repr(result.exception),
        )
        assert result.exit_code in (0, 2), (command, result.exit_code, result.stderr)
