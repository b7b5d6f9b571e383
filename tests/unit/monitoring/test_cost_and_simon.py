"""Cumulative grams and cost (T8 prices); the Simon 2013 trial replay."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.unit.monitoring.builders import case, doses, grip, induction, ivig, visit

from neuroig.diagnosis import DiagnosisContext
from neuroig.errors import InputError
from neuroig.monitoring.review import review, review_to_json
from neuroig.reference import PriceTable

# ------------------------------------------------------------------ cost


def test_grams_and_cost_are_summed_per_infusion_on_its_date() -> None:
    # 5 × 25 g + 3 × 65 g = 320 g; GBP 34/g (MDSAS 2018/19, from 2019-03-31) → GBP 10,880
    c = case(
        treatments=[ivig("2025-01-06")],
        infusions=induction("2025-01-06", 5, 25) + doses("2025-01-27", 21, 3, 65),
    )
    use = review(c).use
    assert (use.grams, use.infusions, use.cost, use.currency) == (320.0, 8, 10880.0, "GBP")
    assert use.grams_by_route == {"iv": 320.0}


def test_a_missing_price_gives_no_total_never_zero() -> None:
    # EUR prices exist for IV only in the built-in table: an SCIg infusion has none
    inf = doses("2024-01-01", 7, 2, 10, route="sc") + doses("2024-01-03", 28, 1, 30)
    c = case(infusions=inf)
    use = review(c, currency="EUR").use
    assert use.cost is None
    assert use.cost_priced_part == 929.1  # 30 g × EUR 30.97
    assert use.unpriced_grams == 20.0
    assert "no EUR price" in use.reason


def test_a_site_price_table_overrides_the_built_in_one() -> None:
    table = PriceTable.from_toml(
        '[[prices]]\nregion = "X"\ncurrency = "GBP"\nprice_per_g = 50\neffective = "2020-01-01"\n'
        'source = "site contract"\nverified = true\n',
        name="site",
    )
    c = case(infusions=doses("2024-01-01", 28, 2, 40))
    use = review(c, prices=table).use
    assert (use.cost, use.price_table) == (4000.0, "site")  # 80 g × 50


# ------------------------------------------------------------------ Simon 2013

LMN = DiagnosisContext(lmn_without_block=True, lmn_mmn_like_triad=True)
START = "2024-03-04"
INF = induction(START, 5, 32) + doses("2024-03-25", 28, 5, 70)
NSS = {"name": "UCSF-NSS", "higher_is_better": False, "mcid": 3}


def lmn_case(mrc_after: float, nss_after: float | None = None, when: str = "2024-06-10") -> Any:
    base = visit(
        START, mrc={"score": 120, "max": 140, "variant": "expanded"}, nss=20, nss_scale=NSS
    )
    after: dict[str, Any] = visit(when, mrc={"score": mrc_after, "max": 140, "variant": "expanded"})
    if nss_after is not None:
        after.update(nss=nss_after, nss_scale=NSS)
    return case(treatments=[ivig(START)], infusions=INF, assessments=[base, after])


def test_replay_applies_to_an_lmn_syndrome_without_block() -> None:
    # expanded MRC 120 → 125 of 140: MCID 2 × 140 / 60 = 4.67 → improved; NSS 20 → 16 (−4 ≥ 3)
    rv = review(lmn_case(125, 16), diagnosis=LMN)
    s = rv.simon
    assert s is not None and s.course is not None
    assert s.course.response == "responder"
    assert {c.measure: c.status for c in s.course.changes} == {
        "mrc_sum": "improved",
        "nss": "improved",
    }
    assert str(s.judged_from) == "2024-06-04"  # first dose + 3 months
    j = review_to_json(rv)["simon_2013"]
    assert j["definition_verified"] is False
    assert j["published"]["responders"] == 3 and j["published"]["cohort"] == 31
    assert j["published"]["triad_in_distal_onset_non_responders_pct"] == 31
    assert j["mmn_like_triad"] is True


def test_replay_non_responder_when_nothing_improves_by_its_mcid() -> None:
    rv = review(lmn_case(124, 19), diagnosis=LMN)  # +4 < 4.67; −1 < 3
    assert rv.simon is not None and rv.simon.course is not None
    assert rv.simon.course.response == "non_responder"
    assert any(s.id == "REVIEW-SIMON-2013" for s in rv.suggestions)


def test_replay_waits_for_three_months() -> None:
    rv = review(lmn_case(130, 10, when="2024-06-03"), diagnosis=LMN)  # one day short
    assert rv.simon is not None and rv.simon.course is not None
    assert rv.simon.course.response == "indeterminate"


def test_replay_not_applied_without_a_diagnosis_unless_requested() -> None:
    c = lmn_case(125, 16)
    rv = review(c)
    assert rv.simon is None
    assert rv.notes[0] == "diagnosis not evaluated — diagnosis-specific rules not applied"
    asked = review(c, simon_course=0)
    assert asked.simon is not None and asked.simon.requested
    assert asked.simon.course is not None and asked.simon.course.response == "responder"


def test_replay_not_applied_when_the_syndrome_has_a_block() -> None:
    rv = review(lmn_case(125, 16), diagnosis=DiagnosisContext(lmn_without_block=False))
    assert rv.simon is None


@pytest.mark.parametrize(
    ("index", "fragment"), [(3, "must index a treatment course"), (1, "must name an IVIg course")]
)
def test_a_bad_replay_request_is_an_input_error(index: int, fragment: str) -> None:
    c = case(
        treatments=[ivig(START), {"therapy": "prednisone", "start": "2024-09-02"}],
        infusions=INF,
        assessments=[visit(START, grip=grip(40, 40))],
    )
    with pytest.raises(InputError, match=fragment):
        review(c, simon_course=index, as_of=date(2024, 10, 1))


def test_route_rows_win_over_any_route_and_earliest_prices_dates_before_the_table() -> None:
    from datetime import date

    from neuroig.reference import PriceTable

    table = PriceTable.from_toml(
        '[[prices]]\nregion = "X"\ncurrency = "CHF"\nroute = "*"\nprice_per_g = 10\n'
        'effective = "2020-01-01"\nsource = "a"\n'
        '[[prices]]\nregion = "X"\ncurrency = "CHF"\nroute = "sc"\nprice_per_g = 12\n'
        'effective = "2021-01-01"\nsource = "b"\n'
        '[[prices]]\nregion = "X"\ncurrency = "CHF"\nroute = "sc"\nprice_per_g = 11\n'
        'effective = "2022-01-01"\nsource = "c"\n'
    )
    on = date(2023, 1, 1)
    iv = table.lookup(product="privigen", route="iv", currency="chf", on=on)
    sc = table.lookup(product="hizentra", route="sc", currency="CHF", on=on)
    assert (iv and iv.price_per_g, sc and sc.price_per_g) == (10, 11)  # T24: route row wins
    # before every row: lookup gives nothing, earliest gives the earliest route row
    assert table.lookup(product="hizentra", route="sc", currency="CHF", on=date(2019, 1, 1)) is None
    early = table.earliest(product="hizentra", route="sc", currency="CHF")
    assert early is not None and (early.price_per_g, str(early.effective)) == (12, "2021-01-01")
    assert table.earliest(product="hizentra", route="sc", currency="EUR") is None
