"""Review scenarios as a neurologist reasons them, built by mutating the longitudinal examples.

Each scenario states the clinical question, the expected conclusion and the rule (decision
id in docs/decisions.md, and its published source) that decides it. Every rule appears
at least once triggered and once not triggered.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from tests.conftest import example_data

from neuroig import parse_case
from neuroig.monitoring.review import Review, review
from neuroig.reference import PriceTable

Data = dict[str, Any]


def run(data: Data, **kw: Any) -> Review:
    return review(parse_case(json.dumps(data)), **kw)


def ids(rv: Review) -> list[str]:
    return [s.id for s in rv.suggestions]


def only(rv: Review) -> Any:
    (course,) = rv.courses
    return course


def statuses(course: Any) -> dict[str, str]:
    return {c.measure: c.status for c in course.changes}


# ------------------------------------------------------------------ response (M2, M7)


def test_s01_responder_on_ivig_is_a_responder() -> None:
    """CIDP on IVIg 2 g/kg then 65 g every 3 weeks; INCAT 5→2, grip L 42→63 kPa.

    Rule M2/M7 (EAN/PNS 2021: objective improvement by an MCID): responder. Not triggered:
    no relapse (the course is ongoing), no non-responder advice.
    """
    rv = run(example_data("cidp-ivig-responder"))
    c = only(rv)
    assert (c.response, c.computed, c.ig_dependent, c.stopped) == (
        "responder",
        "responder",
        False,
        False,
    )
    assert "REVIEW-NON-RESPONDER" not in ids(rv)
    assert "REVIEW-RESTART" not in ids(rv)


def test_s02_no_gain_after_an_adequate_trial_is_a_non_responder() -> None:
    """IVIg 2 g/kg + 4 maintenance doses (12 weeks), nothing improved by its MCID.

    Rule M2 (non-response only after ≥ 12 weeks; EAN/PNS 2021 allows 2-5 further doses):
    non-responder; the review advises against continuing without objective benefit.
    Judged on treatment up to 2024-04-29 + 21 days = 2024-05-20 (M7): the 2024-05-20
    visit is on treatment and ≥ 12 weeks after the first dose (2024-02-05 + 84 d =
    2024-04-29).
    """
    rv = run(example_data("cidp-ivig-non-responder"))
    c = only(rv)
    assert c.response == "non_responder"
    assert c.on_treatment_to == date(2024, 5, 20)
    assert c.follow_up_date == date(2024, 5, 20)
    assert "REVIEW-NON-RESPONDER" in ids(rv)


def test_s03_no_gain_before_12_weeks_is_not_yet_non_response() -> None:
    """The same trial reviewed on 2024-03-20, 6 weeks after the first dose.

    Rule M2 not triggered: the latest comparison (2024-03-18) is earlier than 12 weeks
    after the first dose, so the course is indeterminate, not a non-responder.
    """
    rv = run(example_data("cidp-ivig-non-responder"), as_of=date(2024, 3, 20))
    c = only(rv)
    assert c.response == "indeterminate"
    assert "REVIEW-NON-RESPONDER" not in ids(rv)


def _withdrawal(after: Data) -> Data:
    """The patient of the issue: better on IVIg, IVIg stopped 2026-01-19, then a visit."""
    data = example_data("cidp-ivig-responder")
    data["treatments"][0]["end"] = "2026-01-19"
    data["treatments"][0]["stopped_because"] = "patient_choice"
    data["infusions"] = [i for i in data["infusions"] if i["date"] <= "2026-01-19"]

    def visit(when: str, incat_leg: int, irods: int, left: int, right: int) -> Data:
        return {
            "date": when,
            "incat": {"arm": 0, "leg": incat_leg},
            "irods": {"centile": irods},
            "grip": {"left": left, "right": right, "unit": "kpa", "device": "vigorimeter"},
        }

    data["assessments"] = [
        visit("2025-10-06", 2, 40, 42, 47),  # baseline, before the first dose
        visit("2026-01-12", 1, 50, 52, 57),  # on treatment: INCAT −1, I-RODS +10, grip +10
        visit("2026-04-13", *after["values"]),  # 12 weeks after the last dose
    ]
    return data


def test_s04_relapse_after_withdrawal_is_ig_dependence_not_non_response() -> None:
    """Improved on IVIg (INCAT 2→1, I-RODS 40→50, grip L 42→52 kPa), IVIg stopped, then
    INCAT 2, I-RODS 41, grip 43/47 at 2026-04-13.

    Rule M7 (EAN/PNS 2021: relapse after withdrawal → restart): on treatment = up to the
    last dose 2026-01-19 + 21 days = 2026-02-09; the best on-treatment reading improved by
    ≥ the MCID and the off-treatment reading is worse than it by ≥ the MCID (INCAT 1→2,
    MCID 1; grip L 52→43 = −9, MCID 8) → responder, immunoglobulin-dependent, restart.
    Judged against the latest reading instead (the old rule) this patient was called a
    non-responder and advised against Ig.
    """
    rv = run(_withdrawal({"values": (2, 41, 43, 47)}))
    c = only(rv)
    assert c.stopped and c.on_treatment_to == date(2026, 2, 9)
    assert (c.response, c.ig_dependent) == ("responder", True)
    assert statuses(c) == {
        "incat_adjusted": "improved",
        "irods_centile": "improved",
        "grip_kpa_left": "improved",
        "grip_kpa_right": "improved",
    }
    relapse = {x.measure: (x.baseline, x.latest) for x in c.relapse}
    assert relapse == {
        "incat_adjusted": (1, 2),
        "irods_centile": (50, 41),
        "grip_kpa_left": (52, 43),
        "grip_kpa_right": (57, 47),
    }
    assert "REVIEW-RESTART" in ids(rv)
    assert "REVIEW-NON-RESPONDER" not in ids(rv)
    assert "immunoglobulin-dependent" in rv.summary[0]


def test_s05_stopped_and_still_well_is_not_relapse() -> None:
    """The same patient stays at the on-treatment values after the stop (remission).

    Rule M7 not triggered: no off-treatment reading is worse than the best by an MCID →
    responder, not Ig-dependent, no restart suggested.
    """
    rv = run(_withdrawal({"values": (1, 49, 50, 56)}))
    c = only(rv)
    assert (c.response, c.ig_dependent, c.relapse) == ("responder", False, ())
    assert "REVIEW-RESTART" not in ids(rv)


def test_s06_worse_after_a_trial_that_never_helped_is_not_relapse() -> None:
    """The non-responder gets worse after IVIg was stopped (MRC sum 56→50 at 2024-08-19).

    Rule M7 not triggered: relapse after withdrawal needs an on-treatment improvement by
    an MCID first; without it the course stays a non-responder.
    """
    data = example_data("cidp-ivig-non-responder")
    data["assessments"][-1]["mrc_sum_score"]["score"] = 50
    c = only(run(data))
    assert (c.response, c.ig_dependent, c.relapse) == ("non_responder", False, ())


# ------------------------------------------------------------------ decline from best (M8)


def test_s07_grip_below_its_best_on_treatment_is_reported() -> None:
    """MMN on IVIg for 10 years: grip L 28 → best 50 kPa (2014-06-09) → 37 (2023-11-13).

    Rule M8: a fall from the best on-treatment reading by ≥ the MCID is reported even
    though the comparison with baseline is improved (28→50, +22): 50 − 37 = 13 ≥ 8.
    Before M8 the review said "none worsened" here.
    """
    rv = run(example_data("mmn-declining-response"))
    c = only(rv)
    assert c.response == "responder"
    assert [(x.measure, x.baseline, x.latest, x.delta) for x in c.declines] == [
        ("grip_kpa_left", 50, 37, -13)
    ]
    assert "worse than best" in c.reason
    assert "REVIEW-WORSE-THAN-BEST" in ids(rv)


def test_s08_a_dip_smaller_than_the_mcid_is_not_a_decline() -> None:
    """CIDP responder: grip L best 62 kPa (2026-01-12), latest 63 (2026-04-13).

    Rule M8 not triggered: the latest reading is not below the best by ≥ 8 kPa.
    """
    rv = run(example_data("cidp-ivig-responder"))
    assert only(rv).declines == ()
    assert "REVIEW-WORSE-THAN-BEST" not in ids(rv)


# ------------------------------------------------------------------ overdue assessment (M9)


def test_s09_maintenance_without_an_assessment_since_the_due_date_warns() -> None:
    """IVIg 80 g every 3 weeks since 2022-01-10; the assessments stop after 2024-07-01.

    Rule M9 (programmes require a yearly effectiveness review; M5 calendar: due
    2022-07-10, then 2023-07-10, 2024-07-10): the last due date on or before the review
    (2025-03-10) is 2024-07-10 and nothing was assessed since → warn.
    """
    data = example_data("cidp-stable-taper-due")
    data["assessments"] = [a for a in data["assessments"] if a["date"] <= "2024-07-01"]
    rv = run(data)
    assert rv.assessment_overdue_since == date(2024, 7, 10)
    assert rv.last_assessment == date(2024, 7, 1)
    (warn,) = [s for s in rv.suggestions if s.id == "REVIEW-ASSESSMENT-OVERDUE"]
    assert warn.severity == "warn"
    assert rv.summary[0].startswith("WARN outcome assessment overdue")


def test_s10_an_assessment_after_the_due_date_is_not_overdue() -> None:
    """The same patient assessed 2025-01-06 and 2025-03-10, after the 2024-07-10 due date.

    Rule M9 not triggered.
    """
    rv = run(example_data("cidp-stable-taper-due"))
    assert rv.assessment_overdue_since is None
    assert "REVIEW-ASSESSMENT-OVERDUE" not in ids(rv)


def test_s11_off_immunoglobulin_no_review_is_due() -> None:
    """The non-responder stopped IVIg: M9 applies only on Ig maintenance (not triggered)."""
    rv = run(example_data("cidp-ivig-non-responder"), as_of=date(2025, 6, 1))
    assert rv.assessment_overdue_since is None


# ------------------------------------------------------------------ clinician judgement (M7)


def test_s12_clinician_disagreement_makes_the_course_indeterminate() -> None:
    """The responder's course records response "stable" (objective).

    Rule M7: the computed class (responder) and the recorded judgement disagree → the
    course is indeterminate, both shown, and the review asks to re-examine the record.
    """
    data = example_data("cidp-ivig-responder")
    data["treatments"][0]["response"] = "stable"
    rv = run(data)
    c = only(rv)
    assert (c.response, c.computed, c.clinician, c.agreement) == (
        "indeterminate",
        "responder",
        "stable",
        "disagree",
    )
    assert "REVIEW-JUDGEMENT-DISAGREES" in ids(rv)


def test_s13_clinician_agreement_keeps_the_computed_class() -> None:
    """The responder records "improved" (objective): agree (M7 not triggered)."""
    c = only(run(example_data("cidp-ivig-responder")))
    assert (c.response, c.clinician, c.agreement) == ("responder", "improved", "agree")


def test_s14_a_subjective_improvement_does_not_override_an_objective_non_response() -> None:
    """The non-responder records "improved" with objective false.

    Rule M7b (EAN/PNS 2021 asks for objective improvement): shown beside, not counted →
    still non-responder.
    """
    data = example_data("cidp-ivig-non-responder")
    data["treatments"][0]["response"] = "improved"
    data["treatments"][0]["objective"] = False
    c = only(run(data))
    assert (c.response, c.agreement) == (
        "non_responder",
        "disagree (subjective judgement, not counted)",
    )


def test_s15_an_objective_improvement_recorded_against_a_computed_non_response() -> None:
    """The non-responder records "improved" (objective true): M7 → indeterminate."""
    data = example_data("cidp-ivig-non-responder")
    data["treatments"][0]["response"] = "improved"
    rv = run(data)
    assert only(rv).response == "indeterminate"
    assert "REVIEW-NON-RESPONDER" not in ids(rv)


# ------------------------------------------------------------------ wear-off (M3), decline (M4)


def test_s16_wear_off_in_consecutive_cycles() -> None:
    """Troughs 10 kPa below the peaks for four cycles, recovering each time.

    Rule M3 (EAN/PNS 2021: end-of-dose deterioration → shorter interval or higher dose):
    detected, suggestion given, no taper.
    """
    rv = run(example_data("cidp-wear-off"))
    assert rv.wear_off.detected is True
    assert "REVIEW-WEAR-OFF" in ids(rv)


def test_s17_troughs_equal_to_peaks_are_not_wear_off() -> None:
    """The same visits with each trough at its peak's values: M3 not triggered."""
    data = example_data("cidp-wear-off")
    peak: Data | None = None
    for a in data["assessments"]:
        if a.get("timing") == "peak":
            peak = a
        elif a.get("timing") == "trough" and peak is not None:
            a["grip"] = dict(peak["grip"])
            a["irods"] = dict(peak["irods"])
    rv = run(data)
    assert rv.wear_off.detected is False
    assert "REVIEW-WEAR-OFF" not in ids(rv)


def test_s18_more_ig_for_no_more_strength_is_declining_response() -> None:
    """MMN: 12-week intensity 0.88 → 1.23 g/kg per 28 days (+39.6 %) with flat grip.

    Rule M4 (van den Berg-Vos 2012 review; Herraets 2020): declining response detected.
    """
    rv = run(example_data("mmn-declining-response"))
    assert rv.declining.detected is True
    assert rv.declining.change_pct == 39.6  # 1.23 / 0.88 − 1 on the unrounded means
    assert "REVIEW-DECLINING" in ids(rv)


def test_s19_a_constant_dose_is_not_declining_response() -> None:
    """80 g every 3 weeks for 3 years: intensity constant (M4 not triggered)."""
    rv = run(example_data("cidp-stable-taper-due"))
    assert rv.declining.detected is False


# ------------------------------------------------------------------ cost (T24)


def test_s20_infusions_before_the_price_table_use_its_earliest_price() -> None:
    """MMN on IVIg since 2013; the GBP row starts 2019-03-31.

    Rule T24: the 79 infusions before it are priced at that earliest row (GBP 34/g) with
    a note — the total is computed: 11,280 g × 34 = GBP 383,520 (never "not computed").
    """
    rv = run(example_data("mmn-declining-response"))
    assert rv.use.cost == 383520.0
    assert rv.use.before_table == 79
    assert any("earliest" in n and "2019-03-31" in n for n in rv.use.price_notes)


def test_s21_infusions_after_the_table_date_need_no_fallback() -> None:
    """The 2025 responder: every infusion after 2019-03-31 (T24 fallback not triggered).

    The built-in GBP row is generic (one average for all products and routes): the review
    says so rather than inventing a product price. 710 g × 34 = GBP 24,140.
    """
    rv = run(example_data("cidp-ivig-responder"))
    assert (rv.use.cost, rv.use.before_table) == (24140.0, 0)
    assert any("no product or route-specific price" in n for n in rv.use.price_notes)


def test_s22_sc_and_iv_infusions_are_priced_at_their_own_rows() -> None:
    """The responder switches its last two doses to Cutaquig SC, costed in USD.

    Rule T24 (IV and SC prices differ), built-in US rows: Privigen IV USD 160/g (cash
    price), Cutaquig SC USD 207.18/g (list price). 710 − 130 = 580 g × 160 = 92,800;
    130 g × 207.18 = 26,933.40; total 119,733.40.
    """
    data = example_data("cidp-ivig-responder")
    for inf in data["infusions"][-2:]:
        inf.update(route="sc", product="cutaquig")
    rv = run(data, currency="USD")
    assert rv.use.cost_by_product_route == {"cutaquig (sc)": 26933.4, "privigen (iv)": 92800.0}
    assert rv.use.cost == 119733.4


def test_s23_a_site_table_prices_iv_and_sc_differently() -> None:
    """A site table: any IV product 50/g, any SC product 60/g, from 2030 (after the case).

    Rule T24: each infusion takes its route's row; all precede the table, so all use its
    earliest rows, with a note: 580 g × 50 + 130 g × 60 = 29,000 + 7,800 = 36,800.
    """
    table = PriceTable.from_toml(
        "\n".join(
            f'[[prices]]\nregion = "X"\ncurrency = "CHF"\nroute = "{r}"\nprice_per_g = {p}\n'
            f'effective = "2030-01-01"\nsource = "site"\nverified = true\n'
            for r, p in (("iv", 50), ("sc", 60))
        )
    )
    data = example_data("cidp-ivig-responder")
    for inf in data["infusions"][-2:]:
        inf.update(route="sc", product="hizentra")
    rv = run(data, currency="CHF", prices=table)
    assert rv.use.cost == 36800.0
    assert rv.use.before_table == 14


def test_s24_no_row_for_the_route_leaves_the_total_not_computed() -> None:
    """EUR has only an IVIg row (Piscitelli 2021): an SC infusion has no EUR price.

    T24 does not invent one: the total is not computed, the priced part is shown.
    """
    data = example_data("cidp-ivig-responder")
    data["infusions"][-1].update(route="sc", product="hizentra")
    rv = run(data, currency="EUR")
    assert rv.use.cost is None
    assert rv.use.unpriced_grams == 65


def test_s25_an_overdue_assessment_withholds_a_taper_trial() -> None:
    """Stable on 80 g every 3 weeks, assessed 2024-04-01 and 2024-07-01, nothing since.

    Without M9 the review would suggest a dose-reduction trial (one regimen for 12 months,
    no measure worse by its MCID between 2024-04-01 and 2024-07-01). Rule M9: the effect
    has not been assessed since the 2024-07-10 due date, so the taper is withheld
    (undecided) and the warning says to assess first.
    """
    data = example_data("cidp-stable-taper-due")
    kept = [a for a in data["assessments"] if a["date"] <= "2024-07-01"]
    spring = json.loads(json.dumps(kept[-1]))
    spring["date"] = "2024-04-01"
    data["assessments"] = [*kept[:-1], spring, kept[-1]]
    rv = run(data)
    assert rv.assessment_overdue_since == date(2024, 7, 10)
    assert rv.dose_review.taper_suggested is None
    assert "assess before any dose-reduction trial" in rv.dose_review.reason
    assert "(otherwise stable on 80 g every 3 weeks (iv)" in rv.dose_review.reason
    assert "REVIEW-TAPER" not in ids(rv)
    # the same record with the 2025 visits (not overdue) does suggest the taper
    assert run(example_data("cidp-stable-taper-due")).dose_review.taper_suggested is True
