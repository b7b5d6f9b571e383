"""Small reusable field types of the case format."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from neuroig.vocab import NERVE_ALIASES

__all__ = [
    "EARLIEST_DATE",
    "CaseDate",
    "MrcGrade",
    "NonEmptyStr",
    "PlannedDate",
    "canonical_nerve",
    "mrc_value",
    "run_date",
    "union_tag",
]

#: The earliest date a case may hold (decision P11): a birth date before 1900 is a typo.
EARLIEST_DATE = date(1900, 1, 1)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_SCHEMA = {"type": "string", "format": "date"}


def run_date(info: ValidationInfo | None = None) -> date:
    """The day of the run: ``context["today"]`` when the caller gives one, else today."""
    ctx = info.context if info is not None else None
    if isinstance(ctx, dict) and isinstance(ctx.get("today"), date):
        today: date = ctx["today"]
        return today
    return date.today()


def _bad_date(message: str) -> PydanticCustomError:
    return PydanticCustomError("date_format", message)


def _parse_date(value: Any) -> date:
    """Strict ISO dates (decision P11): ``YYYY-MM-DD`` text or a YAML date; nothing else."""
    if isinstance(value, datetime):
        raise _bad_date("must be a date without a time, written YYYY-MM-DD")
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.match(text):
            if re.fullmatch(r"\d{8}", text):
                raise _bad_date("must be a date written YYYY-MM-DD, with the dashes")
            if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
                raise _bad_date("must be a date without a time, written YYYY-MM-DD")
            raise _bad_date("must be a date written YYYY-MM-DD")
        try:
            parsed = date.fromisoformat(text)
        except ValueError:
            raise _bad_date("must be a real calendar date written YYYY-MM-DD") from None
    elif isinstance(value, bool | int | float):
        raise _bad_date("must be a date written YYYY-MM-DD as text, not a number")
    else:
        raise _bad_date("must be a date written YYYY-MM-DD")
    if parsed < EARLIEST_DATE:
        raise _bad_date(f"must be on or after {EARLIEST_DATE.isoformat()}")
    return parsed


def _past_date(value: Any, info: ValidationInfo) -> date:
    parsed = _parse_date(value)
    today = run_date(info)
    if parsed > today:
        raise PydanticCustomError(
            "future_date",
            "is after today ({today}); a case records what has happened",
            {"today": today.isoformat()},
        )
    return parsed


#: ISO 8601 calendar date of something that happened: not after the day of the run,
#: not before 1900 (decision P11). YAML dates arrive parsed; text must be YYYY-MM-DD.
CaseDate = Annotated[date, BeforeValidator(_past_date), WithJsonSchema(_DATE_SCHEMA)]

#: A date that may lie ahead (a planned end of a treatment); strict ISO, not before 1900.
PlannedDate = Annotated[date, BeforeValidator(_parse_date), WithJsonSchema(_DATE_SCHEMA)]

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


_MRC_TEXT_TAG = union_tag("text")
_MRC_NUMBER_TAG = union_tag("number")


def _mrc_shape(value: Any) -> str:
    return _MRC_TEXT_TAG if isinstance(value, str) else _MRC_NUMBER_TAG


def _check_mrc_text(value: str) -> str:
    if not _MRC_TEXT.match(value) or value in {"0-", "5+"}:
        raise ValueError("must be an MRC grade 0-5, optionally with + or - (e.g. '4-')")
    return value


#: An MRC grade: a number 0-5, or text such as ``"4-"`` / ``"4+"`` (counted as 4, decision C1).
MrcGrade = Annotated[
    Annotated[Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)], Tag(_MRC_NUMBER_TAG)]
    | Annotated[Annotated[str, AfterValidator(_check_mrc_text)], Tag(_MRC_TEXT_TAG)],
    Discriminator(_mrc_shape),
]


def mrc_value(grade: float | str) -> float:
    """Return the numeric value of an MRC grade; ``4-`` and ``4+`` count as 4 (decision C1)."""
    if isinstance(grade, str):
        return float(grade[0])
    return float(grade)
