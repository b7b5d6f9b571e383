"""What the clinician asks the planner for: regimen, product, policies and overrides.

Every option is checked here and a bad value raises :class:`~neuroig.errors.InputError`
naming the option; nothing is silently replaced. ``None`` means "use the regimen's
default" and the plan records which default was used.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Literal, get_args

from neuroig.errors import InputError
from neuroig.record import Record, field
from neuroig.therapy.dosing_weight import POLICIES, WeightPolicy
from neuroig.therapy.params import param_int, param_text, param_value
from neuroig.therapy.rates import RateSchedule

__all__ = [
    "REGIMENS",
    "ROUNDINGS",
    "Override",
    "PlanOptions",
    "RegimenKind",
    "Rounding",
]

RegimenKind = Literal["ivig-induction", "ivig-maintenance", "scig", "prednisone", "plasma-exchange"]
Rounding = Literal["none", "nearest-5g", "vials"]
REGIMENS: tuple[str, ...] = get_args(RegimenKind)
#: A plan starts within these dates (the schedule, ramp-up and taper run years past it).
START_MIN = date(1900, 1, 1)
START_MAX = date(2199, 12, 31)
ROUNDINGS: tuple[str, ...] = get_args(Rounding)


class Override(Record, frozen=True):
    """An explicit, reasoned override of a ``block`` finding or a dose limit (T4, T7)."""

    id: str
    reason: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z][A-Z0-9-]*", self.id):
            raise InputError("override.id", self.id, "must be a rule id such as SAFE-RENAL-EGFR")
        if not self.reason.strip():
            raise InputError(
                f"override[{self.id}].reason",
                self.reason,
                "must state the clinical reason (it is recorded in the plan)",
            )


def _positive(name: str, value: float | None, *, upper: float | None = None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not math.isfinite(value) or value <= 0:
        raise InputError(name, value, "must be a number > 0")
    if upper is not None and value > upper:
        raise InputError(name, value, f"must be ≤ {upper:g}")


class PlanOptions(Record, frozen=True, kw_only=True):
    """Options of :func:`neuroig.therapy.plan`.

    Parameters
    ----------
    start
        Date of the first session (the core never reads the clock).
    regimen
        ``ivig-induction``, ``ivig-maintenance``, ``scig``, ``prednisone`` or
        ``plasma-exchange``; None: maintenance if the case records IV infusions, else
        induction (the choice is noted in the plan).
    product
        Catalogue id; None: the product of the case's last infusion by the route.
    dose_g_per_kg
        Induction: g/kg per course (default 2). Maintenance: g/kg per cycle (default 1).
        SCIg: g/kg **per week** (default: 1:1 from the current IVIg, T5).
    days
        Infusion days per course/cycle. Induction 2-5 (default 5); maintenance 1-5
        (default the fewest days keeping ≤ 1 g/kg/day); SCIg 1-7 per cycle (default the
        fewest days the product's site and day limits allow).
    interval_days
        Days between cycle starts. Maintenance default 21; SCIg default 7 (HyQvia: the
        IVIg interval it replaces).
    ivig_dose_g_per_kg, ivig_interval_days
        The current IVIg regimen for the 1:1 SCIg conversion when the case does not
        record it in ``treatments``.
    authorised_max_g
        Grams authorised per course/cycle (e.g. by BloodSTAR); no rounding policy goes
        above it (T21).
    at_risk_rate_mg_kg_min
        The site's at-risk rate cap for products whose label gives none (T18); None:
        ``RATE-AT-RISK-DEFAULT`` of ``data/therapy.toml`` (3.3 mg/kg/min [D]).
    overrides
        Reasoned overrides of block findings (``SAFE-…``) and dose limits
        (``DOSE-DAY-MAX``, ``DOSE-COURSE-MAX``); each is recorded in the plan.
    """

    start: date
    regimen: RegimenKind | None = None
    product: str | None = None
    weight_policy: WeightPolicy = "bloodstar-2026"
    rounding: Rounding = "vials"
    dose_g_per_kg: float | None = None
    days: int | None = None
    interval_days: int | None = None
    ivig_dose_g_per_kg: float | None = None
    ivig_interval_days: int | None = None
    authorised_max_g: float | None = None
    pre_pregnancy_weight_kg: float | None = None
    overrides: tuple[Override, ...] = ()
    rate_schedule: RateSchedule = field(default_factory=RateSchedule)
    resume_tolerated_rate: bool = True
    # Clinical defaults come from data/therapy.toml (source, verified, decision per row).
    currency: str = field(default_factory=lambda: param_text("DEFAULT-CURRENCY"))
    horizon_months: int = 6
    egfr_block_below: float = field(default_factory=lambda: param_value("EGFR-BLOCK-BELOW"))
    egfr_warn_below: float = field(default_factory=lambda: param_value("EGFR-WARN-BELOW"))
    prednisone_mg_per_day: float = field(default_factory=lambda: param_value("PRED-MG-PER-DAY"))
    prednisone_weeks: int = field(default_factory=lambda: param_int("PRED-WEEKS"))
    taper_step_mg: float = field(default_factory=lambda: param_value("PRED-TAPER-STEP-MG"))
    taper_step_weeks: int = field(default_factory=lambda: param_int("PRED-TAPER-STEP-WEEKS"))
    maintenance_mg_alternate_days: float = field(
        default_factory=lambda: param_value("PRED-TAPER-FLOOR-MG-ALT")
    )
    exchanges: int = 10
    exchange_weeks: int = 4
    at_risk_rate_mg_kg_min: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.start, date):
            raise InputError("start", self.start, "must be a date (YYYY-MM-DD)")
        if not START_MIN <= self.start <= START_MAX:
            raise InputError(
                "start",
                self.start.isoformat(),
                f"must be between {START_MIN.isoformat()} and {START_MAX.isoformat()}",
                "give the date of the first session",
            )
        _positive("at_risk_rate_mg_kg_min", self.at_risk_rate_mg_kg_min, upper=20)
        if self.regimen is not None and self.regimen not in REGIMENS:
            raise InputError("regimen", self.regimen, f"must be one of: {', '.join(REGIMENS)}")
        if self.weight_policy not in POLICIES:
            raise InputError(
                "weight_policy", self.weight_policy, f"must be one of: {', '.join(POLICIES)}"
            )
        if self.rounding not in ROUNDINGS:
            raise InputError("rounding", self.rounding, f"must be one of: {', '.join(ROUNDINGS)}")
        _positive("dose_g_per_kg", self.dose_g_per_kg, upper=5.0)
        _positive("ivig_dose_g_per_kg", self.ivig_dose_g_per_kg, upper=5.0)
        _positive("authorised_max_g", self.authorised_max_g)
        _positive("pre_pregnancy_weight_kg", self.pre_pregnancy_weight_kg, upper=350)
        for name in ("days", "interval_days", "ivig_interval_days", "horizon_months"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise InputError(name, value, "must be a whole number")
            if value is not None and value < 1:
                raise InputError(name, value, "must be ≥ 1")
        if self.interval_days is not None and self.interval_days > 365:
            raise InputError("interval_days", self.interval_days, "must be ≤ 365 days")
        if self.horizon_months > 36:
            raise InputError("horizon_months", self.horizon_months, "must be ≤ 36")
        if not re.fullmatch(r"[A-Za-z]{3}", self.currency):
            raise InputError("currency", self.currency, "must be a 3-letter ISO 4217 code")
        if not 0 < self.egfr_block_below <= self.egfr_warn_below:
            raise InputError(
                "egfr_block_below",
                self.egfr_block_below,
                f"must be > 0 and ≤ egfr_warn_below ({self.egfr_warn_below:g})",
            )
        _positive("prednisone_mg_per_day", self.prednisone_mg_per_day, upper=100)
        _positive("taper_step_mg", self.taper_step_mg, upper=40)
        _positive("maintenance_mg_alternate_days", self.maintenance_mg_alternate_days, upper=100)
        for name, top in (
            ("prednisone_weeks", 26),
            ("taper_step_weeks", 12),
            ("exchanges", 20),
            ("exchange_weeks", 12),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise InputError(name, value, f"must be a whole number from 1 to {top}")
        seen: set[str] = set()
        for o in self.overrides:
            if o.id in seen:
                raise InputError("overrides", o.id, "each rule may be overridden once")
            seen.add(o.id)

    def override(self, rule_id: str) -> Override | None:
        """The override of ``rule_id``, if one was given."""
        return next((o for o in self.overrides if o.id == rule_id), None)
