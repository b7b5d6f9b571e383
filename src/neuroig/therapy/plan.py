"""The therapy planner's entry point: :func:`plan`.

``plan(case, options, diagnosis=..., prices=...)`` resolves the regimen and product,
computes the dosing weight (T1), the doses, rounding and sessions (T3, T4, T5), the
rates (T2), runs the safety screen (T7), adds the diagnosis-aware advice (T6) and the
cost (T8). A ``block`` finding that is not overridden stops the plan: the result then
has ``status == "blocked"`` and no sessions, schedule or cost.
"""

from __future__ import annotations

from dataclasses import replace

from neuroig.case import Case, age_at
from neuroig.diagnosis import DiagnosisContext
from neuroig.errors import InputError
from neuroig.reference.prices import PriceTable, builtin_price_table
from neuroig.reference.products import Product, product
from neuroig.therapy.advice import advise
from neuroig.therapy.cost import cost_plan
from neuroig.therapy.courses import plan_plasma_exchange, plan_prednisone
from neuroig.therapy.dosing_weight import dosing_weight
from neuroig.therapy.history import ig_history
from neuroig.therapy.ig import IgContext, plan_ig
from neuroig.therapy.model import Finding, Plan
from neuroig.therapy.options import Override, PlanOptions, RegimenKind
from neuroig.therapy.safety import SafetyInput, renal_risks, screen, thrombosis_risks

__all__ = ["plan"]


def _regimen(case: Case, options: PlanOptions, notes: list[str]) -> RegimenKind:
    if options.regimen is not None:
        return options.regimen
    iv = [i for i in case.infusions or () if i.route == "iv" and i.date < options.start]
    if iv:
        notes.append("regimen ivig-maintenance: the case records IV infusions (set --regimen)")
        return "ivig-maintenance"
    notes.append("regimen ivig-induction: the case records no IV infusion (set --regimen)")
    return "ivig-induction"


def _product(case: Case, options: PlanOptions, route: str, notes: list[str]) -> Product:
    if options.product is not None:
        p = product(options.product)
    else:
        past = sorted(
            (i for i in case.infusions or () if i.route == route and i.date < options.start),
            key=lambda i: i.date,
        )
        if not past:
            raise InputError(
                "product",
                None,
                f"is required: the case records no previous {route.upper()} product",
                "give --product (neuroig plan --help lists the catalogue)",
            )
        p = product(past[-1].product)
        notes.append(f"product {p.id}: from the last {route.upper()} infusion on {past[-1].date}")
    if route not in p.routes:
        raise InputError(
            "product",
            p.id,
            f"is not given by the {route.upper()} route (routes: {', '.join(p.routes)})",
            "choose a product of the regimen's route",
        )
    return p


def _label_notes(p: Product, diagnosis: DiagnosisContext | None) -> list[str]:
    indication = None
    if diagnosis is not None:
        if diagnosis.mmn is True:
            indication = "mmn"
        elif diagnosis.cidp_category in ("cidp", "possible_cidp"):
            indication = "cidp"
    labels = (
        ", ".join(
            f"{lab.region} {lab.indication.upper()}" + ("" if lab.verified else " [unverified]")
            for lab in p.labels
        )
        or "none on file"
    )
    out = [f"{p.name} neurology labels: {labels}"]
    if indication is not None and not p.labelled(indication):
        out.append(f"{p.name} has no {indication.upper()} label on file: use would be off-label")
    return out


def _unverified(p: Product, route: str) -> list[str]:
    used = [
        ("concentration", p.concentration_pct),
        ("pack sizes", p.packs_g),
    ]
    if route == "iv":
        used += [
            ("initial rate", p.iv_rate_initial_ml_kg_min),
            ("maximum rate", p.iv_rate_max_ml_kg_min),
        ]
    elif p.sc is not None:
        used += [
            ("SC site volume", p.sc.site_volume_ml_max),
            ("SC site rate", p.sc.site_rate_ml_h_max),
            ("SC initial site rate", p.sc.site_rate_ml_h_initial),
        ]
    names = [name for name, v in used if v is not None and not v.verified]
    if not names:
        return []
    return [f"{p.id}: unverified catalogue values used ({', '.join(names)}): check the label"]


def _apply_overrides(
    findings: list[Finding], options: PlanOptions, used: list[Override]
) -> tuple[list[Finding], list[str]]:
    out, blocked = [], []
    for f in findings:
        o = options.override(f.id) if f.severity == "block" else None
        if o is not None:
            used.append(o)
            out.append(replace(f, overridden_by=o))
        else:
            out.append(f)
            if f.severity == "block":
                blocked.append(f.id)
    known = {o.id for o in used}
    for o in options.overrides:
        if o.id not in known:
            blocks = [f.id for f in findings if f.severity == "block"]
            raise InputError(
                "overrides",
                o.id,
                "matches no block finding or exceeded dose limit of this plan "
                f"(block findings: {', '.join(blocks) or 'none'})",
                "remove the override",
            )
    return out, blocked


def plan(
    case: Case,
    options: PlanOptions,
    *,
    diagnosis: DiagnosisContext | None = None,
    prices: PriceTable | None = None,
) -> Plan:
    """Plan therapy for ``case``.

    Parameters
    ----------
    case
        A validated case.
    options
        The regimen, product and policies (:class:`PlanOptions`).
    diagnosis
        The criteria summary for the diagnosis-aware advice (T6); None records that the
        diagnosis was not evaluated.
    prices
        A price table (T8); None uses the shipped one.

    Raises
    ------
    InputError
        A missing or bad input, named (e.g. ``patient.weight_kg``, ``product``, ``days``).
    DoseLimitError
        A dose above 1 g/kg/day or 2 g/kg per course without a recorded override (T4).
    """
    notes: list[str] = []
    warnings: list[str] = []
    kind = _regimen(case, options, notes)
    advice, advice_notes = advise(diagnosis, regimen=kind)
    notes += advice_notes
    for a in advice:
        if a.applies_to_plan and a.status in ("not_recommended", "not_suggested", "caution"):
            warnings.append(f"{a.id}: {a.text}")
    if kind in ("prednisone", "plasma-exchange"):
        for name in ("product", "dose_g_per_kg", "days", "interval_days", "authorised_max_g"):
            value = getattr(options, name)
            if value is not None:
                raise InputError(
                    name, value, f"does not apply to the {kind} regimen", f"remove {name}"
                )
        regimen, n, w = (
            plan_prednisone(options) if kind == "prednisone" else plan_plasma_exchange(options)
        )
        scope = Finding(
            "SAFE-SCOPE",
            "info",
            f"the safety screen covers immunoglobulin (therapy-research.md §4); {kind} is not "
            "screened by neuroig",
            "therapy-research.md §4",
        )
        findings, blocked = _apply_overrides([scope], options, [])
        return Plan(
            case_id=case.case_id,
            status="ok",
            options=options,
            regimen=regimen,
            dosing_weight=None,
            product=None,
            safety=tuple(findings),
            advice=tuple(advice),
            cost=None,
            overrides=(),
            blocked_by=(),
            notes=tuple(notes + n),
            warnings=tuple(warnings + w),
        )
    route = "sc" if kind == "scig" else "iv"
    prod = _product(case, options, route, notes)
    patient = case.patient
    weight = patient.weight_kg if patient else None
    if weight is None:
        raise InputError(
            "patient.weight_kg", None, "is required to dose immunoglobulin", "record the weight"
        )
    conditions = set(case.history.conditions or ()) if case.history else set()
    dw = dosing_weight(
        weight_kg=weight,
        height_cm=patient.height_cm if patient else None,
        sex=patient.sex if patient else None,
        age_years=age_at(case, options.start),
        pregnant="pregnancy" in conditions,
        policy=options.weight_policy,
        pre_pregnancy_weight_kg=options.pre_pregnancy_weight_kg,
    )
    history = ig_history(case, product_id=prod.id, route=route, on=options.start)
    at_risk = bool(thrombosis_risks(case, on=options.start) or renal_risks(case, on=options.start))
    ctx = IgContext(kind, route, prod, dw, weight, history, at_risk)
    regimen, out = plan_ig(case, options, ctx)
    notes += out.notes
    warnings += out.warnings
    used = list(out.overrides)
    findings, blocked = _apply_overrides(
        screen(SafetyInput(case, options, prod, route, regimen, history)), options, used
    )
    notes += _label_notes(prod, diagnosis) + list(prod.notes)
    warnings += _unverified(prod, route)
    cost = None
    if blocked:
        regimen = replace(
            regimen,
            sessions=(),
            schedule=(),
            total_dispensed_g=None,
            total_issued_g=None,
            total_wastage_g=None,
        )
        warnings.append(
            f"plan blocked by {', '.join(blocked)}: no sessions are planned unless each block is "
            "overridden with its clinical reason"
        )
    else:
        regimen, cost, cost_warnings = cost_plan(
            regimen, prod, prices or builtin_price_table(), currency=options.currency
        )
        warnings += cost_warnings
    return Plan(
        case_id=case.case_id,
        status="blocked" if blocked else "ok",
        options=options,
        regimen=regimen,
        dosing_weight=dw,
        product=prod,
        safety=tuple(findings),
        advice=tuple(advice),
        cost=cost,
        overrides=tuple(used),
        blocked_by=tuple(blocked),
        notes=tuple(notes),
        warnings=tuple(warnings),
    )
