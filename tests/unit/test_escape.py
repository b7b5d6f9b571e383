"""The escape helpers: control characters, Rich markup and mathtext never pass through."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from neuroig.escape import calendar, markdown, mathtext, plain_text, terminal


def test_plain_text_removes_escape_sequences_and_folds_newlines() -> None:
    assert plain_text("ID\x1b]0;pwned\x07 x") == "ID]0;pwned x"
    assert plain_text("a\nb\tc\r\nd") == "a b c d"
    assert plain_text("\u202eevil") == "evil"
    assert plain_text("Müller 12") == "Müller 12"


def test_terminal_escapes_rich_markup() -> None:
    console = Console(width=200, record=True, color_system=None)
    for raw in ["ID [/] x", "[link=http://x]click[/link]", "[bold]b", "a\\[b]"]:
        console.print(terminal(raw))
    text = console.export_text()
    assert "ID [/] x" in text
    assert "[link=http://x]click[/link]" in text
    assert "[bold]b" in text


def test_terminal_keeps_backslashes_before_brackets() -> None:
    # Rich turns "\\[" into "[" even outside a tag; found by the property test below.
    console = Console(width=200, record=True, color_system=None)
    for raw in ["\\[", "a\\[b]", "\\[x]", "\\\\[bold]x", "\\[[b]"]:
        console.print(terminal(raw), end="|")
    assert console.export_text() == "\\[|a\\[b]|\\[x]|\\\\[bold]x|\\[[b]|"


def test_mathtext_and_calendar() -> None:
    assert mathtext(r"$\frac{1}{$") == r"\$\frac{1}{\$"
    assert calendar("line1\nline2\x00") == "line1 line2"


@example("\\[")
@given(st.text())
def test_terminal_round_trips_printable_text(raw: str) -> None:
    console = Console(width=10_000, record=True, color_system=None, soft_wrap=True)
    console.print(terminal(raw), end="")
    assert console.export_text() == Text(plain_text(raw)).plain


def test_mathtext_is_drawn_as_typed(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    raw = r"$\frac{1}{$ 5$ a\b"
    fig, ax = plt.subplots()
    text = ax.set_title(mathtext(raw))
    fig.savefig(tmp_path / "t.png")  # would raise on broken mathtext
    # matplotlib un-escapes "\$" outside math mode: what it draws is what was typed
    assert text._preprocess_math(text.get_text()) == (raw, False)
    plt.close(fig)


def test_markdown_escapes_html_links_and_emphasis() -> None:
    assert markdown("<script>alert(1)</script>") == r"\<script\>alert\(1\)\</script\>"
    assert markdown("*x* [a](b) `c` 2.5 g") == r"\*x\* \[a\]\(b\) \`c\` 2.5 g"
    assert markdown("a\nb\x1b[31m") == "a b[31m".replace("[", "\\[")


@given(st.text())
def test_markdown_leaves_no_active_character_unescaped(text: str) -> None:
    out = markdown(text)
    # drop each escaped pair; what is left holds no character Markdown would read
    rest = re.sub(r"\\.", "", out)
    assert not set(rest) & set("\\`*_{}[]()#|<>~&")
    assert "\n" not in out
