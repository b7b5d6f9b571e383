"""The cohort chart, checked as an image: its size, and a bar of each response colour
exactly where the figures have that class."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
from matplotlib.image import imread

from neuroig.report.cohort_chart import (
    CHART_PX,
    FLAG_COLOUR,
    RESPONSE_COLOURS,
    cohort_chart,
    flag_counts,
)
from neuroig.services.cohort import CohortReport


def _pixels_of(image: np.ndarray, colour: str) -> int:
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int((np.abs(image[:, :, :3] - rgb).max(axis=2) < 0.02).sum())


def _report(response: dict[str, dict[str, int]]) -> CohortReport:
    return CohortReport(
        as_of=date(2026, 12, 1),
        patients=10,
        without_facts=0,
        by_diagnosis={"cidp": 6, "mmn": 3, "none": 1},
        response=response,
    )


def test_the_chart_draws_each_response_class_present_and_no_other(tmp_path: Path) -> None:
    path = tmp_path / "cohort.png"
    size = cohort_chart(_report({"cidp/ivig": {"responder": 4, "non_responder": 2}}), path)
    image = imread(path)
    assert size == CHART_PX
    assert image.shape[:2] == (CHART_PX[1], CHART_PX[0])
    assert _pixels_of(image, RESPONSE_COLOURS["responder"]) > 500
    assert _pixels_of(image, RESPONSE_COLOURS["non_responder"]) > 250
    # a class no course has: neither bar nor legend entry
    assert _pixels_of(image, RESPONSE_COLOURS["indeterminate"]) == 0
    # twice the responders, about twice the green of the orange
    green = _pixels_of(image, RESPONSE_COLOURS["responder"])
    orange = _pixels_of(image, RESPONSE_COLOURS["non_responder"])
    assert 1.5 < green / orange < 2.5


def test_no_treated_patient_draws_no_response_bar(tmp_path: Path) -> None:
    path = tmp_path / "cohort.png"
    cohort_chart(_report({}), path)
    image = imread(path)
    assert _pixels_of(image, RESPONSE_COLOURS["responder"]) == 0
    assert _pixels_of(image, "#0072B2") > 1000  # the diagnosis bars


def test_the_flags_panel_draws_a_bar_as_long_as_each_count(tmp_path: Path) -> None:
    report = CohortReport(
        as_of=date(2026, 12, 1),
        patients=10,
        without_facts=0,
        by_diagnosis={"cidp": 10},
        response={},
        review={"overdue": 2, "due": 0},
        ig_dependent={"cidp/ivig": 4},
        plans={"ok": 6, "blocked": 4},
    )
    assert flag_counts(report) == {
        "review overdue": 2,
        "dose reduction suggested": 0,
        "Ig-dependent": 4,
        "wear-off": 0,
        "declining response": 0,
        "plan blocked": 4,
    }
    path = tmp_path / "cohort.png"
    cohort_chart(report, path)
    blue = _pixels_of(imread(path), FLAG_COLOUR)
    # the axis ends at the longest bar: bars of 4, 4 and 2 patients are two and a half
    # full-length bars; a bar of 2 alone is one
    alone = tmp_path / "alone.png"
    cohort_chart(
        CohortReport(
            as_of=report.as_of,
            patients=10,
            without_facts=0,
            by_diagnosis={"cidp": 10},
            review={"overdue": 2, "due": 0},
        ),
        alone,
    )
    one = _pixels_of(imread(alone), FLAG_COLOUR)
    assert one > 500
    assert 2.2 < blue / one < 2.8
