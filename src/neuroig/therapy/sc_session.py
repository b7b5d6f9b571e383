"""SC sessions: sites, volumes and rates per the label, the days per cycle, HyQvia's
ramp-up (T5, T20)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from neuroig.errors import InputError
from neuroig.record import replace
from neuroig.reference.products import Product
from neuroig.therapy.dose_limits import caps, check_limits, day_max_g_per_kg
from neuroig.therapy.ig_context import EPS, IgContext, IgNotes
from neuroig.therapy.model import Finding, Session
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.packs import pack_set
from neuroig.therapy.params import param, param_list, param_value
from neuroig.therapy.rates import duration_min, sc_ramp
from neuroig.therapy.rounding import round_course, with_dose

__all__ = ["hyqvia_ramp", "is_hyqvia", "sc_days", "sc_session"]


def sc_session(
    ctx: IgContext, options: PlanOptions, volume_ml: float, index: int, out: IgNotes
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
    if (
        ctx.actual_kg < param_value("SC-LOW-WEIGHT-KG")
        and sc.day_volume_ml_max_under_40kg is not None
    ):
        day_max = sc.day_volume_ml_max_under_40kg
    if day_max is not None and volume_ml > day_max.value + EPS:
        return Session(date=date.min), f"{volume_ml:g} mL exceeds {day_max.value:g} mL per day"
    site_vol = sc.site_volume_ml_max
    if initial and sc.site_volume_ml_max_initial is not None:
        site_vol = sc.site_volume_ml_max_initial
    if site_vol is None:
        msg = f"no volume per infusion site on file for {p.id}: sites and duration not computed"
        if msg not in out.warnings:
            out.warnings.append(msg)
        return Session(date=date.min, rate_basis=stage), None
    sites = max(1, math.ceil(volume_ml / site_vol.value - EPS))
    if (
        sc.site_volume_ml_max_at_3_sites is not None
        and sites >= 3
        and volume_ml / sites > sc.site_volume_ml_max_at_3_sites.value + EPS
    ):
        sites = math.ceil(volume_ml / sc.site_volume_ml_max_at_3_sites.value - EPS)
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


def hyqvia_ramp(
    ctx: IgContext, options: PlanOptions, full: list[Session], out: IgNotes
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
        s, too_big = sc_session(ctx, options, volume, i, out)
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


def is_hyqvia(p: Product) -> bool:
    return bool(p.excipients and "hyaluronidase" in p.excipients.value)


def sc_days(
    *,
    ctx: IgContext,
    options: PlanOptions,
    dose: float,
    computed: float,
    interval: int,
    out: IgNotes,
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
        max(1, math.floor(sc.sessions_per_week_max.value * interval / 7 + EPS))
        if sc and sc.sessions_per_week_max
        else min(7, interval)
    )
    tries = [fixed] if fixed is not None else list(range(1, min(7, interval, label_days) + 1))
    why = ""
    fits: list[tuple[list[Session], int, float | None, IgNotes]] = []
    for n in tries:
        if fixed is None and dose / n > day_max_g_per_kg() + EPS:
            continue
        trial = IgNotes([], [], [])
        day_ov, course_ov = check_limits(
            dose_g_per_kg=dose, days=n, options=options, out=trial, cycle="cycle"
        )
        course_cap, day_cap = caps(options, ctx.dosing_weight.kg, day_ov, course_ov, computed)
        doses, tolerance = round_course(
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
            s, too_big = sc_session(ctx, options, volume, i, trial)
            if too_big:
                break
            sessions.append(with_dose(s, d, volume))
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
    big = [s.dose_g for s in sessions if s.dose_g and s.dose_g > param_value("SC-PRACTICAL-G")]
    if big:
        out.notes.append(
            f"a single SC infusion of {max(big):g} g: EAN/PNS 2021 notes SCIg may be less "
            "practical above about 20-30 g per infusion"
        )
    return sessions, n, tolerance
