"""The base of every case model: frozen, strict, unknown keys rejected, ``x_`` keys kept.

Unknown keys are reported together with every other problem of the same object
(a wrap validator runs the field validation first, then adds the unknown keys), so
one run of ``neuroig validate`` lists everything that is wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["CaseModel", "FlexModel", "fail", "problem"]

Loc = tuple[str | int, ...]


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def problem(loc: Loc, kind: str, message: str, value: Any, **ctx: Any) -> InitErrorDetails:
    """Build one error for :func:`fail`; ``kind`` becomes the pydantic error type."""
    return InitErrorDetails(
        type=PydanticCustomError(kind, _escape(message), ctx or None),
        loc=loc,
        input=value,
    )


def fail(title: str, errors: Sequence[InitErrorDetails]) -> None:
    """Raise a pydantic ``ValidationError`` built from ``errors`` (no-op when empty)."""
    if errors:
        raise ValidationError.from_exception_data(title, list(errors))


def _reraise(errors: Iterable[Any]) -> list[InitErrorDetails]:
    out: list[InitErrorDetails] = []
    for e in errors:
        out.append(
            InitErrorDetails(
                type=PydanticCustomError(e["type"], _escape(e["msg"]), e.get("ctx")),
                loc=tuple(e["loc"]),
                input=e.get("input"),
            )
        )
    return out


def _closed_schema(schema: dict[str, Any]) -> None:
    schema["additionalProperties"] = False
    schema["patternProperties"] = {"^x_": {}}


class CaseModel(BaseModel):
    """Frozen, strict model; unknown keys are errors, keys starting with ``x_`` are kept."""

    model_config = ConfigDict(
        json_schema_extra=_closed_schema,
        extra="allow",
        frozen=True,
        strict=True,
        populate_by_name=False,
        validate_default=False,
        ser_json_inf_nan="strings",
        defer_build=True,
    )

    #: Keys allowed besides declared fields (none by default).
    _open: ClassVar[bool] = False

    #: Field names of the class, filled in once per class (fast path of the key check).
    _keys: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._keys = frozenset(cls.__pydantic_fields__)

    @model_validator(mode="wrap")
    @classmethod
    def _reject_unknown_keys(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if cls._open or not isinstance(data, dict) or data.keys() <= cls._keys:
            return handler(data)
        fields = cls._keys
        unknown = [
            k for k in data if k not in fields and not (isinstance(k, str) and k.startswith("x_"))
        ]
        if not unknown:
            return handler(data)
        try:
            handler(data)
            errors: list[InitErrorDetails] = []
        except ValidationError as exc:
            errors = _reraise(exc.errors())
        allowed = sorted(fields)
        for key in unknown:
            errors.append(
                problem(
                    (str(key),),
                    "unknown_key",
                    f"unknown key {key!r}",
                    data[key],
                    key=str(key),
                    allowed=allowed,
                )
            )
        fail(cls.__name__, errors)
        raise AssertionError("unreachable")  # pragma: no cover


def _open_schema(schema: dict[str, Any]) -> None:
    schema["additionalProperties"] = True


class FlexModel(CaseModel):
    """A case model that also carries any other key through (e.g. a treatment regimen)."""

    model_config = ConfigDict(json_schema_extra=_open_schema)
    _open: ClassVar[bool] = True
