"""``neuroig report``: the printable report of a case file or a registry patient."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from neuroig.cli.console import err_console, handle_errors
from neuroig.cli.registry_cmds import acting_user
from neuroig.errors import InputError
from neuroig.report.printable import render_html, render_pdf
from neuroig.services import registry
from neuroig.services.report import ReportData, patient_report_data, report_data
from neuroig.store.engine import default_url

__all__ = ["report"]


def _start(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("--start", text, "a date as YYYY-MM-DD") from None


@handle_errors
def report(
    source: Annotated[
        str,
        typer.Argument(metavar="CASE|PATIENT", help="A case file, or with --patient a case id."),
    ],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Write the A4 PDF here.")] = None,
    html: Annotated[Path | None, typer.Option("--html", help="Write the HTML page here.")] = None,
    patient: Annotated[
        bool,
        typer.Option("--patient", metavar="", help="CASE|PATIENT is a registry patient's case id."),
    ] = False,
    version: Annotated[
        int | None, typer.Option("--version", help="Registry version (default: latest).")
    ] = None,
    product: Annotated[
        str | None, typer.Option("--product", help="Product of the plan (as for plan).")
    ] = None,
    regimen: Annotated[
        str | None, typer.Option("--regimen", help="Regimen of the plan (as for plan).")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--start", metavar="DATE", help="First session, YYYY-MM-DD.")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Registry database URL (with --patient).")
    ] = None,
    who: Annotated[
        str | None, typer.Option("--as", help="The acting registry user (with --patient).")
    ] = None,
) -> None:
    """Print a case's report: criteria with their basis, NCS, plan, review, stamp.

    One to three A4 pages with a signature line (docs/report.md).

    \b
    Examples:
      neuroig report examples/mmn-definite.json --pdf report.pdf --product privigen
      neuroig report example-mmn-definite --patient --html report.html
    """
    if pdf is None and html is None:
        raise InputError("--pdf/--html", "(none)", "at least one output file")
    data: ReportData
    if patient:
        engine = registry.open_registry(db or default_url())
        try:
            data = patient_report_data(
                engine,
                acting_user(engine, who),
                source,
                version=version,
                product=product,
                regimen=regimen,
                start=_start(start),
            )
        finally:
            engine.dispose()
    else:
        data = report_data(source, product=product, regimen=regimen, start=_start(start))
    if html is not None:
        html.write_text(render_html(data), encoding="utf-8")
        err_console.print(f"{html}: report written (HTML)", markup=False)
    if pdf is not None:
        pdf.write_bytes(render_pdf(data))
        err_console.print(f"{pdf}: report written (PDF)", markup=False)
