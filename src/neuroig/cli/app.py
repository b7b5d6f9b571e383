"""The ``neuroig`` Typer application: registers each command module's functions."""

from __future__ import annotations

from typing import Annotated

import typer

from neuroig import __version__
from neuroig.cli import (
    case_cmds,
    evaluate_cmd,
    ncs_cmd,
    new_cmd,
    plan_cmd,
    registry_cmds,
    review_cmd,
)

__all__ = ["app", "main"]

app = typer.Typer(
    name="neuroig",
    help="Decision support for CIDP, MMN and their mimics, with immunoglobulin therapy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"neuroig {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """neuroig command line."""


app.command("new")(new_cmd.new)
app.command("validate")(case_cmds.validate)
app.command("show")(case_cmds.show)
app.command("schema")(case_cmds.schema)
app.command("ncs")(ncs_cmd.ncs)
app.command("evaluate")(evaluate_cmd.evaluate_cmd)
app.command("plan")(plan_cmd.plan)
app.command("review")(review_cmd.review)

# the registry (issue 13)
app.add_typer(registry_cmds.db_app, name="db")
app.add_typer(registry_cmds.user_app, name="user")
app.add_typer(registry_cmds.audit_app, name="audit")
app.command("import")(registry_cmds.import_cmd)
app.command("export")(registry_cmds.export_cmd)
app.command("patients")(registry_cmds.patients_cmd)
app.command("history")(registry_cmds.history_cmd)
app.command("backup")(registry_cmds.backup_cmd)
app.command("restore")(registry_cmds.restore_cmd)
app.command("reassess")(registry_cmds.reassess_cmd)


def main() -> None:
    """Entry point of the ``neuroig`` script."""
    app()
