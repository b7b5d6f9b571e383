"""Invariants of the monitoring rules (Hypothesis)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from neuroig import parse_case
from neuroig.monitoring.review import review, review_to_json

START = date(2024, 1, 8)


def infusions() -> list[dict[str, Any]]:
    out = [
        {
            "date": (START + timedelta(days=k)).isoformat(),
            "route": "iv",
            "product": "privigen",
            "dose_g": 30,
        }
        for k in range(5)
    ]
    out += [
        {
            "date": (START + timedelta(days=21 * (k + 1))).isoformat(),
            "route": "iv",
            "product": "privigen",
            "dose_g": 65,
        }
        for k in range(12)
    ]
    return out


@st.composite
def visits(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A baseline on the first dose day and 1-6 follow-ups within 36 weeks (days may repeat)."""
    out = []
    offsets = [0, *sorted(draw(st.lists(st.integers(1, 252), min_size=1, max_size=6)))]
    for off in offsets:
        v: dict[str, Any] = {"date": (START + timedelta(days=off)).isoformat()}
        if draw(st.booleans()) or off == 0:
            v["grip"] = {
                "left": draw(st.integers(10, 90)),
                "right": draw(st.integers(10, 90)),
                "unit": "kpa",
                "device": "vigorimeter",
            }
        if draw(st.booleans()) or off == 0:
            v["incat"] = {"arm": draw(st.integers(0, 5)), "leg": draw(st.integers(0, 5))}
        if draw(st.booleans()):
            v["timing"] = draw(st.sampled_from(["peak", "trough", "unspecified"]))
        out.append(v)
    return out


def make(assessments: list[dict[str, Any]], infs: list[dict[str, Any]] | None = None) -> Any:
    data = {
        "format": "neuroig-case/1",
        "case_id": "p",
        "patient": {"sex": "female", "age_years": 50, "height_cm": 165, "weight_kg": 70},
        "treatments": [{"therapy": "ivig", "start": START.isoformat()}],
        "infusions": infs if infs is not None else infusions(),
        "assessments": assessments,
    }
    return parse_case(json.dumps(data))


RANK = {"non_responder": 0, "indeterminate": 1, "responder": 2}


@settings(max_examples=60, deadline=None)
@given(visits(), st.randoms(use_true_random=False))
def test_review_does_not_depend_on_the_order_of_assessments_or_infusions(
    vs: list[dict[str, Any]], rnd: Any
) -> None:
    before = review_to_json(review(make(vs)))
    shuffled = list(vs)
    rnd.shuffle(shuffled)
    infs = infusions()
    rnd.shuffle(infs)
    after = review_to_json(review(make(shuffled, infs)))
    assert before == after


@settings(max_examples=60, deadline=None)
@given(visits(), st.sampled_from(["left", "right"]))
def test_an_mcid_sized_improvement_never_lowers_the_response(
    vs: list[dict[str, Any]], side: str
) -> None:
    c = make(vs)
    first = review(c).courses[0].response
    # add the Vigorimeter MCID (8 kPa) to one hand at every follow-up visit
    better = json.loads(json.dumps(vs))
    for v in better[1:]:
        if "grip" in v:
            v["grip"][side] = v["grip"][side] + 8
    second = review(make(better)).courses[0].response
    assert RANK[second] >= RANK[first]
    if first == "responder":
        assert second == "responder"


@settings(max_examples=40, deadline=None)
@given(visits())
def test_without_timing_labels_wear_off_is_never_decided(vs: list[dict[str, Any]]) -> None:
    stripped = [{k: v for k, v in x.items() if k != "timing"} for x in vs]
    assert review(make(stripped)).wear_off.detected is None


@settings(max_examples=40, deadline=None)
@given(st.floats(40, 150, allow_nan=False), st.floats(40, 150, allow_nan=False))
def test_dose_intensity_does_not_depend_on_the_current_weight(w1: float, w2: float) -> None:
    # the fixed dosing weight comes from the start of maintenance, not patient.weight_kg
    def run(current: float) -> list[float]:
        data = json.loads(
            json.dumps(
                {
                    "format": "neuroig-case/1",
                    "case_id": "w",
                    "patient": {
                        "sex": "male",
                        "age_years": 60,
                        "height_cm": 175,
                        "weight_kg": round(current, 1),
                    },
                    "treatments": [{"therapy": "ivig", "start": START.isoformat()}],
                    "infusions": [dict(x, weight_kg=80) for x in infusions()],
                }
            )
        )
        return [
            iv.g_per_kg_per_28d for iv in review(parse_case(json.dumps(data))).intensity.intervals
        ]

    assert run(w1) == run(w2)


@settings(max_examples=60, deadline=None)
@given(visits(), st.integers(25, 252))
def test_a_reading_better_than_the_best_never_unmakes_a_responder(
    vs: list[dict[str, Any]], offset: int
) -> None:
    # decision M7: improvement is judged on the best on-treatment reading, so a new visit
    # better than every earlier one (grip above the best of each hand, INCAT 0) cannot
    # take away an improvement or add a worsening
    first = review(make(vs)).courses[0]
    used = {v["date"] for v in vs}
    when = (START + timedelta(days=offset)).isoformat()
    if first.response != "responder" or when in used:
        return
    grips = [v["grip"] for v in vs if "grip" in v]
    best = {
        "date": when,
        "grip": {
            "left": max(g["left"] for g in grips) + 1,
            "right": max(g["right"] for g in grips) + 1,
            "unit": "kpa",
            "device": "vigorimeter",
        },
        "incat": {"arm": 0, "leg": 0},
    }
    second = review(make([*vs, best])).courses[0]
    assert second.response == "responder"


@st.composite
def priced_infusions(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 8))
    out = []
    for _ in range(n):
        route, product = draw(st.sampled_from([("iv", "privigen"), ("sc", "hizentra")]))
        out.append(
            {
                "date": (date(2000, 1, 1) + timedelta(days=draw(st.integers(0, 9000)))).isoformat(),
                "route": route,
                "product": product,
                "dose_g": draw(st.integers(1, 120)),
            }
        )
    return out


@settings(max_examples=60, deadline=None)
@given(
    priced_infusions(),
    st.integers(0, 12000),
    st.sampled_from(["*", "iv", "sc"]),
    st.integers(1, 300),
)
def test_the_cost_is_computed_whenever_a_row_prices_every_product_and_route(
    infs: list[dict[str, Any]], effective_days: int, route: str, price: int
) -> None:
    # decision T24: a row of the currency for the infusion's product and route prices it
    # on any date (before the row's date: the earliest price, with a note) — never None
    from neuroig.reference import PriceTable

    effective = date(1995, 1, 1) + timedelta(days=effective_days)
    rows = [("*", route, price)]
    if route != "*":
        other = "sc" if route == "iv" else "iv"
        rows.append(("*", other, price + 1))
    table = PriceTable.from_toml(
        "\n".join(
            f'[[prices]]\nregion = "X"\ncurrency = "XTS"\nproduct = "{p}"\nroute = "{r}"\n'
            f'price_per_g = {v}\neffective = "{effective}"\nsource = "test"\n'
            for p, r, v in rows
        )
    )
    data = {
        "format": "neuroig-case/1",
        "case_id": "c",
        "infusions": infs,
    }
    rv = review(parse_case(json.dumps(data)), currency="xts", prices=table)
    per_route = {r: v for _, r, v in rows}
    expected = sum(i["dose_g"] * per_route.get(i["route"], per_route.get("*", 0)) for i in infs)
    assert rv.use.cost is not None
    assert abs(rv.use.cost - expected) < 1e-6
    before = sum(1 for i in infs if date.fromisoformat(i["date"]) < effective)
    assert rv.use.before_table == before
