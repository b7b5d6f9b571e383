"""The ``neuroig-review/1`` document of a review, as JSON-ready data (the shell stamps
and emits it through ``neuroig.schemas.review``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from neuroig._version import __version__
from neuroig.monitoring.dose_review import TaperStep
from neuroig.monitoring.readings import Change
from neuroig.monitoring.response import CourseResponse
from neuroig.monitoring.review_result import FORMAT, Review

__all__ = ["review_to_json"]

# ---------------------------------------------------------------- JSON (neuroig-review/1)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _change(c: Change) -> dict[str, Any]:
    return {
        "measure": c.measure,
        "label": c.label,
        "baseline": c.baseline,
        "latest": c.latest,
        "delta": c.delta,
        "mcid": c.mcid,
        "status": c.status,
        "counts": c.counts,
        "baseline_date": _d(c.baseline_date),
        "latest_date": _d(c.latest_date),
        "verified": c.verified,
        "note": c.note,
    }


def _course(c: CourseResponse) -> dict[str, Any]:
    return {
        "course": c.course,
        "therapy": c.therapy,
        "start": _d(c.start),
        "end": _d(c.end),
        "implicit": c.implicit,
        "first_dose": _d(c.first_dose),
        "induction_end": _d(c.induction_end),
        "baseline_date": _d(c.baseline_date),
        "follow_up_from": _d(c.follow_up_from),
        "follow_up_date": _d(c.follow_up_date),
        "response": c.response,
        "computed_response": c.computed,
        "clinician_judgement": c.clinician,
        "clinician_objective": c.clinician_objective,
        "agreement": c.agreement,
        "on_treatment_to": _d(c.on_treatment_to),
        "stopped": c.stopped,
        "ig_dependent": c.ig_dependent,
        "worse_than_best": [_change(x) for x in c.declines],
        "relapse_after_withdrawal": [_change(x) for x in c.relapse],
        "reason": c.reason,
        "rule": "M2/M7",
        "mmn_rule": c.mmn_rule,
        "changes": [_change(x) for x in c.changes],
        "not_compared": list(c.not_compared),
        "doses": c.doses,
        "grams": c.grams,
    }


def _step(s: TaperStep | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "label": s.label,
        "dose_g": s.dose_g,
        "interval_weeks": s.interval_weeks,
        "start_week": s.start_week,
    }


def review_to_json(rv: Review) -> dict[str, Any]:
    """Render a review as the ``neuroig-review/1`` data (docs/outputs.md)."""
    w = rv.intensity.weight
    dec = rv.declining
    dr = rv.dose_review
    use = rv.use
    simon: dict[str, Any] | None = None
    if rv.simon is not None:
        s = rv.simon
        f = s.figures
        simon = {
            "applies": s.applies,
            "requested": s.requested,
            "trigger": s.trigger,
            "judged_from": _d(s.judged_from),
            "course": _course(s.course) if s.course else None,
            "response": s.course.response if s.course else None,
            "mmn_like_triad": s.triad,
            "reason": s.reason,
            "definition_verified": f.response_definition_verified,
            "definition_note": f.response_definition_note,
            "published": {
                "cite": f.cite,
                "cohort": f.cohort,
                "responders": f.responders,
                "response_pct": round(100.0 * f.responders / f.cohort, 1),
                "triad_in_responders": f"{f.triad_in_responders}/{f.responders}",
                "triad_in_distal_onset_non_responders_pct": (
                    f.triad_in_distal_onset_non_responders_pct
                ),
                "non_responders_later_umn_pct": f.non_responders_later_umn_pct,
                "non_responders_later_bulbar_pct": f.non_responders_later_bulbar_pct,
                "non_responders_later_pma_pct": f.non_responders_later_pma_pct,
                "verified": f.verified,
            },
        }
    return {
        "format": FORMAT,
        "neuroig_version": __version__,
        "case_id": rv.case_id,
        "as_of": _d(rv.as_of),
        "diagnosis": {
            "evaluated": rv.diagnosis is not None,
            "mmn": rv.mmn,
            "note": rv.diagnosis_note,
        },
        "summary": list(rv.summary),
        "courses": [_course(c) for c in rv.courses],
        "wear_off": {
            "detected": rv.wear_off.detected,
            "rule": "M3",
            "reason": rv.wear_off.reason,
            "cycles_total": rv.wear_off.cycles_total,
            "run": list(rv.wear_off.run),
            "cycles": [
                {
                    "number": c.number,
                    "from": _d(c.start),
                    "to": _d(c.end),
                    "status": c.status,
                    "peak_date": _d(c.peak_date),
                    "trough_date": _d(c.trough_date),
                    "reason": c.reason,
                    "drops": [
                        {
                            "measure": d.measure,
                            "peak": d.peak,
                            "trough": d.trough,
                            "delta": d.delta,
                            "mcid": d.mcid,
                            "recovered": d.recovered,
                            "recovery_value": d.recovery_value,
                            "recovery_date": _d(d.recovery_date),
                        }
                        for d in c.drops
                    ],
                }
                for c in rv.wear_off.cycles
            ],
        },
        "declining_response": {
            "detected": dec.detected,
            "rule": "M4",
            "dose_intensity_change_pct": dec.change_pct,
            "window_from": _d(dec.window_from),
            "window_to": _d(dec.window_to),
            "intensity_from": dec.intensity_from,
            "intensity_to": dec.intensity_to,
            "changes": [_change(c) for c in dec.changes],
            "reason": dec.reason,
        },
        "dose_intensity": [
            {
                "from": _d(p.start),
                "to": _d(p.end),
                "g_per_kg_per_28d": p.g_per_kg_per_28d,
                "grams_per_dose": p.grams_per_dose,
                "interval_days": p.interval_days,
                "doses": p.doses,
                "route": p.route,
            }
            for p in rv.intensity.periods
        ],
        "dosing_weight": None
        if w is None
        else {
            "kg": w.kg,
            "policy": w.policy,
            "actual_kg": w.actual_kg,
            "on": _d(w.on),
            "weight_source": w.weight_source,
            "fallback": w.fallback,
            "reason": w.reason,
            "latest_weight_kg": rv.intensity.latest_weight_kg,
            "latest_weight_source": rv.intensity.latest_weight_source,
        },
        "axonal_loss": [
            {
                "nerve": n.nerve,
                "side": n.side,
                "recording": n.recording,
                "first_mv": n.first_mv,
                "latest_mv": n.latest_mv,
                "first_date": _d(n.points[0].date),
                "latest_date": _d(n.points[-1].date),
                "studies": len(n.points),
                "change_pct": n.change_pct,
                "fall_ge_threshold": n.fall_flag,
                "below_lln": n.below_lln,
                "lln_mv": n.points[-1].lln_mv,
                "lln_source": n.points[-1].lln_source,
                "flagged": n.flagged,
                "rule": "M6",
                "reason": n.reason,
            }
            for n in rv.axonal
        ],
        "cdas": rv.cdas.number if rv.cdas else None,
        "cdas_detail": {
            "name": rv.cdas.name if rv.cdas else None,
            "reason": rv.cdas.reason if rv.cdas else rv.cdas_note,
            "note": rv.cdas_note,
            "source": rv.cdas.source if rv.cdas else None,
        },
        "cumulative": {
            "grams": use.grams,
            "infusions": use.infusions,
            "first": _d(use.first),
            "last": _d(use.last),
            "grams_by_route": use.grams_by_route,
            "grams_by_product": use.grams_by_product,
            "grams_by_year": {str(k): v for k, v in use.grams_by_year.items()},
            "grams_last_12_months": use.grams_last_12_months,
            "currency": use.currency,
            "cost": use.cost,
            "cost_priced_part": use.cost_priced_part,
            "unpriced_grams": use.unpriced_grams,
            "unpriced": list(use.unpriced),
            "price_table": use.price_table,
            "price_sources": list(use.price_sources),
            "cost_by_product_route": use.cost_by_product_route,
            "priced_at_earliest_price": use.before_table,
            "price_notes": list(use.price_notes),
            "reason": use.reason,
            "doses_note": rv.dose_count_note,
        },
        "assessment_overdue": {
            "overdue": rv.assessment_overdue_since is not None,
            "since_review_due": _d(rv.assessment_overdue_since),
            "last_assessment": _d(rv.last_assessment),
            "rule": "M9",
        },
        "next_review_due": _d(dr.next_review_due),
        "review_due_reason": dr.review_reason,
        "taper": {
            "suggested": dr.taper_suggested,
            "rule": "M5",
            "reason": dr.reason,
            "regimen": None
            if dr.regimen is None
            else {
                "dose_g": dr.regimen.dose_g,
                "interval_weeks": dr.regimen.interval_weeks,
                "route": dr.regimen.route,
            },
            "steps": [_step(s) for s in dr.steps],
            "alternative": _step(dr.alternative),
            "stability": [_change(c) for c in dr.stability],
        },
        "simon_2013": simon,
        "suggestions": [
            {"id": s.id, "severity": s.severity, "text": s.text, "basis": s.basis}
            for s in rv.suggestions
        ],
        "notes": list(rv.notes),
    }
