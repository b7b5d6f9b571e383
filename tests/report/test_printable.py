"""The printable report: every example renders to 1-3 A4 pages whose text carries the
result, the stamp and a signature line; case strings are escaped; the CLI writes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from neuroig.report.printable import render_html, render_pdf
from neuroig.services.report import report_data

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
NEUROIG = str(Path(sys.executable).parent / "neuroig")


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:"))
    return int(line.split()[1])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_prints_on_one_to_three_a4_pages(example: Path, tmp_path: Path) -> None:
    data = report_data(example, product="privigen")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(data))
    assert 1 <= _pages(pdf) <= 3
    text = _pdf_text(pdf)
    assert data.assessment["case_id"] in text
    assert "Signature" in text
    assert data.assessment["input_sha256"][:16] in text.replace("\n", "")
    for s in data.assessment["criteria"].values():
        assert s["title"].split()[0] in text
    # page 1 as a PNG at 50 dpi: an A4 page (210 x 297 mm -> 413 x 585 px)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    png = next(tmp_path.glob("p*.png"))
    header = png.read_bytes()[:24]
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    assert (abs(width - 413) <= 2, abs(height - 585) <= 2) == (True, True)


def test_the_category_and_the_block_are_in_the_report(tmp_path: Path) -> None:
    data = report_data(ROOT / "examples" / "mmn-definite.json", product="privigen")
    html = render_html(data)
    assert "definite block" in html
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_pdf(data))
    text = _pdf_text(pdf)
    assert "definite" in text
    assert "Privigen" in text


def test_a_blocked_plan_says_so_and_issues_no_schedule() -> None:
    data = report_data(ROOT / "examples" / "mnd-mimic.json", product="privigen")
    assert data.plan is not None and data.plan["status"] == "blocked"
    html = render_html(data)
    assert "PLAN BLOCKED by" in html
    assert "<th>Duration min</th>" not in html


def test_case_strings_are_escaped(tmp_path: Path) -> None:
    case = json.loads((ROOT / "examples" / "mmn-definite.json").read_text("utf-8"))
    case["case_id"] = "<script>alert(1)</script>"
    html = render_html(report_data(case, product="privigen"))
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render_pdf(report_data(case, product="privigen")))
    assert "<script>alert(1)</script>" in _pdf_text(pdf)


def test_the_cli_writes_the_report_of_a_file_and_of_a_patient(tmp_path: Path) -> None:
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    example = ROOT / "examples" / "cidp-wear-off.json"
    done = subprocess.run(
        [NEUROIG, "report", str(example), "--pdf", str(pdf), "--html", str(html)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "example-cidp-wear-off" in html.read_text("utf-8")
    done = subprocess.run(
        [NEUROIG, "report", str(example)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert "--pdf/--html" in done.stderr
    env = {**os.environ, "NEUROIG_DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}"}
    for args in (["db", "upgrade"], ["import", str(example)]):
        subprocess.run([NEUROIG, *args], env=env, check=True, capture_output=True)
    patient_pdf = tmp_path / "p.pdf"
    done = subprocess.run(
        [NEUROIG, "report", "example-cidp-wear-off", "--patient", "--pdf", str(patient_pdf)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Registry version 1" in _pdf_text(patient_pdf)
    audit = subprocess.run(
        [NEUROIG, "audit", "list"], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "case.read" in audit
