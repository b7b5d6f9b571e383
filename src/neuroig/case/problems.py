"""Turn pydantic errors into neuroig :class:`~neuroig.errors.Problem` lines.

One template (style habit 4): ``<json path>: got <value>; <what is allowed>``,
with a "did you mean" suggestion for misspelt names and units for numbers.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from neuroig.case.boundary import ECHO_CHARS, preview
from neuroig.errors import Problem

__all__ = ["json_path", "to_problems", "unit_of"]

# Longest suffix first.
_UNITS: tuple[tuple[str, str], ...] = (
    ("_g_per_kg", "g/kg"),
    ("_ml_min", "mL/min"),
    ("_umol_l", "µmol/L"),
    ("_per_ul", "/µL"),
    ("_ml_h", "mL/h"),
    ("_mvms", "mV·ms"),
    ("_khz", "kHz"),
    ("_m_s", "m/s"),
    ("_g_l", "g/L"),
    ("_u_l", "U/L"),
    ("_years", "years"),
    ("_months", "months"),
    ("_weeks", "weeks"),
    ("_days", "days"),
    ("_min", "min"),
    ("_pct", "%"),
    ("_hz", "Hz"),
    ("_ms", "ms"),
    ("_mv", "mV"),
    ("_uv", "µV"),
    ("_mm", "mm"),
    ("_kg", "kg"),
    ("_cm", "cm"),
    ("_g", "g"),
    ("_c", "°C"),
    ("_s", "s"),
)

_MEANING: dict[str, str] = {
    "amplitude_mv": "mV, baseline to negative peak",
    "area_mvms": "mV·ms, negative-peak area",
    "duration_ms": "ms, negative-peak duration",
    "mrc": "MRC grade",
}


def unit_of(field: str) -> str:
    """Return the unit named by a field's suffix (``amplitude_mv`` → ``mV``), or ''."""
    if field in _MEANING:
        return _MEANING[field]
    for suffix, unit in _UNITS:
        if field.endswith(suffix):
            return unit
    return ""


def json_path(loc: Sequence[str | int]) -> str:
    """Render a pydantic location as a JSON path: ``ncs.motor[2].sites[1].amplitude_mv``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith("<") and part.endswith(">"):
            continue  # a union member's tag
        elif part == "[key]":
            out += " (key)"
        else:
            name = part if len(part) <= ECHO_CHARS else part[: ECHO_CHARS - 1] + "…"
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                out += f".{name}" if out else name
            else:
                out += f"[{json.dumps(name, ensure_ascii=False)}]"
    return out


def _show(value: Any) -> str:
    return preview(value, ECHO_CHARS)


def _choices(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _suggest(word: Any, options: Iterable[str]) -> str:
    if not isinstance(word, str) or len(word) > ECHO_CHARS:
        return ""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _last_field(loc: Sequence[str | int]) -> str:
    names = [p for p in loc if isinstance(p, str) and not p.startswith("<") and p != "[key]"]
    if len(names) >= 2 and names[-1] == "value":
        return names[-2]  # a dated lab value: the unit is the lab's
    return names[-1] if names else ""


def _bound(symbol: str, value: Any, unit: str) -> str:
    text = (
        f"must be {symbol} {value:g}"
        if isinstance(value, int | float)
        else f"must be {symbol} {value}"
    )
    return f"{text} ({unit})" if unit else text


def _allowed(err: dict[str, Any]) -> str:
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    unit = unit_of(_last_field(err["loc"]))
    simple = {
        "float_type": "must be a number",
        "float_parsing": "must be a number",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "string_type": "must be text",
        "date_type": "must be a date written YYYY-MM-DD",
        "date_parsing": "must be a date written YYYY-MM-DD",
        "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
        "date_from_datetime_inexact": "must be a date without a time",
        "list_type": "must be a list",
        "dict_type": "must be an object",
        "model_type": "must be an object",
        "model_attributes_type": "must be an object",
        "finite_number": "must be a finite number",
        "missing": "required; it is missing",
        "string_too_short": "must not be empty",
    }
    if kind in simple:
        text = simple[kind]
        return f"{text} ({unit})" if unit and kind.startswith(("float", "int")) else text
    if kind == "literal_error":
        options = _choices(str(ctx.get("expected", "")))
        hint = _suggest(err.get("input"), options)
        if len(options) > 16:
            field = _last_field(err["loc"])
            return (
                f"must be a known {field} id ({len(options)} allowed; `neuroig schema` lists them)"
                + hint
            )
        return f"must be one of: {', '.join(options)}" + hint
    if kind == "greater_than_equal":
        return _bound("≥", ctx.get("ge"), unit)
    if kind == "greater_than":
        return _bound(">", ctx.get("gt"), unit)
    if kind == "less_than_equal":
        return _bound("≤", ctx.get("le"), unit)
    if kind == "less_than":
        return _bound("<", ctx.get("lt"), unit)
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} item(s)"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        value = err.get("input")
        if isinstance(value, str) and re.search(r"[\x00-\x1f\x7f-\x9f]", value):
            return "must not contain control characters (line breaks, tabs, escape codes)"
        return "must not start with a space"
    if kind == "unknown_key":
        allowed = list(ctx.get("allowed", []))
        hint = _suggest(ctx.get("key"), allowed)
        return (
            f"unknown key{hint}; allowed here: {', '.join(allowed)}"
            " (keys starting with x_ are free extensions)"
        )
    msg: str = err.get("msg", kind)
    return msg.removeprefix("Value error, ")


def to_problems(errors: Iterable[Any]) -> list[Problem]:
    """Convert pydantic error dicts to problems, in document order, without repeats."""
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for err in errors:
        path = json_path(err["loc"])
        allowed = _allowed(err)
        if (path, allowed) in seen:
            continue
        seen.add((path, allowed))
        if err["type"] == "missing":
            message = allowed
        else:
            message = f"got {_show(err.get('input'))}; {allowed}"
        out.append(Problem(path=path, message=message, received=err.get("input"), allowed=allowed))
    return out
