"""The planner's results: frozen records that the CLI, the JSON and the calendar render."""

from __future__ import annotations

from datetime import date
from typing import Literal

from neuroig.record import Record
from neuroig.reference.products import Product
from neuroig.therapy.dosing_weight import DosingWeight
from neuroig.therapy.options import Override, PlanOptions
from neuroig.therapy.packs import PackCount
from neuroig.therapy.rates import RateStep

__all__ = [
    "Advice",
    "AdviceStatus",
    "AppliesTo",
    "Cost",
    "Finding",
    "Plan",
    "RegimenPlan",
    "Session",
    "Severity",
    "SteroidPhase",
]

Severity = Literal["block", "warn", "info"]
AdviceStatus = Literal[
    "preferred",
    "option",
    "not_recommended",
    "caution",
    "suggested",
    "not_suggested",
    "unknown",
    "trial_done",
]
#: Where a finding shows on the pharmacist's sheet: next to the regimen line, the rate
#: line, the sessions, or (empty) in the safety list only.
AppliesTo = Literal["regimen", "rates", "sessions", "dose", ""]


class Session(Record, frozen=True):
    """One infusion day (or one plasma exchange).

    ``computed_g`` is the equal share of the computed course dose; ``dose_g`` what is
    given after rounding (T3); ``issued_g`` the packs opened and ``wastage_g`` the part of
    them not given. For SC sessions ``sites`` and ``site_volume_ml`` are set.
    """

    date: date
    computed_g: float | None = None
    dose_g: float | None = None
    volume_ml: float | None = None
    packs: tuple[PackCount, ...] | None = None
    issued_g: float | None = None
    wastage_g: float | None = None
    rate_steps: tuple[RateStep, ...] = ()
    duration_min: int | None = None
    rate_basis: str = ""
    sites: int | None = None
    site_volume_ml: float | None = None
    cost: float | None = None
    label: str = ""


class SteroidPhase(Record, frozen=True):
    """A prednisone phase: ``mg`` every day or on alternate days from ``start``.

    ``other_day_mg`` is the dose of the in-between day while a daily dose is converted
    to alternate days (decision T23); None when that day has no dose or the phase is daily.
    """

    start: date
    end: date | None
    mg: float
    every: Literal["daily", "alternate days"]
    text: str
    other_day_mg: float | None = None


class RegimenPlan(Record, frozen=True):
    """The regimen: doses, rounding, sessions of one course/cycle and the schedule."""

    kind: str
    route: Literal["iv", "sc"] | None
    dose_g_per_kg: float | None
    dose_basis: str
    days: int | None
    interval_days: int | None
    rounding: str | None
    total_computed_g: float | None
    total_dispensed_g: float | None
    total_issued_g: float | None
    total_wastage_g: float | None
    weekly_g_per_kg: float | None
    per_day_g_per_kg: float | None
    sessions: tuple[Session, ...]
    schedule: tuple[date, ...]
    phases: tuple[SteroidPhase, ...] = ()
    review_date: date | None = None
    tolerance_g: float | None = None
    care: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    ramp_up: tuple[Session, ...] = ()


class Finding(Record, frozen=True):
    """A safety-screen result (T7): severity, reason and source; overrides are recorded."""

    id: str
    severity: Severity
    text: str
    source: str
    verified: bool = True
    overridden_by: Override | None = None
    applies_to: AppliesTo = ""


class Advice(Record, frozen=True):
    """A diagnosis-aware treatment statement (T6) with its evidence level and citation."""

    id: str
    therapy: str
    status: AdviceStatus
    text: str
    evidence: str
    cite: str
    verified: bool = True
    applies_to_plan: bool = False


class Cost(Record, frozen=True):
    """Product cost (T8) from a dated, currency-tagged price row."""

    currency: str
    price_per_g: float
    grams_basis: Literal["issued", "dose"]
    per_course: float
    per_year: float | None
    price_source: str
    price_effective: date
    price_verified: bool
    price_table: str


class Plan(Record, frozen=True):
    """A therapy plan for one case.

    ``status`` is ``blocked`` when a block finding is not overridden: the sessions,
    schedule and cost are then empty and ``blocked_by`` names the findings.
    """

    case_id: str
    status: Literal["ok", "blocked"]
    options: PlanOptions
    regimen: RegimenPlan
    dosing_weight: DosingWeight | None
    product: Product | None
    safety: tuple[Finding, ...]
    advice: tuple[Advice, ...]
    cost: Cost | None
    overrides: tuple[Override, ...]
    blocked_by: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
