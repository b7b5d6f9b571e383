"""Terminal layout (issue 11): at 80 and 160 columns (``COLUMNS``) no clinical value of
the example cases is cut, words are never split mid-word, and the report starts with its
answer and deciding evidence within the first 30 lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig import load_case
from neuroig.assess import SET_ORDER, evaluate
from neuroig.cli.app import app
from neuroig.cli.console import DEFAULT_WIDTH
from neuroig.criteria.deciding import deciding_blocks, sets_by_relevance, site_words
from neuroig.electro import analyse
from neuroig.electro.table import ncs_table, segment_words

runner = CliRunner()
WIDTHS = (80, 160)
NCS_CASES = sorted(
    p for p in EXAMPLES.glob("*.json") if "ncs" in json.loads(p.read_text(encoding="utf-8"))
)
NBSP = "\u00a0"


def _run(args: list[str], width: int | None) -> str:
    env = {"COLUMNS": str(width)} if width else {"COLUMNS": ""}
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout.replace(NBSP, " ")


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _assert_fits(out: str, width: int) -> None:
    lines = out.splitlines()
    too_long = [line for line in lines if len(line.rstrip()) > width]
    assert too_long == [], too_long
    assert "…" not in out, [line for line in lines if "…" in line]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", NCS_CASES, ids=lambda p: p.stem)
def test_ncs_shows_every_segment_and_value_whole(path: Path, width: int) -> None:
    out = _run(["ncs", str(path)], width)
    _assert_fits(out, width)
    electro = analyse(load_case(path))
    assert electro is not None
    for m in electro.motor:
        assert f"{m.side} {m.nerve}" in out
        for seg in m.segments:
            assert segment_words(seg.label) in out, seg.label
            for value in (seg.area_drop_pct, seg.amplitude_drop_pct, seg.duration_increase_pct):
                if value is not None:
                    assert _fmt(value) in out, (seg.label, value)
            assert seg.efns.grade in out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", NCS_CASES, ids=lambda p: p.stem)
def test_show_keeps_sites_dates_and_numbers_whole(path: Path, width: int) -> None:
    out = _run(["show", str(path)], width)
    _assert_fits(out, width)
    case = load_case(path)
    if case.ncs is not None and case.ncs.date is not None:
        assert case.ncs.date.isoformat() in out
    table = ncs_table(case)
    for r in table.motor:
        # "below elbow" and "above elbow" stay distinct and whole
        assert f"{r.side} {r.nerve}" in out
        assert r.site.replace("_", " ") in out
        for value in (r.latency_ms, r.amplitude_mv, r.area_mvms, r.duration_ms):
            if value is not None and not r.no_response:
                assert _fmt(value) in out, (r.site, value)
    for s in table.sensory:
        assert s.segment in out
        assert "?" not in s.segment
    if table.motor:
        assert "Area mV·ms" in out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_report_answers_within_the_first_30_lines(path: Path, width: int) -> None:
    out = _run(["evaluate", str(path)], width)
    _assert_fits(out, width)
    a = evaluate(load_case(path))
    lead = a.sets[sets_by_relevance(a.sets, SET_ORDER)[0]]
    head = "\n".join(out.splitlines()[:30])
    assert head.startswith(f"{a.case_id} — neuroig")
    assert "Answer" in head
    assert f"• {lead.title}:" in head
    assert "Deciding evidence" in head
    # every set cites its source somewhere in the text (a cite may wrap at 80 columns)
    flat = " ".join(out.split())
    for key in SET_ORDER:
        assert " ".join(a.sets[key].cite.split()) in flat, key
    # the per-nerve block evidence: nerve, segment and the area reduction, whole
    # (one table row, or the heading of a stacked block, holds nerve and segment)
    for b in deciding_blocks(a.electro) if lead.id.startswith("mmn") else []:
        assert any(
            f"{b.side} {b.nerve}" in line and site_words(b.segment) in line
            for line in out.splitlines()
        ), (b.nerve, b.segment)
        assert f"{b.area_drop_pct:.0f} %" in out


def test_mmn_definite_report_names_the_deciding_nerve_in_the_first_screen() -> None:
    out = _run(["evaluate", str(EXAMPLES / "mmn-definite.json")], 80)
    head = "\n".join(out.splitlines()[:30])
    # left ulnar wrist -> below elbow: area 1 - 9.1/24.0 = 62.1 % >= 50 %, duration
    # 6.5/6.0 - 1 = 8.3 % <= 30 %: definite; distal CMAP 8.0 mV of LLN 6.0 = 133 %
    assert "left ulnar, wrist to below elbow" in head
    assert "62 %" in out
    assert "8 mV (133 % LLN)" in out
    assert "area ≥ 50 %, duration ≤ 30 %" in out


def test_piped_output_without_columns_uses_the_default_width() -> None:
    out = _run(["ncs", str(EXAMPLES / "mmn-definite.json")], None)
    assert max(len(line) for line in out.splitlines()) <= DEFAULT_WIDTH
    wide = _run(["ncs", str(EXAMPLES / "mmn-definite.json")], 160)
    assert max(len(line) for line in wide.splitlines()) > DEFAULT_WIDTH


@pytest.mark.parametrize("width", WIDTHS)
def test_validate_and_help_keep_names_whole(width: int) -> None:
    out = _run(["validate", str(EXAMPLES / "mmn-definite.json")], width)
    assert f"{EXAMPLES / 'mmn-definite.json'}: valid (example-mmn-definite)" in out
    schema_help = _run(["schema", "--help"], width)
    assert "Usage:" in schema_help
    for command, options in (
        ("evaluate", ("--json", "--verbose", "--amplitude-surrogate", "--include-unconfirmed")),
        ("ncs", ("--json", "--plot", "--amplitude-surrogate")),
        ("show", ()),
    ):
        text = _run([command, "--help"], width)
        assert "Examples:" in text, command
        assert f"neuroig {command} examples/" in text
        for option in options:
            assert option in text, (command, option)
        option_lines = [line for line in text.splitlines() if "--json" in line]
        # a flag shows as a flag, not as a value of type bool
        assert all("<bool>" not in line for line in option_lines), option_lines


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_full_trace_fits_the_width(path: Path, width: int) -> None:
    out = _run(["evaluate", "-v", str(path)], width)
    _assert_fits(out, width)
    a = evaluate(load_case(path))
    for r in a.sets.values():
        for c in r.criteria:
            assert c.id in out
