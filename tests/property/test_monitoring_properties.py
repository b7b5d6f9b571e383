"""Invariants of the monitoring rules (Hypothesis)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from neuroig import parse_case
from neuroig.monitoring import review, review_to_json

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
