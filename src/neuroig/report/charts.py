"""Charts of a review: each outcome over time with dose markers and MCID bands, and dose intensity.

Matplotlib with the Agg backend through the object API (no pyplot state), so charts
can be drawn headless and from several threads. The figure has a fixed width and one
fixed-height panel per plotted series group, so its pixel size is predictable:
:func:`chart_size_px`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from neuroig.monitoring import Reading, Review
from neuroig.reference.outcomes import outcome_measure

__all__ = [
    "DPI",
    "HEADER_PX",
    "PANEL_PX",
    "WIDTH_PX",
    "Panel",
    "chart_panels",
    "chart_size_px",
    "review_chart",
]

DPI = 100
WIDTH_PX = 1200
PANEL_PX = 300
HEADER_PX = 100

_ORDER = [
    "incat_adjusted",
    "irods_centile",
    "mrc_sum",
    "grip_kpa",
    "grip_kg",
    "walk_10m_s",
    "rankin",
    "nss",
]
_TIMING_MARKER = {"peak": "^", "trough": "v", None: "o"}
_SIDE_COLOUR = {"left": "#1f77b4", "right": "#d62728"}


@dataclass(frozen=True, slots=True)
class Panel:
    """One panel: a measure (and scale) with the series keys drawn in it."""

    title: str
    measure: str
    keys: tuple[str, ...]
    scale: str


def chart_panels(review: Review) -> list[Panel]:
    """The panels a review's chart draws, in order (dose intensity last, when computable)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for r in review.timed_readings:
        if r.measure == "mrc_muscle":
            continue
        scale = r.scale if r.measure in ("mrc_sum", "nss") else ""
        keys = groups.setdefault((r.measure, scale), [])
        if r.key not in keys:
            keys.append(r.key)
    panels: list[Panel] = []
    for measure, scale in sorted(groups, key=lambda k: (_ORDER.index(k[0]), k[1])):
        m = outcome_measure(measure)
        title = m.name
        if measure == "mrc_sum":
            maxima = {r.max for r in review.timed_readings if r.measure == measure}
            title += (
                f" ({scale or 'variant not given'}, max {', '.join(f'{x:g}' for x in maxima if x)})"
            )
        elif measure == "incat_adjusted":
            title = "INCAT, arm + leg (changes judged on the adjusted score: arm 0↔1 ignored)"
        elif measure == "nss" and scale:
            title += f" ({scale})"
        elif m.unit:
            title += f" ({m.unit})"
        panels.append(Panel(title, measure, tuple(sorted(groups[(measure, scale)])), scale))
    if review.intensity.intervals:
        panels.append(Panel("Dose intensity (g/kg per 28 days)", "dose_intensity", (), ""))
    return panels


def chart_size_px(n_panels: int) -> tuple[int, int]:
    """Width and height in pixels of a chart with ``n_panels`` panels."""
    return WIDTH_PX, HEADER_PX + PANEL_PX * max(n_panels, 1)


def _x(when: date) -> float:
    return float(date2num(when))


def _xs(dates: Sequence[date]) -> list[float]:
    return [_x(d) for d in dates]


def _dose_markers(ax: Axes, review: Review) -> None:
    for e in review.schedule.events:
        ax.axvline(
            _x(e.date),
            color="#2ca02c",
            alpha=0.55 if e.induction else 0.18,
            linewidth=1.6 if e.induction else 0.7,
            zorder=0,
        )


def _series(review: Review, key: str, scale: str) -> list[Reading]:
    return [
        r
        for r in review.timed_readings
        if r.key == key and (r.measure not in ("mrc_sum", "nss") or r.scale == scale)
    ]


def _colour(key: str) -> str:
    for side, colour in _SIDE_COLOUR.items():
        if key.endswith(side):
            return colour
    return "#333333"


def _short(key: str) -> str:
    for side in _SIDE_COLOUR:
        if key.endswith(side):
            return f"{side}: "
    return ""


def _mcid_bands(ax: Axes, review: Review, key: str) -> bool:
    drawn = False
    for course in review.courses:
        for c in course.changes:
            if c.measure != key or c.mcid is None:
                continue
            end = course.follow_up_date or review.as_of
            ax.fill_between(
                _xs([c.baseline_date, end]),
                c.baseline - c.mcid,
                c.baseline + c.mcid,
                color=_colour(key),
                alpha=0.12,
                linewidth=0,
                label=f"{_short(key)}baseline ± MCID {c.mcid:g}" if not drawn else None,
            )
            drawn = True
    return drawn


def _measure_panel(ax: Axes, review: Review, panel: Panel) -> None:
    for key in panel.keys:
        rs = _series(review, key, panel.scale)
        if not rs:
            continue
        colour = _colour(key)
        side = key.rsplit("_", 1)[-1] if key.startswith("grip_") else ""
        ax.plot(
            _xs([r.date for r in rs]),
            [r.value for r in rs],
            color=colour,
            linewidth=1.2,
            label=side or None,
        )
        for timing, marker in _TIMING_MARKER.items():
            pts = [r for r in rs if r.timing == timing]
            if pts:
                ax.scatter(
                    _xs([r.date for r in pts]),
                    [r.value for r in pts],
                    marker=marker,
                    color=colour,
                    s=28,
                    zorder=3,
                )
        _mcid_bands(ax, review, key)
    values = [r.value for key in panel.keys for r in _series(review, key, panel.scale)]
    if values and min(values) == max(values):
        ax.set_ylim(values[0] - 1, values[0] + 1)  # one value: a readable range around it
    m = outcome_measure(panel.measure)
    if m.higher_is_better is False:
        ax.invert_yaxis()
        ax.text(0.005, 0.03, "↑ better (axis inverted)", transform=ax.transAxes, fontsize=7)


def _intensity_panel(ax: Axes, review: Review) -> None:
    rows = review.intensity.intervals
    xs: list[date] = []
    ys: list[float] = []
    for iv in rows:
        xs += [iv.start, iv.end]
        ys += [iv.g_per_kg_per_28d, iv.g_per_kg_per_28d]
    ax.plot(_xs(xs), ys, color="#7f7f7f", linewidth=0.8, label="per interval")
    sm = review.intensity.smoothed
    if sm:
        ax.plot(
            _xs([p.date for p in sm]),
            [p.g_per_kg_per_28d for p in sm],
            color="#9467bd",
            linewidth=2.0,
            label="12-week mean (M4b)",
        )
    dec = review.declining
    if dec.detected is not False and dec.window_from is not None and dec.window_to is not None:
        ax.axvspan(
            _x(dec.window_from),
            _x(dec.window_to),
            color="#ff7f0e" if dec.detected else "#bbbbbb",  # orange: detected; grey: unknown
            alpha=0.2,
            label=f"{'declining response' if dec.detected else 'rise, outcome unknown'} "
            f"{dec.change_pct:+g} %",
        )
    w = review.intensity.weight
    if w is not None:
        ax.text(
            0.005,
            0.03,
            f"on a fixed dosing weight of {w.kg:g} kg ({w.policy}, {w.on})",
            transform=ax.transAxes,
            fontsize=7,
        )
    ax.set_ylim(bottom=0)


def review_chart(review: Review, path: str | Path) -> tuple[int, int]:
    """Draw the review's chart as a PNG at ``path``; return its size in pixels."""
    panels = chart_panels(review)
    width, height = chart_size_px(len(panels))
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    top = 1.0 - HEADER_PX * 0.85 / height
    fig.subplots_adjust(left=0.07, right=0.82, top=top, bottom=0.6 * HEADER_PX / height, hspace=0.5)
    fig.suptitle(
        f"{review.case_id} — review as of {review.as_of}\n"
        "green lines: immunoglobulin doses (bold: induction); ▲ peak ▼ trough ● other visit; "
        "shaded: course baseline ± MCID",
        fontsize=9,
        y=1.0 - 8 / height,
        va="top",
    )
    if not panels:
        ax = fig.add_subplot(1, 1, 1)
        ax.text(0.5, 0.5, "no outcome measures or doses recorded", ha="center", va="center")
        ax.set_axis_off()
    else:
        first: Axes | None = None
        for i, panel in enumerate(panels):
            ax = fig.add_subplot(len(panels), 1, i + 1, sharex=first)
            first = first or ax
            _dose_markers(ax, review)
            if panel.measure == "dose_intensity":
                _intensity_panel(ax, review)
            else:
                _measure_panel(ax, review, panel)
            ax.set_title(panel.title, fontsize=9, loc="left")
            ax.grid(True, alpha=0.25)
            handles, labels = ax.get_legend_handles_labels()
            if handles:
                ax.legend(handles, labels, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        assert first is not None
        locator = AutoDateLocator()
        first.xaxis.set_major_locator(locator)
        formatter = ConciseDateFormatter(locator)
        first.xaxis.set_major_formatter(formatter)
        start, end = _span(review)
        first.set_xlim(_x(start), _x(end))
    fig.savefig(str(path), format="png", dpi=DPI)
    return width, height


def _span(review: Review) -> tuple[date, date]:
    dates: Sequence[date] = [r.date for r in review.timed_readings] + [
        e.date for e in review.schedule.events
    ]
    if not dates:
        return review.as_of - timedelta(days=30), review.as_of + timedelta(days=30)
    lo, hi = min(dates), max(dates)
    pad = timedelta(days=max(7, (hi - lo).days // 40))
    return lo - pad, hi + pad
