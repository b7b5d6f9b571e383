"""The pure core never imports the shell nor a web, database or plotting library.

Checked two ways: statically (every import statement in a core module's source) and
dynamically (importing each core package in a fresh interpreter and looking at
``sys.modules``). The checker is itself tested on a synthetic violation.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "neuroig"
CORE = ["case", "reference", "electro", "criteria", "therapy", "monitoring"]
CORE_FILES = [
    "assess.py",
    "vocab.py",
    "errors.py",
    "diagnosis.py",
    "tristate.py",
    "evidence.py",
    "_version.py",
    "__init__.py",
]
SHELL = {"store", "services", "api", "web", "report", "interop", "cli"}
FORBIDDEN_LIBS = {
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "flask",
    "django",
    "httpx",
    "requests",
    "psycopg",
    "psycopg2",
    "sqlite3",
    "jinja2",
    "matplotlib",
    "typer",
    "rich",
    "click",
    "playwright",
    "aiohttp",
}


def core_files() -> list[Path]:
    files = [SRC / f for f in CORE_FILES if (SRC / f).exists()]
    for pkg in CORE:
        if (SRC / pkg).is_dir():
            files += sorted((SRC / pkg).rglob("*.py"))
    return files


def violations(source: str, name: str) -> list[str]:
    """Return the forbidden imports in one module's source."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=name)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules = [node.module]
        for mod in modules:
            parts = mod.split(".")
            if parts[0] in FORBIDDEN_LIBS:
                found.append(f"{name}: imports {mod}")
            if parts[0] == "neuroig" and len(parts) > 1 and parts[1] in SHELL:
                found.append(f"{name}: imports shell module {mod}")
    return found


def test_checker_detects_a_violation() -> None:
    bad = "import json\nfrom neuroig.cli.app import main\nimport sqlalchemy.orm\n"
    assert violations(bad, "x.py") == [
        "x.py: imports shell module neuroig.cli.app",
        "x.py: imports sqlalchemy.orm",
    ]


def test_core_modules_import_no_shell_module_or_web_db_library() -> None:
    files = core_files()
    assert len(files) > 10
    problems = [
        v for f in files for v in violations(f.read_text(encoding="utf-8"), str(f.relative_to(SRC)))
    ]
    assert problems == []


@pytest.mark.parametrize("package", [p for p in CORE if (SRC / p).is_dir()] + ["vocab", "errors"])
def test_importing_core_loads_no_forbidden_module(package: str) -> None:
    code = (
        "import json, sys\n"
        f"import neuroig.{package}\n"
        "print(json.dumps(sorted(m for m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    bad = sorted(
        m
        for m in loaded
        if m.split(".")[0] in FORBIDDEN_LIBS
        or (m.startswith("neuroig.") and m.split(".")[1] in SHELL)
    )
    assert bad == []
