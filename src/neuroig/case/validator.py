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

The fast validator is used only when it passes a self-check when built (a document with
an unknown key is refused, one with an ``x_`` key is accepted and keeps it): a
pydantic-core that ignored the extra-key limit would otherwise accept unknown keys, and
then every case is validated by the models alone.
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


def _transform(node: Any, limit: bool) -> Any:
    if isinstance(node, list):
        return [_transform(x, limit) for x in node]
    if not isinstance(node, dict):
        return node
    if _is_key_check(node):
        inner = _transform(node["schema"], limit)
        if "ref" in node:  # the wrap carried the model's definition reference
            inner = {**inner, "ref": node["ref"]}
        return inner
    out = {k: _transform(v, limit) for k, v in node.items()}
    cls = out.get("cls")
    if out.get("type") == "model" and isinstance(cls, type) and issubclass(cls, CaseModel):
        fields = out["schema"]
        if fields.get("type") != "model-fields":
            raise TypeError(f"{cls.__name__}: unexpected core schema {fields.get('type')!r}")
        if limit and not cls._open:
            out["schema"] = {**fields, "extras_keys_schema": _EXTENSION_KEY}
    return out


def fast_schema(*, limit_extra_keys: bool = True) -> dict[str, Any]:
    """The case's core schema without the Python key check; extra keys of closed models
    limited to ``x_`` (``limit_extra_keys=False`` only to test the self-check)."""
    Case.model_rebuild()  # the models defer their build to first use
    schema: dict[str, Any] = _transform(Case.__pydantic_core_schema__, limit_extra_keys)
    return schema


def _case_config(node: Any) -> Any:
    """The core config of the :class:`Case` model node (the one pydantic builds with)."""
    if isinstance(node, list):
        return next((c for c in map(_case_config, node) if c is not None), None)
    if not isinstance(node, dict):
        return None
    if node.get("type") == "model" and node.get("cls") is Case:
        return node.get("config")
    return _case_config(list(node.values()))


def build_validator(schema: dict[str, Any]) -> SchemaValidator:
    """A validator of ``schema`` with the configuration of the case model."""
    return SchemaValidator(cast("CoreSchema", schema), _case_config(schema))


_PROBE: dict[str, Any] = {"format": "neuroig-case/1", "case_id": "self-check"}


def enforces_key_limit(validator: SchemaValidator) -> bool:
    """True if ``validator`` refuses an unknown key and keeps an ``x_`` key."""
    try:
        validator.validate_python({**_PROBE, "unknown_key": 1})
        return False
    except ValidationError as exc:
        if not any(e["loc"] == ("unknown_key",) for e in exc.errors()):
            return False
    try:
        kept = validator.validate_python({**_PROBE, "x_key": 1})
    except ValidationError:
        return False
    return isinstance(kept, Case) and kept.__pydantic_extra__ == {"x_key": 1}


@cache
def _fast_validator() -> SchemaValidator | None:
    validator = build_validator(fast_schema())
    return validator if enforces_key_limit(validator) else None


def validate_case(data: Any, context: dict[str, Any] | None = None) -> Case:
    """Validate ``data`` as a :class:`Case`; raise the models' own ``ValidationError``.

    ``context`` may hold ``{"today": date}``, the day of the run (decision P11); it is
    taken once here when not given, not once per date of the case.
    """
    if context is None or "today" not in context:
        context = {**(context or {}), "today": date.today()}
    fast = _fast_validator()
    if fast is not None:
        try:
            case: Case = fast.validate_python(data, context=context)
            return case
        except ValidationError:
            pass  # the models decide, and list every problem
    return Case.model_validate(data, context=context)
