"""``neuroig ncs``: the nerve-conduction table a neurophysiologist expects."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from neuroig.cli.console import err_console, fmt, handle_errors, out_console
from neuroig.cli.render_assessment import Column, para, table_or_stack
from neuroig.criteria.deciding import cut
from neuroig.electro import ElectroResult
from neuroig.electro.table import segment_words
from neuroig.escape import plain_text
from neuroig.reference.thresholds import threshold
from neuroig.schemas.emit import to_json
from neuroig.services.electro import electro as electro_service

__all__ = ["ncs"]


def _pct(value: float | None) -> str:
    return f" ({value:.0f}%)" if value is not None else ""


def _tri(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "unknown"}[value]


@handle_errors
def ncs(
    file: Annotated[Path, typer.Argument(help="A case file.")],
    as_json: Annotated[
        bool, typer.Option("--json", metavar="", help="Print the electro object as JSON.")
    ] = False,
    amplitude_surrogate: Annotated[
        bool,
        typer.Option(
            "--amplitude-surrogate",
            metavar="",
            help="Grade EFNS/PNS MMN block by amplitude where area is missing (surrogate).",
        ),
    ] = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            "--plot",
            help="Also draw a heat map (PNG) of each nerve's measures as % of their limit.",
        ),
    ] = None,
) -> None:
    """Analyse the case's nerve conduction study: segments, blocks, slowing, sensory.

    Tables stack per nerve when COLUMNS (or the terminal) is too narrow.
    --plot draws each nerve's measures as % of their normal limit (a heat map).

    \b
    Examples:
      neuroig ncs examples/mmn-definite.json
      neuroig ncs case.yaml --json
      neuroig ncs examples/cidp-typical.json --plot ncs.png
    """
    done = electro_service(file, amplitude_surrogate=amplitude_surrogate)
    case, result = done.case, done.result
    if result is None:
        if as_json:
            sys.stdout.write(to_json(done.document, indent=True).decode("utf-8") + "\n")
        else:
            out_console.print(
                f"{plain_text(case.case_id)}: no nerve conduction study in the case", markup=False
            )
        return
    if plot is not None:
        # matplotlib is imported only when a chart is asked for
        heatmap = importlib.import_module("neuroig.report.heatmap")
        width, height = heatmap.ncs_heatmap(result, case.case_id, plot)
        err_console.print(f"heat map {width}×{height} px → {plot}", markup=False)
    if as_json:
        sys.stdout.write(to_json(done.document, indent=True).decode("utf-8") + "\n")
        return
    out_console.print(Text(f"{plain_text(case.case_id)} nerve conduction analysis", style="bold"))
    _render(result)


def _render(result: ElectroResult) -> None:
    motor_rows = []
    for m in result.motor:
        f_text = "absent" if m.f_absent else fmt(m.f_latency_ms) + _pct(m.f_latency_pct_uln)
        motor_rows.append(
            [
                f"{m.side} {m.nerve}",
                fmt(m.distal_latency_ms) + _pct(m.distal_latency_pct_uln),
                fmt(m.distal_amplitude_mv) + _pct(m.distal_amplitude_pct_lln),
                fmt(m.slowest_velocity_m_s) + _pct(m.slowest_velocity_pct_lln),
                f_text,
                fmt(m.distal_duration_ms),
                ", ".join(f.id for f in m.findings if f.status == "met") or "—",
                ", ".join(f.id for f in m.findings if f.status == "unknown") or "—",
            ]
        )
    table_or_stack(
        out_console,
        "Motor nerves (distal latency and F as % of ULN; amplitude and CV as % of LLN)",
        (
            Column("Nerve"),
            Column("DML ms", numeric=True),
            Column("Amp mV", numeric=True),
            Column("Slowest CV m/s", numeric=True),
            Column("F ms", numeric=True),
            Column("Dur ms", numeric=True),
            Column("Met", whole=False),
            Column("Unknown", whole=False),
        ),
        motor_rows,
    )
    seg_rows = []
    for m in result.motor:
        for s in m.segments:
            note = "entrapment" if s.entrapment else ("long segment" if s.long_segment else "")
            seg_rows.append(
                [
                    f"{m.side} {m.nerve}",
                    segment_words(s.label),
                    s.kind,
                    fmt(s.distance_mm, 0),
                    fmt(s.velocity_m_s) + _pct(s.velocity_pct_lln),
                    fmt(s.amplitude_drop_pct),
                    fmt(s.area_drop_pct),
                    fmt(s.duration_increase_pct),
                    s.efns.grade,
                    _tri(s.ean_block),
                    note,
                ]
            )
    long_mm = threshold("e5.long_segment_mm")
    table_or_stack(
        out_console,
        "Motor segments (changes proximal vs distal)",
        (
            Column("Nerve"),
            Column("Segment"),
            Column("Kind"),
            Column("mm", numeric=True),
            Column("CV m/s (% LLN)", numeric=True),
            Column("Amp ↓ %", numeric=True),
            Column("Area ↓ %", numeric=True),
            Column("Dur ↑ %", numeric=True),
            Column("MMN"),
            Column("CIDP CB"),
            Column("Note"),
        ),
        seg_rows,
        caption=(
            "mm: segment length. MMN: EFNS/PNS 2010 block grade; CIDP CB: EAN/PNS 2021 "
            "conduction block, criterion (e). Long segment: an upper-limb segment of "
            f"{cut(long_mm.comparator, long_mm.value, 'mm')} (decision E5)."
        ),
        group=2,
    )
    zones = sorted(
        {
            (m.side, m.nerve, seg.entrapment)
            for m in result.motor
            for seg in m.segments
            if seg.entrapment
        }
    )
    for side, nerve, zone in zones:
        para(
            out_console,
            f"Entrapment: {side} {nerve} segments crossing the {zone} never count as block (E4)",
        )
    sens_rows = [
        [
            f"{sn.side} {sn.nerve}",
            segment_words(e.segment),
            fmt(e.amplitude_pct_lln, 0),
            fmt(e.velocity_pct_lln, 0),
            _tri(e.abnormal),
            e.reason,
        ]
        for sn in result.sensory
        for e in sn.entries
    ]
    table_or_stack(
        out_console,
        "Sensory",
        (
            Column("Nerve"),
            Column("Segment"),
            Column("Amp % LLN", numeric=True),
            Column("CV % LLN", numeric=True),
            Column("Abnormal"),
            Column("Reason", whole=False),
        ),
        sens_rows,
        group=2,
    )
    for w in result.warnings:
        out_console.print(Text(f"warning: {plain_text(w)}"))
