"""Injection and path mistakes through every text command, after all fixes landed.

The corpus tests (``test_corpus.py``) cover the case boundary; these cover what the
boundary lets through on purpose (printable text that looks like markup) and output
paths that are folders, for every command that prints or writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, example_data
from typer.testing import CliRunner

from neuroig.cli.app import app

runner = CliRunner()

#: Printable text a case may hold that a careless renderer would read as Rich markup
#: (a closing tag with nothing open crashes Rich; a link tag makes a hyperlink).
MARKUP_ID = r"ID [/] x [link=http://evil]click[/link] \[b] [bold]"


@pytest.fixture
def markup_case(tmp_path: Path) -> Path:
    data = example_data("mmn-declining-response")
    data["case_id"] = MARKUP_ID
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate"],
        ["evaluate", "-v"],
        ["show"],
        ["ncs"],
        ["validate"],
        ["plan", "--product", "privigen", "--start", "2026-12-01"],
        ["review"],
    ],
    ids=" ".join,
)
def test_markup_in_a_case_string_is_printed_as_typed(markup_case: Path, args: list[str]) -> None:
    result = runner.invoke(app, [args[0], str(markup_case), *args[1:]], env={"COLUMNS": "200"})
    assert result.exit_code in (0, 2), result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    out = result.stdout + result.stderr
    assert MARKUP_ID in out, out[:500]
    assert "\x1b]8;" not in out  # no terminal hyperlink


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["plan", "{mmn}", "--product", "privigen", "--start", "2026-12-01", "--ics"], "ics"),
        (["ncs", "{mmn}", "--plot"], "plot"),
        (["review", "{decl}", "--plot"], "plot"),
        (["evaluate", "{examples}", "--out"], "out"),
    ],
    ids=["plan --ics", "ncs --plot", "review --plot", "evaluate --out"],
)
def test_an_output_path_that_is_a_folder_is_exit_2_with_a_sentence(
    tmp_path: Path, args: list[str], option: str
) -> None:
    paths = {
        "{mmn}": str(EXAMPLES / "mmn-definite.json"),
        "{decl}": str(EXAMPLES / "mmn-declining-response.json"),
        "{examples}": str(EXAMPLES),
    }
    argv = [paths.get(a, a) for a in args] + [str(tmp_path)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert str(tmp_path) in result.stderr and "folder" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written into the folder
