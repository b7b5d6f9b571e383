"""The ``neuroig`` command: builds only what a command line needs.

``neuroig --version`` answers before Typer or any command module is imported; a command
run (``neuroig validate …``) builds an application holding that one command
(:func:`neuroig.cli.application.build_app`), so ``validate`` never loads the engine;
``neuroig --help`` (or no command) builds the full application. :data:`app` (the full
application, for tests) is built on first use.
"""

from __future__ import annotations

import gc
import os
import sys
from importlib import import_module
from typing import Any

from neuroig._version import __version__

__all__ = ["main"]

#: The commands, in the order ``--help`` lists them (neuroig.cli.application.COMMANDS).
COMMAND_NAMES = (
    "new",
    "validate",
    "show",
    "schema",
    "ncs",
    "evaluate",
    "plan",
    "review",
    "report",
    "serve",
)


#: The registry's commands (issue 13), registered by neuroig.cli.registry_cmds.register.
REGISTRY_COMMAND_NAMES = (
    "db",
    "user",
    "import",
    "export",
    "infusion",
    "assessment",
    "study",
    "treatment",
    "delete",
    "patients",
    "history",
    "audit",
    "backup",
    "restore",
    "reassess",
    "fhir",
    "cohort",
)


def _command(argv: list[str]) -> str | None:
    """The command a command line runs (its first word), or None."""
    first = argv[0] if argv else None
    return first if first in COMMAND_NAMES + REGISTRY_COMMAND_NAMES else None


def _build(only: str | None) -> Any:
    """The application for ``only`` (None: every command, the registry's included)."""
    application = import_module("neuroig.cli.application")
    if only in REGISTRY_COMMAND_NAMES:
        built = application.build_app("(registry)")
    else:
        built = application.build_app(only)
    if only is None or only in REGISTRY_COMMAND_NAMES:
        import_module("neuroig.cli.registry_cmds").register(built, only)
    return built


def main() -> None:
    """Entry point of the ``neuroig`` script."""
    argv = sys.argv[1:]
    if argv == ["--version"]:
        sys.stdout.write(f"neuroig {__version__}\n")
        return
    # Start-up (docs/performance.md): pydantic looks for no plugins (neuroig uses none,
    # and the search reads the metadata of every installed package) unless the user's
    # environment names some; the cyclic garbage collector sleeps while the modules are
    # imported and the application is built, then leaves what they made unscanned.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()
    try:
        application = _build(_command(argv))
    finally:
        gc.enable()
    gc.freeze()
    application()


def __getattr__(name: str) -> Any:
    if name == "app":
        application = _build(None)
        globals()["app"] = application
        return application
    raise AttributeError(name)
