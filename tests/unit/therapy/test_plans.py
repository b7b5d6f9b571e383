"""Hand-computed plans: grams, volumes, packs, rates and durations (T2-T5, T9).

Unless said otherwise the patient is male, 175 cm, 100 kg, 50 y: dosing weight
(bloodstar-2026) = IBW 70.46 + 0.4 × (100 − 70.46) = 82.28 kg; rates use the actual
100 kg (T2). Rate steps: hold the start rate 30 min, then × 2 every 30 min (T9).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.unit.therapy.helpers import infusion, make_case, run

from neuroig.errors import DoseLimitError, InputError
from neuroig.therapy.model import Plan
from neuroig.therapy.options import Override
from neuroig.therapy.packs import PackCount


def doses(p: Plan) -> list[float | None]:
    return [s.dose_g for s in p.regimen.sessions]


def steps(p: Plan, i: int = 0) -> list[tuple[float, float]]:
    return [(r.after_min, r.ml_per_h) for r in p.regimen.sessions[i].rate_steps]


# ----------------------------------------------------------------- IVIg induction


def test_induction_privigen_vials_default() -> None:
    p = run(product="privigen")
    r = p.regimen
    # 2 g/kg × 82.28 kg = 164.56 g; authorised maximum = 2 g/kg = 164.56 g, so the closest
    # total of 5/10/20/40 g packs not above it is 160 g (165 is above).
    assert (r.dose_g_per_kg, r.days, r.total_computed_g, r.total_dispensed_g) == (
        2.0,
        5,
        164.56,
        160.0,
    )
    # 160 over 5 days: share 32 → 30 (|2| < |3|); 130/4 = 32.5 → tie → 30; 100/3 → 35;
    # 65/2 = 32.5 → tie → 30; last 35.
    assert doses(p) == [30.0, 30.0, 35.0, 30.0, 35.0]
    assert [s.volume_ml for s in r.sessions] == [300.0, 300.0, 350.0, 300.0, 350.0]
    assert r.sessions[2].packs == (PackCount(20.0, 1), PackCount(10.0, 1), PackCount(5.0, 1))
    assert r.total_wastage_g == 0.0
    assert [s.date for s in r.sessions] == [date(2026, 12, d) for d in range(1, 6)]
    # T2 (revised): rates on min(actual 100, dosing 82.28) = 82.28 kg. BMI 100 / 1.75² = 32.7
    # ≥ 30 is a thrombosis risk factor (T18) and Privigen has no labelled at-risk maximum,
    # so the ramp stops at the 3.3 mg/kg/min cap = 0.033 mL/kg/min × 82.28 × 60 = 162.9.
    # Start 0.005 × 82.28 × 60 = 24.68 → 24.6, doubling every 30 min: 49.2, 98.4, (196.8 →) 162.9
    assert steps(p) == [(0, 24.6), (30, 49.2), (60, 98.4), (90, 162.9)]
    # 300 mL: 12.3 + 24.6 + 49.2 = 86.1 mL by 90 min; 213.9 mL at 162.9 = 78.8 min → 169
    assert r.sessions[0].duration_min == 169
    # 350 mL: 263.9 mL at 162.9 mL/h = 97.2 min → 188
    assert r.sessions[2].duration_min == 188
    assert any(f.id == "RATE-CAP-AT-RISK" and "obesity" in f.text for f in p.safety)
    # cost: 160 g × £34 = £5,440 per course; induction has no per-year cost
    assert p.cost is not None
    assert (p.cost.per_course, p.cost.per_year, p.cost.currency) == (5440.0, None, "GBP")


def test_induction_nearest_5g_never_exceeds_the_course_limit() -> None:
    p = run(product="privigen", rounding="nearest-5g")
    r = p.regimen
    # 164.56 g → nearest 5 g = 165 g, above the 2 g/kg limit (164.56 g): T21 steps down to
    # 160 g (the output spec's 165 g example predates T21)
    assert (r.total_computed_g, r.total_dispensed_g) == (164.56, 160.0)
    # packs chosen per session to minimise wastage (T21): 160 splits into whole packs
    # 30, 30, 35, 30, 35 instead of 5 × 32 g from 35 g of packs each
    assert doses(p) == [30.0, 30.0, 35.0, 30.0, 35.0]
    assert r.sessions[0].packs == (PackCount(20.0, 1), PackCount(10.0, 1))
    assert (r.total_issued_g, r.total_wastage_g) == (160.0, 0.0)
    # cost on issued packs: 160 g × 34 = 5,440
    assert p.cost is not None and p.cost.per_course == 5440.0
    assert p.cost.grams_basis == "issued"


def test_induction_no_rounding_splits_to_the_centigram() -> None:
    p = run(product="privigen", rounding="none")
    # 16456 cg / 5 = 3291 r 1: the first day takes the extra centigram
    assert doses(p) == [32.92, 32.91, 32.91, 32.91, 32.91]
    assert p.regimen.total_dispensed_g == 164.56
    assert [s.volume_ml for s in p.regimen.sessions][:2] == [329.2, 329.1]
    # each day opens 35 g of packs: wastage 35 − 32.92 = 2.08 and 2.09 × 4 → 10.44 g
    assert p.regimen.sessions[0].wastage_g == 2.08
    assert p.regimen.total_wastage_g == 10.44


def test_induction_over_two_days() -> None:
    p = run(product="privigen", days=2)
    # 160 g in 2 days: 80 g = 2 × 40 g packs a day (1 g/kg/day cap 82.28 g)
    assert doses(p) == [80.0, 80.0]
    assert p.regimen.sessions[0].packs == (PackCount(40.0, 2),)
    assert p.regimen.per_day_g_per_kg == 1.0
    # 800 mL: 86.1 mL by 90 min, 713.9 mL at the at-risk 162.9 mL/h = 262.9 min → 353
    assert p.regimen.sessions[0].duration_min == 353


def test_induction_female_160_cm_90_kg_gamunex() -> None:
    case = make_case(sex="female", height_cm=160, weight_kg=90)
    p = run(case, product="gamunex_c")
    assert p.dosing_weight is not None and p.dosing_weight.kg == 67.43
    # 2 × 67.43 = 134.86 g; Gamunex packs work in 0.5 g: 134.5 g is the closest not above
    assert (p.regimen.total_computed_g, p.regimen.total_dispensed_g) == (134.86, 134.5)
    # 134.5 / 5: shares 26.9, 26.875, 26.83 → 27; 53.5 / 2 = 26.75 → tie → 26.5; last 27
    assert doses(p) == [27.0, 27.0, 27.0, 26.5, 27.0]
    # Rates on the dosing weight 67.43 kg (lower than 90, T2). BMI 90 / 1.6² = 35.2 → at-risk
    # cap 3.3 mg/kg/min = 0.033 × 67.43 × 60 = 133.5 mL/h (T18). Gamunex-C CIDP start
    # 2 mg/kg/min = 0.02 × 67.43 × 60 = 80.9 mL/h
    assert steps(p) == [(0, 80.9), (30, 133.5)]
    # 270 mL: 40.45 mL by 30 min; 229.55 mL at 133.5 = 103.2 min → 134
    assert p.regimen.sessions[0].duration_min == 134


def test_induction_short_female_uses_actual_weight() -> None:
    case = make_case(sex="female", height_cm=150, weight_kg=80)
    p = run(case, product="privigen")
    assert p.dosing_weight is not None and p.dosing_weight.kg == 80.0
    assert (p.regimen.total_computed_g, p.regimen.total_dispensed_g) == (160.0, 160.0)
    # BMI 80 / 1.5² = 35.6 → at-risk cap 0.033 × 80 × 60 = 158.4 mL/h;
    # 0.005 × 80 × 60 = 24 mL/h → 48 → 96 → (192 →) 158.4
    assert steps(p) == [(0, 24.0), (30, 48.0), (60, 96.0), (90, 158.4)]


@pytest.mark.parametrize(
    ("sex", "height", "weight", "grams"),
    [
        # nearest 5 g of the course, then 5 g lower while above 2 g/kg (T21):
        # 164.56 → 165 > 164.56 → 160; 134.86 → 135 > 134.86 → 130; 160 → 160
        ("male", 175, 100, 160.0),
        ("female", 160, 90, 130.0),
        ("female", 150, 80, 160.0),
    ],
)
def test_ontario_worked_examples_rounded_to_5_g(
    sex: str, height: float, weight: float, grams: float
) -> None:
    case = make_case(sex=sex, height_cm=height, weight_kg=weight)
    p = run(case, product="privigen", weight_policy="ontario-igum-5", rounding="nearest-5g")
    assert p.regimen.total_dispensed_g == grams


def test_authorised_maximum_caps_the_rounding() -> None:
    p = run(product="gamunex_c", authorised_max_g=150)
    # the authorisation (150 g) is below the computed 164.56 g
    assert p.regimen.total_dispensed_g == 150.0
    assert doses(p) == [30.0] * 5
    assert any("authorised maximum 150 g" in w for w in p.warnings)


# ----------------------------------------------------------------- IVIg maintenance


def test_maintenance_default_privigen() -> None:
    p = run(product="privigen", regimen="ivig-maintenance")
    r = p.regimen
    # 1 g/kg × 82.28 = 82.28 g; 1 g/kg/day cap 82.28 g → 80 g (2 × 40 g), one day
    assert (r.dose_g_per_kg, r.days, r.interval_days) == (1.0, 1, 21)
    assert doses(p) == [80.0]
    assert r.sessions[0].volume_ml == 800.0
    # 0.3333 g/kg/week
    assert r.weekly_g_per_kg == 0.3333
    # cycles every 21 days for 6 months (until 2027-06-01, exclusive)
    assert [d.isoformat() for d in r.schedule] == [
        "2026-12-22",
        "2027-01-12",
        "2027-02-02",
        "2027-02-23",
        "2027-03-16",
        "2027-04-06",
        "2027-04-27",
        "2027-05-18",
    ]
    # £34 × 80 = 2,720 per cycle; × 365.25 / 21 = 47,308.57 per year
    assert p.cost is not None and (p.cost.per_course, p.cost.per_year) == (2720.0, 47308.57)


def test_maintenance_gammagard_reproduces_the_research_cost_example() -> None:
    p = run(product="gammagard_liquid", regimen="ivig-maintenance")
    # 82.28 g in 0.5 g steps, not above 82.28 → 82 g (docs/methods/therapy.md: "82 g every 3
    # weeks ≈ 1,426 g/yr ≈ £48.5k at £34/g")
    assert doses(p) == [82.0]
    assert p.cost is not None
    # 82 × 34 = 2,788; 2,788 × 365.25 = 1,018,317; / 21 = 48,491.29
    assert (p.cost.per_course, p.cost.per_year) == (2788.0, 48491.29)
    # Gammagard: 0.5 mL/kg/h × 82.28 kg = 41.1 mL/h → 82.2 → at-risk cap (obesity) 162.9
    assert steps(p) == [(0, 41.1), (30, 82.2), (60, 162.9)]
    # 820 mL: 20.55 + 41.1 = 61.65 mL by 60 min; 758.35 at 162.9 = 279.3 min → 340
    assert p.regimen.sessions[0].duration_min == 340


def test_maintenance_low_dose_short_interval_rounds_up_within_limits() -> None:
    p = run(product="privigen", regimen="ivig-maintenance", dose_g_per_kg=0.4, interval_days=14)
    # 0.4 × 82.28 = 32.91 g → 35 g (2.09 away) rather than 30 g (2.91 away)
    assert (p.regimen.total_computed_g, doses(p)) == (32.91, [35.0])
    assert p.regimen.sessions[0].volume_ml == 350.0
    assert p.regimen.schedule[0] == date(2026, 12, 15)


def test_maintenance_2_g_per_kg_panzyga_respects_the_daily_cap() -> None:
    p = run(product="panzyga", regimen="ivig-maintenance", dose_g_per_kg=2.0)
    # default days = 2 (≤ 1 g/kg/day). 164.56 g → 164.5 g is closest, but its split
    # (82 + 82.5) puts 82.5 g above the 82.28 g daily cap; the next total, 164 g, splits 82 + 82.
    assert p.regimen.days == 2
    assert doses(p) == [82.0, 82.0]
    # Panzyga 1 mg/kg/min = 0.01 mL/kg/min × 82.28 × 60 = 49.3 mL/h, held 30 min; obese, so
    # the labelled at-risk maximum 3.3 mg/kg/min = 0.033 × 82.28 × 60 = 162.9 mL/h (T18)
    assert steps(p) == [(0, 49.3), (30, 98.6), (60, 162.9)]
    # 820 mL: 24.65 + 49.3 = 73.95 by 60 min; 746.05 at 162.9 = 274.8 min → 335
    assert p.regimen.sessions[0].duration_min == 335


def test_maintenance_nearest_5g_stays_within_the_daily_limit() -> None:
    case = make_case(height_cm=180, weight_kg=96, age_years=46)
    p = run(case, product="privigen", regimen="ivig-maintenance", rounding="nearest-5g")
    # IBW 74.99, adjusted 83.40 g; 83.40 → nearest 5 g = 85 g, above 1 g/kg on the one day
    # (83.40 g): T21 steps down to 80 g
    assert (p.regimen.total_computed_g, doses(p)) == (83.4, [80.0])
    # 80 g from 2 × 40 g packs, no wastage
    assert p.regimen.sessions[0].wastage_g == 0.0


def test_octagam_5_percent_volume_and_missing_rates() -> None:
    p = run(product="octagam_5")
    # 164.56 → 164.5 g (0.5 g steps); 5 % = 20 mL/g
    assert doses(p) == [33.0, 33.0, 33.0, 32.5, 33.0]
    assert [s.volume_ml for s in p.regimen.sessions] == [660.0, 660.0, 660.0, 650.0, 660.0]
    assert p.regimen.sessions[0].rate_steps == ()
    assert p.regimen.sessions[0].duration_min is None
    assert any("no initial or maximum rate on file for octagam_5" in w for w in p.warnings)


def test_intratect_has_no_rates_on_file() -> None:
    p = run(product="intratect_10", regimen="ivig-maintenance")
    assert doses(p) == [82.0]
    assert any("rate on file for intratect_10" in w and "SmPC" in w for w in p.warnings)


def test_octagam_10_rates() -> None:
    p = run(product="octagam_10", regimen="ivig-maintenance")
    # 0.01 mL/kg/min × 82.28 × 60 = 49.3; max 0.12 (unverified [R]) but obese: at-risk cap
    # 3.3 mg/kg/min = 0.033 × 82.28 × 60 = 162.9
    assert steps(p)[0] == (0, 49.3)
    assert steps(p)[-1][1] == 162.9
    assert any("unverified catalogue values used" in w for w in p.warnings)


def test_flebogamma_5_rates_on_the_lower_bound_of_the_label_range() -> None:
    p = run(product="flebogamma_dif_5", regimen="ivig-maintenance", dose_g_per_kg=0.4)
    # 0.01 mL/kg/min × 82.28 × 60 = 49.3 mL/h; at-risk cap 3.3 mg/kg/min at 5 % (50 mg/mL)
    # = 0.066 mL/kg/min × 82.28 × 60 = 325.8 mL/h (below the 0.1 mL/kg/min maximum)
    assert steps(p) == [(0, 49.3), (30, 98.6), (60, 197.2), (90, 325.8)]
    # 32.91 g in 0.5 g packs (0.5, 2.5 ...): 33 g → 660 mL at 5 %
    assert doses(p) == [33.0]
    assert p.regimen.sessions[0].volume_ml == 660.0


# ----------------------------------------------------------------- rates (T2)


def test_continuing_patient_starts_at_the_tolerated_rate() -> None:
    case = make_case(
        infusions=[
            infusion("2026-10-20", "privigen", rate_max_ml_h=400),
            infusion("2026-11-10", "privigen", rate_max_ml_h=400),
        ]
    )
    p = run(
        case,
        product="privigen",
        regimen="ivig-maintenance",
        weight_policy="actual",
        at_risk_rate_mg_kg_min=9.0,
    )
    # same product, 21 days since the last infusion, no adverse event: start at 400 mL/h,
    # one step later to the maximum 0.08 × 100 × 60 = 480 mL/h (a site cap of 9 mg/kg/min
    # is above Privigen's 8, so the product maximum binds)
    assert steps(p) == [(0, 400.0), (30, 480.0)]
    # recorded 80 g (T17) = 800 mL: 200 mL in 30 min, 600 mL at 480 = 75 min → 105
    assert p.regimen.sessions[0].duration_min == 105
    assert not any(f.id == "SAFE-RATE-START" for f in p.safety)


def test_continuing_patient_restarts_when_resume_is_off() -> None:
    case = make_case(infusions=[infusion("2026-11-10", "privigen", rate_max_ml_h=400)])
    p = run(case, product="privigen", regimen="ivig-maintenance", resume_tolerated_rate=False)
    assert steps(p)[0] == (0, 24.6)  # 0.005 × 82.28 × 60


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (infusion("2026-09-01", "privigen", rate_max_ml_h=400), "gap of 91 days"),
        (infusion("2026-11-10", "gamunex_c", rate_max_ml_h=400), "product switch"),
        (
            infusion(
                "2026-11-10",
                "privigen",
                rate_max_ml_h=400,
                adverse_events=[{"event": "headache", "severity": "mild"}],
            ),
            "adverse event",
        ),
    ],
)
def test_gap_switch_or_reaction_restart_at_the_initial_rate(
    record: dict[str, object], reason: str
) -> None:
    p = run(make_case(infusions=[record]), product="privigen", regimen="ivig-maintenance")
    assert steps(p)[0] == (0, 24.6)  # the initial rate 0.005 × 82.28 × 60
    assert reason in p.regimen.sessions[0].rate_basis
    assert any(f.id == "SAFE-RATE-START" and reason in f.text for f in p.safety)


def test_thrombosis_risk_caps_panzyga_at_the_at_risk_rate() -> None:
    p = run(make_case(conditions=["immobilisation"]), product="panzyga")
    # at-risk maximum 3.3 mg/kg/min = 0.033 mL/kg/min × 82.28 × 60 = 162.9 mL/h
    assert steps(p) == [(0, 49.3), (30, 98.6), (60, 162.9)]
    assert "at-risk maximum" in p.regimen.sessions[0].rate_basis


def test_custom_step_schedule() -> None:
    p = run(product="privigen", rate_schedule=_schedule(hold=60, step=15, factor=4))
    # 24.6 held 60 min, then × 4 every 15 min: 98.4, then (393.6 →) the at-risk cap 162.9
    assert steps(p) == [(0, 24.6), (60, 98.4), (75, 162.9)]


def _schedule(*, hold: float, step: float, factor: float) -> object:
    from neuroig.therapy.rates import RateSchedule

    return RateSchedule(hold_min=hold, step_min=step, factor=factor)


# ----------------------------------------------------------------- SCIg (T5)


def _ivig_course() -> list[dict[str, object]]:
    return [
        {
            "therapy": "ivig",
            "start": "2026-01-05",
            "regimen": {"dose_g_per_kg": 1.0, "interval_days": 21},
        }
    ]


def test_scig_one_to_one_from_ivig_hizentra_first_infusion() -> None:
    case = make_case(treatments=_ivig_course(), infusions=[infusion("2026-11-24", "privigen")])
    p = run(case, regimen="scig", product="hizentra")
    r = p.regimen
    # 1 g/kg every 21 days = 0.3333 g/kg/week (1:1, T5) × 82.28 = 27.43 g → 27 g (1 g packs)
    # No maximum number of sites on file for Hizentra: the label's 1-2 sessions a week are
    # used to keep the sites per session fewest (T20): 13 + 14 g over 2 days
    assert (r.weekly_g_per_kg, r.total_computed_g, doses(p)) == (0.3333, 27.43, [13.0, 14.0])
    assert r.interval_days == 7
    # 20 % → 65 mL; first Hizentra infusion (switch from IV): ≤ 20 mL/site at 20 mL/h/site
    # → 4 sites of 16.2 mL, 80 mL/h; 65 / 80 × 60 = 48.75 → 49 min
    s = r.sessions[0]
    assert (s.volume_ml, s.sites, s.site_volume_ml) == (65.0, 4, 16.2)
    assert steps(p) == [(0, 80.0)]
    assert s.duration_min == 49
    assert "1:1 from the IVIg course of 2026-01-05" in r.dose_basis


def test_scig_hizentra_established_weekly_0_4() -> None:
    case = make_case(infusions=[infusion("2026-11-24", "hizentra", route="sc")])
    p = run(case, regimen="scig", product="hizentra", dose_g_per_kg=0.4)
    # 0.4 × 82.28 = 32.91 g → 33 g; split over the label's 2 sessions (fewest sites, T20):
    # 16 + 17 g; 16 g = 80 mL; standard limits 50 mL/site → 2 sites of 40 mL at 50 mL/h/site
    # = 100 mL/h; 80 / 100 × 60 = 48 min
    s = p.regimen.sessions[0]
    assert (doses(p), s.volume_ml, s.sites, s.site_volume_ml) == ([16.0, 17.0], 80.0, 2, 40.0)
    assert steps(p) == [(0, 100.0)]
    assert s.duration_min == 48


def test_scig_cuvitru_initial_infusions() -> None:
    p = run(regimen="scig", product="cuvitru", dose_g_per_kg=0.4)
    # 33 g = 165 mL; ≤ 60 mL/site → 3 sites of 55 mL; first 2 infusions 10 mL/h/site → 30 mL/h
    s = p.regimen.sessions[0]
    assert (s.sites, s.site_volume_ml, steps(p)) == (3, 55.0, [(0, 30.0)])
    assert s.duration_min == 330


def test_scig_cuvitru_splits_over_two_days_when_four_sites_are_not_enough() -> None:
    case = make_case(weight_kg=150)
    p = run(case, regimen="scig", product="cuvitru", dose_g_per_kg=0.4, weight_policy="actual")
    # 0.4 × 150 = 60 g = 300 mL: 5 sites of ≤ 60 mL > 4 allowed → 2 days of 30 g (150 mL,
    # 3 sites each)
    assert p.regimen.days == 2
    assert doses(p) == [30.0, 30.0]
    assert [s.sites for s in p.regimen.sessions] == [3, 3]
    assert any("split over 2 SC day(s)" in n for n in p.notes)


def test_scig_fixed_days_that_do_not_fit_is_a_block_naming_the_limit() -> None:
    case = make_case(weight_kg=150)
    p = run(
        case,
        regimen="scig",
        product="cuvitru",
        dose_g_per_kg=0.4,
        weight_policy="actual",
        days=1,
    )
    # 60 g = 300 mL on one day needs 5 sites of ≤ 60 mL; Cuvitru allows 4 (T20)
    assert (p.status, p.blocked_by, p.regimen.sessions) == ("blocked", ("SC-LABEL-LIMIT",), ())
    block = next(f for f in p.safety if f.id == "SC-LABEL-LIMIT")
    assert "the label allows 4" in block.text and block.applies_to == "sessions"


def test_scig_hyqvia_same_dose_and_interval_as_the_ivig() -> None:
    p = run(make_case(treatments=_ivig_course()), regimen="scig", product="hyqvia")
    r = p.regimen
    # HyQvia keeps the IVIg interval (21 days): 1 g/kg per cycle = 82.28 g → 80 g (2.5 g
    # packs, not above the 82.28 g daily cap) = 800 mL → 2 sites of 400 mL (≤ 600 mL/site)
    assert (r.interval_days, doses(p)) == (21, [80.0])
    assert (r.sessions[0].sites, r.sessions[0].site_volume_ml) == (2, 400.0)
    # per-site ramp 10 → 240 mL/h [R] on 2 sites: 20, 40, 80, 160, 320, 480 mL/h
    assert [x[1] for x in steps(p)] == [20.0, 40.0, 80.0, 160.0, 320.0, 480.0]
    # 800 mL: 10 + 20 + 40 + 80 + 160 = 310 by 150 min; 490 at 480 = 61.25 → 212
    assert r.sessions[0].duration_min == 212
    assert any("dose ramp-up" in w for w in p.warnings)


def test_scig_xembify_and_cutaquig() -> None:
    x = run(regimen="scig", product="xembify", dose_g_per_kg=0.2)
    # 0.2 × 82.28 = 16.46 g → 16 g = 80 mL; ≤ 25 mL/site → 4 sites of 20 mL at 35 mL/h/site
    # = 140 mL/h → 34.3 → 35 min
    s = x.regimen.sessions[0]
    assert (s.dose_g, s.sites, s.site_volume_ml, s.duration_min) == (16.0, 4, 20.0, 35)
    c = run(regimen="scig", product="cutaquig", dose_g_per_kg=0.2)
    # Cutaquig 16.5 % packs work in 0.33 g: 16.5 g is closest to 16.46 g; 100 mL;
    # 4 sites of 25 mL; first infusion 15 mL/h/site but the pump starts ≤ 30 mL/h → 200 min
    s = c.regimen.sessions[0]
    assert (s.dose_g, s.volume_ml, s.sites) == (16.5, 100.0, 4)
    assert steps(c) == [(0, 30.0)]
    assert s.duration_min == 200
    assert sum(pk.grams * pk.count for pk in s.packs or ()) == pytest.approx(16.5)


def test_scig_without_dose_or_ivig_course_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        run(regimen="scig", product="hizentra")
    assert info.value.field == "dose_g_per_kg"


def test_scig_above_label_maximum_warns() -> None:
    p = run(regimen="scig", product="hizentra", dose_g_per_kg=0.5)
    assert any("above the Hizentra label maximum of 0.4 g/kg/week" in w for w in p.warnings)


# ----------------------------------------------------------------- limits (T4)


def test_course_above_2_g_per_kg_needs_an_override() -> None:
    with pytest.raises(DoseLimitError) as info:
        run(product="privigen", dose_g_per_kg=2.5)
    assert info.value.field == "dose_g_per_kg"
    p = run(
        product="privigen",
        dose_g_per_kg=2.5,
        overrides=(Override("DOSE-COURSE-MAX", "relapse on 2 g/kg, neurologist decision"),),
    )
    # 2.5 × 82.28 = 205.7 g; with the override the authorised maximum is the prescribed dose:
    # 205 g of packs, 41 g a day (≤ 1 g/kg/day)
    assert p.regimen.total_dispensed_g == 205.0
    assert [o.id for o in p.overrides] == ["DOSE-COURSE-MAX"]
    assert any("DOSE-COURSE-MAX overridden" in w for w in p.warnings)


def test_day_above_1_g_per_kg_needs_an_override() -> None:
    with pytest.raises(DoseLimitError) as info:
        run(product="privigen", regimen="ivig-maintenance", dose_g_per_kg=2.0, days=1)
    assert info.value.field == "days"
    p = run(
        product="privigen",
        regimen="ivig-maintenance",
        dose_g_per_kg=2.0,
        days=1,
        overrides=(Override("DOSE-DAY-MAX", "single-day infusion tolerated before"),),
    )
    assert doses(p) == [160.0]


def test_gamunex_sc_has_a_site_rate_but_no_site_volume() -> None:
    p = run(regimen="scig", product="gamunex_c", dose_g_per_kg=0.2)
    # 0.2 × 82.28 = 16.46 g → 16.5 g (0.5 g steps) = 165 mL at 10 %; sites not computable
    s = p.regimen.sessions[0]
    assert (s.dose_g, s.volume_ml, s.sites, s.duration_min) == (16.5, 165.0, None, None)
    assert any("no volume per infusion site on file for gamunex_c" in w for w in p.warnings)


def test_gammagard_sc_limits_are_for_40_kg_and_above() -> None:
    case = make_case(weight_kg=38, height_cm=150)
    p = run(case, regimen="scig", product="gammagard_liquid", dose_g_per_kg=0.2)
    # 0.2 × 38 = 7.6 g → 7.5 g = 75 mL; ≤ 30 mL/site → 3 sites of 25 mL at 20 mL/h/site
    # = 60 mL/h → 75 min
    s = p.regimen.sessions[0]
    assert (s.dose_g, s.sites, s.site_volume_ml, s.duration_min) == (7.5, 3, 25.0, 75)
    assert any("limits on file are for patients ≥ 40 kg" in w for w in p.warnings)


# ----------------------------------------------------------------- maintenance record (T17)


def test_maintenance_from_a_split_cycle_record() -> None:
    # cycles of 2 × 45 g on consecutive days, every 28, 28 and 21 days: the current dose is
    # 90 g over 2 days, the interval the median of 28, 28, 21 = 28 days
    days = ["2026-08-04", "2026-09-01", "2026-09-29", "2026-10-20"]
    record = [
        infusion(d, "privigen", dose_g=45) for start in days for d in (start, _next_day(start))
    ]
    p = run(make_case(infusions=record), product="privigen", regimen="ivig-maintenance")
    r = p.regimen
    assert (r.total_computed_g, r.days, r.interval_days) == (90.0, 2, 28)
    assert doses(p) == [45.0, 45.0]
    assert "median of the last intervals 28, 28, 21 days" in r.dose_basis


def test_a_single_recorded_cycle_is_not_a_maintenance_regimen() -> None:
    # one 5-day loading course only: the 1 g/kg every 21 days default applies, with a note
    record = [infusion(f"2026-11-0{d}", "privigen", dose_g=33) for d in range(2, 7)]
    p = run(make_case(infusions=record), product="privigen", regimen="ivig-maintenance")
    assert (p.regimen.total_computed_g, p.regimen.interval_days) == (82.28, 21)
    assert any("a single recorded cycle" in n for n in p.notes)


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
