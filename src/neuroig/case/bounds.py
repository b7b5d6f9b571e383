"""Plausibility bounds of the case format: physiologically impossible values are rejected.

These are input sanity limits (decision "P1" in docs/decisions.md), not clinical
thresholds: a value outside them is a data-entry error, never a finding. The few
that the format specification names (amplitude >= 0, 0 <= MRC <= 5,
20 kg <= weight <= 350 kg, latency > 0, distance > 0) are taken from it; the rest
are set wide enough to admit any real patient.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

__all__ = [
    "AgeYears",
    "AmplitudeMv",
    "AmplitudeUv",
    "AreaMvms",
    "DistanceMm",
    "DurationMs",
    "HeightCm",
    "LatencyMs",
    "Pct",
    "TemperatureC",
    "VelocityMS",
    "WeightKg",
]


WeightKg = Annotated[float, Field(ge=20, le=350, allow_inf_nan=False)]
HeightCm = Annotated[float, Field(ge=80, le=250, allow_inf_nan=False)]
AgeYears = Annotated[float, Field(ge=0, le=120, allow_inf_nan=False)]
TemperatureC = Annotated[float, Field(ge=20, le=42, allow_inf_nan=False)]
LatencyMs = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
AmplitudeMv = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
AmplitudeUv = Annotated[float, Field(ge=0, le=500, allow_inf_nan=False)]
AreaMvms = Annotated[float, Field(ge=0, le=500, allow_inf_nan=False)]
DurationMs = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
DistanceMm = Annotated[float, Field(gt=0, le=1500, allow_inf_nan=False)]
VelocityMS = Annotated[float, Field(gt=0, le=150, allow_inf_nan=False)]
Pct = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
