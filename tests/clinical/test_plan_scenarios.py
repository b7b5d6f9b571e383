"""Plan scenarios as a neurologist and a pharmacist would reason them (issue 9, T14-T23).

Each scenario starts from an example case (``examples/``), changes what the scenario is
about (diagnosis × regimen × history × risk factors × product), runs the public planner
with the case's own assessment (as ``neuroig plan`` does) and checks the status, the
block/warn ids, the doses and rate caps, and the source line that decides it. Every rule
is shown triggered and not triggered. A few run through the CLI.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from tests.conftest import example_data
from typer.testing import CliRunner

from neuroig.assess import evaluate
from neuroig.case import Case, case_from_data
from neuroig.cli.app import app
from neuroig.cli.plan_cmd import diagnosis_of
from neuroig.diagnosis import DiagnosisContext, SetSummary
from neuroig.record import replace
from neuroig.therapy.export import plan_to_ics
from neuroig.therapy.model import Finding, Plan
from neuroig.therapy.options import Override, PlanOptions
from neuroig.therapy.plan import plan

START = date(2026, 12, 1)
runner = CliRunner()


def case_of(name: str, **changes: Any) -> Case:
    """An example case with top-level sections changed (``patient``/``labs`` merged)."""
    data = example_data(name)
    for key, value in changes.items():
        if key in ("patient", "labs") and isinstance(value, dict):
            data[key] = {**data.get(key, {}), **value}
        elif key == "conditions":
            data.setdefault("history", {})["conditions"] = value
        else:
            data[key] = value
    return case_from_data(data)


def run(case: Case, *, diagnosis: DiagnosisContext | None = None, **kw: Any) -> Plan:
    """The planner with the case's own assessment (the CLI's path)."""
    kw.setdefault("start", START)
    dx = diagnosis if diagnosis is not None else diagnosis_of(evaluate(case))
    return plan(case, PlanOptions(**kw), diagnosis=dx)


def finding(p: Plan, fid: str) -> Finding | None:
    return next((f for f in p.safety if f.id == fid), None)


def severity(p: Plan, fid: str) -> str | None:
    f = finding(p, fid)
    return None if f is None else f.severity


def steps(p: Plan, i: int = 0) -> list[float]:
    return [s.ml_per_h for s in p.regimen.sessions[i].rate_steps]


def doses(p: Plan) -> list[float | None]:
    return [s.dose_g for s in p.regimen.sessions]


# ============================================================ T14 diagnosis gates


def test_01_typical_cidp_ivig_is_allowed_with_second_line_advice() -> None:
    # CIDP (EAN/PNS 2021) met: IVIg is the standard; no diagnosis gate
    p = run(case_of("cidp-typical"), product="privigen")
    assert p.status == "ok"
    assert not [f for f in p.safety if f.id.startswith("GATE-")]
    ids = {a.id for a in p.advice}
    assert {"ADVICE-SECOND-LINE-AZATHIOPRINE", "ADVICE-SECOND-LINE-RITUXIMAB"} <= ids


def test_02_als_with_umn_signs_blocks_ivig_and_prednisone() -> None:
    case = case_of("mnd-mimic")
    for regimen in ("ivig-induction", "prednisone"):
        p = run(case, regimen=regimen, product="privigen" if regimen != "prednisone" else None)
        f = finding(p, "GATE-DX-MND")
        assert (p.status, p.blocked_by) == ("blocked", ("GATE-DX-MND",))
        assert f is not None and f.applies_to == "regimen"
        assert "LMN-FLAG-UMN" in f.text and "EFNS/PNS MMN guideline 2010" in f.source
        # a blocked plan shows no usable schedule, taper or cost
        assert (p.regimen.sessions, p.regimen.phases, p.cost) == ((), (), None)
    # no second-line "options" for a disease that is not CIDP or MMN
    assert not [a for a in p.advice if a.id.startswith("ADVICE-SECOND-LINE")]


def test_03_override_with_a_reason_lifts_the_gate_and_is_recorded() -> None:
    ov = Override("GATE-DX-MND", "MDT: MMN with atypical UMN signs, IVIg trial agreed")
    p = run(case_of("mnd-mimic"), product="privigen", overrides=(ov,))
    assert p.status == "ok" and ov in p.overrides
    f = finding(p, "GATE-DX-MND")
    assert f is not None and f.overridden_by == ov
    assert p.regimen.sessions


def test_04_spinal_bulbar_muscular_atrophy_flag_blocks_ig() -> None:
    # LMN-FLAG-SBMA (added by the criteria engineer) from a constructed assessment
    dx = DiagnosisContext(
        mmn_category="not_fulfilled",
        cidp_category="not_fulfilled",
        lmn_without_block=True,
        lmn_mmn_like_triad=False,
        flags=("LMN-FLAG-SBMA",),
        sets=(
            SetSummary("mmn_efns_pns_2010", "not_fulfilled"),
            SetSummary("cidp_ean_pns_2021", "not_fulfilled"),
        ),
    )
    p = run(case_of("lmn-no-block"), diagnosis=dx, product="privigen")
    assert p.blocked_by == ("GATE-DX-SBMA",)
    f = finding(p, "GATE-DX-SBMA")
    assert f is not None and "spinal-bulbar muscular atrophy" in f.text


def test_05_cmt1a_hereditary_neuropathy_blocks_ig() -> None:
    case = case_of("cidp-typical", conditions=["family_history_neuropathy", "pes_cavus"])
    p = run(case, product="privigen")
    assert p.status == "blocked" and "GATE-DX-HEREDITARY" in p.blocked_by
    f = finding(p, "GATE-DX-HEREDITARY")
    assert f is not None and "CIDP-EXCL-HERED" in f.text and "EAN/PNS" in f.source


def test_06_red_flag_alone_warns_when_cidp_is_met_but_blocks_when_nothing_is() -> None:
    met = DiagnosisContext(
        mmn_category="not_fulfilled",
        cidp_category="cidp",
        cidp_phenotype="typical",
        flags=("RF-CMT",),
        sets=(SetSummary("cidp_ean_pns_2021", "cidp"),),
    )
    p = run(case_of("cidp-typical"), diagnosis=met, product="privigen")
    assert (p.status, severity(p, "GATE-DX-HEREDITARY")) == ("ok", "warn")
    none = DiagnosisContext(
        mmn_category="not_fulfilled",
        cidp_category="not_fulfilled",
        flags=("RF-CMT",),
        sets=(SetSummary("cidp_ean_pns_2021", "not_fulfilled"),),
    )
    q = run(case_of("cidp-typical"), diagnosis=none, product="privigen")
    assert (q.status, severity(q, "GATE-DX-HEREDITARY")) == ("blocked", "block")


def test_07_anti_mag_neuropathy_blocks_ivig_and_rituximab_is_not_offered_as_cidp_second_line() -> (
    None
):
    p = run(case_of("anti-mag-distal"), product="privigen")
    assert p.blocked_by == ("GATE-DX-ANTI-MAG",)
    assert not [a for a in p.advice if a.id.startswith("ADVICE-SECOND-LINE")]


def test_08_poems_after_failed_ivig_and_prednisone_blocks_both() -> None:
    # POEMS: lambda paraprotein with raised VEGF; 6 months of IVIg and prednisone failed
    case = case_of(
        "cidp-typical",
        labs={
            "paraprotein": {"present": True, "isotype": "igg", "light_chain": "lambda"},
            "vegf_elevated": True,
        },
        treatments=[
            {
                "therapy": "ivig",
                "start": "2026-01-05",
                "end": "2026-07-06",
                "regimen": {"dose_g_per_kg": 2.0, "days": 5},
                "response": "worsened",
                "objective": True,
                "stopped_because": "ineffective",
            },
            {
                "therapy": "prednisone",
                "start": "2026-01-05",
                "end": "2026-07-06",
                "response": "worsened",
                "stopped_because": "ineffective",
            },
        ],
    )
    p = run(case, product="privigen")
    assert set(p.blocked_by) == {"GATE-DX-POEMS", "GATE-HX-IG"}
    hx = finding(p, "GATE-HX-IG")
    assert hx is not None and "treatments[0] ivig 2026-01-05 to 2026-07-06" in hx.text
    q = run(case, regimen="prednisone")
    assert set(q.blocked_by) == {"GATE-DX-POEMS", "GATE-HX-STEROIDS"}


def test_09_autoimmune_nodopathy_blocks_ivig_with_the_poor_response_note() -> None:
    case = case_of("cidp-typical", labs={"nodal_paranodal_antibodies": "positive"})
    p = run(case, product="privigen")
    f = finding(p, "GATE-DX-NODOPATHY")
    assert p.status == "blocked" and f is not None
    assert "poor response to IVIg" in f.text


def test_10_possible_mmn_is_a_warn_naming_what_is_unconfirmed() -> None:
    p = run(case_of("mmn-no-block"), product="privigen")
    f = finding(p, "GATE-DX-UNCONFIRMED")
    assert p.status == "ok" and f is not None and f.severity == "warn"
    assert "mmn_efns_pns_2010 possible" in f.text
    # definite MMN: no such warn
    assert finding(run(case_of("mmn-definite"), product="privigen"), "GATE-DX-UNCONFIRMED") is None


def test_11_lmn_without_the_triad_blocks_ivig() -> None:
    dx = DiagnosisContext(
        mmn_category="not_fulfilled",
        cidp_category="not_fulfilled",
        lmn_without_block=True,
        lmn_mmn_like_triad=False,
        sets=(SetSummary("mmn_efns_pns_2010", "not_fulfilled"),),
    )
    p = run(case_of("lmn-no-block"), diagnosis=dx, product="privigen")
    f = finding(p, "GATE-DX-NONE")
    assert p.blocked_by == ("GATE-DX-NONE",)
    assert f is not None and "not suggested" in f.text and "Simon" in f.source


def test_12_lmn_with_the_triad_allows_the_ivig_trial() -> None:
    dx = DiagnosisContext(
        mmn_category="not_fulfilled",
        cidp_category="not_fulfilled",
        lmn_without_block=True,
        lmn_mmn_like_triad=True,
        sets=(SetSummary("mmn_efns_pns_2010", "not_fulfilled"),),
    )
    p = run(case_of("lmn-no-block"), diagnosis=dx, product="privigen")
    assert p.status == "ok" and finding(p, "GATE-DX-NONE") is None
    trial = next(a for a in p.advice if a.id == "ADVICE-LMN-IVIG-TRIAL")
    assert trial.status == "suggested"
    # ... but not prednisone, which the trial does not cover
    q = run(case_of("lmn-no-block"), diagnosis=dx, regimen="prednisone")
    assert q.blocked_by == ("GATE-DX-NONE",)


# ============================================================ T15 MMN


def test_13_prednisone_and_plasma_exchange_in_definite_mmn_are_blocks() -> None:
    case = case_of("mmn-definite")
    p = run(case, regimen="prednisone")
    assert p.blocked_by == ("GATE-MMN-STEROIDS",)
    f = finding(p, "GATE-MMN-STEROIDS")
    assert f is not None and "EFNS/PNS MMN guideline 2010" in f.source
    # the taper is not printed as if it were usable
    assert p.regimen.phases == ()
    assert run(case, regimen="plasma-exchange").blocked_by == ("GATE-MMN-PLEX",)


def test_14_mmn_with_a_cidp_set_met_does_not_block_prednisone() -> None:
    dx = DiagnosisContext(
        mmn_category="probable",
        cidp_category="cidp",
        cidp_phenotype="multifocal",
        sets=(
            SetSummary("mmn_efns_pns_2010", "probable"),
            SetSummary("cidp_ean_pns_2021", "cidp"),
        ),
    )
    p = run(case_of("cidp-multifocal"), diagnosis=dx, regimen="prednisone")
    assert p.status == "ok" and finding(p, "GATE-MMN-STEROIDS") is None


# ============================================================ T16 history gates


def test_15_prednisone_worse_on_prednisone_is_blocked_naming_the_course() -> None:
    treatments = [
        {
            "therapy": "prednisone",
            "start": "2026-03-02",
            "end": "2026-06-01",
            "regimen": {"mg_per_day": 60},
            "response": "worsened",
            "objective": True,
        }
    ]
    p = run(case_of("cidp-typical", treatments=treatments), regimen="prednisone")
    f = finding(p, "GATE-HX-STEROIDS")
    assert p.blocked_by == ("GATE-HX-STEROIDS",)
    assert f is not None
    assert "treatments[0] prednisone 2026-03-02 to 2026-06-01: recorded as worsened" in f.text
    # an improved course is no gate
    treatments[0]["response"] = "improved"
    assert run(case_of("cidp-typical", treatments=treatments), regimen="prednisone").status == "ok"


def test_16_failed_adequate_ivig_trial_answers_the_lmn_trial_question() -> None:
    # LMN syndrome with the triad; a 3-month IVIg trial (2 g/kg loading) stopped as ineffective
    case = case_of(
        "lmn-no-block",
        treatments=[
            {
                "therapy": "ivig",
                "start": "2026-05-04",
                "end": "2026-08-10",
                "regimen": {"dose_g_per_kg": 2.0, "days": 5},
                "stopped_because": "ineffective",
            }
        ],
    )
    p = run(case, product="privigen")
    # Both gates: the failed trial (T16) and, since the trial is no longer suggested and
    # no criteria set is met, conditional or reachable (AAEM 2003 is not evaluable, C17),
    # the diagnosis gate (T14).
    assert p.blocked_by == ("GATE-DX-NONE", "GATE-HX-IG")
    trial = next(a for a in p.advice if a.id == "ADVICE-LMN-IVIG-TRIAL")
    # 2026-05-04 to 2026-08-10 = 98 days ≥ 12 weeks: a trial done, not a suggestion
    assert trial.status == "trial_done"
    assert trial.text.startswith("IVIg trial done: no response (treatments[0] ivig")


def test_17_non_responder_example_is_blocked_with_the_m2_classification() -> None:
    p = run(case_of("cidp-ivig-non-responder"), product="gamunex_c")
    f = finding(p, "GATE-HX-IG")
    assert p.status == "blocked" and f is not None
    assert "stopped as ineffective" in f.text
    assert "classified non-responder after an adequate trial" in f.text


def test_18_ivig_stopped_for_an_adverse_event_blocks_ivig_not_scig() -> None:
    treatments = [
        {
            "therapy": "ivig",
            "start": "2026-01-05",
            "end": "2026-03-02",
            "regimen": {"dose_g_per_kg": 1.0, "interval_days": 21},
            "stopped_because": "adverse_event",
        }
    ]
    case = case_of("cidp-typical", treatments=treatments)
    assert run(case, product="privigen").blocked_by == ("GATE-HX-IG",)
    sc = run(case, regimen="scig", product="hizentra")
    assert sc.status == "ok" and finding(sc, "GATE-HX-IG") is None


# ============================================================ T17 maintenance


def test_19_maintenance_follows_the_recorded_regimen() -> None:
    case = case_of("mmn-declining-response")
    p = run(case, start=date(2023, 11, 26))
    r = p.regimen
    # the record: 90 g every 3 weeks (last cycles 2023-10-15, -11-05: median of the last
    # three intervals 22, 21, 21 = 21 days); not the 1 g/kg default (81 g on 81 kg)
    assert (r.total_computed_g, r.total_dispensed_g, r.interval_days) == (90.0, 90.0, 21)
    assert "recorded: 90 g per cycle" in r.dose_basis
    assert r.changes == ()
    q = run(case, start=date(2023, 11, 26), dose_g_per_kg=1.0, interval_days=28)
    # 1 g/kg × 81.00 kg = 81 g: (81 − 90) / 90 = −10 %; 28 vs 21 days = +33 %
    assert q.regimen.changes == (
        "dose per cycle: current 90 g → proposed 81 g (-10 %)",
        "interval: current 21 days → proposed 28 days (+33 %)",
    )


# ============================================================ T18 / T2 rates


def test_20_hypertension_caps_the_ramp_on_the_dosing_weight() -> None:
    # cidp-typical: 58 y, 178 cm, 88 kg, hypertension. IBW 73.18, dosing weight 79.11 kg.
    p = run(case_of("cidp-typical"), product="privigen")
    # start 0.005 × 79.11 × 60 = 23.73 → 23.7; cap 3.3 mg/kg/min = 0.033 × 79.11 × 60
    # = 156.6 mL/h (Privigen has no labelled at-risk maximum: site cap, T18)
    assert steps(p) == [23.7, 47.4, 94.8, 156.6]
    f = finding(p, "RATE-CAP-AT-RISK")
    assert f is not None and f.applies_to == "rates" and "hypertension" in f.text


def test_21_no_risk_factor_ramps_to_the_product_maximum() -> None:
    case = case_of("cidp-typical", conditions=[], patient={"age_years": 50})
    p = run(case, product="privigen")
    # max 0.08 × 79.11 × 60 = 379.7 mL/h; 23.7 doubling: 47.4, 94.8, 189.6, 379.2
    assert steps(p)[:5] == [23.7, 47.4, 94.8, 189.6, 379.2]
    assert finding(p, "RATE-CAP-AT-RISK") is None


def test_22_eighty_five_year_old_with_egfr_25_is_blocked_then_capped_when_overridden() -> None:
    case = case_of(
        "cidp-typical", conditions=[], patient={"age_years": 85}, labs={"egfr_ml_min": 25}
    )
    assert run(case, product="privigen").blocked_by == ("SAFE-RENAL-EGFR",)
    ov = Override("SAFE-RENAL-EGFR", "nephrology agreed, slow infusion")
    p = run(case, product="privigen", overrides=(ov,))
    # age > 65 and renal insufficiency → at-risk cap 156.6 mL/h on 79.11 kg, never 336-720
    assert max(max(steps(p, i)) for i in range(len(p.regimen.sessions))) == 156.6


def test_23_heart_failure_caps_rates_and_counts_volume() -> None:
    case = case_of("cidp-typical", conditions=["heart_failure"], patient={"age_years": 50})
    p = run(case, product="panzyga")
    # Panzyga's own at-risk maximum 3.3 mg/kg/min = 0.033 × 79.11 × 60 = 156.6 mL/h
    assert steps(p)[-1] == 156.6
    assert severity(p, "SAFE-VOLUME") == "warn"
    assert severity(p, "SAFE-THROMBOSIS") == "warn"


def test_24_bmi_49_rates_use_the_dosing_weight_and_the_cap() -> None:
    # 150 kg, 175 cm: BMI 49.0; IBW 70.46, dosing weight 70.46 + 0.4 × 79.54 = 102.28 kg
    case = case_of(
        "cidp-typical", conditions=[], patient={"weight_kg": 150, "height_cm": 175, "age_years": 50}
    )
    p = run(case, product="privigen")
    assert p.dosing_weight is not None and p.dosing_weight.kg == 102.28
    # cap 0.033 × 102.28 × 60 = 202.5 mL/h; on the actual weight that is 202.5 / 60 / 150
    # = 0.0225 mL/kg/min = 2.25 mg/kg/min (the plan gave 11.7 mg/kg/min)
    assert steps(p)[-1] == 202.5
    f = finding(p, "RATE-CAP-AT-RISK")
    assert f is not None and "obesity (BMI 49.0 ≥ 30)" in f.text


# ============================================================ T19 IgA


def test_25_anti_iga_blocks_an_iga_rich_product_and_gammagard_sd_is_plannable() -> None:
    case = case_of("cidp-typical", conditions=["iga_deficiency"], labs={"anti_iga": True})
    p = run(case, product="intratect_10")
    assert p.blocked_by == ("SAFE-IGA-ANTIBODIES",)
    f = finding(p, "SAFE-IGA-ANTIBODIES")
    assert f is not None and f.applies_to == "regimen" and "decision T19" in f.source
    sd = run(case, product="gammagard_sd")
    assert (sd.status, severity(sd, "SAFE-IGA-ANTIBODIES")) == ("ok", "warn")
    # no packs on file: exact dose 2 × 79.11 = 158.22 g over 5 days at 5 % (unverified)
    assert sd.regimen.total_dispensed_g == 158.22
    # IgA deficiency without an antibody result: warn, test anti-IgA
    q = run(case_of("cidp-typical", conditions=["iga_deficiency"]), product="privigen")
    assert severity(q, "SAFE-IGA-DEFICIENCY") == "warn"


# ============================================================ T20 SC limits


def test_26_hyqvia_first_use_plans_the_label_ramp_up() -> None:
    treatments = [
        {
            "therapy": "ivig",
            "start": "2026-01-05",
            "regimen": {"dose_g_per_kg": 1.0, "interval_days": 28},
        }
    ]
    case = case_of("cidp-typical", treatments=treatments)
    p = run(case, regimen="scig", product="hyqvia")
    r = p.regimen
    # full cycle (HyQvia keeps the 28-day IVIg interval): 1 g/kg × 79.11 = 79.11 g → 77.5 g
    # (2.5 g packs, not above the 79.11 g daily limit) = 775 mL on 2 sites
    assert (doses(p), r.sessions[0].sites, r.interval_days) == ([77.5], 2, 28)
    # ramp-up 25, 50, 75 % (19.375, 38.75, 58.125 g) in whole packs, closest, ties lower:
    # 20 (0.625 away), 37.5 (1.25 away, tie with 40), 57.5 (0.625 away); no wastage
    assert [s.dose_g for s in r.ramp_up] == [20.0, 37.5, 57.5]
    assert [s.wastage_g for s in r.ramp_up] == [0.0, 0.0, 0.0]
    # each ramp-up session is priced on its packs; the per-cycle cost is the full dose's
    assert p.cost is not None
    assert [s.cost for s in r.ramp_up] == [
        round(g * p.cost.price_per_g, 2) for g in (20.0, 37.5, 57.5)
    ]
    assert p.cost.per_course == round(77.5 * p.cost.price_per_g, 2)
    # weeks 1, 2 and 4, then the full dose in week 7 (label example)
    assert [s.date for s in r.ramp_up] == [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 22)]
    assert r.sessions[0].date == date(2027, 1, 12)
    assert r.schedule[0] == date(2027, 2, 9)  # + 28 days
    # a continuing HyQvia patient has no ramp-up
    continuing = case_of(
        "cidp-typical",
        treatments=treatments,
        infusions=[{"date": "2026-11-10", "route": "sc", "product": "hyqvia", "dose_g": 77.5}],
    )
    q = run(continuing, regimen="scig", product="hyqvia")
    assert (q.regimen.ramp_up, q.regimen.sessions[0].date) == ((), START)


def test_27_hizentra_first_infusion_is_split_to_keep_the_sites_fewest() -> None:
    case = case_of("cidp-typical", conditions=[])
    p = run(case, regimen="scig", product="hizentra", dose_g_per_kg=0.4)
    # 0.4 × 79.11 = 31.64 g → 32 g; first infusion ≤ 20 mL/site: one day would need
    # 160 / 20 = 8 sites; split over the label's 2 sessions: 16 g = 80 mL = 4 sites on the
    # first infusion, then 2 sites of 40 mL (≤ 50 mL/site after the first infusion)
    assert doses(p) == [16.0, 16.0]
    assert [s.sites for s in p.regimen.sessions] == [4, 2]


def test_28_sc_dose_that_fits_no_day_is_a_block_naming_the_limit() -> None:
    case = case_of("cidp-typical", conditions=[], patient={"weight_kg": 150})
    p = run(
        case, regimen="scig", product="cuvitru", dose_g_per_kg=0.4, days=1, weight_policy="actual"
    )
    f = finding(p, "SC-LABEL-LIMIT")
    assert p.blocked_by == ("SC-LABEL-LIMIT",) and f is not None
    assert "the label allows 4" in f.text
    ok = run(case, regimen="scig", product="cuvitru", dose_g_per_kg=0.4, weight_policy="actual")
    assert ok.status == "ok" and ok.regimen.days == 2


# ============================================================ T21 rounding


def test_29_authorised_maximum_binds_under_rounding_none() -> None:
    p = run(case_of("cidp-typical"), product="privigen", rounding="none", authorised_max_g=140)
    # computed 158.22 g, authorised 140 g: 28 g a day, never above the authorisation
    assert p.regimen.total_dispensed_g == 140.0
    assert doses(p) == [28.0] * 5


def test_30_nearest_5g_chooses_packs_per_session_to_minimise_waste() -> None:
    # 80 g over 5 days = 16 g a day; one 20 g vial each day would waste 20 g per course
    p = run(
        case_of("cidp-typical"),
        product="privigen",
        rounding="nearest-5g",
        dose_g_per_kg=1.0,
        authorised_max_g=80,
    )
    assert p.regimen.total_dispensed_g == 80.0  # 79.11 → 80 ≤ the authorised 80
    assert doses(p) == [15.0, 15.0, 15.0, 15.0, 20.0]
    assert p.regimen.total_wastage_g == 0.0


def test_31_ontario_scig_rounds_the_ivig_course_then_divides() -> None:
    treatments = [
        {
            "therapy": "ivig",
            "start": "2026-01-05",
            "regimen": {"dose_g_per_kg": 1.0, "interval_days": 21},
        }
    ]
    case = case_of("cidp-typical", treatments=treatments)
    p = run(case, regimen="scig", product="hizentra", rounding="nearest-5g")
    # IVIg 1 g/kg × 79.11 = 79.11 g per 21 days → 80 g; / 3 weeks = 26.67 g per week
    assert p.regimen.total_dispensed_g == 26.67


# ============================================================ T22 dosing weight


@pytest.mark.parametrize(
    ("weight", "height", "kg"),
    [
        # Ontario adjusted weight would be 71.7 kg for 60 kg at 185 cm: actual 60 instead
        (60, 185, 60.0),
        # 55 kg at 230 cm: Ontario would dose on 94 kg
        (55, 230, 55.0),
    ],
)
def test_32_no_dosing_weight_above_actual_weight(weight: float, height: float, kg: float) -> None:
    case = case_of(
        "cidp-typical", patient={"weight_kg": weight, "height_cm": height, "age_years": 50}
    )
    p = run(case, product="privigen", weight_policy="ontario-igum-5")
    assert p.dosing_weight is not None and p.dosing_weight.kg == kg
    assert "decision T22" in p.dosing_weight.reason


# ============================================================ T23 prednisone


def test_33_prednisone_review_before_taper_and_dose_per_kg_warn() -> None:
    case = case_of("cidp-typical", patient={"weight_kg": 55})
    p = run(case, regimen="prednisone")
    r = p.regimen
    # review 2027-03-01; the daily dose runs to it, the taper never starts before it
    assert r.review_date == date(2027, 3, 1)
    assert all(ph.start >= r.review_date for ph in r.phases[1:])
    # 60 mg on 55 kg = 1.09 mg/kg/day > 1 → warn next to the regimen line
    f = finding(p, "PRED-DOSE-PER-KG")
    assert f is not None and f.severity == "warn" and f.applies_to == "regimen"
    assert any(c.startswith("bone protection") for c in r.care)
    assert finding(run(case_of("cidp-typical"), regimen="prednisone"), "PRED-DOSE-PER-KG") is None


# ============================================================ through the CLI


def _invoke(*args: str, columns: int = 80) -> Any:
    return runner.invoke(app, ["plan", *args], env={"COLUMNS": str(columns)})


def _write(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_34_cli_blocked_plan_exits_2_with_the_override_syntax(tmp_path: Path) -> None:
    path = _write(tmp_path, example_data("mnd-mimic"))
    result = _invoke(path, "--product", "privigen", "--start", "2026-12-01")
    assert result.exit_code == 2
    assert "PLAN BLOCKED by GATE-DX-MND" in result.stdout
    assert "--override GATE-DX-MND=REASON" in result.stdout
    assert "Sessions" not in result.stdout
    doc = json.loads(
        _invoke(path, "--product", "privigen", "--start", "2026-12-01", "--json").stdout
    )
    assert (doc["status"], doc["blocked_by"], doc["regimen"]["sessions"]) == (
        "blocked",
        ["GATE-DX-MND"],
        [],
    )


@pytest.mark.parametrize("columns", [80, 160])
def test_35_cli_sessions_never_hide_grams_at_any_width(tmp_path: Path, columns: int) -> None:
    path = _write(tmp_path, example_data("cidp-typical"))
    result = _invoke(
        path,
        "--product",
        "privigen",
        "--start",
        "2026-12-01",
        "--rounding",
        "none",
        columns=columns,
    )
    assert result.exit_code == 0, result.stderr
    # 158.22 g over 5 days = 15822 cg / 5 = 3164 r 2: 2 × 31.65 + 3 × 31.64 g; every
    # session's grams and date appear whole (a table at 160 columns, stacked at 80)
    for day, grams in zip(range(1, 6), ["31.65", "31.65", "31.64", "31.64", "31.64"], strict=True):
        assert f"2026-12-0{day}" in result.stdout
        assert re.search(rf"(?<![\d.]){re.escape(grams)}(?![\d])", result.stdout)
    assert "…" not in result.stdout
    assert ("┃" in result.stdout) is (columns >= 120)


def test_36_cli_out_of_range_start_is_an_input_error_not_a_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path, example_data("cidp-typical"))
    result = _invoke(path, "--product", "privigen", "--start", "9999-12-28")
    assert result.exit_code == 2
    assert "start: got '9999-12-28'; must be between 1900-01-01 and 2199-12-31" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_37_cli_ics_has_no_control_characters_from_the_case(tmp_path: Path) -> None:
    # The case boundary refuses control characters in case_id (decision P15) ...
    data = example_data("cidp-typical")
    data["case_id"] = "evil\x1b]0;pwned\x07-case"
    ics = tmp_path / "plan.ics"
    args = ("--product", "privigen", "--start", "2026-12-01", "--ics", str(ics))
    refused = _invoke(_write(tmp_path, data), *args)
    assert refused.exit_code == 2 and "case_id" in refused.stderr
    assert not ics.exists()
    # ... and the calendar writer escapes whatever reaches it all the same.
    plain = run(case_of("cidp-typical"), product="privigen")
    stamp = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    raw = plan_to_ics(replace(plain, case_id="evil\x1b]0;pwned\x07-case"), stamp=stamp)
    assert b"\x1b" not in raw and b"\x07" not in raw
    events = list(Calendar.from_ical(raw).walk("VEVENT"))
    assert len(events) == 5
    assert all("pwned" in str(e.get("description")) for e in events)


def test_38_cli_help_shows_flags_and_examples() -> None:
    result = runner.invoke(app, ["plan", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "--override" in result.stdout and "--json" in result.stdout
    json_line = next(line for line in result.stdout.splitlines() if "--json" in line)
    assert "<bool>" not in json_line


def test_39_a_not_evaluable_set_is_never_read_as_a_met_diagnosis() -> None:
    # AAEM 2003 reads "not_evaluable" while its block table is unverified (C17); the
    # gate must treat that as "nothing confirmed", exactly like "not_fulfilled".
    dx = DiagnosisContext(
        mmn_category="not_fulfilled",
        cidp_category="not_fulfilled",
        lmn_without_block=True,
        lmn_mmn_like_triad=False,
        sets=(
            SetSummary("mmn_efns_pns_2010", "not_fulfilled"),
            SetSummary("mmn_aaem_2003", "not_evaluable"),
            SetSummary("cidp_ean_pns_2021", "not_fulfilled"),
        ),
    )
    assert dx.met_sets == () and dx.open_sets == ()
    p = run(case_of("lmn-no-block"), diagnosis=dx, product="privigen")
    assert p.blocked_by == ("GATE-DX-NONE",)
    # The real assessment of the LMN example has AAEM not evaluable too: it is not "met".
    real = diagnosis_of(evaluate(case_of("lmn-no-block")))
    aaem = next(s for s in real.sets if s.id == "mmn_aaem_2003")
    assert aaem.category == "not_evaluable" and not aaem.met


def test_40_distal_cidp_without_the_paraprotein_answer_warns_beside_the_plan() -> None:
    # Distal CIDP (the anti-MAG example) with the paraprotein and anti-MAG results removed:
    # EFNS/PNS 2010 still reads definite, but EAN/PNS 2021 is only conditional on the
    # IgM-anti-MAG exclusion (C19). T14: a conditional category is a warn naming it.
    data = example_data("anti-mag-distal")
    for key in ("paraprotein", "anti_mag"):
        data["labs"].pop(key)
    p = run(case_from_data(data), product="privigen")
    f = finding(p, "GATE-DX-UNCONFIRMED")
    assert p.status == "ok" and f is not None and f.severity == "warn"
    assert "EAN/PNS 2021 CIDP is only conditionally cidp" in f.text
    assert "cidp_efns_pns_2010 definite" in f.text
    # With the results recorded (negative), nothing is unconfirmed.
    data["labs"]["paraprotein"] = {"present": False}
    data["labs"]["anti_mag"] = "negative"
    q = run(case_from_data(data), product="privigen")
    assert finding(q, "GATE-DX-UNCONFIRMED") is None
