"""docs/tutorial.md is executed: each command runs and its shown output must match.

After a change that alters an output, ``scripts/update-tutorial`` rewrites the shown
outputs in place (keeping their ``...`` elisions).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ROOT
from tests.docs.runner import (
    ConsoleBlock,
    FileBlock,
    PythonBlock,
    lines_match,
    mismatches,
    render_expected,
    run_page,
    update_page,
)

TUTORIAL = ROOT / "docs" / "tutorial.md"


def test_tutorial_commands_print_what_the_page_shows(tmp_path: Path) -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = run_page(text, tmp_path)
    commands = [c for b in blocks if isinstance(b, ConsoleBlock) for c in b.commands]
    # new, validate, evaluate, validate (typo), validate, evaluate, plan, review
    assert [c.line.split()[1] for c in commands] == [
        "new",
        "validate",
        "evaluate",
        "validate",
        "validate",
        "evaluate",
        "plan",
        "review",
    ]
    assert any(isinstance(b, PythonBlock) for b in blocks)
    bad = mismatches(blocks)
    assert not bad, "docs/tutorial.md is out of date (run scripts/update-tutorial):\n\n" + (
        "\n\n".join(bad)
    )
    # the tutorial wrote only inside its own folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-case.yaml", "typo.yaml"]


def test_a_wrong_shown_output_is_reported(tmp_path: Path) -> None:
    page = "```console\n$ echo one; echo two\none\nthree\n```\n"
    bad = mismatches(run_page(page, tmp_path))
    assert len(bad) == 1
    assert bad[0].startswith("$ echo one; echo two\n--- shown (exit 0)\none\nthree")


def test_exit_status_is_checked(tmp_path: Path) -> None:
    ok = "```console\n$ echo no; exit 3\nno\n[exit 3]\n```\n"
    assert mismatches(run_page(ok, tmp_path)) == []
    wrong = "```console\n$ echo no; exit 3\nno\n```\n"
    assert len(mismatches(run_page(wrong, tmp_path))) == 1


def test_file_blocks_write_then_append(tmp_path: Path) -> None:
    page = (
        '```yaml title="a.yaml"\nx: 1\n```\n'
        '```yaml title="a.yaml" append\ny: 2\n```\n'
        "```console\n$ cat a.yaml\nx: 1\ny: 2\n```\n"
    )
    blocks = run_page(page, tmp_path)
    assert [type(b) for b in blocks] == [FileBlock, FileBlock, ConsoleBlock]
    assert mismatches(blocks) == []


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "...", "d"], ["a", "b", "c", "d"], True),
        (["a", "..."], ["a"], True),  # ... may stand for no line
        (["a", "...", "d"], ["a", "b", "c"], False),
        (["head ..."], ["head and more"], True),
        (["head ..."], ["other"], False),
        (["neuroig 0.1.0 assessment"], ["neuroig 2.3.4 assessment"], True),
        (["a"], ["a", "b"], False),
    ],
)
def test_elision_rules(expected: list[str], actual: list[str], ok: bool) -> None:
    assert lines_match(expected, actual) is ok


def test_update_keeps_the_shape_of_the_shown_output() -> None:
    # two head lines, one middle line that still occurs, one tail line
    expected = ["h1", "h2", "...", "m", "...", "t"]
    actual = ["H1", "H2", "x", "m", "y", "T"]
    assert render_expected(expected, actual) == ["H1", "H2", "...", "m", "...", "T"]
    assert render_expected(["old"], ["new1", "new2"]) == ["new1", "new2"]


def test_update_page_rewrites_only_console_output(tmp_path: Path) -> None:
    page = "intro\n```console\n$ echo new\nold\n```\nend\n"
    blocks = run_page(page, tmp_path)
    assert update_page(page, blocks) == "intro\n```console\n$ echo new\nnew\n```\nend\n"
