"""``emg``, ``treatments``, ``infusions`` and ``assessments`` sections."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from neuroig.case.base import CaseModel, FlexModel, fail, problem
from neuroig.case.bounds import WeightKg
from neuroig.case.exam import StrengthEntry, check_strength_list
from neuroig.case.ncs import Ncs
from neuroig.case.types import CaseDate, NonEmptyStr, PlannedDate
from neuroig.case.vocab_tables import MuscleId, ProductId
from neuroig.reference import product_routes
from neuroig.vocab import (
    AdverseEvent,
    GripDevice,
    GripUnit,
    Recruitment,
    Route,
    Severity,
    Side,
    StoppedBecause,
    Therapy,
    Timing,
    TreatmentResponse,
)

__all__ = [
    "AdverseEventEntry",
    "Assessment",
    "EmgMuscle",
    "Grip",
    "Incat",
    "Infusion",
    "Irods",
    "MrcSumScore",
    "NssScale",
    "Regimen",
    "Treatment",
]

_Grade4 = Annotated[int, Field(ge=0, le=4)]


class EmgMuscle(CaseModel):
    """Needle EMG of one muscle."""

    muscle: MuscleId
    side: Side | None = None
    date: CaseDate | None = None
    fibrillations: _Grade4 | None = None
    positive_sharp_waves: _Grade4 | None = None
    fasciculations: bool | None = None
    neurogenic_mup: bool | None = None
    recruitment: Recruitment | None = None
    myopathic_mup: bool | None = None


class Regimen(FlexModel):
    """A treatment regimen; the keys below are read, any other key is carried through."""

    dose_g_per_kg: Annotated[float, Field(gt=0, le=5, allow_inf_nan=False)] | None = None
    interval_days: Annotated[float, Field(gt=0, le=365, allow_inf_nan=False)] | None = None
    days: Annotated[int, Field(ge=1, le=31)] | None = None
    mg_per_day: Annotated[float, Field(gt=0, le=2000, allow_inf_nan=False)] | None = None
    product: ProductId | None = None


class Treatment(CaseModel):
    """One treatment course and its judged response."""

    therapy: Therapy
    start: CaseDate
    end: PlannedDate | None = None
    regimen: Regimen | None = None
    response: TreatmentResponse | None = None
    objective: bool | None = None
    stopped_because: StoppedBecause | None = None

    @model_validator(mode="after")
    def _dates(self) -> Treatment:
        if self.end is not None and self.end < self.start:
            fail(
                "Treatment",
                [
                    problem(
                        ("end",), "date_order", f"end is before start ({self.start})", str(self.end)
                    )
                ],
            )
        return self


class AdverseEventEntry(CaseModel):
    """An adverse event of an infusion."""

    event: AdverseEvent
    severity: Severity | None = None


class Infusion(CaseModel):
    """One immunoglobulin administration."""

    date: CaseDate
    route: Route
    product: ProductId
    dose_g: Annotated[float, Field(gt=0, le=500, allow_inf_nan=False)]
    duration_min: Annotated[float, Field(gt=0, le=2880, allow_inf_nan=False)] | None = None
    rate_max_ml_h: Annotated[float, Field(gt=0, le=2000, allow_inf_nan=False)] | None = None
    lot: NonEmptyStr | None = None
    weight_kg: WeightKg | None = None
    adverse_events: list[AdverseEventEntry] | None = None

    @model_validator(mode="after")
    def _route(self) -> Infusion:
        routes = product_routes(self.product)
        if self.route not in routes:
            fail(
                "Infusion",
                [
                    problem(
                        ("route",),
                        "route_for_product",
                        f"{self.product} is not given by the {self.route} route; "
                        f"allowed: {', '.join(routes)}",
                        self.route,
                    )
                ],
            )
        return self


class MrcSumScore(CaseModel):
    """An MRC sum score with its scale maximum (e.g. 60 for the Kleyweg score).

    ``variant`` names the score (e.g. ``"kleyweg"``, ``"expanded"``, ``"mmn-18-groups"``)
    and ``muscles`` lists the muscles graded on both sides; scores of different
    variants are never compared.
    """

    score: Annotated[float, Field(ge=0, le=400, allow_inf_nan=False)]
    max: Annotated[int, Field(ge=10, le=400)] = 60
    variant: (
        Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9_.-]*$")] | None
    ) = None
    muscles: list[MuscleId] | None = None

    @model_validator(mode="after")
    def _within(self) -> MrcSumScore:
        errors = []
        if self.score > self.max:
            errors.append(
                problem(("score",), "implausible", f"score is above max {self.max}", self.score)
            )
        seen: set[str] = set()
        for i, m in enumerate(self.muscles or ()):
            if m in seen:
                errors.append(problem(("muscles", i), "duplicate", f"{m} listed twice", m))
            seen.add(m)
        fail("MrcSumScore", errors)
        return self


class Incat(CaseModel):
    """INCAT disability scale: arm 0-5 and leg 0-5 (higher is worse)."""

    arm: Annotated[int, Field(ge=0, le=5)]
    leg: Annotated[int, Field(ge=0, le=5)]


class Irods(CaseModel):
    """I-RODS: the raw score 0-48 or the centile 0-100 (give one)."""

    raw: Annotated[int, Field(ge=0, le=48)] | None = None
    centile: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one(self) -> Irods:
        if (self.raw is None) == (self.centile is None):
            fail(
                "Irods",
                [problem(("raw",), "one_of", "give exactly one of raw or centile", self.raw)],
            )
        return self


class Grip(CaseModel):
    """Grip strength per hand with unit and device (never converted between devices)."""

    left: Annotated[float, Field(ge=0, le=200, allow_inf_nan=False)] | None = None
    right: Annotated[float, Field(ge=0, le=200, allow_inf_nan=False)] | None = None
    unit: GripUnit
    device: GripDevice

    @model_validator(mode="after")
    def _unit_device(self) -> Grip:
        expected = {"vigorimeter": "kpa", "jamar": "kg"}[self.device]
        errors = []
        if self.unit != expected:
            errors.append(
                problem(
                    ("unit",),
                    "conflict",
                    f"the {self.device} reads in {expected}, not {self.unit}",
                    self.unit,
                )
            )
        if self.left is None and self.right is None:
            errors.append(problem(("left",), "missing_value", "give left and/or right", None))
        fail("Grip", errors)
        return self


class NssScale(CaseModel):
    """The instrument of a free neuromuscular symptom score: its name, direction and MCID.

    neuroig ships no MCID for a symptom score; one declared here is used as given.
    """

    name: NonEmptyStr
    higher_is_better: bool
    mcid: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    max: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    source: NonEmptyStr | None = None


class Assessment(CaseModel):
    """Outcome measures recorded at one visit (any subset)."""

    date: CaseDate
    mrc_sum_score: MrcSumScore | None = None
    strength: list[StrengthEntry] | None = None
    incat: Incat | None = None
    irods: Irods | None = None
    grip: Grip | None = None
    nss: Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)] | None = None
    nss_scale: NssScale | None = None
    walk_10m_s: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    rankin: Annotated[int, Field(ge=0, le=6)] | None = None
    weight_kg: WeightKg | None = None
    ncs: Ncs | None = None
    timing: Timing | None = None

    @model_validator(mode="after")
    def _unique_muscles(self) -> Assessment:
        check_strength_list(self.strength, "Assessment", "strength")
        if self.nss_scale is not None and self.nss is None:
            fail(
                "Assessment",
                [problem(("nss_scale",), "conflict", "nss_scale is given without nss", None)],
            )
        if (
            self.nss is not None
            and self.nss_scale is not None
            and self.nss_scale.max is not None
            and self.nss > self.nss_scale.max
        ):
            fail(
                "Assessment",
                [
                    problem(
                        ("nss",),
                        "implausible",
                        f"nss is above max {self.nss_scale.max:g}",
                        self.nss,
                    )
                ],
            )
        return self
