"""IV sessions: the rate ramp, its at-risk cap (T2, T18) and the doses of a course."""

from __future__ import annotations

from datetime import date

from neuroig.therapy.dose_limits import caps
from neuroig.therapy.ig_context import IgContext, IgNotes
from neuroig.therapy.model import Session
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.params import param_value
from neuroig.therapy.rates import duration_min, iv_ramp
from neuroig.therapy.rounding import round_course, with_dose

__all__ = ["at_risk_mg_kg_min", "at_risk_top", "build_iv_sessions", "iv_session"]


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


def iv_session(ctx: IgContext, options: PlanOptions, volume_ml: float, out: IgNotes) -> Session:
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


def build_iv_sessions(
    *,
    ctx: IgContext,
    options: PlanOptions,
    computed: float,
    days: int,
    day_ov: bool,
    course_ov: bool,
    out: IgNotes,
) -> tuple[list[Session], float | None]:
    course_cap, day_cap = caps(options, ctx.dosing_weight.kg, day_ov, course_ov, computed)
    doses, tolerance = round_course(
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
        rates = iv_session(ctx, options, volume, out)
        sessions.append(with_dose(rates, d, volume))
    return sessions, tolerance
