"""Validate a case without one Python call per object, with the models' own result.

The case models (:mod:`neuroig.case.base`) refuse unknown keys with a Python wrap
validator, so that one run lists unknown keys together with every other problem of the
same object. That validator runs once for every object of a case (about a hundred in a
typical one) and was about 40 % of a validation.

:func:`validate_case` first runs a second validator built once from the same core schema
(the same models, fields, constraints and validators), in which pydantic-core itself
refuses unknown keys: the Python wrap is removed and every closed model accepts extra keys
only when they start with ``x_``. A document it accepts is the case the models build
(same values, same keys given, same ``x_`` extras). Anything it refuses is validated
again by the models, whose errors (every problem, unknown keys with the allowed ones) are
the ones reported: the fast validator's own errors are never shown.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any, cast

from pydantic import ValidationError
from pydantic_core import CoreSchema, SchemaValidator

from neuroig.case.base import CaseModel
from neuroig.case.model import Case

__all__ = ["fast_schema", "validate_case"]

#: What a closed model accepts as an extra key (the case format's extensions).
_EXTENSION_KEY: dict[str, Any] = {"type": "str", "pattern": "^x_", "strict": True}


def _is_key_check(node: dict[str, Any]) -> bool:
    """The wrap node of :meth:`CaseModel._reject_unknown_keys` (bound to a case model)."""
    if node.get("type") != "function-wrap":
        return False
    function = node.get("function", {}).get("function")
    owner = getattr(function, "__self__", None)
    return (
        getattr(function, "__name__", None) == CaseModel._reject_unknown_keys.__name__
        and isinstance(owner, type)
        and issubclass(owner, CaseModel)
    )


def _transform(node: Any) -> Any:
    if isinstance(node, list):
        return [_transform(x) for x in node]
    if not isinstance(node, dict):
        return node
    if _is_key_check(node):
        inner = _transform(node["schema"])
        if "ref" in node:  # the wrap carried the model's definition reference
            inner = {**inner, "ref": node["ref"]}
        return inner
    out = {k: _transform(v) for k, v in node.items()}
    cls = out.get("cls")
    if out.get("type") == "model" and isinstance(cls, type) and issubclass(cls, CaseModel):
        fields = out["schema"]
        if fields.get("type") != "model-fields":
            raise TypeError(f"{cls.__name__}: unexpected core schema {fields.get('type')!r}")
        if not cls._open:
            out["schema"] = {**fields, "extras_keys_schema": _EXTENSION_KEY}
    return out


def fast_schema() -> dict[str, Any]:
    """The case's core schema without the Python key check, extra keys limited to ``x_``."""
    Case.model_rebuild()  # the models defer their build to first use
    schema: dict[str, Any] = _transform(Case.__pydantic_core_schema__)
    return schema


@cache
def _fast_validator() -> SchemaValidator:
    return SchemaValidator(cast("CoreSchema", fast_schema()))


def validate_case(data: Any, context: dict[str, Any] | None = None) -> Case:
    """Validate ``data`` as a :class:`Case`; raise the models' own ``ValidationError``.

    ``context`` may hold ``{"today": date}``, the day of the run (decision P11); it is
    taken once here when not given, not once per date of the case.
    """
    if context is None or "today" not in context:
        context = {**(context or {}), "today": date.today()}
    try:
        case: Case = _fast_validator().validate_python(data, context=context)
        return case
    except ValidationError:
        return Case.model_validate(data, context=context)
