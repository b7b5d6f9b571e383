"""YAML case text, read within the input boundary's limits (``neuroig.case.boundary``).

A safe loader with counted aliases, bounded depth, no complex keys, numbers checked as
text, and the alias expansion counted before a document is built. Imported only when a
YAML document is read.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from neuroig.case.boundary import (
    ECHO_CHARS,
    MAX_DEPTH,
    MAX_VALUES,
    MAX_YAML_ALIASES,
    _BadNumber,
    _LimitError,
    _number_text,
    _pairs,
    preview,
)
from neuroig.errors import UnsupportedFormatError
from neuroig.escape import plain_text

__all__ = ["load_yaml"]


def load_yaml(text: str, where: str) -> Any:
    """Plain data from YAML ``text``; a syntax error becomes an ``UnsupportedFormatError``."""
    try:
        return _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = plain_text(exc.problem or exc.context or "unreadable")
        raise UnsupportedFormatError(
            f"{where}: not valid YAML ({at}{what[: 2 * ECHO_CHARS]})"
        ) from None
    except yaml.YAMLError as exc:
        raise UnsupportedFormatError(
            f"{where}: not valid YAML ({plain_text(exc)[: 2 * ECHO_CHARS]})"
        ) from None


class _BoundedLoader(yaml.SafeLoader):
    """Safe YAML loader with counted aliases, bounded depth and no complex keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise _LimitError(
                    "YAML aliases", f"more than {MAX_YAML_ALIASES} YAML aliases (*name)"
                )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _LimitError("depth", f"nested more than {MAX_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _yaml_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "a key that is itself a list or an object (YAML complex key); keys must be text",
                mark,
            )
    return _pairs(loader.construct_pairs(node))


def _yaml_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | _BadNumber:
    text = str(loader.construct_scalar(node)).replace("_", "")
    bad = _number_text(text)
    if bad is not None:
        return bad
    value: int = yaml.SafeLoader.construct_yaml_int(loader, node)
    return value


def _yaml_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | _BadNumber:
    text = str(loader.construct_scalar(node))
    bad = _number_text(text)
    if bad is not None:
        return bad
    value: float = yaml.SafeLoader.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        return _BadNumber(f"got {preview(text)}; must be a finite number")
    return value


_BoundedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _yaml_mapping)
_BoundedLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)
_BoundedLoader.add_constructor("tag:yaml.org,2002:float", _yaml_float)


def _count_values(root: yaml.Node) -> None:
    """Refuse a YAML graph whose alias expansion exceeds MAX_VALUES (memoised, linear)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node]
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        if done or not children:
            total = 1 + sum(sizes.get(id(c), 0) for c in children)
            if total > MAX_VALUES:
                raise _LimitError(
                    "values",
                    f"more than {MAX_VALUES:,} values once YAML aliases are expanded",
                )
            sizes[id(node)] = total
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def _load(text: str) -> Any:
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _count_values(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
