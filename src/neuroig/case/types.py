"""Small reusable field types of the case format."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Discriminator, Field, Tag

from neuroig.vocab import NERVE_ALIASES

__all__ = ["CaseDate", "MrcGrade", "NonEmptyStr", "canonical_nerve", "mrc_value", "union_tag"]

#: ISO 8601 calendar date. Strings are parsed (JSON); YAML dates arrive parsed.
CaseDate = Annotated[date, Field(strict=False)]

NonEmptyStr = Annotated[str, Field(min_length=1, max_length=200)]


def _alias(value: Any) -> Any:
    if isinstance(value, str):
        return NERVE_ALIASES.get(value, value)
    return value


#: Wrap a nerve Literal so that aliases such as ``peroneal`` become ``fibular``.
canonical_nerve = BeforeValidator(_alias)


def union_tag(name: str) -> str:
    """Name of a union member in error paths; stripped when paths are printed."""
    return f"<{name}>"


_MRC_TEXT = re.compile(r"^[0-5][+-]?$")


def _mrc_shape(value: Any) -> str:
    return union_tag("text") if isinstance(value, str) else union_tag("number")


def _check_mrc_text(value: str) -> str:
    if not _MRC_TEXT.match(value) or value in {"0-", "5+"}:
        raise ValueError("must be an MRC grade 0-5, optionally with + or - (e.g. '4-')")
    return value


#: An MRC grade: a number 0-5, or text such as ``"4-"`` / ``"4+"`` (counted as 4, decision C1).
MrcGrade = Annotated[
    Annotated[Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)], Tag(union_tag("number"))]
    | Annotated[Annotated[str, AfterValidator(_check_mrc_text)], Tag(union_tag("text"))],
    Discriminator(_mrc_shape),
]


def mrc_value(grade: float | str) -> float:
    """Return the numeric value of an MRC grade; ``4-`` and ``4+`` count as 4 (decision C1)."""
    if isinstance(grade, str):
        return float(grade[0])
    return float(grade)
