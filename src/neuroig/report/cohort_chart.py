"""The cohort dashboard's chart: patients by diagnosis, and the response of the latest
immunoglobulin course by diagnosis and therapy (decision G14)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from neuroig.escape import mathtext
from neuroig.services.cohort import CohortReport

__all__ = ["CHART_PX", "RESPONSE_COLOURS", "cohort_chart"]

#: width and height of the chart in pixels
CHART_PX = (1000, 380)
_DPI = 100
#: response class → bar colour (colour-blind safe Okabe-Ito)
RESPONSE_COLOURS = {
    "responder": "#009E73",
    "non_responder": "#D55E00",
    "indeterminate": "#CC79A7",
}


def cohort_chart(report: CohortReport, path: str | Path) -> tuple[int, int]:
    """Write the chart as a PNG; return its size in pixels."""
    figure = Figure(figsize=(CHART_PX[0] / _DPI, CHART_PX[1] / _DPI), dpi=_DPI)
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2)
    names = sorted(report.by_diagnosis)
    left.bar(names, [report.by_diagnosis[n] for n in names], color="#0072B2")
    left.set_title("Patients by diagnosis")
    left.set_ylabel("patients")
    groups = sorted(report.response)
    bottom = [0] * len(groups)
    for klass, colour in RESPONSE_COLOURS.items():
        values = [report.response[g].get(klass, 0) for g in groups]
        if not any(values):
            continue  # a class no course has: no bar and no legend entry
        right.bar(
            [mathtext(g) for g in groups],
            values,
            bottom=bottom,
            color=colour,
            label=klass.replace("_", " "),
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    right.set_title("Latest immunoglobulin course")
    right.set_ylabel("patients")
    if groups:
        right.legend(frameon=False)
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=_DPI)
    return CHART_PX
