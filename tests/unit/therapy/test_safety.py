"""Decision T7: every safety rule of docs/methods/therapy.md fires when it should and not otherwise.

Baseline case (helpers.make_case): male 50 y, group A, eGFR 90, Hb 140, IgA 2.0 g/L, no
conditions, no infusions. Baseline regimen: IVIg maintenance 1 g/kg with Privigen.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.unit.therapy.helpers import infusion, make_case, run

from neuroig.errors import InputError
from neuroig.therapy.model import Finding, Plan
from neuroig.therapy.options import Override
from neuroig.therapy.safety import RULES

BASE_LABS = {"egfr_ml_min": 90, "hemoglobin_g_l": 140, "iga_g_l": 2.0}


def findings(p: Plan, rule_id: str) -> list[Finding]:
    return [f for f in p.safety if f.id == rule_id]


def severity(p: Plan, rule_id: str) -> str | None:
    found = findings(p, rule_id)
    assert len(found) <= 1, found
    return found[0].severity if found else None


def plan_with(*, product: str = "privigen", regimen: str = "ivig-maintenance", **case: Any) -> Plan:
    return run(make_case(**case), product=product, regimen=regimen)


# (rule id, case/plan arguments that trigger it, expected severity, arguments that do not)
CASES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    (
        # T19: anti-IgA antibodies alone block an IgA-containing product (EU core SmPC)
        "SAFE-IGA-ANTIBODIES",
        {"conditions": ["iga_deficiency"], "labs": {**BASE_LABS, "anti_iga": True}},
        "block",
        {"conditions": ["iga_deficiency"], "labs": {**BASE_LABS, "anti_iga": False}},
    ),
    ("SAFE-IGA-DEFICIENCY", {"conditions": ["iga_deficiency"]}, "warn", {}),
    (
        "SAFE-IGA-UNKNOWN",
        {"labs": {"egfr_ml_min": 90, "hemoglobin_g_l": 140}},
        "warn",
        {
            "labs": {"egfr_ml_min": 90, "hemoglobin_g_l": 140},
            "infusions": [infusion("2026-11-10", "privigen")],
        },
    ),
    (
        "SAFE-PRIOR-REACTION",
        {
            "infusions": [
                infusion("2026-11-10", "privigen", adverse_events=[{"event": "anaphylaxis"}])
            ]
        },
        "block",
        {
            "infusions": [
                infusion(
                    "2026-11-10",
                    "privigen",
                    adverse_events=[{"event": "headache", "severity": "mild"}],
                )
            ]
        },
    ),
    (
        "SAFE-SORBITOL-HFI",
        {"conditions": ["hereditary_fructose_intolerance"], "product": "flebogamma_dif_10"},
        "block",
        {"conditions": ["hereditary_fructose_intolerance"], "product": "privigen"},
    ),
    (
        "SAFE-PROLINE",
        {"conditions": ["hyperprolinaemia"], "product": "privigen"},
        "block",
        {"conditions": ["hyperprolinaemia"], "product": "gamunex_c"},
    ),
    (
        "SAFE-HYALURONIDASE",
        {
            "conditions": ["hyaluronidase_or_albumin_hypersensitivity"],
            "product": "hyqvia",
            "regimen": "scig",
            "treatments": [
                {
                    "therapy": "ivig",
                    "start": "2026-01-05",
                    "regimen": {"dose_g_per_kg": 1.0, "interval_days": 21},
                }
            ],
        },
        "block",
        {
            "conditions": ["hyaluronidase_or_albumin_hypersensitivity"],
            "product": "privigen",
        },
    ),
    (
        "SAFE-MALTOSE",
        {"conditions": ["insulin_treated_diabetes"], "product": "octagam_10"},
        "warn",
        {"conditions": ["insulin_treated_diabetes"], "product": "privigen"},
    ),
    # a lean patient (70 kg, 175 cm: BMI 22.9) so that obesity does not count (T18)
    (
        "SAFE-THROMBOSIS",
        {"conditions": ["oestrogen_use"], "weight_kg": 70},
        "warn",
        {"weight_kg": 70},
    ),
    (
        "SAFE-HYPERVISCOSITY",
        {"labs": {**BASE_LABS, "paraprotein": {"present": True, "isotype": "igg"}}},
        "warn",
        {"labs": {**BASE_LABS, "paraprotein": {"present": False}}},
    ),
    ("SAFE-RENAL-EGFR", {"labs": {**BASE_LABS, "egfr_ml_min": 25}}, "block", {}),
    (
        "SAFE-RENAL-LAB-MISSING",
        {"labs": {"hemoglobin_g_l": 140, "iga_g_l": 2.0, "creatinine_umol_l": 80}},
        "warn",
        {},
    ),
    ("SAFE-RENAL-RISK", {"conditions": ["diabetes"]}, "warn", {}),
    (
        "SAFE-PSEUDOHYPONATRAEMIA",
        {},
        "info",
        {"product": "hizentra", "regimen": "scig", "dose": 0.4},
    ),
    (
        "SAFE-HAEMOLYSIS",
        {"regimen": "ivig-induction"},
        "warn",
        {"blood_group": "O", "regimen": "ivig-induction"},
    ),
    ("SAFE-ABO-MISSING", {"blood_group": None}, "warn", {}),
    ("SAFE-HB-MISSING", {"labs": {"egfr_ml_min": 90, "iga_g_l": 2.0}}, "warn", {}),
    ("SAFE-ASEPTIC-MENINGITIS", {}, "warn", {"regimen": "ivig-induction"}),
    ("SAFE-VOLUME", {"conditions": ["heart_failure"]}, "warn", {}),
    ("SAFE-TRALI", {}, "info", {"product": "hizentra", "regimen": "scig", "dose": 0.4}),
    ("SAFE-CYTOPENIA", {"regimen": "ivig-induction"}, "info", {}),
    ("SAFE-LIVE-VACCINES", {}, "info", {"regimen": "prednisone"}),
    ("SAFE-SEROLOGY", {}, "info", {"regimen": "plasma-exchange"}),
    (
        "SAFE-RATE-START",
        {},
        "info",
        {"infusions": [infusion("2026-11-10", "privigen", rate_max_ml_h=300)]},
    ),
    ("SAFE-SCOPE", {"regimen": "prednisone"}, "info", {}),
]


OFF_SEVERITY = {"SAFE-THROMBOSIS": "info"}


def _plan(args: dict[str, Any]) -> Plan:
    args = dict(args)
    product = args.pop("product", "privigen")
    regimen = args.pop("regimen", "ivig-maintenance")
    dose = args.pop("dose", None)
    overrides = tuple(Override(x, "test: clinician accepts the risk") for x in args.pop("ov", ()))
    return run(
        make_case(**args),
        product=None if regimen in ("prednisone", "plasma-exchange") else product,
        regimen=regimen,
        dose_g_per_kg=dose,
        overrides=overrides,
    )


@pytest.mark.parametrize(("rule", "on", "sev", "off"), CASES, ids=[c[0] for c in CASES])
def test_rule_triggers_and_does_not(
    rule: str, on: dict[str, Any], sev: str, off: dict[str, Any]
) -> None:
    triggered = _plan(on)
    assert severity(triggered, rule) == sev
    assert findings(triggered, rule)[0].source  # every finding names its source
    # not triggered: absent (the thrombosis boxed warning stays as an info)
    assert severity(_plan(off), rule) == OFF_SEVERITY.get(rule)


def test_every_rule_function_has_a_case_here() -> None:
    ids = {c[0] for c in CASES}
    for rule in RULES:
        assert rule.__doc__ and "SAFE-" in rule.__doc__
        named = {w.strip(":(),").split()[0] for w in rule.__doc__.split() if w.startswith("SAFE-")}
        assert named & ids, rule.__name__


@pytest.mark.parametrize(
    ("kwargs", "sev"),
    [
        ({"conditions": []}, "info"),  # boxed warning, no risk factor
        ({"conditions": ["central_venous_catheter"]}, "warn"),
        ({"age_years": 70}, "warn"),  # > 65 (T10)
        ({"age_years": 65}, "info"),
        # T18: the EU core SmPC factors count too
        ({"conditions": ["hypertension"]}, "warn"),
        ({"conditions": ["diabetes"]}, "warn"),
        ({"conditions": ["heart_failure"]}, "warn"),
        ({"weight_kg": 92}, "warn"),  # BMI 92 / 1.75² = 30.04 ≥ 30
        ({"weight_kg": 91}, "info"),  # BMI 29.7
    ],
)
def test_thrombosis_severity(kwargs: dict[str, Any], sev: str) -> None:
    kwargs = {"weight_kg": 70, **kwargs}
    assert severity(plan_with(**kwargs), "SAFE-THROMBOSIS") == sev


@pytest.mark.parametrize(
    ("egfr", "sev"), [(29.9, "block"), (30, "warn"), (59.9, "warn"), (60, None), (92, None)]
)
def test_egfr_thresholds(egfr: float, sev: str | None) -> None:
    p = plan_with(labs={**BASE_LABS, "egfr_ml_min": egfr})
    assert severity(p, "SAFE-RENAL-EGFR") == sev


def test_maltose_without_insulin_is_info() -> None:
    assert severity(plan_with(product="octagam_10"), "SAFE-MALTOSE") == "info"
    p = _plan(
        {
            "product": "cutaquig",
            "regimen": "scig",
            "dose": 0.2,
            "conditions": ["point_of_care_glucose_testing"],
        }
    )
    assert severity(p, "SAFE-MALTOSE") == "warn"


def test_iga_deficiency_names_the_lowest_iga_products() -> None:
    (f,) = findings(
        plan_with(conditions=["iga_deficiency"], product="intratect_10"), "SAFE-IGA-DEFICIENCY"
    )
    assert "Gammagard S/D max 2 [unverified]" in f.text
    assert "Privigen max 25" in f.text
    assert "Intratect 100 g/L IgA max 1800 µg/mL" in f.text
    assert "anti-IgA not recorded: test anti-IgA antibodies" in f.text


def test_anti_iga_allows_only_the_lowest_iga_product() -> None:
    labs = {**BASE_LABS, "anti_iga": True}
    blocked = plan_with(labs=labs, product="privigen")
    assert (blocked.status, severity(blocked, "SAFE-IGA-ANTIBODIES")) == ("blocked", "block")
    # Gammagard S/D (IgA < about 2 µg/mL, the lowest on file) stays plannable with a warn;
    # its packs are not on file, so the exact dose is planned (rounding none)
    ok = run(make_case(labs=labs), product="gammagard_sd", regimen="ivig-induction")
    assert (ok.status, severity(ok, "SAFE-IGA-ANTIBODIES")) == ("ok", "warn")
    # 2 g/kg × 82.28 = 164.56 g over 5 days, 5 % assumed [unverified] = 20 mL/g
    assert [s.dose_g for s in ok.regimen.sessions] == [32.92, 32.91, 32.91, 32.91, 32.91]
    assert ok.regimen.sessions[0].volume_ml == 658.4
    assert any("no initial or maximum rate on file for gammagard_sd" in w for w in ok.warnings)


def test_haemolysis_gives_the_day_5_to_10_window() -> None:
    p = plan_with(regimen="ivig-induction")
    (f,) = findings(p, "SAFE-HAEMOLYSIS")
    # last session 2026-12-05 → day 5-10 = 2026-12-10 to 2026-12-15
    assert "2026-12-10 to 2026-12-15" in f.text
    assert "first exposure" in f.text
    # maintenance 1 g/kg is below 2 g/kg per course
    assert severity(plan_with(), "SAFE-HAEMOLYSIS") is None


def test_aseptic_meningitis_prior_episode() -> None:
    p = plan_with(regimen="ivig-induction", conditions=["prior_aseptic_meningitis"])
    (f,) = findings(p, "SAFE-ASEPTIC-MENINGITIS")
    assert "prior aseptic meningitis" in f.text


def test_volume_rule_reports_volume_and_sodium() -> None:
    p = plan_with(product="octagam_10", conditions=["fluid_restriction"])
    (f,) = findings(p, "SAFE-VOLUME")
    # 82 g of Octagam 10 % = 820 mL; 69 mg Na / 100 mL → 566 mg
    assert "up to 820 mL per session" in f.text
    assert "sodium up to 566 mg" in f.text


@pytest.mark.parametrize(("dose", "months"), [(0.4, 8), (1.0, 10), (2.0, 11)])
def test_live_vaccine_intervals(dose: float, months: int) -> None:
    regimen = "ivig-induction" if dose == 2.0 else "ivig-maintenance"
    p = run(make_case(), product="privigen", regimen=regimen, dose_g_per_kg=dose)
    (f,) = findings(p, "SAFE-LIVE-VACCINES")
    assert f"defer them {months} months" in f.text


# ----------------------------------------------------------------- block and override


def test_block_stops_the_plan() -> None:
    p = plan_with(labs={**BASE_LABS, "egfr_ml_min": 25})
    assert p.status == "blocked"
    assert p.blocked_by == ("SAFE-RENAL-EGFR",)
    assert p.regimen.sessions == () and p.regimen.schedule == ()
    assert p.regimen.total_dispensed_g is None
    assert p.cost is None
    # the computed dose is still shown
    assert p.regimen.total_computed_g == 82.28


def test_override_is_recorded_and_the_plan_goes_ahead() -> None:
    reason = "on haemodialysis; nephrology agrees"
    p = run(
        make_case(labs={**BASE_LABS, "egfr_ml_min": 25}),
        product="privigen",
        regimen="ivig-maintenance",
        overrides=(Override("SAFE-RENAL-EGFR", reason),),
    )
    assert p.status == "ok"
    (f,) = findings(p, "SAFE-RENAL-EGFR")
    assert f.severity == "block"
    assert f.overridden_by is not None and f.overridden_by.reason == reason
    assert p.overrides == (Override("SAFE-RENAL-EGFR", reason),)
    assert p.regimen.sessions


def test_two_blocks_need_two_overrides() -> None:
    case = make_case(labs={**BASE_LABS, "egfr_ml_min": 20}, conditions=["hyperprolinaemia"])
    p = run(
        case,
        product="privigen",
        regimen="ivig-maintenance",
        overrides=(Override("SAFE-RENAL-EGFR", "dialysis"),),
    )
    assert p.status == "blocked"
    assert p.blocked_by == ("SAFE-PROLINE",)


def test_override_that_matches_nothing_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        run(
            make_case(),
            product="privigen",
            regimen="ivig-maintenance",
            overrides=(Override("SAFE-RENAL-EGFR", "just in case"),),
        )
    assert info.value.field == "overrides"
    assert "matches no block finding" in str(info.value)


def test_override_needs_a_reason() -> None:
    with pytest.raises(InputError, match="reason"):
        Override("SAFE-RENAL-EGFR", "  ")


def test_findings_are_sorted_block_warn_info() -> None:
    p = plan_with(labs={"egfr_ml_min": 25}, conditions=["diabetes"])
    order = [f.severity for f in p.safety]
    assert order == sorted(order, key=["block", "warn", "info"].index)
