"""The cohort dashboard's chart: patients by diagnosis, the response to immunoglobulin
by diagnosis and therapy, and the patients each programme flag concerns (decisions G14,
G15)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from neuroig.errors import InputError
from neuroig.escape import mathtext
from neuroig.services.cohort import CohortReport

__all__ = [
    "CHART_PX",
    "FLAG_COLOUR",
    "RESPONSE_COLOURS",
    "cohort_chart",
    "cohort_file_names",
    "flag_counts",
    "write_cohort_files",
]

#: width and height of the chart in pixels
CHART_PX = (1200, 380)
_DPI = 100
#: response class → bar colour (colour-blind safe Okabe-Ito)
RESPONSE_COLOURS = {
    "responder": "#009E73",
    "non_responder": "#D55E00",
    "indeterminate": "#CC79A7",
}
#: colour of the programme flags' bars (Okabe-Ito sky blue)
FLAG_COLOUR = "#56B4E9"


def flag_counts(report: CohortReport) -> dict[str, int]:
    """The programme flags the third panel draws, top to bottom."""
    return {
        "review overdue": report.review.get("overdue", 0),
        "dose reduction suggested": report.dose_reduction_candidates,
        "Ig-dependent": sum(report.ig_dependent.values()),
        "wear-off": report.wear_off,
        "declining response": report.declining_response,
        "plan blocked": report.plans.get("blocked", 0),
    }


def cohort_chart(report: CohortReport, path: str | Path) -> tuple[int, int]:
    """Write the chart as a PNG; return its size in pixels."""
    figure = Figure(figsize=(CHART_PX[0] / _DPI, CHART_PX[1] / _DPI), dpi=_DPI)
    FigureCanvasAgg(figure)
    left, right, flags = figure.subplots(1, 3, width_ratios=[1, 1.3, 1.2])
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
    right.set_title("Response to immunoglobulin")
    right.set_ylabel("patients")
    if groups:
        right.set_ylim(0, max(*bottom, 1) * 1.6)  # room for the legend above the bars
        right.legend(frameon=False, loc="upper right", fontsize="small")
    counts = flag_counts(report)
    names = list(counts)[::-1]
    flags.barh(names, [counts[n] for n in names], color=FLAG_COLOUR)
    flags.set_title("Programme flags")
    flags.set_xlabel("patients")
    figure.tight_layout()
    figure.savefig(path, format="png", dpi=_DPI)
    return CHART_PX


def cohort_file_names(folder: Path, as_of: date) -> tuple[Path, Path]:
    """The chart and CSV that ``neuroig cohort report --plot FOLDER`` writes.

    Raises:
        InputError: the folder is a file, or one of the two files already exists (a file
            a user kept is never overwritten).
    """
    if folder.exists() and not folder.is_dir():
        raise InputError("--plot", str(folder), "must be a folder (it is a file)")
    names = (folder / f"cohort-{as_of}.png", folder / f"cohort-{as_of}.csv")
    for path in names:
        if path.exists():
            raise InputError(
                "--plot", str(folder), f"already holds {path.name}; give another folder"
            )
    return names


def write_cohort_files(report: CohortReport, folder: Path) -> list[Path]:
    """Write the dashboard's chart and the figures as CSV into ``folder``; return the
    two paths. Each file is created exclusively (never overwritten) and written whole."""
    chart, table = cohort_file_names(folder, report.as_of)
    folder.mkdir(parents=True, exist_ok=True)
    for path, write in (
        (chart, lambda tmp: cohort_chart(report, tmp)),
        (table, lambda tmp: tmp.write_text(report.csv_text(), encoding="utf-8", newline="")),
    ):
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        write(partial)
        try:
            os.link(partial, path)  # fails if the name was taken meanwhile
        finally:
            partial.unlink()
    return [chart, table]
