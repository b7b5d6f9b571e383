"""``neuroig-batch-summary/1``: the last line of a streamed batch."""

from __future__ import annotations

from typing import Literal

from neuroig.schemas._base import Model

__all__ = ["SUMMARY_FORMAT", "BatchSummaryDocument"]

SUMMARY_FORMAT: Literal["neuroig-batch-summary/1"] = "neuroig-batch-summary/1"


class BatchSummaryDocument(Model):
    """Counts of a finished batch; its presence marks a stream complete."""

    format: Literal["neuroig-batch-summary/1"] = SUMMARY_FORMAT
    cases: int
    valid: int
    invalid: int
    complete: Literal[True] = True
