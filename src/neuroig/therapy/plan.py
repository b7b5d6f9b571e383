"""The therapy planner's entry point: :func:`plan`.

``plan(case, options, diagnosis=..., prices=...)`` resolves the regimen and product,
gates it on the case's own assessment and treatment history (T14-T16), computes the
dosing weight (T1, T22), the doses, rounding and sessions (T3, T4, T5, T17, T20, T21),
the rates with the at-risk cap (T2, T18), runs the safety screen (T7, T19), adds the
diagnosis-aware advice (T6) and the cost (T8). A ``block`` finding that is not
overridden stops the plan: the result then has ``status == "blocked"`` and no sessions,
schedule, phases or cost.
"""

from __future__ import annotations

from neuroig.case import Case, age_at
from neuroig.diagnosis import DiagnosisContext
from neuroig.errors import InputError
from neuroig.record import replace
from neuroig.reference.prices import PriceTable, builtin_price_table
from neuroig.reference.products import Product, product
from neuroig.therapy.advice import advise
from neuroig.therapy.cost import cost_plan
from neuroig.therapy.courses import plan_plasma_exchange, plan_prednisone
from neuroig.therapy.dosing_weight import dosing_weight
from neuroig.therapy.gates import FailedCourse, diagnosis_gates, failed_courses, history_gates
from neuroig.therapy.history import ig_history
from neuroig.therapy.ig import IgContext, plan_ig
from neuroig.therapy.iv_session import at_risk_mg_kg_min, at_risk_top
from neuroig.therapy.model import Advice, Finding, Plan, RegimenPlan
from neuroig.therapy.options import Override, PlanOptions, RegimenKind
from neuroig.therapy.rates import floor_rate
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


def _trial_answer(advice: list[Advice], failed: list[FailedCourse]) -> list[Advice]:
    """T16: a failed adequate IVIg trial answers the LMN trial question."""
    trials = [f for f in failed if f.therapy == "ivig" and f.adequate_ivig_trial]
    if not trials:
        return advice
    done = "; ".join(f.describe() for f in trials)
    return [
        replace(
            a,
            status="trial_done",
            text=f"IVIg trial done: no response ({done})",
            cite=f"{a.cite}; decision T16",
        )
        if a.id == "ADVICE-LMN-IVIG-TRIAL"
        else a
        for a in advice
    ]


def _failed_ivig(
    case: Case, options: PlanOptions, diagnosis: DiagnosisContext | None, kg: float | None
) -> list[FailedCourse]:
    return failed_courses(
        case,
        kind="ivig-induction",
        before=options.start,
        dosing_kg=kg,
        mmn=None if diagnosis is None else diagnosis.mmn,
    )


def _gates(
    case: Case,
    options: PlanOptions,
    kind: str,
    diagnosis: DiagnosisContext | None,
    kg: float | None,
) -> tuple[list[Finding], list[FailedCourse], list[FailedCourse]]:
    """T14-T16 findings, the failed courses of this therapy and the failed IVIg courses."""
    failed = failed_courses(
        case,
        kind=kind,
        before=options.start,
        dosing_kg=kg,
        mmn=None if diagnosis is None else diagnosis.mmn,
    )
    ivig = failed if kind in ("ivig-induction", "ivig-maintenance", "scig") else []
    if not ivig and diagnosis is not None and diagnosis.lmn_without_block:
        ivig = _failed_ivig(case, options, diagnosis, kg)
    trial = next((f.describe() for f in ivig if f.adequate_ivig_trial), None)
    found = [] if diagnosis is None else diagnosis_gates(diagnosis, kind=kind, trial_failed=trial)
    return found + history_gates(failed, kind=kind), failed, ivig


def _blocked_regimen(regimen: RegimenPlan) -> RegimenPlan:
    """A blocked plan shows no usable schedule: sessions, ramp-up, phases and totals go."""
    return replace(
        regimen,
        sessions=(),
        schedule=(),
        phases=(),
        ramp_up=(),
        review_date=None,
        total_dispensed_g=None,
        total_issued_g=None,
        total_wastage_g=None,
    )


def _rate_cap(ctx: IgContext, options: PlanOptions) -> list[Finding]:
    """T18: the at-risk cap, stated where the rates are."""
    p = ctx.product
    if not ctx.risk_factors or ctx.route != "iv":
        return []
    if p.iv_rate_max_ml_kg_min is None or p.concentration_pct is None:
        return [
            Finding(
                "RATE-CAP-AT-RISK",
                "warn",
                f"risk factors ({', '.join(ctx.risk_factors)}): no rates on file for {p.id}, so "
                f"the at-risk cap ({at_risk_mg_kg_min(options):g} mg/kg/min) cannot be "
                "applied - follow the SmPC at the minimum rate",
                "decision T18",
                applies_to="rates",
            )
        ]
    top, basis = at_risk_top(ctx, options)
    mg = top * p.concentration_pct.value * 10
    return [
        Finding(
            "RATE-CAP-AT-RISK",
            "warn",
            f"rate ramp stops at {mg:.3g} mg/kg/min = "
            f"{floor_rate(top * ctx.rate_kg * 60):g} mL/h on {ctx.rate_kg:g} kg: {basis}",
            "Ig labels' boxed warnings on thrombosis and renal dysfunction; EU core SmPC; "
            "decision T18",
            applies_to="rates",
        )
    ]


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
        The case's own assessment (``evaluate(case).diagnosis``, with every criteria
        set's category in ``sets``): the diagnosis gates (T14, T15) and the advice (T6)
        read it. None records that the diagnosis was not evaluated (no diagnosis gate).
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
    patient = case.patient
    weight = patient.weight_kg if patient else None
    conditions = frozenset(case.history.conditions or ()) if case.history else frozenset()
    if kind in ("prednisone", "plasma-exchange"):
        for name in ("product", "dose_g_per_kg", "days", "interval_days", "authorised_max_g"):
            value = getattr(options, name)
            if value is not None:
                raise InputError(
                    name, value, f"does not apply to the {kind} regimen", f"remove {name}"
                )
        gates, _failed, ivig = _gates(case, options, kind, diagnosis, None)
        advice = _trial_answer(advice, ivig)
        own: list[Finding] = []
        if kind == "prednisone":
            regimen, n, w, own = plan_prednisone(options, weight_kg=weight, conditions=conditions)
        else:
            regimen, n, w = plan_plasma_exchange(options)
        scope = Finding(
            "SAFE-SCOPE",
            "info",
            f"the safety screen covers immunoglobulin (labels, EU core SmPC); {kind} is not "
            "screened by neuroig beyond the items on this plan",
            "decision T7",
        )
        used: list[Override] = []
        findings, blocked = _apply_overrides(gates + own + [scope], options, used)
        _warn_advice(advice, warnings)
        if blocked:
            regimen = _blocked_regimen(regimen)
            warnings.append(_blocked_text(blocked))
        return Plan(
            case_id=case.case_id,
            status="blocked" if blocked else "ok",
            options=options,
            regimen=regimen,
            dosing_weight=None,
            product=None,
            safety=tuple(_sorted(findings)),
            advice=tuple(advice),
            cost=None,
            overrides=tuple(used),
            blocked_by=tuple(blocked),
            notes=tuple(notes + n),
            warnings=tuple(warnings + w),
        )
    route = "sc" if kind == "scig" else "iv"
    prod = _product(case, options, route, notes)
    if weight is None:
        raise InputError(
            "patient.weight_kg", None, "is required to dose immunoglobulin", "record the weight"
        )
    dw = dosing_weight(
        weight_kg=weight,
        height_cm=patient.height_cm if patient else None,
        sex=patient.sex if patient else None,
        age_years=age_at(case, options.start),
        pregnant="pregnancy" in conditions,
        policy=options.weight_policy,
        pre_pregnancy_weight_kg=options.pre_pregnancy_weight_kg,
    )
    gates, _failed, ivig = _gates(case, options, kind, diagnosis, dw.kg)
    advice = _trial_answer(advice, ivig)
    _warn_advice(advice, warnings)
    history = ig_history(case, product_id=prod.id, route=route, on=options.start)
    risks = tuple(
        dict.fromkeys(
            thrombosis_risks(case, on=options.start) + renal_risks(case, on=options.start)
        )
    )
    ctx = IgContext(kind, route, prod, dw, weight, history, risks)
    regimen, out = plan_ig(case, options, ctx)
    notes += out.notes
    warnings += out.warnings
    used = list(out.overrides)
    findings, blocked = _apply_overrides(
        gates
        + out.findings
        + _rate_cap(ctx, options)
        + screen(SafetyInput(case, options, prod, route, regimen, history)),
        options,
        used,
    )
    notes += _label_notes(prod, diagnosis) + list(prod.notes)
    warnings += _unverified(prod, route)
    cost = None
    if blocked:
        regimen = _blocked_regimen(regimen)
        warnings.append(_blocked_text(blocked))
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
        safety=tuple(_sorted(findings)),
        advice=tuple(advice),
        cost=cost,
        overrides=tuple(used),
        blocked_by=tuple(blocked),
        notes=tuple(notes),
        warnings=tuple(warnings),
    )


_ORDER = {"block": 0, "warn": 1, "info": 2}


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: _ORDER[f.severity])


def _warn_advice(advice: list[Advice], warnings: list[str]) -> None:
    for a in advice:
        if a.applies_to_plan and a.status in ("not_recommended", "not_suggested", "caution"):
            warnings.append(f"{a.id}: {a.text}")


def _blocked_text(blocked: list[str]) -> str:
    return (
        f"plan blocked by {', '.join(blocked)}: no sessions are planned unless each block is "
        "overridden with its clinical reason (--override ID=REASON)"
    )
