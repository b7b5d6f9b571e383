"""Where a service reads its case from: a loaded case, a mapping, a path, or ``-``."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from neuroig.case import Case, load_case, parse_case
from neuroig.case.boundary import MAX_CASE_BYTES, decode_case_bytes
from neuroig.case.load import case_from_data

__all__ = ["CaseSource", "load_source"]

#: A loaded case, an already-parsed document, a case file's path, or ``"-"`` (stdin).
CaseSource = Case | Mapping[str, Any] | str | PathLike[str]


def load_source(source: CaseSource) -> Case:
    """The case a source names (``-`` reads standard input, bounded like a file).

    Raises:
        CaseValidationError: the document is not a valid case.
        CaseReadError, OSError: the file cannot be read.
    """
    if isinstance(source, Case):
        return source
    if isinstance(source, Mapping):
        return case_from_data(dict(source), source="<data>")
    if str(source) == "-":
        data = sys.stdin.buffer.read(MAX_CASE_BYTES + 1)
        return parse_case(decode_case_bytes(data, "<stdin>"), source="<stdin>")
    return load_case(Path(source))
