"""The validate use case: read a case and check it, without loading the engine."""

from __future__ import annotations

from neuroig.case import Case
from neuroig.services.source import CaseSource, load_source

__all__ = ["validate"]


def validate(source: CaseSource) -> Case:
    """The valid case a source holds.

    Raises:
        CaseValidationError: the case is not valid (every problem, path first).
        CaseReadError, OSError: the source cannot be read.
    """
    return load_source(source)
