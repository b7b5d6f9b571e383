"""Every command's --help shows flags as flags (no "<bool>" value) and has examples."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from neuroig.cli.app import app
from neuroig.cli.application import COMMANDS

runner = CliRunner()


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)], ids=str)
def test_help_shows_no_bool_metavar(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stdout
    assert "<bool>" not in result.stdout
    assert "--help" in result.stdout
    if command and command[0] != "schema":
        assert "Examples" in result.stdout
