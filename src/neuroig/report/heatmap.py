"""A nerve-conduction heat map: each nerve's measures as % of their normal limit.

One row per nerve (motor, then sensory), one column per measure: distal motor latency
and F-wave latency as % of the ULN, distal CMAP amplitude, slowest motor velocity, SNAP
amplitude and sensory velocity as % of the LLN (the limits of decision E9). The colour
shows how far a value lies beyond its limit in the abnormal direction (white: within
normal limits; red: beyond); the cell prints the value. The EAN/PNS 2021 demyelinating
cut-offs (criteria a, b, c) are written in the column headers and cells that reach them
are outlined. Pure drawing from an :class:`~neuroig.electro.ElectroResult`; matplotlib
Agg through the object API, so the size in pixels is predictable (:func:`heatmap_size_px`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from neuroig.electro import ElectroResult
from neuroig.escape import mathtext
from neuroig.record import Record
from neuroig.reference.thresholds import Threshold, threshold

__all__ = ["DPI", "HEADER_PX", "ROW_PX", "WIDTH_PX", "HeatColumn", "heatmap_rows", "ncs_heatmap"]

DPI = 100
WIDTH_PX = 1200
ROW_PX = 34
HEADER_PX = 120
FOOTER_PX = 60
#: How far beyond its limit a value must lie for the colour to saturate (% of the limit).
SATURATION_PCT = 60.0
_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


class HeatColumn(Record, frozen=True):
    """A measure: its label, whether the limit is an upper one (ULN), and the criterion
    cut-off marked on it (None: no cut-off)."""

    label: str
    upper_limit: bool
    cutoff: Threshold | None
    drop: bool = False


def _columns() -> tuple[HeatColumn, ...]:
    return (
        HeatColumn("distal latency\n% of ULN", True, threshold("cidp21.a.distal_latency_pct_uln")),
        HeatColumn("CMAP amplitude\n% of LLN", False, None),
        HeatColumn("slowest motor CV\n% of LLN", False, threshold("cidp21.b.velocity_pct_lln")),
        HeatColumn("F-wave latency\n% of ULN", True, threshold("cidp21.c.f_latency_pct_uln")),
        HeatColumn("SNAP amplitude\n% of LLN", False, None),
        HeatColumn("sensory CV\n% of LLN", False, None),
        HeatColumn(
            "largest area reduction\n% (block, outside\nentrapment sites)",
            True,
            threshold("mmn10.definite.area_drop_pct"),
            drop=True,
        ),
    )


Row = tuple[str, tuple[float | None, ...]]


def heatmap_rows(electro: ElectroResult) -> list[Row]:
    """(label, values per column) per nerve; None where not measured or no limit."""
    rows: list[Row] = []
    for m in electro.motor:
        rows.append(
            (
                f"{m.side} {m.nerve} (motor)",
                (
                    m.distal_latency_pct_uln,
                    m.distal_amplitude_pct_lln,
                    m.slowest_velocity_pct_lln,
                    m.f_latency_pct_uln,
                    None,
                    None,
                    max(
                        (
                            seg.area_drop_pct
                            for seg in m.segments
                            if seg.area_drop_pct is not None and seg.entrapment is None
                        ),
                        default=None,
                    ),
                ),
            )
        )
    for s in electro.sensory:
        amps = [e.amplitude_pct_lln for e in s.entries if e.amplitude_pct_lln is not None]
        vels = [e.velocity_pct_lln for e in s.entries if e.velocity_pct_lln is not None]
        rows.append(
            (
                f"{s.side} {s.nerve} (sensory)",
                (
                    None,
                    None,
                    None,
                    None,
                    min(amps, default=None),
                    min(vels, default=None),
                    None,
                ),
            )
        )
    return rows


def heatmap_size_px(n_rows: int) -> tuple[int, int]:
    """(width, height) in pixels of a heat map with ``n_rows`` nerves."""
    return WIDTH_PX, HEADER_PX + FOOTER_PX + ROW_PX * max(n_rows, 1)


def _beyond(value: float, upper: bool) -> float:
    """% beyond the limit in the abnormal direction (0 when within the limit)."""
    return max(0.0, value - 100.0) if upper else max(0.0, 100.0 - value)


def _reaches(cut: Threshold | None) -> Callable[[float], bool]:
    if cut is None:
        return lambda _v: False
    return cut.holds


def ncs_heatmap(electro: ElectroResult, case_id: str, path: str | Path) -> tuple[int, int]:
    """Draw the heat map as a PNG at ``path``; return its size in pixels."""
    columns = _columns()
    rows = heatmap_rows(electro)
    width, height = heatmap_size_px(len(rows))
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    left, right = 0.2, 0.98
    top = 1.0 - HEADER_PX / height
    bottom = FOOTER_PX / height
    ax = fig.add_axes((left, bottom, right - left, top - bottom))
    cmap = LinearSegmentedColormap.from_list("beyond", ["#ffffff", "#fdd0a2", "#d62728"])
    n = max(len(rows), 1)
    ax.set_xlim(0, len(columns))
    ax.set_ylim(n, 0)
    for r, (_label, values) in enumerate(rows):
        for c, (col, value) in enumerate(zip(columns, values, strict=True)):
            if value is None:
                ax.add_patch(Rectangle((c, r), 1, 1, facecolor="#eeeeee", edgecolor="white"))
                ax.text(c + 0.5, r + 0.5, "—", ha="center", va="center", fontsize=8, color="#888")
                continue
            if col.drop and col.cutoff is not None:
                level = min(max(value, 0.0) / col.cutoff.value, 1.0)
            else:
                level = min(_beyond(value, col.upper_limit) / SATURATION_PCT, 1.0)
            ax.add_patch(Rectangle((c, r), 1, 1, facecolor=cmap(level), edgecolor="white"))
            if _reaches(col.cutoff)(value):
                ax.add_patch(
                    Rectangle((c + 0.04, r + 0.08), 0.92, 0.84, fill=False, edgecolor="black", lw=2)
                )
            ax.text(
                c + 0.5,
                r + 0.5,
                f"{value:.0f} %",
                ha="center",
                va="center",
                fontsize=9,
                color="white" if level > 0.7 else "black",
            )
    if not rows:
        ax.text(len(columns) / 2, 0.5, "no nerve studied", ha="center", va="center")
    ax.set_xticks([c + 0.5 for c in range(len(columns))])
    ax.set_xticklabels(
        [
            col.label
            + (
                f"\ncut-off {_SYMBOL[col.cutoff.comparator]} {col.cutoff.value:g}"
                if col.cutoff is not None
                else ""
            )
            for col in columns
        ],
        fontsize=8,
    )
    ax.xaxis.tick_top()
    ax.set_yticks([r + 0.5 for r in range(len(rows))])
    ax.set_yticklabels([mathtext(label) for label, _ in rows], fontsize=9)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.suptitle(
        f"{mathtext(case_id)}: nerve conduction as % of the normal limit",
        fontsize=11,
        y=1.0 - 10 / height,
        va="top",
    )
    fig.text(
        0.01,
        8 / height,
        "White: within the limit; red: beyond it in the abnormal direction (saturates at "
        f"{SATURATION_PCT:g} % beyond; area reduction: at the cut-off).\n"
        "Outlined: reaches the EAN/PNS 2021 demyelinating "
        "cut-off (criteria a, b, c; Van den Bergh 2021) or, for area reduction, the EFNS/PNS 2010 "
        "definite-block cut-off (van Schaik 2010). Grey: not measured or no limit.",
        fontsize=7.5,
        va="bottom",
    )
    fig.savefig(str(path), format="png", dpi=DPI)
    return width, height
