"""Render an :class:`~neuroig.assess.Assessment` as a clinician-readable report (Rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from neuroig.assess import SET_ORDER, Assessment
from neuroig.criteria.verdict import CriteriaSetResult

__all__ = ["render_assessment", "summary_lines"]

_STATUS_STYLE = {"met": "green", "not_met": "red", "unknown": "yellow"}
_SEVERITY_STYLE = {"block": "bold red", "warn": "yellow", "info": "cyan"}
_HIDDEN_KINDS = frozenset({"supportive_clinical"})


def _category_text(r: CriteriaSetResult) -> str:
    text = r.category.replace("_", " ")
    if r.phenotype:
        text += f" (phenotype: {r.phenotype})"
    if r.conditional_category:
        cond = r.conditional_category
        text += f"; {cond['category']} if {', '.join(cond['if_absent'])} absent"
    elif r.reachable:
        text += f"; could reach {r.reachable.replace('_', ' ')}"
    return text


def summary_lines(a: Assessment) -> list[str]:
    """One line per criteria set: the leading summary of the report."""
    return [f"{a.sets[k].title}: {_category_text(a.sets[k])}" for k in SET_ORDER]


def _set_table(r: CriteriaSetResult, verbose: bool) -> Table:
    t = Table(title=f"{r.title} — {_category_text(r)}", title_justify="left", show_lines=False)
    t.add_column("Criterion", no_wrap=True)
    t.add_column("Status", no_wrap=True)
    t.add_column("Statement")
    t.add_column("Basis")
    for c in r.criteria:
        if c.kind in _HIDDEN_KINDS and not verbose:
            continue
        flag = "" if c.verified else " *"
        t.add_row(
            c.id,
            Text(c.status.replace("_", " ") + flag, style=_STATUS_STYLE[c.status]),
            c.statement,
            c.reason,
        )
    return t


def render_assessment(a: Assessment, console: Console, *, verbose: bool = False) -> None:
    """Print the report: summary, one section per criteria set, flags, next tests."""
    console.print(f"[bold]{a.case_id}[/bold] — neuroig {a.neuroig_version} assessment")
    console.print("[bold]Summary[/bold]")
    for line in summary_lines(a):
        console.print(f"  • {line}", markup=False)
    severe = [f for f in a.flags if f.severity in {"block", "warn"}]
    if severe:
        console.print("  • flags: " + ", ".join(f.id for f in severe), markup=False)
    trial = a.lmn_trial
    if trial.applies != "not_met":
        verdict = {True: "suggested", False: "not suggested", None: "undecided"}[trial.suggested]
        console.print(f"  • IVIg trial for the LMN syndrome without block: {verdict}", markup=False)
    console.print()
    for key in SET_ORDER:
        console.print(_set_table(a.sets[key], verbose))
        r = a.sets[key]
        if r.missing:
            console.print("  What would change it:", markup=False)
            for m in r.missing:
                console.print(
                    f"    - {m.input} → could reach {m.could_reach.replace('_', ' ')}", markup=False
                )
        for note in r.notes:
            console.print(f"  note: {note}", markup=False)
        console.print()
    if a.flags:
        t = Table(title="Flags", title_justify="left")
        for col in ("Flag", "Severity", "Text", "Source"):
            t.add_column(col)
        for f in a.flags:
            t.add_row(f.id, Text(f.severity, style=_SEVERITY_STYLE[f.severity]), f.text, f.cite)
        console.print(t)
    if trial.applies != "not_met":
        console.print("[bold]Progressive LMN syndrome without conduction block (Simon 2013)[/bold]")
        console.print(f"  applies: {trial.applies} — {trial.applies_reason}", markup=False)
        for k, v in trial.features.items():
            console.print(
                f"  {k.replace('_', ' ')}: {'?' if v is None else 'yes' if v else 'no'}",
                markup=False,
            )
        console.print(f"  {trial.to_dict()['expected_response']}", markup=False)
    for w in a.warnings:
        console.print(f"warning: {w}", markup=False)
    console.print(
        "* = rests on a value not yet verified in its primary source. input sha256 "
        f"{a.input_sha256[:16]}…; "
        "decision support only — the treating clinician decides.",
        markup=False,
        style="dim",
    )
