"""Plausibility bounds of the case format: physiologically impossible values are rejected.

These are input sanity limits (decision "P1" in docs/decisions.md), not clinical
thresholds: a value outside them is a data-entry error, never a finding. The few
that the format specification names (amplitude >= 0, 0 <= MRC <= 5,
20 kg <= weight <= 350 kg, latency > 0, distance > 0) are taken from it; the rest
are set wide enough to admit any real patient.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

__all__ = [
    "CMAP_MAX_MV",
    "CMAP_RESOLUTION_MV",
    "MAX_AGE_YEARS",
    "SNAP_RESOLUTION_UV",
    "VELOCITY_MAX_M_S",
    "VELOCITY_MIN_M_S",
    "AgeYears",
    "AmplitudeLlnMv",
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
#: Oldest plausible age in years (P1); also bounds the age computed from a birth date.
MAX_AGE_YEARS = 120

AgeYears = Annotated[float, Field(ge=0, le=MAX_AGE_YEARS, allow_inf_nan=False)]
TemperatureC = Annotated[float, Field(ge=20, le=42, allow_inf_nan=False)]
LatencyMs = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
#: Largest plausible CMAP (P1, tightened by P10): twice the largest normal CMAPs
#: (about 25 mV, abductor hallucis); above it the value is a unit error.
CMAP_MAX_MV: Final = 50.0
#: Display resolution of a CMAP amplitude (P10): a value above 0 but below it is not a
#: measurement (a unit error, e.g. µV typed as mV), and 0 or ``no_response`` says "none".
CMAP_RESOLUTION_MV: Final = 0.01
#: Display resolution of a SNAP amplitude (P10), same reasoning (mV typed as µV).
SNAP_RESOLUTION_UV: Final = 0.1
#: Plausibility bounds of a conduction velocity, typed or computed (P1, P10).
VELOCITY_MIN_M_S: Final = 5.0
VELOCITY_MAX_M_S: Final = 150.0


def _resolution(floor: float, unit: str) -> AfterValidator:
    def check(value: float) -> float:
        if 0 < value < floor:
            raise PydanticCustomError(
                "sub_resolution",
                "is above 0 but below the {floor} {unit} the equipment resolves; "
                "give 0 (or no_response) for no response, or check the unit",
                {"floor": floor, "unit": unit},
            )
        return value

    return AfterValidator(check)


AmplitudeMv = Annotated[
    float,
    Field(ge=0, le=CMAP_MAX_MV, allow_inf_nan=False),
    _resolution(CMAP_RESOLUTION_MV, "mV"),
]
#: A lab's CMAP lower limit: a ratio divides by it, so 0 is refused (P10).
AmplitudeLlnMv = Annotated[float, Field(ge=CMAP_RESOLUTION_MV, le=CMAP_MAX_MV, allow_inf_nan=False)]
AmplitudeUv = Annotated[
    float, Field(ge=0, le=500, allow_inf_nan=False), _resolution(SNAP_RESOLUTION_UV, "µV")
]
AreaMvms = Annotated[float, Field(ge=0, le=500, allow_inf_nan=False)]
DurationMs = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
DistanceMm = Annotated[float, Field(gt=0, le=1500, allow_inf_nan=False)]
VelocityMS = Annotated[float, Field(ge=VELOCITY_MIN_M_S, le=VELOCITY_MAX_M_S, allow_inf_nan=False)]
Pct = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
