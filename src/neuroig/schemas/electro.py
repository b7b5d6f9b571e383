"""The electro object: ``neuroig ncs --json`` and the ``electro`` key of an assessment."""

from __future__ import annotations

from typing import Any

from neuroig.electro import ElectroResult
from neuroig.electro.export import electro_to_dict
from neuroig.schemas._base import JsonObject, Model

__all__ = ["NO_NCS_WARNING", "ElectroObject", "electro_object", "no_ncs_object"]

NO_NCS_WARNING = "no NCS"


class ElectroOptions(Model):
    """The electrodiagnosis options the object was computed with."""

    amplitude_surrogate: bool


class ElectroObject(Model):
    """Per-nerve electrodiagnosis: limits, segments, findings and their rules."""

    age_years: float | None
    rules: dict[str, dict[str, str]]
    options: ElectroOptions | None
    motor: list[JsonObject]
    sensory: list[JsonObject]
    sural_sparing: JsonObject | None
    warnings: list[str]


def electro_object(result: ElectroResult) -> ElectroObject:
    """The electro object of an electrodiagnosis result."""
    return ElectroObject.model_validate(electro_to_dict(result))


def no_ncs_object() -> ElectroObject:
    """The electro object of a case without a nerve conduction study."""
    empty: dict[str, Any] = {
        "age_years": None,
        "rules": {},
        "options": None,
        "motor": [],
        "sensory": [],
        "sural_sparing": None,
        "warnings": [NO_NCS_WARNING],
    }
    return ElectroObject.model_validate(empty)
