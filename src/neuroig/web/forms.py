"""A case document from the entry form, whose field names are the case's JSON paths.

``ncs.motor[0].sites[1].amplitude_mv=2.9`` becomes that value at that path. A field is a
number or true/false where the case format allows one there; empty fields are left out
(unknown, never "normal"); rows left empty are dropped and the paths of the problems the
validation reports are mapped back to the form's fields. A block pasted from a spreadsheet
or an EMG machine's export (tab-separated: site, latency, amplitude, area, duration,
distance) fills a nerve's site rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from neuroig.services.entry import field_types

__all__ = ["PASTE_COLUMNS", "document_from_form", "form_path", "pasted_sites"]

PASTE_COLUMNS = ("site", "latency_ms", "amplitude_mv", "area_mvms", "duration_ms", "distance_mm")
FORM_ONLY = frozenset({"csrf", "site", "draft_id", "reason", "base_version"})
_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d{1,3})\]")


def _tokens(path: str) -> list[str | int] | None:
    """``a.b[2].c`` -> ["a", "b", 2, "c"]; None when the name is not such a path."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\[\d{1,3}\]|\.[A-Za-z_][A-Za-z0-9_]*)*", path):
        return None
    return [
        m.group(1) if m.group(1) is not None else int(m.group(2)) for m in _TOKEN.finditer(path)
    ]


def _value(tokens: list[str | int], text: str) -> Any:
    """The text as the JSON value the case format allows at the path: a number where a
    number is allowed, true/false where a boolean is; otherwise the text itself (the
    validation then names the field and what it allows)."""
    types = field_types(tuple(tokens))
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if types & {"number", "integer"}:
        if re.fullmatch(r"-?\d{1,9}", text):
            return int(text)
        if re.fullmatch(r"-?\d{1,9}\.\d{1,9}", text):
            return float(text)
    return text


def _put(root: dict[str, Any], tokens: list[str | int], value: Any) -> None:
    node: Any = root
    for here, nxt in pairwise(tokens):
        child: list[Any] | dict[str, Any] = [] if isinstance(nxt, int) else {}
        if isinstance(here, int):
            while len(node) <= here:
                node.append(None)
            if node[here] is None:
                node[here] = child
            node = node[here]
        else:
            node = node.setdefault(here, child)
    last = tokens[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def pasted_sites(text: str) -> list[dict[str, Any]]:
    """Site rows from a pasted block (tab-separated; a header row is skipped)."""
    rows: list[dict[str, Any]] = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells) or cells[0].lower() == "site":
            continue
        row: dict[str, Any] = {}
        for column, cell in zip(PASTE_COLUMNS, cells, strict=False):
            if cell:
                row[column] = _value(["ncs", "motor", 0, "sites", 0, column], cell)
        rows.append(row)
    return rows


def _compact(node: Any, path: str, remap: dict[str, str]) -> Any:
    """Drop empty rows and containers; record new path -> form path for each list item."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            kept = _compact(value, f"{path}.{key}" if path else key, remap)
            if kept not in (None, {}, []):
                out[key] = kept
        return out
    if isinstance(node, list):
        items: list[Any] = []
        for index, value in enumerate(node):
            new_path = f"{path}[{len(items)}]"
            form = f"{path}[{index}]"
            kept = _compact(value, form, remap)
            if kept not in (None, {}, []):
                remap[new_path] = form
                items.append(kept)
        return items
    return node


def document_from_form(
    fields: Iterable[tuple[str, str]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The case document of the form, and the map from its list paths to the form's.

    Fields whose name is not a path (``csrf``, ``site`` …) are ignored; ``paste:PATH``
    fields fill the ``sites`` of the nerve at PATH; ``~PATH`` fields (a grid row's muscle
    and side) are set only when their row holds an entered value."""
    document: dict[str, Any] = {}
    pastes: dict[str, str] = {}
    defaults: list[tuple[list[str | int], str]] = []
    for name, raw in fields:
        text = raw.strip()
        if not text:
            continue
        if name.startswith("paste:"):
            pastes[name.removeprefix("paste:")] = raw
            continue
        if name.startswith("~"):
            found = _tokens(name[1:])
            if found is not None and len(found) > 1:
                defaults.append((found, text))
            continue
        tokens = _tokens(name)
        if tokens is None or not isinstance(tokens[0], str) or tokens[0] in FORM_ONLY:
            continue
        _put(document, tokens, _value(tokens, text))
    for nerve_path, text in pastes.items():
        tokens = _tokens(nerve_path)
        rows = pasted_sites(text)
        if tokens is not None and rows:
            for index, row in enumerate(rows):
                for column, value in row.items():
                    _put(document, [*tokens, "sites", index, column], value)
    for tokens, text in defaults:
        if _has(document, tokens[:-1]):
            _put(document, tokens, text)
    remap: dict[str, str] = {}
    return _compact(document, "", remap), remap


def _has(document: dict[str, Any], tokens: list[str | int]) -> bool:
    node: Any = document
    for token in tokens:
        if isinstance(token, int):
            if not isinstance(node, list) or token >= len(node) or node[token] is None:
                return False
        elif not isinstance(node, dict) or token not in node:
            return False
        node = node[token]
    return bool(node)


def form_path(path: str, remap: dict[str, str]) -> str:
    """The form field of a problem's path (list indices as the form numbered them)."""
    out = ""
    for m in re.finditer(r"\.?([A-Za-z_][A-Za-z0-9_]*)|(\[\d+\])", path):
        if m.group(1) is not None:
            out = f"{out}.{m.group(1)}" if out else m.group(1)
        else:
            out = remap.get(out + m.group(2), out + m.group(2))
    return out
