"""The synthetic cohort: valid, marked, reproducible, and its known truth is what
neuroig's own engine finds (categories of the templates, responders by decision M2)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

import pytest

from neuroig.assess import evaluate
from neuroig.case import case_from_data
from neuroig.cohort.generate import GROUPS, PATTERNS, CohortSpec, _template, generate
from neuroig.monitoring.course_judgement import course_responses
from neuroig.monitoring.review import review


def _within(observed: int, n: int, p: float) -> bool:
    """Within four binomial standard deviations (a fixed seed makes this exact anyway)."""
    return abs(observed - n * p) <= 4 * math.sqrt(n * p * (1 - p))


def test_the_same_seed_gives_the_same_cohort_and_another_seed_another() -> None:
    one = list(generate(CohortSpec(patients=20, seed=5)))
    assert one == list(generate(CohortSpec(patients=20, seed=5)))
    assert one != list(generate(CohortSpec(patients=20, seed=6)))
    assert [d["case_id"] for d in one[:2]] == ["synthetic-5-000001", "synthetic-5-000002"]


def test_every_patient_is_valid_marked_and_dated_by_the_end_date() -> None:
    until = date(2025, 1, 31)
    for document in generate(CohortSpec(patients=150, seed=11, until=until)):
        case = case_from_data(document)
        assert document["x_synthetic"]["generator"] == "neuroig cohort generate"
        dates = [i.date for i in case.infusions or ()] + [a.date for a in case.assessments or ()]
        assert all(d <= until for d in dates)


def test_group_shares_follow_the_specification() -> None:
    n = 3000
    groups = Counter(
        d["x_synthetic"]["truth"]["group"] for d in generate(CohortSpec(patients=n, seed=2))
    )
    for group, (share, _) in GROUPS.items():
        assert _within(groups[group], n, share), (group, groups[group])


def test_responders_are_what_the_review_finds_and_their_rate_what_was_asked() -> None:
    spec = CohortSpec(patients=400, seed=9, responder_rate={"cidp": 0.3, "mmn": 0.8})
    found: Counter[tuple[str, bool]] = Counter()
    for document in generate(spec):
        truth = document["x_synthetic"]["truth"]
        if not truth["treated"]:
            assert "treatments" not in document
            continue
        courses = course_responses(case_from_data(document), mmn=truth["group"] == "mmn")
        course = [c for c in courses if not c.continuation][-1]  # the judged course (G15)
        expected = "responder" if truth["responder"] else "non_responder"
        assert course.response == expected, document["case_id"]
        found[(truth["group"], truth["responder"])] += 1
    for group, rate in spec.responder_rate.items():
        total = found[(group, True)] + found[(group, False)]
        assert _within(found[(group, True)], total, rate), (group, found)


def _categories(document: dict[str, Any]) -> dict[str, str]:
    return {k: v.category for k, v in evaluate(case_from_data(document)).sets.items()}


@pytest.mark.parametrize("seed", [1, 2])
def test_every_patient_keeps_its_templates_categories(seed: int) -> None:
    expected: dict[str, dict[str, str]] = {}
    for document in generate(CohortSpec(patients=60, seed=seed)):
        name = document["x_synthetic"]["truth"]["template"]
        if name not in expected:
            expected[name] = _categories(_template(name))
        assert _categories(document) == expected[name], document["case_id"]


def test_each_course_pattern_is_what_the_review_finds() -> None:
    """Dependence (M7), wear-off (M3), declining response (M4), switches (M2b), SCIg and
    the time to response are found in exactly the patients the generator made them."""
    seen: Counter[str] = Counter()
    for document in generate(CohortSpec(patients=260, seed=5)):
        truth = document["x_synthetic"]["truth"]
        if not truth["treated"]:
            continue
        pattern = truth["pattern"]
        seen[pattern] += 1
        case = case_from_data(document)
        mmn = truth["group"] == "mmn"
        courses = course_responses(case, mmn=mmn)
        judged = [c for c in courses if not c.continuation][-1]
        reviewed = review(case, diagnosis=evaluate(case).diagnosis)
        where = (document["case_id"], pattern)
        assert judged.response == ("non_responder" if pattern == "non_responder" else "responder")
        assert any(c.ig_dependent for c in courses) is (pattern == "dependent"), where
        assert (reviewed.wear_off.detected is True) is (pattern == "wear_off"), where
        assert (reviewed.declining.detected is True) is (pattern == "declining"), where
        assert any(c.continuation for c in courses) is pattern.startswith("switch_"), where
        assert (courses[-1].therapy == "scig") is (pattern == "switch_scig"), where
        if pattern == "non_responder":
            assert judged.first_improved is None and truth["days_to_response"] is None
        else:
            assert judged.first_improved is not None
            days = (judged.first_improved - judged.first_dose).days
            assert days == truth["days_to_response"] in (42, 84, 126), where
        if pattern == "taper":
            weight = document["patient"]["weight_kg"]
            doses = [i["dose_g"] for i in document["infusions"]]
            assert doses[5] == 5 * round(weight / 5)  # the first maintenance dose, 1 g/kg
            assert doses[-1] == 5 * round(weight * 0.75 / 5), where  # tapered to 75 %
    assert set(seen) == set(PATTERNS["cidp"]) | {"non_responder"}


def test_pattern_shares_follow_the_specification() -> None:
    n = 3000
    found: dict[str, Counter[str]] = {"cidp": Counter(), "mmn": Counter()}
    for document in generate(CohortSpec(patients=n, seed=4)):
        truth = document["x_synthetic"]["truth"]
        if truth.get("responder"):
            found[truth["group"]][truth["pattern"]] += 1
    assert "switch_scig" not in found["mmn"]  # SCIg is not licensed for MMN
    for group, shares in PATTERNS.items():
        total = sum(found[group].values())
        for pattern, share in shares.items():
            assert _within(found[group][pattern], total, share), (group, pattern, found)
