"""``neuroig-error/1``: why an input gave no result (batch error lines, ``--json`` errors)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from neuroig.schemas._base import Model

__all__ = ["ERROR_FORMAT", "ErrorDocument", "ErrorProblem"]

ERROR_FORMAT: Literal["neuroig-error/1"] = "neuroig-error/1"


class ErrorProblem(Model):
    """One problem: where in the input (a JSON path, or ``(document)``) and what is wrong."""

    path: str
    message: str


class ErrorDocument(Model):
    """The ``neuroig-error/1`` document."""

    format: Literal["neuroig-error/1"] = ERROR_FORMAT
    source: str | None = Field(default=None, exclude_if=lambda v: v is None)
    line: int | None = Field(default=None, exclude_if=lambda v: v is None)
    problems: list[ErrorProblem]
    more_problems: int | None = Field(default=None, exclude_if=lambda v: v is None)
