"""Render an :class:`~neuroig.assess.Assessment` as a report a neurologist signs (Rich).

The first screen answers: each criteria set's category (most relevant set first) with its
citation, the deciding evidence, the flags and the next tests ordered by cost (bedside
first). ``verbose`` adds the full trace: every criterion of every set. The selection
lives in :mod:`neuroig.criteria.deciding`; this module only lays it out. Layouts never
cut a clinical value: a table that does not fit the width is stacked as key/value lines.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from neuroig.assess import SET_ORDER, Assessment
from neuroig.criteria.deciding import (
    NBSP,
    BlockRow,
    category_words,
    conditional_words,
    deciding_blocks,
    deciding_criteria,
    evidence_rows,
    next_tests,
    sets_by_relevance,
    site_words,
    status_words,
    with_unit,
)
from neuroig.criteria.lmn import EXPECTED_RESPONSE
from neuroig.criteria.verdict import CriteriaSetResult
from neuroig.escape import plain_text
from neuroig.record import Record

__all__ = ["Column", "para", "render_assessment", "summary_lines", "table_or_stack"]

_STATUS_STYLE = {"met": "green", "not_met": "red", "unknown": "yellow"}
_SEVERITY_WORDS = {"block": "excludes", "warn": "warning", "info": "information"}
_HIDDEN_KINDS = frozenset({"supportive_clinical"})
_FEATURES = {
    "distal_upper_limb_onset": "distal upper-limb onset",
    "emg_confined_to_weak_muscles": "EMG confined to weak muscles",
    "normal_ck": "normal CK",
}
_MMN_SETS = frozenset({"mmn_efns_pns_2010", "mmn_aaem_2003"})


class Column(Record, frozen=True):
    """A table column: header, whether its cells are clinical values that must stay whole
    (``no_wrap``), and right alignment for numbers."""

    header: str
    whole: bool = True
    numeric: bool = False


def para(console: Console, text: str, *, indent: int = 0, hang: int = 4, style: str = "") -> None:
    """Print ``text`` (case strings escaped as plain text) wrapped at spaces to the
    console's width with a hanging indent; words and non-breaking "value unit" pairs are
    never split (a token longer than the line is printed whole)."""
    lines = textwrap.wrap(
        plain_text(text),
        width=max(console.width, 20),
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + hang),
        break_long_words=False,
        break_on_hyphens=False,
    )
    for line in lines or [""]:
        console.print(Text(line, style=style), overflow="ignore", crop=False)


def _pairs(console: Console, pairs: Sequence[tuple[str, str]], indent: int) -> None:
    """Pack ``header: value`` pairs onto lines ("; " between), never splitting a pair
    unless it alone is longer than a line."""
    width = max(console.width, 20)
    line = ""
    for header, value in pairs:
        item = f"{header}: {plain_text(value)}" if header else plain_text(value)
        candidate = f"{line}; {item}" if line else item
        if line and indent + len(candidate) > width:
            para(console, line, indent=indent)
            line = item
        else:
            line = candidate
    if line:
        para(console, line, indent=indent)


def _cell_width(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def table_or_stack(
    console: Console,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    caption: str | None = None,
    group: int = 1,
) -> None:
    """Print ``rows`` as a table when every whole column fits the console's width, else
    stacked: one block per row headed by its first ``group`` cells, then one
    ``header: value`` line per other cell. Cells are plain text (no markup)."""
    if not rows:
        return
    need = 1  # the left border
    for i, col in enumerate(columns):
        width = max(_cell_width(col.header), *(_cell_width(r[i]) for r in rows))
        if not col.whole:
            width = min(width, 24)
        need += width + 3  # padding and border
    if need <= console.width:
        para(console, title, style="bold")
        t = Table()
        for col in columns:
            t.add_column(
                col.header,
                no_wrap=col.whole,
                justify="right" if col.numeric else "left",
                overflow="fold",
            )
        for r in rows:
            t.add_row(*(Text(plain_text(c)) for c in r))
        console.print(t)
        if caption:
            para(console, caption, style="dim")
        return
    para(console, title, style="bold")
    for r in rows:
        para(console, ", ".join(c for c in r[:group] if c), indent=2, style="bold")
        _pairs(
            console,
            [
                (col.header, cell)
                for col, cell in zip(columns[group:], r[group:], strict=True)
                if cell
            ],
            4,
        )
    if caption:
        para(console, caption, style="dim")


def _category_text(r: CriteriaSetResult) -> str:
    text = category_words(r.category)
    if r.phenotype:
        text += f" (phenotype: {r.phenotype})"
    cond = conditional_words(r)
    if cond:
        text += f"; {cond}"
    elif r.reachable:
        text += f"; could reach {category_words(r.reachable)}"
    return text


def summary_lines(a: Assessment) -> list[str]:
    """One line per criteria set, most relevant first: the report's answer."""
    return [
        f"{a.sets[k].title}: {_category_text(a.sets[k])}"
        for k in sets_by_relevance(a.sets, SET_ORDER)
    ]


def _block_rows(blocks: Sequence[BlockRow]) -> list[list[str]]:
    rows = []
    for b in blocks:
        distal = (
            "—"
            if b.distal_amplitude_mv is None
            else f"{b.distal_amplitude_mv:g}{NBSP}mV"
            + (
                ""
                if b.distal_amplitude_pct_lln is None
                else f" ({with_unit(b.distal_amplitude_pct_lln, '% LLN')})"
            )
        )
        rows.append(
            [
                f"{b.side} {b.nerve}",
                site_words(b.segment),
                with_unit(b.area_drop_pct, "%"),
                with_unit(b.amplitude_drop_pct, "%"),
                with_unit(b.duration_increase_pct, "%"),
                distal,
                b.grade + ("" if b.verified else " *"),
                b.threshold,
            ]
        )
    return rows


_BLOCK_COLUMNS = (
    Column("Nerve"),
    Column("Segment"),
    Column("Area ↓", numeric=True),
    Column("Amp ↓", numeric=True),
    Column("Dur ↑", numeric=True),
    Column("Distal CMAP"),
    Column("Grade"),
    Column("Threshold met"),
)


def _answer(a: Assessment, console: Console, order: Sequence[str]) -> None:
    para(console, "Answer", style="bold")
    for key in order:
        r = a.sets[key]
        para(console, f"• {r.title}: {_category_text(r)}", indent=2)
        for note in r.notes:
            if note.startswith(("insufficient data", "not evaluable")):
                para(console, note, indent=6, hang=2)
        para(console, r.cite, indent=6, hang=2, style="dim")


_GROUPS = (
    ("met", "met"),
    ("present", "present (excludes)"),
    ("not_met", "not met"),
    ("unknown", "unknown"),
)


def _deciding(a: Assessment, console: Console, lead: str) -> None:
    r = a.sets[lead]
    crits = deciding_criteria(r)
    console.print()
    para(console, f"Deciding evidence — {r.title}", style="bold")
    groups: dict[str, list[str]] = {}
    for c in crits:
        group: str = "present" if c.kind == "exclusion" else c.status
        groups.setdefault(group, []).append(c.id + ("" if c.verified else " *"))
    for group, words in _GROUPS:
        if groups.get(group):
            para(console, f"{words}: {', '.join(groups[group])}", indent=2)
    shown = [c for c in crits if c.kind in {"clinical", "exclusion"} and c.reason][:3]
    for c in shown:
        para(console, f"{c.id}: {c.reason}", indent=2)
    blocks = deciding_blocks(a.electro) if lead in _MMN_SETS else []
    if blocks:
        table_or_stack(
            console,
            "Conduction block per segment (EFNS/PNS 2010 Table 2; proximal vs distal)",
            _BLOCK_COLUMNS,
            _block_rows(blocks),
            caption=f"Distal CMAP floor: {blocks[0].floor}.",
            group=2,
        )
        return
    ev = evidence_rows([c for c in crits if c.kind == "electrodiagnostic" and c.status == "met"])
    if ev:
        table_or_stack(
            console,
            "Measured against the thresholds",
            (
                Column("Nerve"),
                Column("Segment"),
                Column("Measure"),
                Column("Value", numeric=True),
                Column("Threshold"),
            ),
            [
                [e.nerve, e.segment, e.measure, e.value + ("" if e.verified else " *"), e.threshold]
                for e in ev[:6]
            ],
            caption=f"and {len(ev) - 6} more measures with -v" if len(ev) > 6 else None,
            group=2,
        )


def _flags(a: Assessment, console: Console) -> None:
    if not a.flags:
        return
    console.print()
    para(console, "Flags", style="bold")
    for f in a.flags:
        para(console, f"• {f.id} ({_SEVERITY_WORDS[f.severity]}): {f.text} [{f.cite}]", indent=2)


def _next(a: Assessment, console: Console, limit: int | None) -> None:
    tests = next_tests(a.sets, SET_ORDER)
    if not tests:
        return
    console.print()
    para(console, "Next tests (bedside first, then by cost)", style="bold")
    shown = tests if limit is None else tests[:limit]
    for i, t in enumerate(shown, start=1):
        para(
            console,
            f"{i}. {t.words} — {t.tier_name}; could reach {'; '.join(t.could_reach)}",
            indent=2,
        )
    if len(tests) > len(shown):
        para(console, f"and {len(tests) - len(shown)} more with -v", indent=2, style="dim")


def _lmn(a: Assessment, console: Console, *, summary: bool = True, figures: bool = True) -> None:
    trial = a.lmn_trial
    if trial.applies == "not_met":
        return
    console.print()
    para(console, "Progressive LMN syndrome without conduction block (Simon 2013)", style="bold")
    if summary:
        verdict = {True: "suggested", False: "not suggested", None: "undecided"}[trial.suggested]
        para(console, f"IVIg trial: {verdict}", indent=2)
        para(console, f"applies: {status_words(trial.applies)} — {trial.applies_reason}", indent=2)
        _pairs(
            console,
            [
                (
                    _FEATURES.get(k, k.replace("_", " ")),
                    "unknown" if v is None else "yes" if v else "no",
                )
                for k, v in trial.features.items()
            ],
            2,
        )
    if figures:
        para(console, EXPECTED_RESPONSE, indent=2)


def _set_table(r: CriteriaSetResult, console: Console, verbose: bool) -> None:
    rows = []
    for c in r.criteria:
        if c.kind in _HIDDEN_KINDS and not verbose:
            continue
        rows.append(
            [c.id, status_words(c.status) + ("" if c.verified else " *"), c.statement, c.reason]
        )
    table_or_stack(
        console,
        f"{r.title} — {_category_text(r)}",
        (
            Column("Criterion"),
            Column("Status"),
            Column("Statement", whole=False),
            Column("Basis", whole=False),
        ),
        rows,
        caption=r.cite,
    )


def render_assessment(a: Assessment, console: Console, *, verbose: bool = False) -> None:
    """Print the report: the answer, deciding evidence, flags and next tests first; the
    full trace of every criterion with ``verbose``."""
    order = sets_by_relevance(a.sets, SET_ORDER)
    console.print(
        Text(f"{a.case_id} — neuroig {a.neuroig_version} diagnostic report", style="bold")
    )
    _answer(a, console, order)
    lmn_first = a.lmn_trial.applies == "met" and all(
        a.sets[k].category in ("not_fulfilled", "not_evaluable") for k in order
    )
    if lmn_first:
        # no set is met and the LMN-without-block question applies: that is the answer
        _lmn(a, console, figures=False)
    _deciding(a, console, order[0])
    _flags(a, console)
    _next(a, console, None if verbose else 6)
    _lmn(a, console, summary=not lmn_first)
    for w in a.warnings:
        para(console, f"warning: {w}")
    if verbose:
        for key in order:
            console.print()
            r = a.sets[key]
            _set_table(r, console, verbose)
            for m in r.missing if r.category != "not_evaluable" else ():
                para(
                    console,
                    f"what would change it: {m.input} → {category_words(m.could_reach)}",
                    indent=4,
                )
            for note in r.notes:
                para(console, f"note: {note}", indent=2)
    else:
        console.print()
        para(console, "Every criterion of every set: neuroig evaluate -v", style="dim")
    para(
        console,
        "* = rests on a value not yet verified in its primary source. Input sha256 (first 16 "
        f"digits) {a.input_sha256[:16]}. Decision support only — the treating clinician decides.",
        style="dim",
    )
