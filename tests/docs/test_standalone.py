"""The documentation stands alone: no pointer to files a user of the repository never has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import ROOT

OUTSIDE = re.compile(
    r"shared/|\.\./shared|therapy-research|criteria-research|ncs-reference-research|/work/"
)


def _decisions_parts() -> str:
    text = (ROOT / "docs" / "decisions.md").read_text(encoding="utf-8")
    top = text[: text.index("## Case format and input (P)")]
    start = text.index("## Reference data (R)")
    return top + text[start : text.index("\n## ", start + 1)]


PAGES = [
    ROOT / "README.md",
    ROOT / "docs" / "case-format.md",
    ROOT / "docs" / "outputs.md",
    ROOT / "docs" / "tutorial.md",
    ROOT / "docs" / "index.md",
    *sorted((ROOT / "docs" / "research").glob("*.md")),
    *sorted((ROOT / "src" / "neuroig" / "templates").glob("*.yaml")),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_points_at_no_file_outside_the_repository(page: Path) -> None:
    hits = OUTSIDE.findall(page.read_text(encoding="utf-8"))
    assert not hits, f"{page.relative_to(ROOT)}: {hits}"


def test_decisions_top_and_reference_data_point_inside_the_repository() -> None:
    assert not OUTSIDE.findall(_decisions_parts())


def test_relative_links_of_the_pages_resolve() -> None:
    for page in PAGES:
        if page.suffix != ".md":
            continue
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} → {target}"
