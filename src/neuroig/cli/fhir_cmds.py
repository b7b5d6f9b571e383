"""``neuroig fhir export`` and ``neuroig fhir import``: a case as a FHIR R4 Bundle and
back (decision H7, ``docs/fhir.md``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import orjson
import typer

from neuroig.case.boundary import decode_case_bytes, parse_document, read_case_file
from neuroig.cli.registry_cmds import AsOpt, DbOpt, _errors, _open, acting_user
from neuroig.errors import InputError
from neuroig.services.fhir import bundle_of, case_of_bundle, patient_bundle

__all__ = ["fhir_app"]

fhir_app = typer.Typer(help="FHIR R4: a case as a Bundle, and back.", no_args_is_help=True)


def _write(data: object) -> None:
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


@fhir_app.command("export")
@_errors
def export_cmd(
    case: Annotated[
        Path | None, typer.Argument(help="A case file (JSON or YAML); or give --patient.")
    ] = None,
    patient: Annotated[
        str | None, typer.Option("--patient", help="A registry patient's case id.")
    ] = None,
    version: Annotated[
        int | None, typer.Option("--version", help="Version (default latest).")
    ] = None,
    db: DbOpt = None,
    who: AsOpt = None,
) -> None:
    """Print a case (a file, or a registry patient: audited) as a FHIR R4 Bundle."""
    if (case is None) == (patient is None):
        raise InputError("CASE / --patient", "both or neither", "a case file or --patient ID")
    if patient is not None:
        engine = _open(db)
        _write(patient_bundle(engine, acting_user(engine, who), patient, version=version))
    else:
        assert case is not None
        _write(bundle_of(case))


@fhir_app.command("import")
@_errors
def import_cmd(
    bundle: Annotated[str, typer.Argument(help="A Bundle file (JSON), or - for stdin.")],
) -> None:
    """Print the case read back from a FHIR R4 Bundle (save it with `neuroig import -`)."""
    data = sys.stdin.buffer.read() if bundle == "-" else read_case_file(Path(bundle))
    source = "stdin" if bundle == "-" else bundle
    _write(case_of_bundle(parse_document(decode_case_bytes(data, source), "json", source)))
