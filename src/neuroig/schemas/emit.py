"""The one emitter: a public model → JSON bytes; and the JSON Schema of each output.

``to_json(model)`` is what the CLI prints (``indent=True``), what a batch writes (one
compact line) and what the Python API returns: the same model gives the same bytes
everywhere. NaN and infinity are refused (never valid JSON).
"""

from __future__ import annotations

import math
from importlib import import_module
from typing import Any

import orjson
from pydantic import BaseModel

from neuroig.errors import InputError

__all__ = ["OUTPUTS", "check_finite", "json_schema", "to_data", "to_json"]

#: ``neuroig schema --output NAME`` → (module, model class) of each output.
OUTPUTS: dict[str, tuple[str, str]] = {
    "assessment": ("neuroig.schemas.assessment", "AssessmentDocument"),
    "assessment-summary": ("neuroig.schemas.assessment", "AssessmentSummary"),
    "plan": ("neuroig.schemas.plan", "PlanDocument"),
    "review": ("neuroig.schemas.review", "ReviewDocument"),
    "electro": ("neuroig.schemas.electro", "ElectroObject"),
    "error": ("neuroig.schemas.error", "ErrorDocument"),
    "batch-summary": ("neuroig.schemas.batch", "BatchSummaryDocument"),
}


_PLAIN = frozenset({str, int, bool, type(None)})


def check_finite(doc: Any) -> None:
    """Raise InputError if a JSON-ready value holds NaN or infinity (exact built-in types
    are dispatched by ``type``; subclasses take the ``isinstance`` path)."""
    stack = [doc]
    pop, extend = stack.pop, stack.extend
    while stack:
        v = pop()
        t = type(v)
        if t is float:
            if v - v != 0.0:  # NaN - NaN and inf - inf are NaN; finite - itself is 0
                raise InputError("output", str(v), "JSON output holds only finite numbers")
        elif t is dict:
            extend(v.values())
        elif t is list or t is tuple:
            extend(v)
        elif t in _PLAIN:
            continue
        elif isinstance(v, float) and not math.isfinite(v):
            raise InputError("output", str(v), "JSON output holds only finite numbers")
        elif isinstance(v, dict):
            extend(v.values())
        elif isinstance(v, list | tuple):
            extend(v)


def to_data(model: BaseModel) -> dict[str, Any]:
    """The JSON-ready data of a model (keys in declaration order)."""
    data: dict[str, Any] = model.model_dump(mode="python")
    check_finite(data)
    return data


def to_json(model: BaseModel, *, indent: bool = False) -> bytes:
    """JSON bytes of a model: compact (one line) or indented by two spaces; no newline."""
    option = orjson.OPT_INDENT_2 if indent else 0
    return orjson.dumps(to_data(model), option=option)


def json_schema(output: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one output named in :data:`OUTPUTS`.

    Raises:
        InputError: an unknown output name.
    """
    if output not in OUTPUTS:
        raise InputError("--output", output, "one of: case, " + ", ".join(OUTPUTS))
    module, name = OUTPUTS[output]
    model: type[BaseModel] = getattr(import_module(module), name)
    schema = model.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
