"""``neuroig new``: write a commented starting case (YAML, or JSON with ``--format json``)."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import sys
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from neuroig.cli.console import err_console, handle_errors, out_console
from neuroig.errors import InputError

__all__ = ["TEMPLATES", "new", "template_text"]

#: Template name → what it holds (the order of the help text).
TEMPLATES = {
    "minimal": "only format and case_id; every section commented out, ready to fill in",
    "mmn": "a multifocal motor neuropathy work-up (illustrative values to replace)",
    "cidp": "a CIDP work-up (illustrative values to replace)",
}
FORMATS = ("yaml", "json")
_CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")
_CASE_ID_LINE = re.compile(r"^case_id: \S+", re.MULTILINE)


def template_text(name: str) -> str:
    """Return the commented YAML text of the template ``name``.

    Raises:
        InputError: ``name`` is not one of :data:`TEMPLATES`.
    """
    if name not in TEMPLATES:
        raise InputError("--template", name, f"must be one of: {', '.join(TEMPLATES)}")
    return files("neuroig.templates").joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def _as_json(text: str, name: str) -> str:
    data: dict[str, Any] = yaml.safe_load(text)
    data["x_note"] = (
        f"Starting case from `neuroig new --template {name}`. JSON has no comments: the "
        "commented version is `neuroig new --format yaml`; every field, its unit and its "
        "allowed values are in docs/case-format.md. Replace every value with your patient's "
        "or delete it; a missing value is unknown, never normal."
    )
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _redirect_target() -> Path | None:
    """The file standard output is redirected to (``> case.json``), where the OS says."""
    try:
        fd = sys.stdout.fileno()
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


def _format_for(out: Path | None, given: str | None) -> str:
    if given is not None:
        if given not in FORMATS:
            raise InputError("--format", given, f"must be one of: {', '.join(FORMATS)}")
        return given
    if out is not None and out.suffix.lower() == ".json":
        return "json"
    return "yaml"


@handle_errors
def new(
    template: Annotated[
        str,
        typer.Option(
            "--template",
            "-t",
            help="; ".join(f"{k}: {v}" for k, v in TEMPLATES.items()) + ".",
        ),
    ] = "minimal",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file instead of standard output."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Overwrite the --out file if it exists.")
    ] = False,
    case_id: Annotated[
        str | None,
        typer.Option("--case-id", help="The case_id to write (letters, digits, _ . -)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="yaml (commented; the default) or json (comments become one x_note field); "
            "default: json when the output file ends in .json.",
        ),
    ] = None,
) -> None:
    """Write a starting case that validates, to fill in with your patient's findings.

    The YAML output explains each field in comments; every field, its unit and its
    allowed values are in docs/case-format.md.

    Examples:

        neuroig new > my-case.yaml

        neuroig new --template mmn --out my-mmn-case.yaml

        neuroig new --template cidp --case-id clinic-0042 --out clinic-0042.json
    """
    text = template_text(template)
    if case_id is not None:
        if not _CASE_ID.match(case_id):
            raise InputError(
                "--case-id",
                case_id,
                "must start with a letter or digit and use only letters, digits, _ . -",
            )
        text = _CASE_ID_LINE.sub(f"case_id: {case_id}", text, count=1)
    kind = _format_for(out if out is not None else _redirect_target(), fmt)
    body = text if kind == "yaml" else _as_json(text, template)
    if out is None:
        out_console.file.write(body)
        return
    if out.exists() and not force:
        raise InputError("--out", str(out), "exists already", "add --force to overwrite it")
    try:
        out.write_text(body, encoding="utf-8")
    except OSError as exc:
        raise InputError("--out", str(out), "must be a writable file path", str(exc)) from None
    err_console.print(
        f"{out}: new case written from template {template!r}; fill it in, then run "
        f"`neuroig validate {out}`",
        markup=False,
    )
