"""Build the ``neuroig`` Typer application, with every command or with one.

Each command's module is imported only when the command is registered, so a run of
``neuroig validate …`` (an application holding that one command) never loads the
engine. :mod:`neuroig.cli.app` decides which application a command line needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from neuroig._version import __version__

__all__ = ["COMMANDS", "build_app"]

#: Command name → (module under neuroig.cli, function), in the order ``--help`` lists them.
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("new_cmd", "new"),
    "validate": ("validate_cmd", "validate"),
    "show": ("case_cmds", "show"),
    "schema": ("case_cmds", "schema"),
    "ncs": ("ncs_cmd", "ncs"),
    "evaluate": ("evaluate_cmd", "evaluate_cmd"),
    "plan": ("plan_cmd", "plan"),
    "review": ("review_cmd", "review"),
    "report": ("report_cmd", "report"),
    "serve": ("serve_cmd", "serve"),
}


def _flag_help(option: TyperOption | None) -> TyperOption | None:
    # ``--help`` is a flag: no "<bool>" value column in the help (the other flags declare
    # ``metavar=""`` themselves).
    if option is not None:
        option.metavar = ""
    return option


class _Command(TyperCommand):
    def get_help_option(self, ctx: Any) -> TyperOption | None:
        return _flag_help(super().get_help_option(ctx))


class _Group(TyperGroup):
    def get_help_option(self, ctx: Any) -> TyperOption | None:
        return _flag_help(super().get_help_option(ctx))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"neuroig {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, metavar="", help="Print the version."
        ),
    ] = False,
) -> None:
    """neuroig command line."""


def build_app(only: str | None = None) -> typer.Typer:
    """The application with every command, or with the one command ``only``."""
    application = typer.Typer(
        name="neuroig",
        help="Decision support for CIDP, MMN and their mimics, with immunoglobulin therapy.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        cls=_Group,
    )
    application.callback()(_root)
    for name, (module, func) in COMMANDS.items():
        if only is None or name == only:
            command = getattr(import_module(f"neuroig.cli.{module}"), func)
            application.command(name, cls=_Command)(command)
    return application
