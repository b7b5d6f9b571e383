"""Immunoglobulin regimens: IVIg induction, IVIg maintenance and SCIg (T3, T4, T5).

Arithmetic (docs/methods/therapy.md §3):

* computed course (or cycle) dose = g/kg × dosing weight, to 0.01 g;
* limits (T4) act on the prescribed g/kg: ≤ 1 g/kg dosing weight per day and ≤ 2 g/kg
  per course/cycle unless an override (``DOSE-DAY-MAX``, ``DOSE-COURSE-MAX``) is recorded;
* rounding (T3) acts on the course/cycle total, which is then split over the days:
  ``none`` and ``nearest-5g`` split it equally (to 0.01 g) and open the fewest packs
  that cover each day's dose, reporting the rest as wastage; ``vials`` takes the pack
  total closest to the computed dose (ties to the lower) that is not above the
  authorised maximum, and splits those whole packs over the days as evenly as possible
  (no wastage);
* volume = grams × 100 / concentration %;
* SCIg weekly dose = the IVIg dose per week, 1:1 (T5), or 0.2-0.4 g/kg/week.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from neuroig.case import Case
from neuroig.errors import DoseLimitError, InputError
from neuroig.reference.products import Product
from neuroig.therapy.dosing_weight import DosingWeight
from neuroig.therapy.history import IgHistory, RecordedMaintenance, recorded_maintenance
from neuroig.therapy.model import Finding, RegimenPlan, Session
from neuroig.therapy.options import Override, PlanOptions
from neuroig.therapy.packs import PackCount, pack_set
from neuroig.therapy.params import param, param_list, param_value
from neuroig.therapy.rates import duration_min, iv_ramp, sc_ramp

__all__ = [
    "COURSE_MAX_G_PER_KG",
    "DAY_MAX_G_PER_KG",
    "IgContext",
    "add_months",
    "plan_ig",
]

#: T4: never more than 1 g/kg dosing weight per day ...
DAY_MAX_G_PER_KG = 1.0
#: ... nor more than 2 g/kg per course, without a recorded override.
COURSE_MAX_G_PER_KG = 2.0
#: EAN/PNS 2021 (the EAN/PNS 2021 guideline): SCIg may be less practical above ~20-30 g.
SC_PRACTICAL_G = 20.0
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class IgContext:
    """Resolved inputs of an Ig plan."""

    kind: str
    route: str
    product: Product
    dosing_weight: DosingWeight
    actual_kg: float
    history: IgHistory
    risk_factors: tuple[str, ...] = ()

    @property
    def rate_kg(self) -> float:
        """T2 (revised): rates use the lower of actual and dosing weight."""
        return min(self.actual_kg, self.dosing_weight.kg)


@dataclass(slots=True)
class _Out:
    notes: list[str]
    warnings: list[str]
    overrides: list[Override]
    changes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _pct(current: float, proposed: float) -> str:
    return f"{(proposed - current) / current * 100:+.0f} %"


def _changes(
    rec: RecordedMaintenance, proposed_g: float, interval: int, options: PlanOptions
) -> list[str]:
    """T17: a change from the recorded regimen, as current → proposed with its % change."""
    out = []
    if options.dose_g_per_kg is not None and abs(proposed_g - rec.grams) > 0.005:
        out.append(
            f"dose per cycle: current {rec.grams:g} g → proposed {proposed_g:g} g "
            f"({_pct(rec.grams, proposed_g)})"
        )
    if (
        options.interval_days is not None
        and rec.interval_days is not None
        and interval != rec.interval_days
    ):
        out.append(
            f"interval: current {rec.interval_days} days → proposed {interval} days "
            f"({_pct(rec.interval_days, interval)})"
        )
    return out


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's last day."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _cg_split(total_g: float, n: int) -> list[float]:
    """Equal split of ``total_g`` over ``n`` days to 0.01 g (remainder cents first)."""
    cg = round(total_g * 100)
    base, rem = divmod(cg, n)
    return [(base + (1 if i < rem else 0)) / 100 for i in range(n)]


def _nearest_5g(total_g: float, cap_g: float | None) -> float:
    """Ontario: the course total to the nearest 5 g (ties to the lower), then 5 g lower
    while above the cap (T21: the authorised maximum and the T4 limits bind); a cap below
    5 g is given exactly."""
    cg = round(total_g * 100)
    r = cg % 500
    out = cg - r + (500 if r > 250 else 0)  # nearest 5 g, ties to the lower (T3)
    cap = None if cap_g is None else round(cap_g * 100)
    while cap is not None and out > cap and out > 500:
        out -= 500
    if cap is not None and out > cap:
        out = cap
    if out <= 0:
        raise InputError(
            "rounding",
            "nearest-5g",
            f"a dose of {total_g:g} g rounds to 0 g",
            "use --rounding none",
        )
    return out / 100


# ------------------------------------------------------------------ limits (T4)


def _check_limits(
    *, dose_g_per_kg: float, days: int, options: PlanOptions, out: _Out, cycle: str
) -> tuple[bool, bool]:
    """Raise DoseLimitError unless within T4 or overridden; return (day, course) overridden."""
    course_over = dose_g_per_kg > COURSE_MAX_G_PER_KG + _EPS
    day_over = dose_g_per_kg / days > DAY_MAX_G_PER_KG + _EPS
    course_ov = options.override("DOSE-COURSE-MAX")
    day_ov = options.override("DOSE-DAY-MAX")
    if course_over:
        if course_ov is None:
            raise DoseLimitError(
                "dose_g_per_kg",
                dose_g_per_kg,
                f"must be ≤ {COURSE_MAX_G_PER_KG:g} g/kg dosing weight per {cycle} (T4)",
                "record an override DOSE-COURSE-MAX with its clinical reason to exceed it",
            )
        out.overrides.append(course_ov)
        out.warnings.append(
            f"DOSE-COURSE-MAX overridden: {dose_g_per_kg:g} g/kg per {cycle} "
            f"(reason: {course_ov.reason})"
        )
    if day_over:
        if day_ov is None:
            raise DoseLimitError(
                "days",
                days,
                f"{dose_g_per_kg:g} g/kg over {days} day(s) is "
                f"{dose_g_per_kg / days:.3g} g/kg/day; must be ≤ {DAY_MAX_G_PER_KG:g} g/kg "
                "dosing weight per day (T4)",
                "give more days, or record an override DOSE-DAY-MAX with its clinical reason",
            )
        out.overrides.append(day_ov)
        out.warnings.append(
            f"DOSE-DAY-MAX overridden: {dose_g_per_kg / days:.3g} g/kg/day "
            f"(reason: {day_ov.reason})"
        )
    return day_over, course_over


# ------------------------------------------------------------------ rounding (T3)


@dataclass(frozen=True, slots=True)
class _Dose:
    computed_g: float
    dose_g: float
    packs: tuple[PackCount, ...] | None
    issued_g: float | None
    wastage_g: float | None


def _round(
    *,
    product: Product,
    computed_g: float,
    n: int,
    rounding: str,
    course_cap_g: float | None,
    day_cap_g: float | None,
    authorised_g: float | None,
    out: _Out,
    ontario_total_g: float | None = None,
) -> tuple[list[_Dose], float | None]:
    """Round a course/cycle and split it into ``n`` days; return doses and the tolerance.

    ``vials`` never goes above ``course_cap_g`` (the authorised maximum: the T4 limit or the
    authorisation) nor puts more than ``day_cap_g`` on one day; ``nearest-5g`` is capped
    only by an explicit authorisation (``authorised_g``).
    """
    packs = pack_set(product.packs_g.value) if product.packs_g else None
    computed = _cg_split(computed_g, n)
    caps = [c for c in (course_cap_g, None if day_cap_g is None else day_cap_g * n) if c]
    cap = min(caps) if caps else None
    if rounding == "vials" and packs is None:
        out.warnings.append(
            f"no pack sizes on file for {product.id}: rounding 'vials' is not possible, the "
            "exact dose is planned (rounding none)"
        )
        rounding = "none"
    if rounding == "vials":
        assert packs is not None
        for total in packs.candidates(computed_g, cap_g=cap, min_packs=n)[:200]:
            if abs(total - (computed_g if cap is None else min(computed_g, cap))) >= (
                packs.smallest_g
            ):
                break  # beyond the policy's tolerance: refuse rather than over/under-dose
            split = packs.split(total, n, cap_g=day_cap_g)
            if split is not None:
                whole = [
                    _Dose(c, d, packs.fewest_packs(d), d, 0.0)
                    for c, d in zip(computed, split, strict=True)
                ]
                return whole, packs.smallest_g
        raise InputError(
            "rounding",
            "vials",
            f"no combination of {product.id} packs "
            f"({', '.join(f'{s:g}' for s in packs.sizes_g)} g) splits {computed_g:g} g "
            f"over {n} day(s) within one pack of the dose and within the limits",
            "use fewer days, or --rounding none or nearest-5g",
        )
    if rounding == "nearest-5g" and ontario_total_g is not None:
        # SCIg under Ontario (T21): the IVIg-interval total was rounded, then divided by
        # the weeks; the cycle takes its share exactly, within the caps.
        total = ontario_total_g if cap is None else min(ontario_total_g, cap)
        tolerance = 2.5
    elif rounding == "nearest-5g":
        # Ontario's rule on the course total (T21): nearest 5 g, never above the
        # authorised maximum nor the T4 limits.
        total, tolerance = _nearest_5g(computed_g, cap), 2.5
    else:
        total, tolerance = (computed_g if cap is None else min(computed_g, cap)), 0.0
    shares = _cg_split(total, n)
    if packs is not None and rounding == "nearest-5g" and ontario_total_g is None:
        # T21: packs chosen per session to minimise wastage - whole packs when the total
        # splits into them within the daily limit, else equal shares.
        by_pack = packs.split(total, n, cap_g=day_cap_g)
        if by_pack is not None:
            shares = list(by_pack)
    doses = []
    for c, d in zip(computed, shares, strict=True):
        if packs is None:
            doses.append(_Dose(c, d, None, None, None))
            continue
        issued = packs.covering(d)
        doses.append(_Dose(c, d, packs.fewest_packs(issued), issued, round(issued - d, 2)))
    if packs is None:
        out.warnings.append(
            f"no pack sizes on file for {product.id}: packs and wastage are not computed"
        )
    return doses, tolerance


# ------------------------------------------------------------------ rates (T2)


def at_risk_top(ctx: IgContext, options: PlanOptions) -> tuple[float, str]:
    """The top of the IV ramp in mL/kg/min and its basis (T2, T18).

    Without risk factors: the product's maximum. With any thrombosis or renal risk factor:
    the product's labelled at-risk maximum, else the site-configurable cap
    (``options.at_risk_rate_mg_kg_min``, default ``RATE-AT-RISK-DEFAULT`` 3.3 mg/kg/min
    [D]), never above the product's maximum.
    """
    p = ctx.product
    assert p.iv_rate_max_ml_kg_min is not None and p.concentration_pct is not None
    top = p.iv_rate_max_ml_kg_min.value
    basis = f"maximum {p.iv_rate_max_ml_kg_min.label}"
    if not ctx.risk_factors:
        return top, basis
    why = ", ".join(ctx.risk_factors)
    if p.iv_rate_max_at_risk_ml_kg_min is not None:
        cap = p.iv_rate_max_at_risk_ml_kg_min.value
        label = f"the {p.name} labelled at-risk maximum {p.iv_rate_max_at_risk_ml_kg_min.label}"
    else:
        mg = at_risk_mg_kg_min(options)
        cap = mg / (p.concentration_pct.value * 10)  # mg/kg/min ÷ mg/mL = mL/kg/min
        label = (
            f"the at-risk cap {mg:g} mg/kg/min (no at-risk maximum on the {p.name} label; "
            "site-configurable, default from Panzyga's label, decision T18)"
        )
    if cap >= top:
        return top, f"{basis} (at-risk cap {label} is not lower) - risk factors: {why}"
    return cap, f"capped at {label} - risk factors: {why}"


def at_risk_mg_kg_min(options: PlanOptions) -> float:
    """The configured at-risk cap in mg/kg/min (T18)."""
    if options.at_risk_rate_mg_kg_min is not None:
        return options.at_risk_rate_mg_kg_min
    return param_value("RATE-AT-RISK-DEFAULT")


def _iv_rates(ctx: IgContext, options: PlanOptions, volume_ml: float, out: _Out) -> Session:
    p = ctx.product
    missing = [
        name
        for name, v in (
            ("initial", p.iv_rate_initial_ml_kg_min),
            ("maximum", p.iv_rate_max_ml_kg_min),
        )
        if v is None
    ]
    if missing:
        msg = (
            f"no {' or '.join(missing)} rate on file for {p.id}: the rate ramp and duration "
            "are not computed - follow the SmPC"
        )
        if msg not in out.warnings:
            out.warnings.append(msg)
        return Session(date=date.min, rate_basis="rates not on file")
    assert p.iv_rate_max_ml_kg_min is not None and p.iv_rate_initial_ml_kg_min is not None
    top, basis_max = at_risk_top(ctx, options)
    h = ctx.history
    start = None
    if not h.restart_initial and options.resume_tolerated_rate and h.tolerated_ml_h is not None:
        start = h.tolerated_ml_h
        basis = f"start at the rate tolerated last time ({start:g} mL/h; {h.reason})"
    else:
        why = h.reason if h.restart_initial else f"{h.reason}; no tolerated rate used"
        basis = f"start at the label's initial rate {p.iv_rate_initial_ml_kg_min.label} ({why})"
    steps = iv_ramp(
        product=p,
        weight_kg=ctx.rate_kg,
        start_ml_h=start,
        max_ml_kg_min=top,
        schedule=options.rate_schedule,
    )
    used, minutes = duration_min(steps, volume_ml)
    return Session(
        date=date.min,
        rate_steps=tuple(used),
        duration_min=minutes,
        rate_basis=(
            f"{basis}; {basis_max}; on {ctx.rate_kg:g} kg, the lower of actual "
            f"({ctx.actual_kg:g} kg) and dosing weight ({ctx.dosing_weight.kg:g} kg) (T2)"
        ),
    )


def _sc_session(
    ctx: IgContext, options: PlanOptions, volume_ml: float, index: int, out: _Out
) -> tuple[Session, str | None]:
    """Sites and rates of an SC session; the second value says why the day is too big."""
    sc = ctx.product.sc
    p = ctx.product
    if sc is None:
        out.warnings.append(f"no subcutaneous limits on file for {p.id}")
        return Session(date=date.min, rate_basis="SC limits not on file"), None
    if sc.min_weight_kg is not None and ctx.actual_kg < sc.min_weight_kg.value:
        msg = (
            f"the {p.name} SC limits on file are for patients ≥ {sc.min_weight_kg.value:g} kg; "
            f"this patient weighs {ctx.actual_kg:g} kg - check the label"
        )
        if msg not in out.warnings:
            out.warnings.append(msg)
    prior = ctx.history.same_product_count + index
    initial = sc.initial_infusions is not None and prior < sc.initial_infusions.value
    stage = f"infusion {prior + 1} of {p.id}: " + (
        "initial-infusion limits" if initial else "standard limits"
    )
    day_max = sc.day_volume_ml_max
    if ctx.actual_kg < 40 and sc.day_volume_ml_max_under_40kg is not None:
        day_max = sc.day_volume_ml_max_under_40kg
    if day_max is not None and volume_ml > day_max.value + _EPS:
        return Session(date=date.min), f"{volume_ml:g} mL exceeds {day_max.value:g} mL per day"
    site_vol = sc.site_volume_ml_max
    if initial and sc.site_volume_ml_max_initial is not None:
        site_vol = sc.site_volume_ml_max_initial
    if site_vol is None:
        msg = f"no volume per infusion site on file for {p.id}: sites and duration not computed"
        if msg not in out.warnings:
            out.warnings.append(msg)
        return Session(date=date.min, rate_basis=stage), None
    sites = max(1, math.ceil(volume_ml / site_vol.value - _EPS))
    if (
        sc.site_volume_ml_max_at_3_sites is not None
        and sites >= 3
        and volume_ml / sites > sc.site_volume_ml_max_at_3_sites.value + _EPS
    ):
        sites = math.ceil(volume_ml / sc.site_volume_ml_max_at_3_sites.value - _EPS)
    if sc.sites_max is not None and sites > sc.sites_max.value:
        return Session(date=date.min), (
            f"{volume_ml:g} mL needs {sites} sites of ≤ {site_vol.value:g} mL; "
            f"the label allows {sc.sites_max.value}"
        )
    if sc.sites_max is None:
        msg = f"no maximum number of infusion sites on file for {p.id}: check the label"
        if msg not in out.warnings:
            out.warnings.append(msg)
    if sc.site_rate_ml_h_max is None:
        msg = f"no rate per infusion site on file for {p.id}: duration not computed"
        if msg not in out.warnings:
            out.warnings.append(msg)
        return Session(
            date=date.min, sites=sites, site_volume_ml=round(volume_ml / sites, 1), rate_basis=stage
        ), None
    start = sc.site_rate_ml_h_max.value
    if (initial or (sc.ramp_in_session and sc.ramp_in_session.value)) and sc.site_rate_ml_h_initial:
        start = sc.site_rate_ml_h_initial.value
    total = sc.total_rate_ml_h_max
    if initial and sc.total_rate_ml_h_initial is not None:
        total = sc.total_rate_ml_h_initial
    ramp = bool(sc.ramp_in_session and sc.ramp_in_session.value)
    rates = sc_ramp(
        sites=sites,
        volume_ml=volume_ml,
        per_site_start=start,
        per_site_max=sc.site_rate_ml_h_max.value if ramp else start,
        total_max=total.value if total else None,
        ramp=ramp,
        schedule=options.rate_schedule,
    )
    used, minutes = duration_min(rates.steps, volume_ml)
    basis = (
        f"{stage}; {sites} site(s) × ≤ {site_vol.value:g} mL at {start:g} mL/h/site"
        + (f" rising to {sc.site_rate_ml_h_max.value:g}" if ramp else "")
        + (f"; pump ≤ {total.value:g} mL/h" if total else "")
    )
    return Session(
        date=date.min,
        sites=sites,
        site_volume_ml=rates.site_volume_ml,
        rate_steps=tuple(used),
        duration_min=minutes,
        rate_basis=basis,
    ), None


# ------------------------------------------------------------------ regimens


def _current_ivig(case: Case, options: PlanOptions) -> tuple[float, int, str]:
    """The IVIg regimen to convert 1:1 (T5): options first, else the latest IVIg treatment."""
    if options.ivig_dose_g_per_kg is not None or options.ivig_interval_days is not None:
        if options.ivig_dose_g_per_kg is None or options.ivig_interval_days is None:
            missing = (
                "ivig_dose_g_per_kg"
                if options.ivig_dose_g_per_kg is None
                else ("ivig_interval_days")
            )
            raise InputError(missing, None, "is required with the other IVIg regimen option")
        return options.ivig_dose_g_per_kg, options.ivig_interval_days, "the IVIg regimen given"
    courses = [
        (i, t) for i, t in enumerate(case.treatments or ()) if t.therapy == "ivig" and t.regimen
    ]
    if not courses:
        raise InputError(
            "dose_g_per_kg",
            None,
            "scig needs a weekly dose (0.2-0.4 g/kg/week) or a current IVIg regimen to convert 1:1",
            "give --dose, or --ivig-dose and --ivig-interval, or record the IVIg course in "
            "treatments[] with regimen.dose_g_per_kg and regimen.interval_days",
        )
    i, t = max(courses, key=lambda it: it[1].start)
    assert t.regimen is not None
    if t.regimen.dose_g_per_kg is None or t.regimen.interval_days is None:
        field = "dose_g_per_kg" if t.regimen.dose_g_per_kg is None else "interval_days"
        raise InputError(
            f"treatments[{i}].regimen.{field}",
            None,
            "is required to convert the IVIg course 1:1 to SCIg",
            "record it, or give --dose in g/kg/week",
        )
    interval = t.regimen.interval_days
    if interval != int(interval):
        raise InputError(
            f"treatments[{i}].regimen.interval_days", interval, "must be a whole number of days"
        )
    return t.regimen.dose_g_per_kg, int(interval), f"the IVIg course of {t.start} (treatments[{i}])"


def plan_ig(case: Case, options: PlanOptions, ctx: IgContext) -> tuple[RegimenPlan, _Out]:
    """Build the Ig regimen (doses, rounding, sessions, rates, schedule) for ``ctx.kind``."""
    out = _Out([], [], [])
    p, dw = ctx.product, ctx.dosing_weight
    if p.concentration_pct is None:
        raise InputError(
            "product",
            p.id,
            f"has no concentration on file ({'; '.join(p.notes) or 'not retrieved'}), so "
            "volumes cannot be computed",
            "choose another product",
        )
    unused: list[tuple[str, float | None]] = (
        [("interval_days", options.interval_days)] if ctx.kind == "ivig-induction" else []
    )
    if ctx.kind != "scig":
        unused += [
            ("ivig_dose_g_per_kg", options.ivig_dose_g_per_kg),
            ("ivig_interval_days", options.ivig_interval_days),
        ]
    for name, value in unused:
        if value is not None:
            raise InputError(name, value, f"does not apply to {ctx.kind}", f"remove {name}")
    weekly: float | None = None
    ontario_ivig: tuple[float, int] | None = None
    if ctx.kind == "ivig-induction":
        dose = options.dose_g_per_kg or 2.0
        basis = "clinician" if options.dose_g_per_kg else "default 2 g/kg per course (T4)"
        days = options.days if options.days is not None else 5
        if not 2 <= days <= 5:
            raise InputError("days", days, "must be 2-5 for ivig-induction (T4)")
        interval = None
        cycle = "course"
    elif ctx.kind == "ivig-maintenance":
        rec = recorded_maintenance(case, route="iv", on=options.start)
        if rec is not None and rec.interval_days is None:
            out.notes.append(
                f"{rec.describe()}: a single recorded cycle (the loading course?) does not "
                "define a maintenance regimen - the default applies (T17)"
            )
            rec = None
        if options.dose_g_per_kg:
            dose, basis = options.dose_g_per_kg, "clinician"
        elif rec is not None:
            dose = rec.grams / dw.kg
            basis = f"{rec.describe()} (T17: maintenance follows the record)"
        else:
            dose, basis = 1.0, "default 1 g/kg every 3 weeks (T4; no maintenance recorded)"
        if options.interval_days is not None:
            interval = options.interval_days
        elif rec is not None and rec.interval_days is not None:
            interval = rec.interval_days
        else:
            interval = 21
        if rec is not None:
            out.changes += _changes(rec, round(dose * dw.kg, 2), interval, options)
        default_days = max(1, math.ceil(dose - _EPS), rec.days if rec is not None else 1)
        days = options.days if options.days is not None else min(5, default_days)
        if not 1 <= days <= 5:
            raise InputError("days", days, "must be 1-5 for ivig-maintenance")
        if interval < days:
            raise InputError(
                "interval_days", interval, f"must be ≥ the {days} infusion day(s) of a cycle"
            )
        cycle = "cycle"
        weekly = dose * 7 / interval
    else:  # scig
        if options.dose_g_per_kg is not None:
            weekly = options.dose_g_per_kg
            basis = "clinician (g/kg/week)"
            default_interval = 7
        else:
            ivig_dose, ivig_interval, source = _current_ivig(case, options)
            weekly = ivig_dose * 7 / ivig_interval
            basis = (
                f"1:1 from {source}: {ivig_dose:g} g/kg every {ivig_interval} days = "
                f"{weekly:.4g} g/kg/week (T5; PID conversion factors are never applied)"
            )
            default_interval = ivig_interval if _is_hyqvia(p) else 7
            ontario_ivig = (ivig_dose, ivig_interval)
        interval = options.interval_days if options.interval_days is not None else default_interval
        if _is_hyqvia(p) and options.interval_days is None and options.dose_g_per_kg is not None:
            raise InputError(
                "interval_days",
                None,
                "is required for HyQvia (every 2, 3 or 4 weeks, as the IVIg it replaces)",
            )
        dose = weekly * interval / 7
        cycle = "cycle"
        days = 0  # chosen below
        sc = p.sc
        if sc and sc.weekly_g_per_kg_max and weekly > sc.weekly_g_per_kg_max.value + _EPS:
            out.warnings.append(
                f"{weekly:.3g} g/kg/week is above the {p.name} label maximum of "
                f"{sc.weekly_g_per_kg_max.value:g} g/kg/week"
            )
        if sc and sc.weekly_g_per_kg_min and weekly < sc.weekly_g_per_kg_min.value - _EPS:
            out.notes.append(
                f"{weekly:.3g} g/kg/week is below the {p.name} labelled range "
                f"({sc.weekly_g_per_kg_min.value:g}-"
                f"{sc.weekly_g_per_kg_max.value if sc.weekly_g_per_kg_max else '?'} g/kg/week)"
            )
        if sc and sc.interval_weeks and interval not in [7 * w for w in sc.interval_weeks.value]:
            out.warnings.append(
                f"{p.name} is labelled every {', '.join(str(w) for w in sc.interval_weeks.value)} "
                f"weeks; the interval asked is {interval} days"
            )
    computed = round(dose * dw.kg, 2)
    if ctx.route == "sc":
        assert interval is not None
        ontario = None
        if options.rounding == "nearest-5g" and ontario_ivig is not None:
            ivig_dose, ivig_interval = ontario_ivig
            ivig_total = round(ivig_dose * dw.kg, 2)
            limit = round(COURSE_MAX_G_PER_KG * dw.kg, 2)
            auth = options.authorised_max_g
            rounded = _nearest_5g(ivig_total, limit if auth is None else min(limit, auth))
            ontario = round(rounded * interval / ivig_interval, 2)
            out.notes.append(
                f"nearest-5g for SCIg (Ontario, T21): the IVIg total per {ivig_interval} days "
                f"{ivig_total:g} g rounds to {rounded:g} g, divided by the weeks: {ontario:g} g "
                f"per {interval}-day cycle"
            )
        sessions, days, tolerance = _sc_days(
            ctx=ctx,
            options=options,
            dose=dose,
            computed=computed,
            interval=interval,
            out=out,
            ontario_total_g=ontario,
        )
    else:
        day_ov, course_ov = _check_limits(
            dose_g_per_kg=dose, days=days, options=options, out=out, cycle=cycle
        )
        sessions, tolerance = _build(
            ctx=ctx,
            options=options,
            computed=computed,
            days=days,
            day_ov=day_ov,
            course_ov=course_ov,
            out=out,
        )
    ramp: tuple[Session, ...] = ()
    first_full = options.start
    if _is_hyqvia(p) and ctx.history.same_product_count == 0:
        ramp, first_full = _hyqvia_ramp(ctx, options, sessions, out)
        sessions = [
            replace(
                s,
                rate_basis=re.sub(
                    r"^infusion (\d+) of",
                    lambda m: f"infusion {int(m.group(1)) + len(ramp)} of",
                    s.rate_basis,
                ),
            )
            for s in sessions
        ]
    dated = tuple(replace(s, date=first_full + timedelta(days=i)) for i, s in enumerate(sessions))
    schedule: tuple[date, ...] = ()
    if interval is not None:
        end = add_months(options.start, options.horizon_months)
        starts, k = [], 1
        while first_full + timedelta(days=k * interval) < end:
            starts.append(first_full + timedelta(days=k * interval))
            k += 1
        schedule = tuple(starts)
    dispensed = round(sum(s.dose_g or 0.0 for s in dated), 2)
    issued = (
        round(sum(s.issued_g or 0.0 for s in dated), 2)
        if all(s.issued_g is not None for s in dated)
        else None
    )
    wastage = None if issued is None else round(issued - dispensed, 2)
    if options.authorised_max_g is not None and computed > options.authorised_max_g + _EPS:
        out.warnings.append(
            f"the authorised maximum {options.authorised_max_g:g} g is below the computed "
            f"{computed:g} g: the dose is limited to the authorisation ({dispensed:g} g "
            "dispensed, T21)"
        )
    return (
        RegimenPlan(
            kind=ctx.kind,
            route="sc" if ctx.route == "sc" else "iv",
            dose_g_per_kg=round(dose, 4),
            dose_basis=basis,
            days=days,
            interval_days=interval,
            rounding=options.rounding,
            total_computed_g=computed,
            total_dispensed_g=dispensed,
            total_issued_g=issued,
            total_wastage_g=wastage,
            weekly_g_per_kg=None if weekly is None else round(weekly, 4),
            per_day_g_per_kg=round(dose / days, 4),
            sessions=dated,
            schedule=schedule,
            tolerance_g=tolerance,
            changes=tuple(out.changes),
            ramp_up=ramp,
        ),
        out,
    )


def _hyqvia_ramp(
    ctx: IgContext, options: PlanOptions, full: list[Session], out: _Out
) -> tuple[tuple[Session, ...], date]:
    """T20: HyQvia's label ramp-up as real sessions before the first full dose.

    The fractions and weeks are the label's example (``HYQVIA-RAMP-*`` in
    ``data/therapy.toml``: 25, 50, 75 % in weeks 1, 2 and 4, the full dose in week 7);
    with ``vials`` each ramp-up dose is the pack total closest to its fraction (ties lower),
    otherwise the exact fraction from the fewest packs covering it.
    """
    fractions = param_list("HYQVIA-RAMP-FRACTIONS")
    weeks = param_list("HYQVIA-RAMP-WEEKS")
    total = sum(s.dose_g or 0.0 for s in full)
    p = ctx.product
    assert p.concentration_pct is not None
    packs = pack_set(p.packs_g.value) if p.packs_g else None
    ramp: list[Session] = []
    for i, (f, w) in enumerate(zip(fractions, weeks, strict=True)):
        if f >= 1.0:
            break
        grams = round(total * f, 2)
        if packs is not None and options.rounding == "vials":
            # whole packs: the closest pack total to the fraction (ties lower), below the
            # full dose
            grams = packs.candidates(grams, cap_g=total)[0]
        volume = round(grams * 100 / p.concentration_pct.value, 1)
        s, too_big = _sc_session(ctx, options, volume, i, out)
        if too_big:  # pragma: no cover - a ramp-up dose is smaller than a planned full day
            raise InputError("days", None, f"HyQvia ramp-up dose: {too_big}")
        issued = packs.covering(grams) if packs else None
        ramp.append(
            replace(
                s,
                date=options.start + timedelta(weeks=w),
                computed_g=grams,
                dose_g=grams,
                volume_ml=volume,
                packs=None if packs is None or issued is None else packs.fewest_packs(issued),
                issued_g=issued,
                wastage_g=None if issued is None else round(issued - grams, 2),
                label=f"ramp-up {i + 1}: {f * 100:g} % of the full dose",
            )
        )
    full_week = weeks[len(ramp)] if len(ramp) < len(weeks) else weeks[-1]
    src = param("HYQVIA-RAMP-FRACTIONS")
    out.warnings.append(
        f"HyQvia first use: label ramp-up planned as {len(ramp)} session(s) before the full dose "
        f"in week {full_week:g} + 1 ({src.source}; {src.note}) (T20)"
    )
    return tuple(ramp), options.start + timedelta(weeks=full_week)


def _is_hyqvia(p: Product) -> bool:
    return bool(p.excipients and "hyaluronidase" in p.excipients.value)


def _caps(
    options: PlanOptions, dw_kg: float, day_ov: bool, course_ov: bool, computed: float
) -> tuple[float | None, float | None]:
    course_cap: float | None = None if course_ov else round(COURSE_MAX_G_PER_KG * dw_kg, 2)
    if course_ov:
        course_cap = computed
    if options.authorised_max_g is not None:
        course_cap = (
            options.authorised_max_g
            if course_cap is None
            else min(course_cap, options.authorised_max_g)
        )
    day_cap = None if day_ov else round(DAY_MAX_G_PER_KG * dw_kg, 2)
    return course_cap, day_cap


def _build(
    *,
    ctx: IgContext,
    options: PlanOptions,
    computed: float,
    days: int,
    day_ov: bool,
    course_ov: bool,
    out: _Out,
) -> tuple[list[Session], float | None]:
    course_cap, day_cap = _caps(options, ctx.dosing_weight.kg, day_ov, course_ov, computed)
    doses, tolerance = _round(
        product=ctx.product,
        computed_g=computed,
        n=days,
        rounding=options.rounding,
        course_cap_g=course_cap,
        day_cap_g=day_cap,
        authorised_g=options.authorised_max_g,
        out=out,
    )
    assert ctx.product.concentration_pct is not None
    conc = ctx.product.concentration_pct.value
    sessions = []
    for d in doses:
        volume = round(d.dose_g * 100 / conc, 1)
        rates = _iv_rates(ctx, options, volume, out)
        sessions.append(_with_dose(rates, d, volume))
    return sessions, tolerance


def _with_dose(s: Session, d: _Dose, volume: float) -> Session:
    return replace(
        s,
        computed_g=d.computed_g,
        dose_g=d.dose_g,
        volume_ml=volume,
        packs=d.packs,
        issued_g=d.issued_g,
        wastage_g=d.wastage_g,
    )


def _sc_days(
    *,
    ctx: IgContext,
    options: PlanOptions,
    dose: float,
    computed: float,
    interval: int,
    out: _Out,
    ontario_total_g: float | None = None,
) -> tuple[list[Session], int, float | None]:
    """Choose the SC days per cycle (the fewest that fit the label) and build the sessions."""
    assert ctx.product.concentration_pct is not None
    conc = ctx.product.concentration_pct.value
    fixed = options.days
    if fixed is not None and not 1 <= fixed <= min(7, interval):
        raise InputError("days", fixed, f"must be 1-{min(7, interval)} SC days per cycle")
    sc = ctx.product.sc
    label_days = (
        max(1, math.floor(sc.sessions_per_week_max.value * interval / 7 + _EPS))
        if sc and sc.sessions_per_week_max
        else min(7, interval)
    )
    tries = [fixed] if fixed is not None else list(range(1, min(7, interval, label_days) + 1))
    why = ""
    fits: list[tuple[list[Session], int, float | None, _Out]] = []
    for n in tries:
        if fixed is None and dose / n > DAY_MAX_G_PER_KG + _EPS:
            continue
        trial = _Out([], [], [])
        day_ov, course_ov = _check_limits(
            dose_g_per_kg=dose, days=n, options=options, out=trial, cycle="cycle"
        )
        course_cap, day_cap = _caps(options, ctx.dosing_weight.kg, day_ov, course_ov, computed)
        doses, tolerance = _round(
            product=ctx.product,
            computed_g=computed,
            n=n,
            rounding=options.rounding,
            course_cap_g=course_cap,
            day_cap_g=day_cap,
            authorised_g=options.authorised_max_g,
            out=trial,
            ontario_total_g=ontario_total_g,
        )
        sessions: list[Session] = []
        too_big = None
        for i, d in enumerate(doses):
            volume = round(d.dose_g * 100 / conc, 1)
            s, too_big = _sc_session(ctx, options, volume, i, trial)
            if too_big:
                break
            sessions.append(_with_dose(s, d, volume))
        if too_big:
            why = too_big
            continue
        fits.append((sessions, n, tolerance, trial))
        if sc is None or sc.sites_max is not None or sc.sessions_per_week_max is None:
            break  # the fewest days that fit (the label's site limit is known, or no day limit)
    if not fits:
        limit = (
            f"{sc.sessions_per_week_max.value} session(s) per week"
            if sc and sc.sessions_per_week_max
            else f"{min(7, interval)} day(s) per cycle"
        )
        out.findings.append(
            Finding(
                "SC-LABEL-LIMIT",
                "block",
                f"the {ctx.product.name} cycle dose of {computed:g} g does not fit the label's "
                f"limits over {fixed if fixed is not None else f'1-{tries[-1]}'} day(s) "
                f"(label: {limit}): {why}",
                f"{ctx.product.name} label (catalogue); decision T20",
                applies_to="sessions",
            )
        )
        return [], tries[-1], None
    # No site maximum on file: the split with the fewest sites per session (T20).
    sessions, n, tolerance, trial = min(
        fits, key=lambda f: (max((x.sites or 0) for x in f[0]), f[1])
    )
    out.notes += trial.notes
    out.warnings += [w for w in trial.warnings if w not in out.warnings]
    out.overrides += trial.overrides
    if fixed is None:
        out.notes.append(
            f"split over {n} SC day(s) per cycle: the fewest the label's site and day limits allow"
            if sc is None or sc.sites_max is not None or sc.sessions_per_week_max is None
            else f"split over {n} SC day(s) per cycle: the fewest sites per session within the "
            f"label's sessions (no maximum number of sites on file for {ctx.product.id})"
        )
    if sc and sc.sessions_per_week_max and n > sc.sessions_per_week_max.value * interval / 7:
        out.warnings.append(
            f"{n} SC days per {interval}-day cycle is more than the {ctx.product.name} label's "
            f"{sc.sessions_per_week_max.value} sessions per week"
        )
    big = [s.dose_g for s in sessions if s.dose_g and s.dose_g > SC_PRACTICAL_G]
    if big:
        out.notes.append(
            f"a single SC infusion of {max(big):g} g: EAN/PNS 2021 notes SCIg may be less "
            "practical above about 20-30 g per infusion"
        )
    return sessions, n, tolerance
