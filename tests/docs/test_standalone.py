"""The repository stands alone: no file in it points at files a user of it never has, and
the documentation's relative links resolve."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

OUTSIDE = re.compile(
    r"shared/|\.\./shared|therapy-research|criteria-research|ncs-reference-research|/work/"
)


PAGES = [
    ROOT / "README.md",
    ROOT / "docs" / "case-format.md",
    ROOT / "docs" / "outputs.md",
    ROOT / "docs" / "tutorial.md",
    ROOT / "docs" / "index.md",
    *sorted((ROOT / "docs" / "research").glob("*.md")),
    *sorted((ROOT / "src" / "neuroig" / "templates").glob("*.yaml")),
]


#: What the repository holds besides its own tools' caches and what the tests make.
_SKIP_DIRS = {
    ".git",
    ".venv",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    ".schemathesis",
    "test-artifacts",
    ".demo",
    "dist",
    "build",
    "out",
}
_BINARY = {".png", ".pdf", ".db", ".sqlite", ".ico", ".woff", ".woff2"}


def _repository_text_files() -> list[Path]:
    out = []
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if any(part in _SKIP_DIRS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if path.is_file() and path.suffix not in _BINARY and path != Path(__file__).resolve():
            out.append(path)
    return out


def test_every_file_of_the_repository_points_at_no_file_outside_it() -> None:
    """Code comments, test vectors and example cases too: a developer reading them has
    only the repository (its docs, its bibliography) and the published sources."""
    files = _repository_text_files()
    assert len(files) > 300, "the walk found too few files to be the repository"
    hits = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := OUTSIDE.findall(path.read_text(encoding="utf-8", errors="replace")))
    }
    assert not hits, hits


def test_the_check_catches_a_pointer_outside() -> None:
    for text in (
        "see ../shared/spec/decisions.md",
        "criteria-research §4.1",
        "therapy-research.md",
        "ncs-reference-research",
        "/work/main/x",
    ):
        assert OUTSIDE.search(text), text
    assert not OUTSIDE.search("docs/decisions.md C12; docs/methods/electro.md")


def test_relative_links_of_the_pages_resolve() -> None:
    for page in PAGES:
        if page.suffix != ".md":
            continue
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} → {target}"
