"""Safety screen for immunoglobulin (decision T7; rules 1-17 of docs/methods/therapy.md §5).

Every rule is a function named for its id that returns the findings it raises
(``block`` stops the plan unless overridden, ``warn``, ``info``). A safety lab that is
not recorded is a ``warn`` (measure before the first infusion), never a block. Unknown
is never read as "absent": a missing input is said in the finding's text.

References
----------
1. The immunoglobulin labels (rules 1-17 and the pre-infusion checklist) and their
   boxed warnings on thrombosis and renal dysfunction cited there.
2. docs/decisions.md T7 (severities; eGFR < 30 block, < 60 warn).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from neuroig.case import Case, age_at
from neuroig.record import Record
from neuroig.reference.products import Product, products
from neuroig.reference.sources import author_year, short_cite, source
from neuroig.therapy.dates import add_months
from neuroig.therapy.history import IgHistory
from neuroig.therapy.model import Finding, RegimenPlan
from neuroig.therapy.options import PlanOptions
from neuroig.therapy.params import param_list, param_value

__all__ = [
    "RULES",
    "SafetyInput",
    "body_mass_index",
    "renal_risks",
    "screen",
    "thrombosis_risks",
]

#: Renal rule 9 names "age > 65" [V]; the thrombosis rule's "advanced age" uses the same
#: threshold, ``ADVANCED-AGE-YEARS`` of data/therapy.toml (local decision T10: the
#: thrombosis warnings give no figure).

_S = "Ig safety rules (labels, EU core SmPC; docs/methods/therapy.md §5)"


def _conditions(case: Case) -> frozenset[str]:
    return frozenset(case.history.conditions or ()) if case.history else frozenset()


def _events(case: Case) -> list[tuple[date, str, str | None]]:
    return [
        (i.date, e.event, e.severity) for i in case.infusions or () for e in i.adverse_events or ()
    ]


def _paraprotein(case: Case) -> bool | None:
    labs = case.labs
    if labs is None or labs.paraprotein is None:
        return None
    return labs.paraprotein.present


class SafetyInput(Record, frozen=True):
    """What the screen reads: the case, the options, the product and the regimen."""

    case: Case
    options: PlanOptions
    product: Product
    route: str
    regimen: RegimenPlan
    history: IgHistory

    @property
    def conditions(self) -> frozenset[str]:
        return _conditions(self.case)

    @property
    def age(self) -> float | None:
        return age_at(self.case, self.options.start)

    def lab(self, name: str) -> object:
        return self.case.labs.value(name) if self.case.labs else None

    def past_events(self) -> list[tuple[date, str, str | None]]:
        return _events(self.case)

    @property
    def course_g_per_kg(self) -> float:
        return self.regimen.dose_g_per_kg or 0.0

    @property
    def paraprotein(self) -> bool | None:
        return _paraprotein(self.case)


def _has(s: SafetyInput, *names: str) -> list[str]:
    return [n for n in names if n in s.conditions]


def body_mass_index(case: Case) -> float | None:
    """BMI from the current weight and height (kg/m²), None when either is missing."""
    p = case.patient
    if p is None or p.weight_kg is None or not p.height_cm:
        return None
    return p.weight_kg / (p.height_cm / 100) ** 2


def thrombosis_risks(case: Case, *, on: date) -> list[str]:
    """Thrombosis risk factors of the labels' boxed warning and the EU core SmPC (T18).

    Age > 65, immobilisation, hypercoagulable state, prior thrombosis, oestrogens,
    indwelling catheter, hyperviscosity or paraprotein, hypertension, diabetes, heart
    failure, cardiovascular risk factors and obesity (BMI ≥ 30, ``OBESITY-BMI``).
    """
    conditions = _conditions(case)
    found = [
        label
        for cond, label in (
            ("immobilisation", "prolonged immobilisation"),
            ("hypercoagulable_state", "hypercoagulable state"),
            ("thrombosis", "prior venous or arterial thrombosis"),
            ("oestrogen_use", "oestrogen use"),
            ("central_venous_catheter", "indwelling vascular catheter"),
            ("hyperviscosity", "hyperviscosity"),
            ("cardiovascular_risk_factors", "cardiovascular risk factors"),
            ("hypertension", "hypertension"),
            ("diabetes", "diabetes"),
            ("insulin_treated_diabetes", "diabetes (insulin-treated)"),
            ("heart_failure", "heart failure"),
        )
        if cond in conditions
    ]
    bmi = body_mass_index(case)
    obese = param_value("OBESITY-BMI")
    if bmi is not None and bmi >= obese:
        found.append(f"obesity (BMI {bmi:.1f} ≥ {obese:g})")
    if _paraprotein(case) and "hyperviscosity" not in conditions:
        found.append("paraprotein (hyperviscosity risk)")
    age = age_at(case, on)
    advanced = param_value("ADVANCED-AGE-YEARS")
    if age is not None and age > advanced:
        found.append(f"age {age:.0f} (> {advanced:g})")
    if any(ev == "thrombosis" for _, ev, _ in _events(case)):
        found.append("thrombosis after a previous infusion")
    return found


def renal_risks(case: Case, *, on: date) -> list[str]:
    """Renal risk factors recorded in the case (rule 9)."""
    conditions = _conditions(case)
    found = [
        label
        for cond, label in (
            ("renal_impairment", "renal insufficiency"),
            ("diabetes", "diabetes mellitus"),
            ("insulin_treated_diabetes", "diabetes mellitus (insulin-treated)"),
            ("volume_depletion", "volume depletion"),
            ("sepsis", "sepsis"),
            ("nephrotoxic_drugs", "nephrotoxic co-medication"),
        )
        if cond in conditions
    ]
    age = age_at(case, on)
    advanced = param_value("ADVANCED-AGE-YEARS")
    if age is not None and age > advanced:
        found.append(f"age {age:.0f} (> {advanced:g})")
    if _paraprotein(case):
        found.append("paraproteinaemia")
    if any(ev == "renal" for _, ev, _ in _events(case)):
        found.append("renal adverse event after a previous infusion")
    return found


def _hypersensitivity_history(s: SafetyInput) -> list[str]:
    why = _has(s, "severe_ig_reaction")
    why += [
        f"{ev} on {d}" + (f" ({sev})" if sev else "")
        for d, ev, sev in s.past_events()
        if ev == "anaphylaxis" or (sev == "severe" and ev in ("infusion_reaction", "rash", "other"))
    ]
    return why


# ------------------------------------------------------------------------ rules


def _lowest_iga() -> float | None:
    known = [p.iga_ug_ml.value for p in products().values() if p.iga_ug_ml]
    return min(known) if known else None


def rule_iga(s: SafetyInput) -> list[Finding]:
    """SAFE-IGA-ANTIBODIES / SAFE-IGA-DEFICIENCY / SAFE-IGA-UNKNOWN (rule 1; decision T19).

    Anti-IgA antibodies recorded positive → block for every product except those whose
    catalogue IgA content is the lowest available (Gammagard S/D class), which stay
    plannable with a warn (EU core SmPC contraindication; US labels add "with a history
    of hypersensitivity"). IgA deficiency without an antibody result → warn: test anti-IgA
    and prefer the lowest-IgA product. IgA not recorded before a first exposure → warn.
    """
    deficient = "iga_deficiency" in s.conditions
    anti = s.lab("anti_iga")
    src = f"{_S} rule 1 (EU core SmPC contraindication; US labels; ABN guidance); decision T19"
    ranked = sorted(
        (p for p in products().values() if p.iga_ug_ml),
        key=lambda p: p.iga_ug_ml.value if p.iga_ug_ml else 0.0,
    )
    lowest = ", ".join(
        f"{p.name} {p.iga_ug_ml.kind} {p.iga_ug_ml.value:g}"
        + ("" if p.iga_ug_ml.verified else " [unverified]")
        for p in ranked[:4]
        if p.iga_ug_ml
    )
    iga = s.product.iga_ug_ml
    this = (
        f"{s.product.name} IgA {iga.kind} {iga.value:g} µg/mL"
        if iga
        else f"IgA content of {s.product.name} not on file"
    )
    floor = _lowest_iga()
    is_lowest = iga is not None and floor is not None and iga.value <= floor
    if anti is True:
        history = _hypersensitivity_history(s)
        hx = f"; history of hypersensitivity: {'; '.join(history)}" if history else ""
        if not is_lowest:
            return [
                Finding(
                    "SAFE-IGA-ANTIBODIES",
                    "block",
                    f"anti-IgA antibodies recorded positive{hx}: {this} is contraindicated; "
                    f"choose the lowest-IgA product ({lowest} µg/mL)",
                    src,
                    applies_to="regimen",
                )
            ]
        return [
            Finding(
                "SAFE-IGA-ANTIBODIES",
                "warn",
                f"anti-IgA antibodies recorded positive{hx}: {this} is the lowest-IgA product on "
                "file; give the first infusion where anaphylaxis can be treated",
                src,
                verified=iga.verified if iga else False,
                applies_to="regimen",
            )
        ]
    if deficient:
        anti_text = (
            "anti-IgA negative"
            if anti is False
            else "anti-IgA not recorded: test anti-IgA antibodies before the first infusion"
        )
        return [
            Finding(
                "SAFE-IGA-DEFICIENCY",
                "warn",
                f"IgA deficiency ({anti_text}); prefer the lowest-IgA product ({lowest} µg/mL); "
                f"{this}",
                src,
                applies_to="regimen",
            )
        ]
    if s.lab("iga_g_l") is None and not s.history.any_prior_infusion:
        return [
            Finding(
                "SAFE-IGA-UNKNOWN",
                "warn",
                "serum IgA not recorded: measure it before the first exposure to immunoglobulin",
                src,
            )
        ]
    return []


def rule_prior_reaction(s: SafetyInput) -> list[Finding]:
    """SAFE-PRIOR-REACTION (rule 2): a severe prior reaction to human Ig → block."""
    why = _hypersensitivity_history(s)
    if not why:
        return []
    return [
        Finding(
            "SAFE-PRIOR-REACTION",
            "block",
            f"severe prior reaction to human immunoglobulin ({'; '.join(why)})",
            f"{_S} rule 2",
        )
    ]


def _excipient_rule(
    rule_id: str, *, excipients: tuple[str, ...], condition: str, text: str, source: str, ok: bool
) -> Callable[[SafetyInput], list[Finding]]:
    def rule(s: SafetyInput) -> list[Finding]:
        present = [e for e in excipients if s.product.has_excipient(e)]
        if condition not in s.conditions or not present:
            return []
        return [
            Finding(
                rule_id,
                "block",
                f"{text}: {s.product.name} contains {', '.join(present)}",
                source,
                verified=ok,
            )
        ]

    rule.__name__ = f"rule_{rule_id.lower().replace('-', '_')}"
    rule.__doc__ = f"{rule_id}: {text} ({source})."
    return rule


rule_sorbitol = _excipient_rule(
    "SAFE-SORBITOL-HFI",
    excipients=("sorbitol",),
    condition="hereditary_fructose_intolerance",
    text="hereditary fructose intolerance: avoid sorbitol-containing products",
    source=f"{_S} rule 3 [R]",
    ok=False,
)
rule_proline = _excipient_rule(
    "SAFE-PROLINE",
    excipients=("proline",),
    condition="hyperprolinaemia",
    text="hyperprolinaemia: avoid proline-stabilised products",
    source=f"{_S} rule 4 [R]",
    ok=False,
)
rule_hyaluronidase = _excipient_rule(
    "SAFE-HYALURONIDASE",
    excipients=("hyaluronidase", "albumin"),
    condition="hyaluronidase_or_albumin_hypersensitivity",
    text="hypersensitivity to hyaluronidase or albumin: avoid HyQvia",
    source=f"{_S} rule 5",
    ok=True,
)


def rule_maltose(s: SafetyInput) -> list[Finding]:
    """SAFE-MALTOSE (rule 6): maltose products falsely raise GDH-PQQ glucose readings.

    Insulin treatment or point-of-care glucose testing → warn (glucose-specific method
    required); otherwise info.
    """
    if not s.product.has_excipient("maltose"):
        return []
    users = _has(s, "insulin_treated_diabetes", "point_of_care_glucose_testing")
    text = (
        f"{s.product.name} contains maltose: GDH-PQQ glucose meters read falsely high "
        "(risk of insulin overdose or masked hypoglycaemia)"
    )
    src = f"{_S} rule 6 ({source('maltoseAdvisories').locator})"
    if users:
        return [
            Finding(
                "SAFE-MALTOSE",
                "warn",
                f"{text}; {' and '.join(u.replace('_', ' ') for u in users)}: "
                "use a glucose-specific method",
                src,
            )
        ]
    return [Finding("SAFE-MALTOSE", "info", f"{text}; use a glucose-specific method", src)]


def rule_thrombosis(s: SafetyInput) -> list[Finding]:
    """SAFE-THROMBOSIS (rule 7, boxed warning): warn with risk factors, info otherwise."""
    risks = thrombosis_risks(s.case, on=s.options.start)
    src = f"{_S} rule 7 (boxed warning on all Ig products)"
    age_note = "" if s.age is not None else "; age not recorded (advanced age not assessed)"
    if not risks:
        return [
            Finding(
                "SAFE-THROMBOSIS",
                "info",
                "thrombosis can occur without risk factors (boxed warning); none recorded"
                + age_note,
                src,
            )
        ]
    cap = ""
    if s.product.iv_rate_max_at_risk_ml_kg_min is not None and s.route == "iv":
        cap = (
            f"; the {s.product.name} at-risk maximum rate "
            f"{s.product.iv_rate_max_at_risk_ml_kg_min.label} is applied"
        )
    return [
        Finding(
            "SAFE-THROMBOSIS",
            "warn",
            f"thrombosis risk factors: {', '.join(risks)}. Use the minimum dose and rate "
            "practicable, ensure hydration and monitor; consider splitting the course over more "
            f"days or SCIg{cap}" + age_note,
            src,
        )
    ]


def rule_hyperviscosity(s: SafetyInput) -> list[Finding]:
    """SAFE-HYPERVISCOSITY (rule 8): hyperviscosity risk → measure blood viscosity first."""
    causes = [c.replace("_", " ") for c in _has(s, "hyperviscosity", "cryoglobulinaemia")]
    causes += ["marked hypertriglyceridaemia"] if "hypertriglyceridaemia" in s.conditions else []
    if s.paraprotein:
        causes.append("paraproteinaemia")
    if not causes:
        return []
    return [
        Finding(
            "SAFE-HYPERVISCOSITY",
            "warn",
            f"hyperviscosity risk ({', '.join(causes)}): measure blood viscosity before treatment",
            f"{_S} rule 8 (causes list [R])",
            verified=False,
        )
    ]


def rule_renal(s: SafetyInput) -> list[Finding]:
    """SAFE-RENAL-EGFR / SAFE-RENAL-LAB-MISSING / SAFE-RENAL-RISK (rule 9; T7 thresholds)."""
    out: list[Finding] = []
    src = f"{_S} rule 9 (boxed warning); thresholds T7"
    egfr = s.lab("egfr_ml_min")
    block, warn = s.options.egfr_block_below, s.options.egfr_warn_below
    if isinstance(egfr, int | float):
        if egfr < block:
            out.append(
                Finding(
                    "SAFE-RENAL-EGFR",
                    "block",
                    f"eGFR {egfr:g} mL/min < {block:g}: renal failure risk with immunoglobulin",
                    src,
                )
            )
        elif egfr < warn:
            out.append(
                Finding(
                    "SAFE-RENAL-EGFR",
                    "warn",
                    f"eGFR {egfr:g} mL/min < {warn:g}: ensure euvolaemia, use the minimum rate, "
                    "recheck creatinine after the infusion",
                    src,
                )
            )
    else:
        creat = s.lab("creatinine_umol_l")
        have = f" (creatinine {creat:g} µmol/L recorded)" if isinstance(creat, int | float) else ""
        out.append(
            Finding(
                "SAFE-RENAL-LAB-MISSING",
                "warn",
                f"eGFR not recorded{have}: measure creatinine/eGFR before the first infusion",
                src,
            )
        )
    risks = renal_risks(s.case, on=s.options.start)
    if risks:
        out.append(
            Finding(
                "SAFE-RENAL-RISK",
                "warn",
                f"renal risk factors: {', '.join(risks)}. Check creatinine/eGFR before and "
                "periodically, ensure euvolaemia, use the minimum rate, stop if function "
                "deteriorates",
                src,
            )
        )
    return out


def rule_pseudohyponatraemia(s: SafetyInput) -> list[Finding]:
    """SAFE-PSEUDOHYPONATRAEMIA (rule 10): IV Ig raises serum protein (info)."""
    if s.route != "iv":
        return []
    return [
        Finding(
            "SAFE-PSEUDOHYPONATRAEMIA",
            "info",
            "hyperproteinaemia after IVIg can cause pseudohyponatraemia: check osmolality "
            "before treating a low measured sodium",
            f"{_S} rule 10 (wording [R])",
            verified=False,
        )
    ]


def rule_haemolysis(s: SafetyInput) -> list[Finding]:
    """SAFE-HAEMOLYSIS / SAFE-ABO-MISSING / SAFE-HB-MISSING (rule 11; T7).

    Non-O blood group with ≥ 2 g/kg per course → Hb before and again on day 5-10; flag
    an Hb fall > 10 g/L. A missing ABO group or Hb is a warn.
    """
    out: list[Finding] = []
    src = f"{_S} rule 11 ({short_cite('transfusion2021')})"
    group = s.case.patient.blood_group if s.case.patient else None
    high = s.course_g_per_kg >= 2.0 - 1e-9
    if group is None:
        out.append(
            Finding(
                "SAFE-ABO-MISSING",
                "warn",
                "ABO blood group not recorded: record it (haemolysis risk is highest in non-O "
                "groups on ≥ 2 g/kg per course)",
                src,
            )
        )
    elif group != "O" and high and s.regimen.sessions:
        last = s.regimen.sessions[-1].date
        first_time = "; first exposure (higher risk)" if not s.history.any_prior_infusion else ""
        out.append(
            Finding(
                "SAFE-HAEMOLYSIS",
                "warn",
                f"blood group {group} with {s.course_g_per_kg:g} g/kg per course: check Hb before "
                f"and again on day 5-10 ({last + timedelta(days=5)} to "
                f"{last + timedelta(days=10)}); act on an Hb fall > 10 g/L{first_time}",
                src,
            )
        )
    if s.lab("hemoglobin_g_l") is None:
        out.append(
            Finding(
                "SAFE-HB-MISSING",
                "warn",
                "haemoglobin not recorded: measure a full blood count before the first infusion",
                src,
            )
        )
    return out


def rule_aseptic_meningitis(s: SafetyInput) -> list[Finding]:
    """SAFE-ASEPTIC-MENINGITIS (rule 12): ≥ 1 g/kg/day or a prior episode → slower, split."""
    per_day = s.regimen.per_day_g_per_kg or 0.0
    why = []
    if per_day >= 1.0 - 1e-9:
        why.append(f"{per_day:g} g/kg/day")
    if "prior_aseptic_meningitis" in s.conditions or any(
        ev == "aseptic_meningitis" for _, ev, _ in s.past_events()
    ):
        why.append("prior aseptic meningitis")
    if not why:
        return []
    return [
        Finding(
            "SAFE-ASEPTIC-MENINGITIS",
            "warn",
            f"aseptic meningitis risk ({', '.join(why)}): use a slower rate and split over more "
            "days",
            f"{_S} rule 12 (rule [D])",
        )
    ]


def rule_volume(s: SafetyInput) -> list[Finding]:
    """SAFE-VOLUME (rule 13): heart failure or fluid restriction → warn with volume, sodium."""
    why = [c.replace("_", " ") for c in _has(s, "heart_failure", "fluid_restriction")]
    if not why or not s.regimen.sessions:
        return []
    vol = max(x.volume_ml or 0.0 for x in s.regimen.sessions)
    na = s.product.sodium_mg_per_ml()
    sodium = (
        f"; sodium up to {na * vol:.0f} mg per session ({s.product.sodium.label or ''}"
        f"{s.product.sodium.value:g} {s.product.sodium.unit})"
        if na is not None and s.product.sodium is not None
        else "; sodium content not on file"
    )
    conc = s.product.concentration_pct.value if s.product.concentration_pct else None
    return [
        Finding(
            "SAFE-VOLUME",
            "warn",
            f"{' and '.join(why)}: up to {vol:g} mL per session at {conc:g} %{sodium}. Prefer a "
            "higher concentration, split over more days and use a slower rate",
            f"{_S} rule 13 (figures [V], rule [D])",
        )
    ]


def rule_trali(s: SafetyInput) -> list[Finding]:
    """SAFE-TRALI (rule 14): monitor for respiratory distress within ~6 h of IV infusion."""
    if s.route != "iv":
        return []
    return [
        Finding(
            "SAFE-TRALI",
            "info",
            "monitor for respiratory distress (TRALI) within about 6 hours of the infusion",
            f"{_S} rule 14 [R]",
            verified=False,
        )
    ]


def rule_cytopenia(s: SafetyInput) -> list[Finding]:
    """SAFE-CYTOPENIA (rule 15): transient neutropenia/thrombocytopenia after high-dose IVIg."""
    if s.route != "iv" or s.course_g_per_kg < param_value("CYTOPENIA-G-PER-KG") - 1e-9:
        return []
    return [
        Finding(
            "SAFE-CYTOPENIA",
            "info",
            "transient neutropenia or thrombocytopenia is described after high-dose IVIg "
            "(not clinically significant in a UK maintenance audit)",
            f"{_S} rule 15 ({author_year('keh2020')})",
        )
    ]


def _vaccine_months(g_per_kg: float) -> int:
    # ACIP: 300-400 mg/kg → 8 months; 1 g/kg → 10; 2 g/kg → 11 (LIVE-VACCINE-* in
    # data/therapy.toml). A dose between two listed doses takes the interval of the
    # higher one (local decision T10).
    bands = param_list("LIVE-VACCINE-DOSE-G-PER-KG")
    months = param_list("LIVE-VACCINE-MONTHS")
    for top, m in zip(bands, months, strict=False):
        if g_per_kg <= top + 1e-9:
            return int(m)
    return int(months[len(bands)])


def rule_live_vaccines(s: SafetyInput) -> list[Finding]:
    """SAFE-LIVE-VACCINES (rule 16): defer measles/varicella vaccines (ACIP intervals)."""
    dose = s.course_g_per_kg
    months = _vaccine_months(dose)
    when = ""
    if s.regimen.sessions:
        last = s.regimen.sessions[-1].date
        when = f" (not before {add_months(last, months)} after this course's last infusion)"
    return [
        Finding(
            "SAFE-LIVE-VACCINES",
            "info",
            f"{dose:g} g/kg blunts measles/varicella-containing vaccines: defer them "
            f"{months} months after the last dose{when}; inactivated vaccines are unaffected",
            f"{_S} rule 16 ({source('acip').label})",
        )
    ]


def rule_serology(s: SafetyInput) -> list[Finding]:
    """SAFE-SEROLOGY (rule 17): passive antibodies → false-positive serology, positive DAT."""
    return [
        Finding(
            "SAFE-SEROLOGY",
            "info",
            "passively transferred antibodies can give false-positive serology and a positive "
            "direct antiglobulin test after infusion: take baseline serology first",
            f"{_S} rule 17 [R]",
            verified=False,
        )
    ]


def rule_rate_start(s: SafetyInput) -> list[Finding]:
    """SAFE-RATE-START (T2; checklist): first infusion, switch or long gap → initial rate."""
    if not s.history.restart_initial:
        return []
    return [
        Finding(
            "SAFE-RATE-START",
            "info",
            f"{s.history.reason}: start at the label's minimum rate",
            f"{_S} pre-infusion checklist; T2",
        )
    ]


RULES: tuple[Callable[[SafetyInput], list[Finding]], ...] = (
    rule_iga,
    rule_prior_reaction,
    rule_sorbitol,
    rule_proline,
    rule_hyaluronidase,
    rule_maltose,
    rule_thrombosis,
    rule_hyperviscosity,
    rule_renal,
    rule_pseudohyponatraemia,
    rule_haemolysis,
    rule_aseptic_meningitis,
    rule_volume,
    rule_trali,
    rule_cytopenia,
    rule_live_vaccines,
    rule_serology,
    rule_rate_start,
)

_ORDER = {"block": 0, "warn": 1, "info": 2}


def screen(s: SafetyInput) -> list[Finding]:
    """Run every rule; findings sorted block → warn → info (stable within a severity)."""
    found = [f for rule in RULES for f in rule(s)]
    return sorted(found, key=lambda f: _ORDER[f.severity])
