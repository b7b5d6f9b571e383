"""Read a case from a file, text or mapping; every problem reported at once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from neuroig.case.boundary import (
    MAX_DEPTH,
    MAX_PROBLEMS,
    TextFormat,
    check_data,
    decode_case_bytes,
    detect_format,
    parse_document,
    preview,
    read_case_file,
)
from neuroig.case.model import Case
from neuroig.case.problems import to_problems
from neuroig.case.validator import validate_case
from neuroig.errors import CaseValidationError, InputLimitError, Problem, UnsupportedFormatError

__all__ = [
    "TextFormat",
    "case_from_data",
    "case_to_data",
    "case_to_json",
    "load_case",
    "parse_case",
]


def parse_case(text: str, *, fmt: TextFormat | None = None, source: str | None = None) -> Case:
    """Parse and validate a case from JSON or YAML text (within the input limits).

    Raises
    ------
    UnsupportedFormatError
        The text is not JSON/YAML.
    InputLimitError
        The text exceeds an input limit (``neuroig.case.boundary``).
    CaseValidationError
        The document breaks the case format; ``problems`` lists the problems.
    """
    kind = fmt or detect_format(text, source)
    data = parse_document(text, kind, source)  # checked against the limits once, here
    _require_mapping(data, source)
    return _validated(data, source, None)


def case_from_data(
    data: Any, *, source: str | None = None, context: dict[str, Any] | None = None
) -> Case:
    """Validate an already-parsed document (a mapping) as a case.

    ``context`` may hold ``{"today": date}``, the day of the run against which future
    dates are refused (decision P11); it defaults to today.
    """
    _require_mapping(data, source)
    check_data(data, source)
    return _validated(data, source, context)


def _require_mapping(data: Any, source: str | None) -> None:
    if not isinstance(data, Mapping):
        raise CaseValidationError(
            [
                Problem(
                    path="(document)",
                    message=f"got {type(data).__name__}; a case file must be one JSON/YAML object",
                    received=data,
                    allowed="an object",
                )
            ],
            source,
        )


def _validated(data: Mapping[str, Any], source: str | None, context: dict[str, Any] | None) -> Case:
    fmt = data.get("format")
    if isinstance(fmt, str) and fmt.startswith("neuroig-case/") and fmt != "neuroig-case/1":
        raise UnsupportedFormatError(
            f"{source or 'input'}: format {preview(fmt)} is not supported; "
            "this neuroig reads neuroig-case/1"
        )
    try:
        return validate_case(data, context)
    except ValidationError as exc:
        raise CaseValidationError(to_problems(exc.errors()), source, limit=MAX_PROBLEMS) from None
    except RecursionError:
        raise InputLimitError(
            source, "depth", f"nested more than {MAX_DEPTH} levels deep"
        ) from None


def load_case(path: str | Path) -> Case:
    """Read and validate a case file (``.json``, ``.yaml`` or ``.yml``).

    Every failure is a :class:`~neuroig.errors.CaseError`: :class:`CaseReadError` when
    the file cannot be read (missing, a folder, a symlink loop, no permission).
    """
    p = Path(path)
    text = decode_case_bytes(read_case_file(p), str(p))
    return parse_case(text, source=str(p))


def case_to_data(case: Case) -> dict[str, Any]:
    """Return the case as JSON-ready data, exactly the keys that were given."""
    return case.model_dump(mode="json", exclude_unset=True)


def case_to_json(case: Case, *, indent: int | None = 2) -> str:
    """Return the case as JSON text."""
    return json.dumps(case_to_data(case), indent=indent, ensure_ascii=False)
