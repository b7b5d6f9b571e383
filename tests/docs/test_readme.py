"""README.md: the Python example runs and prints what its comments say; Quick start stays short."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def test_python_api_example_prints_what_its_comments_say() -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section("Python API"), flags=re.DOTALL)
    # each print(...) line's comment, up to an explanation in parentheses, is its output
    expected = [
        re.sub(r"\s*\(.*\)$", "", line.split("  # ", 1)[1]).strip()
        for line in code.splitlines()
        if line.startswith("print(") and "  # " in line
    ]
    assert len(expected) == 3
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == expected


def test_quick_start_is_two_commands() -> None:
    (block,) = re.findall(r"```bash\n(.*?)```", _section("Quick start"), flags=re.DOTALL)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["scripts/demo", "scripts/test"]


def test_documentation_section_links_every_page() -> None:
    links = re.findall(r"\]\(([^)]+)\)", _section("Documentation"))
    assert links == [
        "docs/tutorial.md",
        "docs/case-format.md",
        "docs/outputs.md",
        "docs/methods/",
        "docs/decisions.md",
        "docs/registry.md",
        "docs/api.md",
        "docs/report.md",
        "docs/web.md",
        "docs/cds-hooks.md",
        "docs/fhir.md",
        "docs/cohort.md",
        "docs/settings.md",
        "docs/performance.md",
    ]
    for link in links:
        assert (ROOT / link).exists(), link
