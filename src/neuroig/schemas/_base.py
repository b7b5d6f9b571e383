"""The base of every public model: frozen, no unknown keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["JsonObject", "Model"]

#: A JSON object whose inner shape is documented in docs/outputs.md (kept open here).
JsonObject = dict[str, Any]


class Model(BaseModel):
    """A public output model: immutable, and it refuses keys it does not declare."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
