"""The fast case validator accepts exactly what the case models accept, with the same result.

``neuroig.case.validator`` validates first with a validator built from the models' core
schema without the Python unknown-key check (pydantic-core limits extra keys to ``x_``),
and falls back to the models on any refusal. These tests hold it to the models.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from tests.conftest import EXAMPLES, example_data
from tests.fuzz.test_mutations import mutated
from tests.property.strategies import cases

from neuroig.case import parse_case
from neuroig.case.base import CaseModel
from neuroig.case.model import Case
from neuroig.case.validator import (
    _fast_validator,
    build_validator,
    enforces_key_limit,
    fast_schema,
    validate_case,
)
from neuroig.errors import CaseValidationError

BASES = sorted(p.stem for p in EXAMPLES.glob("*.json"))


def _outcome(validate: Any, data: Any) -> tuple[str, Any]:
    try:
        case = validate(data)
    except ValidationError:
        return "refused", None
    return "accepted", case


def _fast() -> Any:
    validator = _fast_validator()
    assert validator is not None, "the fast validator failed its self-check"
    return validator.validate_python


def _same(data: Any) -> None:
    """Models and fast validator agree: both refuse, or both build the same case."""
    slow, slow_case = _outcome(Case.model_validate, copy.deepcopy(data))
    fast, fast_case = _outcome(_fast(), copy.deepcopy(data))
    assert fast == slow
    if slow == "accepted":
        assert fast_case == slow_case
        assert fast_case.model_dump(mode="json", exclude_unset=True) == slow_case.model_dump(
            mode="json", exclude_unset=True
        )
        assert fast_case.model_fields_set == slow_case.model_fields_set
        assert fast_case.__pydantic_extra__ == slow_case.__pydantic_extra__


def _objects(node: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            out.append(v)
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return out


@st.composite
def with_keys(draw: st.DrawFn) -> dict[str, Any]:
    """An example (maybe mutated) with keys added to some of its objects: unknown keys,
    ``x_`` extensions, keys that only differ in case or by a leading space."""
    data = draw(mutated()) if draw(st.booleans()) else example_data(draw(st.sampled_from(BASES)))
    objects = _objects(data)
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(objects))
        key = draw(
            st.sampled_from(["x_note", "x_", "X_note", " x_note", "unknown", "notes", "xnote"])
        )
        target[key] = draw(st.sampled_from([1, "text", None, {"a": 1}]))
    return data


@given(mutated())
def test_agrees_with_the_models_on_mutated_examples(data: dict[str, Any]) -> None:
    _same(data)


@given(with_keys())
def test_agrees_with_the_models_on_added_keys(data: dict[str, Any]) -> None:
    _same(data)


@given(cases())
def test_agrees_with_the_models_on_generated_cases(data: dict[str, Any]) -> None:
    _same(data)


@pytest.mark.parametrize("name", BASES)
def test_every_example_builds_the_same_case(name: str) -> None:
    data = example_data(name)
    assert validate_case(data) == Case.model_validate(data)
    _same(data)


def test_the_fast_schema_has_no_python_key_check_and_limits_extra_keys() -> None:
    closed: set[str] = set()
    open_models: set[str] = set()
    wraps: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for x in node:
                walk(x)
        elif isinstance(node, dict):
            function = node.get("function")
            if isinstance(function, dict):
                wraps.append(getattr(function.get("function"), "__name__", ""))
            cls = node.get("cls")
            if node.get("type") == "model" and isinstance(cls, type):
                assert issubclass(cls, CaseModel)
                keys = node["schema"].get("extras_keys_schema")
                if cls._open:
                    assert keys is None
                    open_models.add(cls.__name__)
                else:
                    assert keys == {"type": "str", "pattern": "^x_", "strict": True}
                    closed.add(cls.__name__)
            for v in node.values():
                walk(v)

    walk(fast_schema())
    assert "_reject_unknown_keys" not in wraps
    assert {"Case", "Patient", "MotorStudy", "MotorSiteResult"} <= closed
    assert "Regimen" in open_models


def test_a_refused_document_reports_the_models_problems_all_together() -> None:
    data = example_data("mmn-definite")
    data["patient"]["weigth_kg"] = 70
    data["patient"]["sex"] = "unknown sex"
    data["x_team"] = "kept"
    with pytest.raises(CaseValidationError) as info:
        parse_case(json.dumps(data))
    paths = [p.path for p in info.value.problems]
    assert "patient.weigth_kg" in paths
    assert "patient.sex" in paths
    unknown = next(p for p in info.value.problems if p.path == "patient.weigth_kg")
    assert "unknown key" in unknown.message
    assert "weight_kg" in str(unknown.allowed)
    del data["patient"]["weigth_kg"], data["patient"]["sex"]
    case = validate_case(data)
    assert case.__pydantic_extra__ is not None
    assert case.__pydantic_extra__["x_team"] == "kept"


def test_the_self_check_refuses_a_validator_that_ignores_unknown_keys() -> None:
    """Without the extra-key limit (as on a pydantic-core that ignored it) the fast
    validator would accept unknown keys: the self-check turns it off."""
    assert enforces_key_limit(build_validator(fast_schema()))
    assert not enforces_key_limit(build_validator(fast_schema(limit_extra_keys=False)))


def test_the_models_validate_when_the_fast_validator_is_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from neuroig.case import validator

    monkeypatch.setattr(validator, "_fast_validator", lambda: None)
    data = example_data("mmn-definite")
    assert validate_case(data) == Case.model_validate(data)
    data["patient"]["weigth_kg"] = 70
    with pytest.raises(ValidationError):
        validate_case(data)
