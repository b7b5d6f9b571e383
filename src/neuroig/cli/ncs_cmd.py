"""``neuroig ncs``: the nerve-conduction table a neurophysiologist expects."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from neuroig.case import load_case
from neuroig.cli.console import fmt, handle_errors, out_console
from neuroig.electro import ElectroOptions, analyse
from neuroig.electro.export import electro_to_dict

__all__ = ["ncs"]

_NUMERIC = ("mm", "m/s (% LLN)", "Amp↓%", "Area↓%", "Dur↑%")
_GRADE_STYLE = {"definite": "bold red", "probable": "bold yellow", "unknown": "cyan", "none": "dim"}


def _pct(value: float | None) -> str:
    return f" ({value:.0f}%)" if value is not None else ""


def _tri(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "?"}[value]


@handle_errors
def ncs(
    file: Annotated[Path, typer.Argument(help="A case file.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the electro object as JSON.")
    ] = False,
    amplitude_surrogate: Annotated[
        bool,
        typer.Option(
            "--amplitude-surrogate",
            help="Grade EFNS/PNS MMN block by amplitude where area is missing (surrogate).",
        ),
    ] = False,
) -> None:
    """Analyse the case's nerve conduction study: segments, blocks, slowing, sensory."""
    case = load_case(file)
    result = analyse(case, ElectroOptions(amplitude_surrogate=amplitude_surrogate))
    if result is None:
        if as_json:
            out_console.print_json(json.dumps({"motor": [], "sensory": [], "warnings": ["no NCS"]}))
        else:
            out_console.print(
                f"{case.case_id}: no nerve conduction study in the case", markup=False
            )
        return
    if as_json:
        out_console.print_json(json.dumps(electro_to_dict(result), ensure_ascii=False))
        return
    out_console.print(f"[bold]{case.case_id}[/bold] nerve conduction analysis")
    summary = Table(
        title="Motor nerves (distal latency and F as % of ULN; amplitude and CV as % of LLN)"
    )
    for col in ("Nerve", "DML ms", "Amp mV", "Slowest CV", "F ms", "Dur ms", "Met", "Unknown"):
        summary.add_column(col)
    for m in result.motor:
        f_text = "absent" if m.f_absent else fmt(m.f_latency_ms) + _pct(m.f_latency_pct_uln)
        summary.add_row(
            f"{m.side} {m.nerve}",
            fmt(m.distal_latency_ms) + _pct(m.distal_latency_pct_uln),
            fmt(m.distal_amplitude_mv) + _pct(m.distal_amplitude_pct_lln),
            fmt(m.slowest_velocity_m_s) + _pct(m.slowest_velocity_pct_lln),
            f_text,
            fmt(m.distal_duration_ms),
            ", ".join(f.id for f in m.findings if f.status == "met") or "—",
            ", ".join(f.id for f in m.findings if f.status == "unknown") or "—",
        )
    out_console.print(summary)
    t = Table(
        title="Motor segments",
        caption="MMN block: EFNS/PNS 2010 grade; CIDP CB: EAN/PNS 2021 criterion (e)",
    )
    numeric = set(_NUMERIC)
    for col in (
        "Nerve",
        "Segment",
        "Kind",
        *sorted(numeric, key=list(_NUMERIC).index),
        "MMN block",
        "CIDP CB",
        "Note",
    ):
        t.add_column(
            col,
            justify="right" if col in numeric else "left",
            no_wrap=True,
        )
    for m in result.motor:
        for i, s in enumerate(m.segments):
            note = "⚠ entrapment" if s.entrapment else ("long" if s.long_segment else "")
            t.add_row(
                f"{m.side} {m.nerve}" if i == 0 else "",
                s.label,
                s.kind[:3],
                fmt(s.distance_mm, 0),
                fmt(s.velocity_m_s) + _pct(s.velocity_pct_lln),
                fmt(s.amplitude_drop_pct),
                fmt(s.area_drop_pct),
                fmt(s.duration_increase_pct),
                Text(s.efns.grade, style=_GRADE_STYLE[s.efns.grade]),
                _tri(s.ean_block),
                note,
            )
        t.add_section()
    out_console.print(t)
    zones = sorted(
        {
            (m.side, m.nerve, seg.entrapment)
            for m in result.motor
            for seg in m.segments
            if seg.entrapment
        }
    )
    for side, nerve, zone in zones:
        out_console.print(
            f"⚠ {side} {nerve}: segments crossing the {zone} never count as block (E4)",
            markup=False,
        )
    if result.sensory:
        st = Table(title="Sensory")
        for col in ("Nerve", "Segment", "Amp % LLN", "CV % LLN", "Abnormal", "Reason"):
            st.add_column(col)
        for sn in result.sensory:
            for e in sn.entries:
                st.add_row(
                    f"{sn.side} {sn.nerve}",
                    e.segment,
                    fmt(e.amplitude_pct_lln, 0),
                    fmt(e.velocity_pct_lln, 0),
                    _tri(e.abnormal),
                    e.reason,
                )
        out_console.print(st)
    for w in result.warnings:
        out_console.print(f"warning: {w}", markup=False)
