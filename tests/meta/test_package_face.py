"""The package face (``neuroig/__init__.py``) is imported by nobody inside the core.

``from neuroig import …`` inside a core package runs the whole public API (and its
imports) from the middle of the core, and ties the core to the face it serves; the
version comes from ``neuroig._version``.
"""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "neuroig"
CORE = ("case", "reference", "electro", "criteria", "therapy", "monitoring")
CORE_FILES = ("assess.py", "diagnosis.py", "errors.py", "evidence.py", "tristate.py", "vocab.py")
FACE_IMPORT = re.compile(r"^\s*(from neuroig import |import neuroig\s*$)", re.M)

#: Files of other owners still importing the face; each entry must still be needed, so
#: the list shrinks as they are fixed (``from neuroig._version import __version__``).
PENDING = {"monitoring/review.py", "therapy/export.py"}


def face_importers(files: dict[str, str]) -> set[str]:
    return {name for name, text in files.items() if FACE_IMPORT.search(text)}


def _core_files() -> dict[str, str]:
    paths = [SRC / f for f in CORE_FILES]
    for pkg in CORE:
        paths += sorted((SRC / pkg).rglob("*.py"))
    return {str(p.relative_to(SRC)): p.read_text(encoding="utf-8") for p in paths}


def test_no_core_module_imports_the_package_face() -> None:
    importers = face_importers(_core_files())
    assert importers - PENDING == set()
    assert importers >= PENDING, f"fixed: remove {sorted(PENDING - importers)} from PENDING"


def test_the_checker_finds_both_forms() -> None:
    files = {
        "a.py": "from neuroig import __version__\n",
        "b.py": "    import neuroig\n",
        "c.py": "from neuroig._version import __version__\nimport neuroig.case\n",
    }
    assert face_importers(files) == {"a.py", "b.py"}
