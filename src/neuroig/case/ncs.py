"""``ncs`` section: motor and sensory nerve conduction studies and the lab's limits."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import InitErrorDetails

from neuroig.case.base import CaseModel, fail, problem
from neuroig.case.bounds import (
    VELOCITY_MAX_M_S,
    VELOCITY_MIN_M_S,
    AmplitudeLlnMv,
    AmplitudeMv,
    AmplitudeUv,
    AreaMvms,
    DistanceMm,
    DurationMs,
    LatencyMs,
    Pct,
    TemperatureC,
    VelocityMS,
)
from neuroig.case.types import CaseDate, canonical_nerve
from neuroig.case.vocab_tables import MuscleId
from neuroig.reference import motor_nerve_info
from neuroig.vocab import MotorNerve, MotorSite, SensoryMethod, SensoryNerve, SensorySite, Side

__all__ = [
    "FWave",
    "LabReference",
    "MotorLimits",
    "MotorSiteResult",
    "MotorStudy",
    "Ncs",
    "SensoryLimits",
    "SensoryStudy",
]

_Positive = Annotated[float, Field(gt=0, le=150, allow_inf_nan=False)]

#: Sensory sites (decision P12): the sensory list plus every motor stimulation site, so a
#: sensory or mixed-nerve segment such as ulnar ``below_elbow``-``above_elbow`` is recorded.
SensorySiteId = Literal[SensorySite, MotorSite]


def _velocity_errors(study: MotorStudy) -> list[InitErrorDetails]:
    """Decision P10: each velocity the engine would compute lies within the P1 bounds.

    Mirrors the electro engine: segment ``a``→``b`` (``a`` distal) has the distance
    sum of ``sites[a+1..b].distance_mm`` and the latency difference of ``a`` and ``b``.
    """
    errors: list[InitErrorDetails] = []
    sites = study.sites
    lat = [s.latency_ms if not s.no_response else None for s in sites]
    for b in range(1, len(sites)):
        for a in range(b - 1, -1, -1):
            if lat[a] is not None:
                break
        else:
            continue
        la, lb = lat[a], lat[b]
        span = [s.distance_mm for s in sites[a + 1 : b + 1]]
        if la is None or lb is None or lb <= la or any(d is None for d in span):
            continue
        distance = sum(d for d in span if d is not None)
        velocity = distance / (lb - la)
        if VELOCITY_MIN_M_S <= velocity <= VELOCITY_MAX_M_S:
            continue
        loc = ("sites", b, "distance_mm") if sites[b].distance_mm is not None else ("sites", b)
        errors.append(
            problem(
                loc,
                "implausible_velocity",
                f"distance {distance:g} mm over latencies {la:g} → {lb:g} ms "
                f"({sites[a].site} → {sites[b].site}) gives {velocity:,.1f} m/s; a velocity "
                f"must be {VELOCITY_MIN_M_S:g}-{VELOCITY_MAX_M_S:g} m/s (decision P10): "
                "check sites[].distance_mm (mm, not cm) and sites[].latency_ms",
                sites[b].distance_mm,
            )
        )
    return errors


class MotorLimits(CaseModel):
    """A lab's own motor limits for one nerve (each optional)."""

    distal_latency_ms_uln: LatencyMs | None = None
    amplitude_mv_lln: AmplitudeLlnMv | None = None
    velocity_m_s_lln: VelocityMS | None = None
    f_latency_ms_uln: _Positive | None = None
    duration_ms_uln: DurationMs | None = None


class SensoryLimits(CaseModel):
    """A lab's own sensory limits for one nerve (each optional)."""

    amplitude_uv_lln: AmplitudeUv | None = None
    velocity_m_s_lln: VelocityMS | None = None
    peak_latency_ms_uln: LatencyMs | None = None


MotorNerveKey = Annotated[MotorNerve, canonical_nerve]
SensoryNerveKey = Annotated[SensoryNerve, canonical_nerve]


class LabReference(CaseModel):
    """The lab's limits, which take precedence over the built-in table (decision E9)."""

    motor: dict[MotorNerveKey, MotorLimits] | None = None
    sensory: dict[SensoryNerveKey, SensoryLimits] | None = None


class MotorSiteResult(CaseModel):
    """One stimulation site of a motor study."""

    site: MotorSite
    latency_ms: LatencyMs | None = None
    amplitude_mv: AmplitudeMv | None = None
    area_mvms: AreaMvms | None = None
    duration_ms: DurationMs | None = None
    distance_mm: DistanceMm | None = None
    no_response: bool | None = None

    @model_validator(mode="after")
    def _no_response(self) -> MotorSiteResult:
        if self.no_response:
            errors = []
            for name in ("amplitude_mv", "area_mvms"):
                value = getattr(self, name)
                if value is not None and value > 0:
                    errors.append(
                        problem(
                            (name,),
                            "conflict",
                            f"no_response is true but {name} is {value:g}; give 0 or leave it out",
                            value,
                        )
                    )
            for name in ("latency_ms", "duration_ms"):
                value = getattr(self, name)
                if value is not None:
                    errors.append(
                        problem(
                            (name,),
                            "conflict",
                            f"no_response is true but {name} is given; leave it out",
                            value,
                        )
                    )
            fail("MotorSiteResult", errors)
        return self

    @property
    def responded(self) -> bool:
        """True unless the site was marked ``no_response``."""
        return not self.no_response


class FWave(CaseModel):
    """F-wave study of a motor nerve."""

    min_latency_ms: _Positive | None = None
    persistence_pct: Pct | None = None
    absent: bool | None = None
    stimuli: Annotated[int, Field(ge=1, le=200)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> FWave:
        if self.absent and self.min_latency_ms is not None:
            fail(
                "FWave",
                [
                    problem(
                        ("min_latency_ms",),
                        "conflict",
                        "F-waves are marked absent but a minimal latency is given",
                        self.min_latency_ms,
                    )
                ],
            )
        return self

    @property
    def is_absent(self) -> bool | None:
        """True if absent (``absent`` or persistence 0 %), False if present, None if unknown."""
        if self.absent or self.persistence_pct == 0:
            return True
        if self.min_latency_ms is not None or (self.persistence_pct or 0) > 0:
            return False
        if self.absent is False:
            return False
        return None


class MotorStudy(CaseModel):
    """One motor nerve on one side; ``sites`` ordered distal to proximal."""

    nerve: MotorNerveKey
    side: Side
    recording: MuscleId | None = None
    temperature_c: TemperatureC | None = None
    sites: list[MotorSiteResult] = Field(min_length=1)
    f_wave: FWave | None = None
    lab_reference: MotorLimits | None = None

    @model_validator(mode="after")
    def _site_order(self) -> MotorStudy:
        info = motor_nerve_info(self.nerve)
        errors = []
        last_rank = 0
        last_site: str | None = None
        last_latency: float | None = None
        seen: set[str] = set()
        for i, s in enumerate(self.sites):
            rank = info.site_ranks.get(s.site)
            if rank is None:
                allowed = ", ".join(info.site_ranks)
                errors.append(
                    problem(
                        ("sites", i, "site"),
                        "site_for_nerve",
                        f"{s.site!r} is not a stimulation site of the {self.nerve} nerve; "
                        f"allowed: {allowed}",
                        s.site,
                    )
                )
                continue
            if s.site in seen:
                errors.append(
                    problem(
                        ("sites", i, "site"), "duplicate", f"site {s.site!r} listed twice", s.site
                    )
                )
            elif rank == last_rank:
                errors.append(
                    problem(
                        ("sites", i, "site"),
                        "duplicate",
                        f"{s.site!r} and {last_site!r} are the same stimulation level; keep one",
                        s.site,
                    )
                )
            elif rank < last_rank:
                errors.append(
                    problem(
                        ("sites", i, "site"),
                        "site_order",
                        f"sites must be ordered distal to proximal; {s.site!r} is distal to "
                        f"{last_site!r} listed before it",
                        s.site,
                    )
                )
            elif (
                s.latency_ms is not None
                and last_latency is not None
                and s.latency_ms <= last_latency
            ):
                errors.append(
                    problem(
                        ("sites", i, "latency_ms"),
                        "implausible",
                        f"latency {s.latency_ms:g} ms at {s.site} is not longer than "
                        f"{last_latency:g} ms at the more distal {last_site}",
                        s.latency_ms,
                    )
                )
            seen.add(s.site)
            if rank > last_rank:
                last_rank, last_site = rank, s.site
            if s.latency_ms is not None:
                last_latency = s.latency_ms
        if not errors:
            errors.extend(_velocity_errors(self))
        distal = self.sites[0].latency_ms if self.sites else None
        f_lat = self.f_wave.min_latency_ms if self.f_wave else None
        if distal is not None and f_lat is not None and f_lat <= distal:
            errors.append(
                problem(
                    ("f_wave", "min_latency_ms"),
                    "implausible",
                    f"F-wave latency {f_lat:g} ms is not above the distal latency "
                    f"{distal:g} ms (sites[0].latency_ms); an F-wave travels to the cord "
                    "and back (decision P10)",
                    f_lat,
                )
            )
        fail("MotorStudy", errors)
        return self


class SensoryStudy(CaseModel):
    """One sensory nerve segment on one side."""

    nerve: SensoryNerveKey
    side: Side
    method: SensoryMethod | None = None
    from_site: SensorySiteId | None = None
    to_site: SensorySiteId | None = None
    amplitude_uv: AmplitudeUv | None = None
    velocity_m_s: VelocityMS | None = None
    peak_latency_ms: LatencyMs | None = None
    onset_latency_ms: LatencyMs | None = None
    distance_mm: DistanceMm | None = None
    no_response: bool | None = None
    temperature_c: TemperatureC | None = None
    lab_reference: SensoryLimits | None = None

    @model_validator(mode="after")
    def _consistent(self) -> SensoryStudy:
        errors = []
        if self.from_site is not None and self.from_site == self.to_site:
            errors.append(
                problem(("to_site",), "conflict", "to_site equals from_site", self.to_site)
            )
        if self.no_response:
            if self.amplitude_uv:
                errors.append(
                    problem(
                        ("amplitude_uv",),
                        "conflict",
                        "no_response is true but an amplitude above 0 is given",
                        self.amplitude_uv,
                    )
                )
            for name in ("velocity_m_s", "peak_latency_ms", "onset_latency_ms"):
                if getattr(self, name) is not None:
                    errors.append(
                        problem(
                            (name,),
                            "conflict",
                            f"no_response is true but {name} is given; leave it out",
                            getattr(self, name),
                        )
                    )
        fail("SensoryStudy", errors)
        return self


class Ncs(CaseModel):
    """A nerve conduction study (presentation or follow-up)."""

    date: CaseDate | None = None
    temperature_c: TemperatureC | None = None
    low_frequency_filter_hz: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] | None = (
        None
    )
    high_frequency_filter_khz: Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)] | None = (
        None
    )
    lab_reference: LabReference | None = None
    motor: list[MotorStudy] | None = None
    sensory: list[SensoryStudy] | None = None

    @model_validator(mode="after")
    def _unique(self) -> Ncs:
        errors = []
        seen: set[tuple[str, str, str | None]] = set()
        for i, m in enumerate(self.motor or ()):
            key = (m.nerve, m.side, m.recording)
            if key in seen:
                rec = f" recorded from {m.recording}" if m.recording else ""
                errors.append(
                    problem(
                        ("motor", i),
                        "duplicate",
                        f"{m.side} {m.nerve}{rec} is studied twice; merge the sites into one entry",
                        f"{m.nerve}/{m.side}",
                    )
                )
            seen.add(key)
        seen_s: set[tuple[str, str, str | None, str | None]] = set()
        for i, s in enumerate(self.sensory or ()):
            skey = (s.nerve, s.side, s.from_site, s.to_site)
            if skey in seen_s:
                errors.append(
                    problem(
                        ("sensory", i),
                        "duplicate",
                        f"{s.side} {s.nerve} {s.from_site}-{s.to_site} is listed twice",
                        f"{s.nerve}/{s.side}",
                    )
                )
            seen_s.add(skey)
        fail("Ncs", errors)
        return self
