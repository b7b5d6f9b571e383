"""The ``neuroig`` Typer application: each command's module is imported only when needed.

``neuroig --version`` answers before any command module is imported, and a command
run (``neuroig validate …``) builds an application holding that one command, so
``validate`` never loads the engine and ``evaluate`` never loads the planner's
calendar export. ``neuroig --help`` (or no command) builds the full application.
:data:`app` (the full application, for tests and ``python -m``) is built on first use.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Annotated, Any

import typer

from neuroig._version import __version__

__all__ = ["COMMANDS", "build_app", "main"]

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
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"neuroig {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
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
    )
    application.callback()(_root)
    for name, (module, func) in COMMANDS.items():
        if only is None or name == only:
            command = getattr(import_module(f"neuroig.cli.{module}"), func)
            application.command(name)(command)
    return application


def _command(argv: list[str]) -> str | None:
    """The command a command line runs (its first word), or None."""
    first = next((a for a in argv if not a.startswith("-")), None)
    return first if first in COMMANDS else None


def main() -> None:
    """Entry point of the ``neuroig`` script."""
    argv = sys.argv[1:]
    if argv[:1] == ["--version"]:
        print(f"neuroig {__version__}")
        return
    build_app(_command(argv[:1]))()


def __getattr__(name: str) -> Any:
    if name == "app":
        application = build_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
