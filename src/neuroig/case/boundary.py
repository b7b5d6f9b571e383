"""The one input boundary: every case document passes here before the case model.

Files, folders, JSON lines, standard input and (later) the API and the web form all
hand their bytes or text to :func:`decode_case_bytes` / :func:`parse_document`. The
limits below are decided once, here; ``docs/case-format.md`` ("Input limits") and
decision P13 in ``docs/decisions.md`` document them. Every failure becomes a
:class:`~neuroig.errors.CaseError` (never a traceback):

- too many bytes, too deep, too many YAML aliases, too many values after alias
  expansion → :class:`~neuroig.errors.InputLimitError`;
- not UTF-8, not JSON/YAML, a YAML complex key → :class:`~neuroig.errors.UnsupportedFormatError`;
- a key repeated in one object, an integer with too many digits, a non-finite number
  (``NaN``, ``Infinity``, ``.inf``, ``1e999``)
  → :class:`~neuroig.errors.CaseValidationError`, each with its full JSON path.

Nothing here does I/O except :func:`read_case_file`, which reads at most
``MAX_CASE_BYTES + 1`` bytes of one file.
"""

from __future__ import annotations

import importlib
import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final, Literal

import msgspec

from neuroig.errors import (
    CaseReadError,
    CaseValidationError,
    InputLimitError,
    Problem,
    UnsupportedFormatError,
)

__all__ = [
    "ECHO_CHARS",
    "MAX_CASE_BYTES",
    "MAX_DEPTH",
    "MAX_INTEGER_DIGITS",
    "MAX_PROBLEMS",
    "MAX_VALUES",
    "MAX_YAML_ALIASES",
    "TextFormat",
    "check_data",
    "decode_case_bytes",
    "detect_format",
    "parse_document",
    "preview",
    "read_case_file",
]

TextFormat = Literal["json", "yaml"]

#: Largest case document, in bytes (one file, one JSON line or standard input). The
#: largest realistic case (years of weekly infusions and assessments) is well under
#: 200 kB; 2 MB leaves ten times that and keeps one bad upload from filling memory.
MAX_CASE_BYTES: Final = 2_000_000

#: Deepest nesting of objects and lists. The case format nests at most 7 levels
#: (``ncs.motor[i].sites[j]`` …); 32 leaves room for ``x_`` extensions and stops the
#: parsers' own recursion (about 1,000 levels) from ever being reached.
MAX_DEPTH: Final = 32

#: Most YAML aliases (``*name``) in one document. A real case needs a handful; alias
#: chains ("billion laughs") are how a small file becomes gigabytes.
MAX_YAML_ALIASES: Final = 100

#: Most values (scalars, lists, objects) in one document once YAML aliases are expanded.
#: A large real case has about 20,000; this is the bound that defeats alias chains.
MAX_VALUES: Final = 200_000

#: Most digits in an integer. Every integer of the case format has at most 6 digits;
#: 18 digits stay within the 64-bit range JSON tools keep exactly.
MAX_INTEGER_DIGITS: Final = 18

#: Most problems reported for one case; the rest are counted ("… and N more problems").
MAX_PROBLEMS: Final = 50

#: Longest echo of a received value or key in a message; longer ones are cut with "…".
ECHO_CHARS: Final = 80


# --------------------------------------------------------------------------- echo


def preview(value: Any, limit: int = ECHO_CHARS) -> str:
    """Render ``value`` as JSON-like text of at most ``limit`` characters.

    The rendering stops as soon as the limit is reached, so a huge or alias-expanded
    value costs no more than its first ``limit`` characters.
    """
    parts: list[str] = []
    size = 0
    for piece in _render(value, 0):
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    text = "".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _render(value: Any, depth: int) -> Iterator[str]:
    if depth > MAX_DEPTH:
        yield "…"
    elif isinstance(value, str):
        # Quote the first part only: never copy a long string whole.
        yield json.dumps(value[: ECHO_CHARS + 1], ensure_ascii=False)
    elif value is None or isinstance(value, bool):
        yield json.dumps(value)
    elif isinstance(value, int):
        yield str(value) if value.bit_length() < 200 else "(a very large integer)"
    elif isinstance(value, float):
        yield repr(value) if math.isfinite(value) else str(value)
    elif isinstance(value, dict):
        yield "{"
        for i, (k, v) in enumerate(value.items()):
            if i:
                yield ", "
            yield from _render(k if isinstance(k, str) else str(k), depth + 1)
            yield ": "
            yield from _render(v, depth + 1)
        yield "}"
    elif isinstance(value, list | tuple):
        yield "["
        for i, v in enumerate(value):
            if i:
                yield ", "
            yield from _render(v, depth + 1)
        yield "]"
    else:
        yield str(value)[: ECHO_CHARS + 1]


# --------------------------------------------------------------------------- bytes


def read_case_file(path: Path) -> bytes:
    """Read at most ``MAX_CASE_BYTES + 1`` bytes of one file; every OS error → CaseReadError."""
    try:
        if path.is_dir():
            raise CaseReadError(str(path), "is a folder; give a case file (.json, .yaml, .yml)")
        with path.open("rb") as fh:
            return fh.read(MAX_CASE_BYTES + 1)
    except FileNotFoundError:
        raise CaseReadError(str(path), "no such file") from None
    except IsADirectoryError:
        raise CaseReadError(str(path), "is a folder; give a case file") from None
    except PermissionError:
        raise CaseReadError(str(path), "not readable (permission denied)") from None
    except OSError as exc:
        raise CaseReadError(str(path), f"cannot be read ({exc.strerror or exc})") from None


def decode_case_bytes(data: bytes, source: str | None = None) -> str:
    """Check the size and decode UTF-8 (a byte-order mark is allowed)."""
    if len(data) > MAX_CASE_BYTES:
        raise InputLimitError(
            source, "size", f"more than {MAX_CASE_BYTES:,} bytes; a case is far smaller"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnsupportedFormatError(
            f"{source or 'input'}: not a UTF-8 text file (byte {exc.start} is not UTF-8)"
        ) from None


def detect_format(text: str, source: str | None) -> TextFormat:
    """JSON or YAML from the file suffix, else from the first character."""
    if source:
        ext = Path(source).suffix.lower()
        if ext in {".json", ".jsonl"}:
            return "json"
        if ext in {".yaml", ".yml"}:
            return "yaml"
    return "json" if text.lstrip().startswith(("{", "[")) else "yaml"


# --------------------------------------------------------------------------- parse


class _LimitError(Exception):
    """Raised inside a parser hook; turned into InputLimitError by parse_document."""

    def __init__(self, limit: str, detail: str) -> None:
        super().__init__(detail)
        self.limit = limit
        self.detail = detail


class _Duplicates:
    """A key of a parsed object standing for the keys that object repeated."""

    __slots__ = ()

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return other is self


_DUP = _Duplicates()


def _pairs(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[Any] = set()
        repeated: list[Any] = []
        for key, _ in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        out[_DUP] = repeated
    return out


class _BadNumber:
    """Stands in the parsed data for a number refused by the boundary (reported with its path)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def _number_text(text: str) -> _BadNumber | None:
    digits = text.lstrip("+-")
    if "." not in text and "e" not in text.lower() and len(digits) > MAX_INTEGER_DIGITS:
        return _BadNumber(
            f"got an integer of {len(digits):,} digits; at most {MAX_INTEGER_DIGITS} "
            "digits are allowed"
        )
    return None


def _int(text: str) -> int | _BadNumber:
    return _number_text(text) or int(text)


def _float(text: str) -> float | _BadNumber:
    bad = _number_text(text)
    if bad is not None:
        return bad
    value = float(text)
    if not math.isfinite(value):
        return _BadNumber(f"got {preview(text)}; must be a finite number (too large)")
    return value


def _constant(text: str) -> _BadNumber:
    return _BadNumber(f"got {text}; must be a finite number")


def _key_path(path: str, key: Any) -> str:
    text = key if isinstance(key, str) else str(key)
    if len(text) > ECHO_CHARS:
        text = text[: ECHO_CHARS - 1] + "…"
    if text.isidentifier():
        return f"{path}.{text}" if path else text
    return f"{path}[{json.dumps(text, ensure_ascii=False)}]"


def _find_problems(value: Any) -> list[Problem]:
    """Return one problem per repeated key and refused number, each with its full path.

    The duplicate markers are removed from the data on the way.
    """
    problems: list[Problem] = []
    stack: list[tuple[Any, str]] = [(value, "")]
    seen: set[int] = set()
    while stack:
        v, path = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if isinstance(v, dict):
            repeated = v.pop(_DUP, None)
            for key in repeated or ():
                where = _key_path(path, key)
                problems.append(
                    Problem(
                        path=where,
                        message=f"key {preview(key)} appears twice in "
                        f"{'the same object' if path else 'the document'}; keep one",
                        received=key,
                        allowed="each key once",
                    )
                )
            stack.extend((c, _key_path(path, k)) for k, c in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend((c, f"{path}[{i}]") for i, c in reversed(list(enumerate(v))))
        elif isinstance(v, _BadNumber):
            problems.append(Problem(path=path or "(document)", message=v.message))
        elif isinstance(v, int) and not isinstance(v, bool) and v.bit_length() > 60:
            digits = str(len(str(v))) if v.bit_length() < 14000 else "thousands of"
            problems.append(
                Problem(
                    path=path or "(document)",
                    message=f"got an integer of {digits} digits; "
                    f"at most {MAX_INTEGER_DIGITS} digits are allowed",
                )
            )
        elif isinstance(v, float) and not math.isfinite(v):
            size = " (too large)" if math.isinf(v) else ""
            problems.append(
                Problem(
                    path=path or "(document)", message=f"got {v}; must be a finite number{size}"
                )
            )
    return problems


_BIG_INT = 1 << 60  # above every 18-digit integer


def _suspicious(value: Any) -> bool:
    """One fast pass: refuse too deep; True if a value needs :func:`_find_problems`."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _LimitError("depth", f"nested more than {MAX_DEPTH} levels deep")
        if type(v) is dict:
            if _DUP in v:
                return True
            items: Iterable[Any] = v.values()
        else:
            items = v
        for c in items:
            t = type(c)
            if t is dict or t is list:
                stack.append((c, depth + 1))
            elif t is float:
                if not math.isfinite(c):
                    return True
            elif t is int:
                if not -_BIG_INT < c < _BIG_INT:
                    return True
            elif t is _BadNumber:
                return True
    return False


_SLOW: Final = object()  # "take the reference path" (a document may be ``null``)
_decode = msgspec.json.decode


def _fast_json(text: str) -> Any:
    """Parse JSON that needs none of the reference path's checks, else return ``_SLOW``.

    The C parser of ``msgspec`` reads the document (it refuses ``NaN``, ``Infinity`` and
    numbers that overflow to infinity), then one pass checks what :func:`_check` would
    (depth, 18-digit integers) and counts the strings. Repeated keys, which a plain parser
    silently drops, are found by counting: when the text has no escaped quote and no
    escaped backslash, every ``"`` in it opens or closes a string, so a document without
    repeated keys has exactly two per key and string value of the parsed data, and a
    repeated key (its value dropped) leaves fewer. Anything unusual (an escape of that
    kind, a parse error, a number to refuse, too deep, a count that differs) takes the
    reference path, which gives the same data or the same error with its path.
    """
    if "\\" in text and ('\\"' in text or "\\\\" in text):  # a 1-character search first
        return _SLOW
    try:
        data = _decode(text)
    except (msgspec.MsgspecError, ValueError, RecursionError):
        return _SLOW
    strings = 0
    level: list[Any] = [data]
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:  # ``level`` holds the containers at this depth
            return _SLOW
        deeper: list[Any] = []
        for v in level:
            if type(v) is dict:
                strings += len(v)
                items: Iterable[Any] = v.values()
            elif type(v) is list:
                items = v
            else:
                items = (v,)
            for c in items:
                t = type(c)
                if t is str:
                    strings += 1
                elif t is int:  # the parser refuses non-finite floats itself
                    if not -_BIG_INT < c < _BIG_INT:
                        return _SLOW
                elif t is dict or t is list:
                    deeper.append(c)
        level = deeper
    return data if 2 * strings == text.count('"') else _SLOW


def _load_json(text: str) -> Any:
    # Fast path: the C parser's own numbers (an integer above the digit limit or an
    # overflow to infinity is then found by _check, with its path). Python refuses an
    # integer of more than 4,300 digits outright; the slow path reports it with its path.
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except ValueError as exc:
        if isinstance(exc, json.JSONDecodeError):
            raise
    return json.loads(
        text,
        object_pairs_hook=_pairs,
        parse_int=_int,
        parse_float=_float,
        parse_constant=_constant,
    )


def _check(data: Any, source: str | None) -> None:
    try:
        suspicious = _suspicious(data if isinstance(data, dict | list) else [data])
    except _LimitError as exc:
        raise InputLimitError(source, exc.limit, exc.detail) from None
    if suspicious:
        problems = _find_problems(data)
        if problems:
            raise CaseValidationError(problems, source, limit=MAX_PROBLEMS)


def _load_yaml(text: str, where: str) -> Any:
    # PyYAML loads only when a YAML document is read (start-up of JSON-only runs)
    return importlib.import_module("neuroig.case.yaml_text").load_yaml(text, where)


def check_data(data: Any, source: str | None = None) -> None:
    """Check already-parsed data (from an API or a caller) against the same limits."""
    _check(data, source)


def parse_document(text: str, fmt: TextFormat, source: str | None = None) -> Any:
    """Parse JSON or YAML text within the limits; return plain data.

    Raises
    ------
    InputLimitError
        A limit of this module was exceeded (depth, aliases, values, digits, non-finite).
    UnsupportedFormatError
        The text is not JSON/YAML (or uses a YAML complex key).
    CaseValidationError
        A key is repeated within one object (each repeat named with its full path).
    """
    where = source or "input"
    if len(text) > MAX_CASE_BYTES:
        raise InputLimitError(source, "size", f"more than {MAX_CASE_BYTES:,} characters")
    if fmt == "json":
        data = _fast_json(text)
        if data is not _SLOW:
            return data
    try:
        data = _load_json(text) if fmt == "json" else _load_yaml(text, where)
    except _LimitError as exc:
        raise InputLimitError(source, exc.limit, exc.detail) from None
    except RecursionError:
        raise InputLimitError(
            source, "depth", f"nested more than {MAX_DEPTH} levels deep"
        ) from None
    except json.JSONDecodeError as exc:
        raise UnsupportedFormatError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except UnsupportedFormatError:  # the YAML reader's own message (it is a ValueError)
        raise
    except ValueError as exc:  # e.g. a number Python refuses to convert
        raise UnsupportedFormatError(f"{where}: {preview(str(exc), ECHO_CHARS)}") from None
    _check(data, source)
    return data
