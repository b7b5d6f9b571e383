"""Machine-readable forms of a plan: ``neuroig-plan/1`` JSON and an iCalendar schedule.

Both are built in memory (no I/O): the shell writes them. The JSON keys follow
the neuroig-plan/1 output format; keys beyond the spec are additions it allows.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from importlib import import_module
from typing import Any

from neuroig._version import __version__
from neuroig.escape import calendar
from neuroig.therapy.model import Plan, RegimenPlan, Session

__all__ = ["PLAN_FORMAT", "plan_to_dict", "plan_to_ics", "session_dates"]

PLAN_FORMAT = "neuroig-plan/1"


def _session(s: Session) -> dict[str, Any]:
    return {
        "date": s.date.isoformat(),
        "label": s.label or None,
        "computed_g": s.computed_g,
        "dose_g": s.dose_g,
        "volume_ml": s.volume_ml,
        "packs": None
        if s.packs is None
        else [{"grams": p.grams, "count": p.count} for p in s.packs],
        "issued_g": s.issued_g,
        "wastage_g": s.wastage_g,
        "rate_steps": [
            {"after_min": round(r.after_min), "ml_per_h": r.ml_per_h} for r in s.rate_steps
        ],
        "duration_min": s.duration_min,
        "rate_basis": s.rate_basis or None,
        "sites": s.sites,
        "site_volume_ml": s.site_volume_ml,
        "cost": s.cost,
    }


def _regimen(r: RegimenPlan) -> dict[str, Any]:
    return {
        "kind": r.kind,
        "route": r.route,
        "dose_g_per_kg": r.dose_g_per_kg,
        "dose_basis": r.dose_basis,
        "weekly_g_per_kg": r.weekly_g_per_kg,
        "per_day_g_per_kg": r.per_day_g_per_kg,
        "days": r.days,
        "total_computed_g": r.total_computed_g,
        "total_dispensed_g": r.total_dispensed_g,
        "total_issued_g": r.total_issued_g,
        "total_wastage_g": r.total_wastage_g,
        "rounding": r.rounding,
        "rounding_tolerance_g": r.tolerance_g,
        "interval_days": r.interval_days,
        "sessions": [_session(s) for s in r.sessions],
        "schedule": [d.isoformat() for d in r.schedule],
        "phases": [
            {
                "start": ph.start.isoformat(),
                "end": ph.end.isoformat() if ph.end else None,
                "mg": ph.mg,
                "every": ph.every,
                "other_day_mg": ph.other_day_mg,
                "text": ph.text,
            }
            for ph in r.phases
        ],
        "review_date": r.review_date.isoformat() if r.review_date else None,
        "ramp_up": [_session(s) for s in r.ramp_up],
        "changes": list(r.changes),
        "supportive_care": list(r.care),
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as a ``neuroig-plan/1`` document (JSON-ready)."""
    dw = plan.dosing_weight
    p = plan.product
    o = plan.options
    return {
        "format": PLAN_FORMAT,
        "neuroig_version": __version__,
        "case_id": plan.case_id,
        "status": plan.status,
        "blocked_by": list(plan.blocked_by),
        "dosing_weight": None
        if dw is None
        else {
            "kg": dw.kg,
            "policy": dw.policy,
            "ibw_kg": dw.ibw_kg,
            "adjusted_kg": dw.adjusted_kg,
            "actual_kg": dw.actual_kg,
            "reason": dw.reason,
        },
        "product": None
        if p is None
        else {
            "id": p.id,
            "name": p.name,
            "maker": p.maker,
            "concentration_pct": p.concentration_pct.value if p.concentration_pct else None,
            "packs_g": list(p.packs_g.value) if p.packs_g else None,
        },
        "regimen": _regimen(plan.regimen),
        "rate_schedule": {
            "hold_min": o.rate_schedule.hold_min,
            "step_min": o.rate_schedule.step_min,
            "factor": o.rate_schedule.factor,
        },
        "safety": [
            {
                "id": f.id,
                "severity": f.severity,
                "text": f.text,
                "source": f.source,
                "verified": f.verified,
                "applies_to": f.applies_to or None,
                "overridden": f.overridden_by is not None,
                "override_reason": f.overridden_by.reason if f.overridden_by else None,
            }
            for f in plan.safety
        ],
        "overrides": [{"id": x.id, "reason": x.reason} for x in plan.overrides],
        "advice": [
            {
                "id": a.id,
                "therapy": a.therapy,
                "status": a.status,
                "text": a.text,
                "evidence": a.evidence,
                "cite": a.cite,
                "verified": a.verified,
                "applies_to_plan": a.applies_to_plan,
            }
            for a in plan.advice
        ],
        "cost": None
        if plan.cost is None
        else {
            "currency": plan.cost.currency,
            "per_course": plan.cost.per_course,
            "per_year": plan.cost.per_year,
            "price_source": plan.cost.price_source,
            "price_per_g": plan.cost.price_per_g,
            "price_effective": plan.cost.price_effective.isoformat(),
            "price_verified": plan.cost.price_verified,
            "price_table": plan.cost.price_table,
            "grams_basis": plan.cost.grams_basis,
        },
        "notes": list(plan.notes),
        "warnings": list(plan.warnings),
    }


def session_dates(plan: Plan) -> list[tuple[date, Session, int]]:
    """Every planned day: the detailed cycle, then each scheduled cycle with the same days.

    Returns (date, the session of the detailed cycle it repeats, cycle number from 1).
    """
    sessions = plan.regimen.sessions
    if not sessions:
        return []
    first = sessions[0].date
    out = [(s.date, s, 0) for s in plan.regimen.ramp_up]
    out += [(s.date, s, 1) for s in sessions]
    for k, start in enumerate(plan.regimen.schedule, start=2):
        out += [(start + (s.date - first), s, k) for s in sessions]
    return out


def _summary(plan: Plan, s: Session) -> str:
    name = plan.product.name if plan.product else plan.regimen.kind
    if s.dose_g is None:
        return f"{plan.regimen.kind}: {s.label}".strip()
    return f"{plan.regimen.kind}: {name} {s.dose_g:g} g ({s.volume_ml:g} mL)"


def _description(plan: Plan, s: Session) -> str:
    lines = [f"case {plan.case_id}"]
    if s.packs:
        lines.append("packs: " + ", ".join(f"{p.count} × {p.grams:g} g" for p in s.packs))
    if s.rate_steps:
        lines.append(
            "rates: "
            + ", ".join(f"{r.after_min:g} min {r.ml_per_h:g} mL/h" for r in s.rate_steps)
            + (f"; about {s.duration_min} min" if s.duration_min else "")
        )
    if s.sites:
        lines.append(f"{s.sites} site(s) × {s.site_volume_ml:g} mL")
    lines.append("decision support: check against the prescription and the product label")
    return "\n".join(calendar(line) for line in lines)


def plan_to_ics(plan: Plan, *, stamp: datetime) -> bytes:
    """The schedule as an iCalendar file (RFC 5545): one all-day event per session day
    (and, for prednisone, one per phase start and the review).

    ``stamp`` is the creation time (DTSTAMP); the core never reads the clock.
    """
    # icalendar is loaded only when a calendar is asked for (start-up time of the CLI)
    ical = import_module("icalendar")
    cal = ical.Calendar()
    cal.add("prodid", f"-//neuroig//therapy planner {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    for n, (day, s, cycle) in enumerate(session_dates(plan), start=1):
        ev = ical.Event()
        ev.add("uid", calendar(f"{plan.case_id}-{plan.regimen.kind}-{day.isoformat()}-{n}@neuroig"))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        summary = _summary(plan, s)
        if cycle == 0:
            summary += f" ({s.label})"
        elif plan.regimen.schedule:
            summary += f" (cycle {cycle})"
        ev.add("summary", calendar(summary))
        ev.add("description", _description(plan, s))
        cal.add_component(ev)
    r = plan.regimen
    milestones = [(ph.start, f"{r.kind}: {ph.text}") for ph in r.phases]
    if r.review_date is not None:
        milestones.append((r.review_date, f"{r.kind}: review"))
    for n, (day, text) in enumerate(milestones, start=1):
        ev = ical.Event()
        ev.add("uid", calendar(f"{plan.case_id}-{r.kind}-{day.isoformat()}-m{n}@neuroig"))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", day)
        ev.add("dtend", day + timedelta(days=1))
        ev.add("summary", calendar(text))
        ev.add(
            "description",
            calendar(f"case {plan.case_id}") + "\ndecision support: check against the prescription",
        )
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
