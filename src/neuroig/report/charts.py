"""Charts of a review: each outcome over time with dose markers, MCID bands and wear-off
cycles, dose intensity, and serial nerve conduction studies.

Matplotlib with the Agg backend through the object API (no pyplot state), so charts
can be drawn headless and from several threads. The figure has a fixed width and one
fixed-height panel per plotted series group, so its pixel size is predictable:
:func:`chart_size_px`. Every string that came from the case (case id, scale names,
nerve and muscle names) passes through :func:`neuroig.escape.mathtext`, so a ``$`` or a
backslash is drawn as typed and never parsed as mathtext.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from neuroig.escape import mathtext
from neuroig.monitoring.axonal import AxonalNerve
from neuroig.monitoring.readings import Reading
from neuroig.monitoring.review import Review
from neuroig.record import Record
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


class Panel(Record, frozen=True):
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
    serial = _serial_nerves(review)
    if serial:
        panels.append(
            Panel("Serial NCS: distal CMAP amplitude (mV) per nerve (M6)", "ncs_amplitude", (), "")
        )
        if any(p.velocity_m_s is not None for n in serial for p in n.points):
            panels.append(
                Panel(
                    "Serial NCS: motor conduction velocity, first segment (m/s) per nerve",
                    "ncs_velocity",
                    (),
                    "",
                )
            )
    return panels


def _serial_nerves(review: Review) -> list[AxonalNerve]:
    """Nerves studied on at least two dates (repeated nerve studies)."""
    return [n for n in review.axonal if len({p.date for p in n.points}) >= 2]


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


def _mcid_bands(ax: Axes, review: Review, key: str, rs: Sequence[Reading]) -> bool:
    """Baseline ± MCID of each course, drawn only from the baseline to the last reading of
    the series on that course's treatment (never over a span without data)."""
    drawn = False
    for course in review.courses:
        for c in course.changes:
            if c.measure != key or c.mcid is None:
                continue
            stop = course.on_treatment_to or review.as_of
            seen = [r.date for r in rs if c.baseline_date <= r.date <= stop]
            if len(seen) < 2:
                continue
            end = max(seen)
            ax.fill_between(
                _xs([c.baseline_date, end]),
                c.baseline - c.mcid,
                c.baseline + c.mcid,
                color=_colour(key),
                alpha=0.12,
                linewidth=0,
                label=mathtext(f"{_short(key)}baseline ± MCID {c.mcid:g}") if not drawn else None,
            )
            drawn = True
    return drawn


def _wear_off_cycles(ax: Axes, review: Review) -> None:
    """Shade the cycles that met the wear-off rule (M3): orange, labelled once."""
    first = True
    for c in review.wear_off.cycles:
        if c.status != "met":
            continue
        ax.axvspan(
            _x(c.start),
            _x(c.end),
            color="#ff7f0e",
            alpha=0.18,
            linewidth=0,
            zorder=0,
            label="wear-off cycle (M3)" if first else None,
        )
        first = False


def _measure_panel(ax: Axes, review: Review, panel: Panel) -> None:
    _wear_off_cycles(ax, review)
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
            label=mathtext(side) if side else None,
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
        _mcid_bands(ax, review, key, rs)
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
            mathtext(f"on a fixed dosing weight of {w.kg:g} kg ({w.policy}, {w.on})"),
            transform=ax.transAxes,
            fontsize=7,
        )
    ax.set_ylim(bottom=0)


_NERVE_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def _ncs_panel(ax: Axes, review: Review, *, velocity: bool) -> None:
    """Distal CMAP amplitude (with the LLN dotted) or first-segment velocity per nerve."""
    for k, n in enumerate(_serial_nerves(review)):
        colour = _NERVE_COLOURS[k % len(_NERVE_COLOURS)]
        pts = [p for p in n.points if (p.velocity_m_s if velocity else p.amplitude_mv) is not None]
        if not pts:
            continue
        ys = [
            float(p.velocity_m_s) if velocity and p.velocity_m_s is not None else p.amplitude_mv
            for p in pts
        ]
        flag = " — axonal loss likely" if n.flagged and not velocity else ""
        ax.plot(
            _xs([p.date for p in pts]),
            ys,
            color=colour,
            marker="o",
            markersize=4,
            linewidth=1.2,
            label=mathtext(f"{n.side} {n.nerve}{flag}"),
        )
        lln = pts[-1].lln_mv
        if not velocity and lln is not None:
            ax.hlines(
                lln,
                _x(pts[0].date),
                _x(pts[-1].date),
                colors=colour,
                linestyles="dotted",
                linewidth=0.9,
            )
    ax.set_ylim(bottom=0)
    if not velocity:
        ax.text(0.005, 0.03, "dotted: lower limit of normal", transform=ax.transAxes, fontsize=7)


def review_chart(review: Review, path: str | Path) -> tuple[int, int]:
    """Draw the review's chart as a PNG at ``path``; return its size in pixels."""
    panels = chart_panels(review)
    width, height = chart_size_px(len(panels))
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    top = 1.0 - HEADER_PX * 0.85 / height
    fig.subplots_adjust(left=0.07, right=0.82, top=top, bottom=0.6 * HEADER_PX / height, hspace=0.5)
    fig.suptitle(
        mathtext(f"{review.case_id} — review as of {review.as_of}")
        + "\ngreen lines: immunoglobulin doses (bold: induction); ▲ peak ▼ trough ● other "
        "visit; shaded: course baseline ± MCID where measured; orange: wear-off cycles",
        fontsize=9,
        y=1.0 - 8 / height,
        va="top",
    )
    if not panels:
        ax = fig.add_subplot(1, 1, 1)
        ax.text(
            0.5,
            0.5,
            "no outcome measures, doses or nerve studies recorded",
            ha="center",
            va="center",
        )
        ax.set_axis_off()
    else:
        first: Axes | None = None
        for i, panel in enumerate(panels):
            ax = fig.add_subplot(len(panels), 1, i + 1, sharex=first)
            first = first or ax
            _dose_markers(ax, review)
            if panel.measure == "dose_intensity":
                _intensity_panel(ax, review)
            elif panel.measure in ("ncs_amplitude", "ncs_velocity"):
                _ncs_panel(ax, review, velocity=panel.measure == "ncs_velocity")
            else:
                _measure_panel(ax, review, panel)
            ax.set_title(mathtext(panel.title), fontsize=9, loc="left")
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
    dates: Sequence[date] = (
        [r.date for r in review.timed_readings]
        + [e.date for e in review.schedule.events]
        + [p.date for n in _serial_nerves(review) for p in n.points]
    )
    if not dates:
        return review.as_of - timedelta(days=30), review.as_of + timedelta(days=30)
    lo, hi = min(dates), max(dates)
    pad = timedelta(days=max(7, (hi - lo).days // 40))
    return lo - pad, hi + pad
