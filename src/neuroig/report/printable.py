"""The printable report: HTML (Jinja2, autoescaped) and PDF (WeasyPrint), A4.

One to three pages: the patient, the criteria result of each set with its basis and
citations, flags and next tests, the NCS table with each value as % of its limit and
blocks marked, the NCS heat map, the plan with its safety findings beside the lines they
change, the outcome chart, and the stamp (neuroig version, rules, input hash) above a
signature line. Every string from the case is escaped by the template engine.
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from weasyprint import HTML

from neuroig.report.charts import review_chart
from neuroig.report.heatmap import ncs_heatmap
from neuroig.services.report import ReportData

__all__ = ["render_html", "render_pdf"]

_ENV = Environment(
    loader=PackageLoader("neuroig.report", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

_CATEGORY_WORDS = {
    "not_fulfilled": "not fulfilled",
    "not_evaluable": "not evaluable (insufficient data)",
}


def _words(value: object) -> str:
    text = str(value) if value is not None else "—"
    return _CATEGORY_WORDS.get(text, text.replace("_", " "))


_ENV.filters["words"] = _words


def _png_data_uri(draw: Any) -> str | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "figure.png"
        draw(path)
        if not path.exists():
            return None
        return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _figures(data: ReportData) -> dict[str, str | None]:
    heat = None
    if data.electro is not None and data.electro.motor:
        electro = data.electro
        heat = _png_data_uri(lambda p: ncs_heatmap(electro, data.case.case_id, p))
    chart = None
    if data.review is not None:
        reviewed = data.review
        chart = _png_data_uri(lambda p: review_chart(reviewed, p))
    return {"heatmap": heat, "chart": chart}


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (figures embedded)."""
    template = _ENV.get_template("report.html.j2")
    css = (Path(__file__).parent / "templates" / "report.css").read_text("utf-8")
    return template.render(
        d=data,
        a=data.assessment,
        plan=data.plan,
        review=data.review_document,
        figures=_figures(data),
        css=css,
        generated=data.generated_at.strftime("%Y-%m-%d %H:%M UTC"),
    )


def render_pdf(data: ReportData) -> bytes:
    """The report as an A4 PDF (WeasyPrint)."""
    pdf: bytes = HTML(string=render_html(data)).write_pdf()
    return pdf
