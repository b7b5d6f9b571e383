"""Immunoglobulin regimens: IVIg induction, IVIg maintenance and SCIg (T3, T4, T5).

The regimen builder; limits, rounding, IV and SC sessions live in ``dose_limits``,
``rounding``, ``iv_session`` and ``sc_session``.

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
from datetime import date, timedelta

from neuroig.case import Case
from neuroig.errors import InputError
from neuroig.record import replace
from neuroig.therapy.dates import add_months
from neuroig.therapy.dose_limits import check_limits, course_max_g_per_kg, day_max_g_per_kg
from neuroig.therapy.history import RecordedMaintenance, recorded_maintenance
from neuroig.therapy.ig_context import EPS, IgContext, IgNotes
from neuroig.therapy.iv_session import build_iv_sessions
from neuroig.therapy.model import RegimenPlan, Session
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.params import param_int, param_list, param_value
from neuroig.therapy.rounding import nearest_5g
from neuroig.therapy.sc_session import hyqvia_ramp, is_hyqvia, sc_days

__all__ = ["IgContext", "IgNotes", "plan_ig"]


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


def plan_ig(case: Case, options: PlanOptions, ctx: IgContext) -> tuple[RegimenPlan, IgNotes]:
    """Build the Ig regimen (doses, rounding, sessions, rates, schedule) for ``ctx.kind``."""
    out = IgNotes([], [], [])
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
        default_dose = param_value("IVIG-INDUCTION-G-PER-KG")
        dose = options.dose_g_per_kg or default_dose
        basis = (
            "clinician"
            if options.dose_g_per_kg
            else f"default {default_dose:g} g/kg per course (T4)"
        )
        days = options.days if options.days is not None else param_int("IVIG-INDUCTION-DAYS")
        lo, hi = (int(d) for d in param_list("IVIG-INDUCTION-DAYS-RANGE"))
        if not lo <= days <= hi:
            raise InputError("days", days, f"must be {lo}-{hi} for ivig-induction (T4)")
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
            dose = param_value("IVIG-MAINTENANCE-G-PER-KG")
            every = param_int("IVIG-MAINTENANCE-INTERVAL-DAYS")
            basis = (
                f"default {dose:g} g/kg every {every // 7 if every % 7 == 0 else every} "
                f"{'weeks' if every % 7 == 0 else 'days'} (T4; no maintenance recorded)"
            )
        if options.interval_days is not None:
            interval = options.interval_days
        elif rec is not None and rec.interval_days is not None:
            interval = rec.interval_days
        else:
            interval = param_int("IVIG-MAINTENANCE-INTERVAL-DAYS")
        if rec is not None:
            out.changes += _changes(rec, round(dose * dw.kg, 2), interval, options)
        most = param_int("IVIG-MAINTENANCE-DAYS-MAX")
        fewest = math.ceil(dose / day_max_g_per_kg() - EPS)
        default_days = max(1, fewest, rec.days if rec is not None else 1)
        days = options.days if options.days is not None else min(most, default_days)
        if not 1 <= days <= most:
            raise InputError("days", days, f"must be 1-{most} for ivig-maintenance")
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
            default_interval = ivig_interval if is_hyqvia(p) else 7
            ontario_ivig = (ivig_dose, ivig_interval)
        interval = options.interval_days if options.interval_days is not None else default_interval
        if is_hyqvia(p) and options.interval_days is None and options.dose_g_per_kg is not None:
            raise InputError(
                "interval_days",
                None,
                "is required for HyQvia (every 2, 3 or 4 weeks, as the IVIg it replaces)",
            )
        dose = weekly * interval / 7
        cycle = "cycle"
        days = 0  # chosen below
        sc = p.sc
        if sc and sc.weekly_g_per_kg_max and weekly > sc.weekly_g_per_kg_max.value + EPS:
            out.warnings.append(
                f"{weekly:.3g} g/kg/week is above the {p.name} label maximum of "
                f"{sc.weekly_g_per_kg_max.value:g} g/kg/week"
            )
        if sc and sc.weekly_g_per_kg_min and weekly < sc.weekly_g_per_kg_min.value - EPS:
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
            limit = round(course_max_g_per_kg() * dw.kg, 2)
            auth = options.authorised_max_g
            rounded = nearest_5g(ivig_total, limit if auth is None else min(limit, auth))
            ontario = round(rounded * interval / ivig_interval, 2)
            out.notes.append(
                f"nearest-5g for SCIg (Ontario, T21): the IVIg total per {ivig_interval} days "
                f"{ivig_total:g} g rounds to {rounded:g} g, divided by the weeks: {ontario:g} g "
                f"per {interval}-day cycle"
            )
        sessions, days, tolerance = sc_days(
            ctx=ctx,
            options=options,
            dose=dose,
            computed=computed,
            interval=interval,
            out=out,
            ontario_total_g=ontario,
        )
    else:
        day_ov, course_ov = check_limits(
            dose_g_per_kg=dose, days=days, options=options, out=out, cycle=cycle
        )
        sessions, tolerance = build_iv_sessions(
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
    if is_hyqvia(p) and ctx.history.same_product_count == 0:
        ramp, first_full = hyqvia_ramp(ctx, options, sessions, out)
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
    if options.authorised_max_g is not None and computed > options.authorised_max_g + EPS:
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
