"""Read a case from a file, text or mapping; every problem reported at once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from neuroig.case.model import Case
from neuroig.case.problems import to_problems
from neuroig.errors import CaseValidationError, Problem, UnsupportedFormatError

__all__ = ["case_from_data", "case_to_data", "case_to_json", "load_case", "parse_case"]

TextFormat = Literal["json", "yaml"]


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return out


class _StrictYamlLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses a key repeated in one mapping."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    pairs = loader.construct_pairs(node)
    return _no_duplicates(pairs)


_StrictYamlLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _detect(text: str, source: str | None) -> TextFormat:
    if source:
        suffix = Path(source).suffix.lower()
        if suffix == ".json":
            return "json"
        if suffix in {".yaml", ".yml"}:
            return "yaml"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


def parse_case(text: str, *, fmt: TextFormat | None = None, source: str | None = None) -> Case:
    """Parse and validate a case from JSON or YAML text.

    Raises
    ------
    UnsupportedFormatError
        The text is not JSON/YAML.
    CaseValidationError
        The document breaks the case format; ``problems`` lists every problem.
    """
    kind = fmt or _detect(text, source)
    try:
        if kind == "json":
            data = json.loads(text, object_pairs_hook=_no_duplicates)
        else:
            data = yaml.load(text, Loader=_StrictYamlLoader)  # SafeLoader subclass
    except _DuplicateKeyError as exc:
        raise CaseValidationError(
            [
                Problem(
                    path=exc.key,
                    message=f"key {exc.key!r} appears twice in one object; keep one",
                    received=exc.key,
                    allowed="each key once",
                )
            ],
            source,
        ) from None
    except json.JSONDecodeError as exc:
        raise UnsupportedFormatError(
            f"{source or 'input'}: not valid JSON "
            f"(line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except yaml.YAMLError as exc:
        raise UnsupportedFormatError(f"{source or 'input'}: not valid YAML ({exc})") from None
    return case_from_data(data, source=source)


def case_from_data(data: Any, *, source: str | None = None) -> Case:
    """Validate an already-parsed document (a mapping) as a case."""
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
    fmt = data.get("format")
    if isinstance(fmt, str) and fmt.startswith("neuroig-case/") and fmt != "neuroig-case/1":
        raise UnsupportedFormatError(
            f"{source or 'input'}: format {fmt!r} is not supported; "
            "this neuroig reads neuroig-case/1"
        )
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseValidationError(to_problems(exc.errors()), source) from None


def load_case(path: str | Path) -> Case:
    """Read and validate a case file (``.json``, ``.yaml`` or ``.yml``)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UnsupportedFormatError(f"{p}: not a UTF-8 text file") from None
    return parse_case(text, source=str(p))


def case_to_data(case: Case) -> dict[str, Any]:
    """Return the case as JSON-ready data, exactly the keys that were given."""
    return case.model_dump(mode="json", exclude_unset=True)


def case_to_json(case: Case, *, indent: int | None = 2) -> str:
    """Return the case as JSON text."""
    return json.dumps(case_to_data(case), indent=indent, ensure_ascii=False)
