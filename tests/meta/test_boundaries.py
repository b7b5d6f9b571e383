"""The pure core never imports the shell nor a web, database or plotting library.

Layers, inner to outer: the core (case … monitoring, assess); ``schemas``, a pure layer
that reads the core's results and that the core never imports; the shell (services,
cli, report); and the package face ``neuroig/__init__.py``, imported by nobody inside
the core. Checked two ways: statically (every import statement in a core module's source) and
dynamically (importing each core package in a fresh interpreter and looking at
``sys.modules``). The checker is itself tested on a synthetic violation.
"""

from __future__ import annotations

import ast
import json
import os
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
    "record.py",
    "_version.py",
]
SHELL = {"store", "services", "api", "web", "report", "interop", "cli", "schemas"}
#: What the schemas layer may not import: the shell (it is pure, below the shell).
SCHEMAS_FORBIDDEN = SHELL - {"schemas"}
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


def violations(source: str, name: str, shell: set[str] = SHELL) -> list[str]:
    """Return the forbidden imports in one module's source (the package face included)."""
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
            if parts[0] == "neuroig" and len(parts) > 1 and parts[1] in shell:
                found.append(f"{name}: imports shell module {mod}")
            if mod == "neuroig":
                found.append(f"{name}: imports the package face neuroig")
    return found


def test_checker_detects_a_violation() -> None:
    bad = (
        "import json\nfrom neuroig.cli.app import main\nimport sqlalchemy.orm\n"
        "from neuroig import __version__\nfrom neuroig.schemas.emit import to_json\n"
    )
    assert violations(bad, "x.py") == [
        "x.py: imports shell module neuroig.cli.app",
        "x.py: imports sqlalchemy.orm",
        "x.py: imports the package face neuroig",
        "x.py: imports shell module neuroig.schemas.emit",
    ]


def test_schemas_layer_imports_no_shell_module() -> None:
    files = sorted((SRC / "schemas").rglob("*.py"))
    assert len(files) >= 7
    problems = [
        v
        for f in files
        for v in violations(
            f.read_text(encoding="utf-8"), str(f.relative_to(SRC)), SCHEMAS_FORBIDDEN
        )
    ]
    assert problems == []


def _loaded(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


ENGINE = ("neuroig.criteria", "neuroig.therapy", "neuroig.monitoring", "matplotlib", "icalendar")


def test_importing_the_package_face_loads_nothing_else() -> None:
    loaded = _loaded("import json, sys, neuroig\nprint(json.dumps(sorted(sys.modules)))")
    assert sorted(m for m in loaded if m.startswith("neuroig")) == ["neuroig", "neuroig._version"]
    # a public name loads its module on first use
    loaded = _loaded(
        "import json, sys, neuroig\nneuroig.load_case\nprint(json.dumps(sorted(sys.modules)))"
    )
    assert "neuroig.case" in loaded
    assert not any(m.startswith(ENGINE) for m in loaded)


def test_validate_and_version_do_not_load_the_engine() -> None:
    case = SRC.parents[1] / "examples" / "mmn-definite.json"
    for argv in (["neuroig", "--version"], ["neuroig", "validate", str(case)]):
        code = (
            "import json, sys\n"
            f"sys.argv = {argv!r}\n"
            "from neuroig.cli.app import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None)\n"
            "print(json.dumps(sorted(sys.modules)))\n"
        )
        loaded = _loaded(code)
        assert sorted(m for m in loaded if m.startswith(ENGINE)) == [], argv


def test_evaluate_loads_neither_the_planner_nor_the_review_nor_yaml() -> None:
    """The criteria read course responses only: the planner, the monitoring review and,
    for a JSON case, PyYAML stay unloaded (start-up of ``neuroig evaluate``)."""
    case = SRC.parents[1] / "examples" / "mmn-definite.json"
    code = (
        "import json, sys\n"
        f"sys.argv = {['neuroig', 'evaluate', str(case)]!r}\n"
        "from neuroig.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    loaded = _loaded(code)
    assert "neuroig.criteria" in loaded
    assert "neuroig.monitoring.course_judgement" in loaded
    unwanted = {"yaml", "neuroig.therapy.plan", "neuroig.monitoring.review", "icalendar"}
    assert sorted(loaded & unwanted) == []


def _after_a_command(argv: list[str], env: dict[str, str]) -> dict[str, object]:
    """What a command line leaves behind: the collector's state and pydantic's plugins."""
    code = (
        "import gc, json, os, sys\n"
        f"sys.argv = {argv!r}\n"
        "from neuroig.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None)\n"
        "print(json.dumps({'gc': gc.isenabled(), 'frozen': gc.get_freeze_count() > 0,"
        " 'plugins': os.environ.get('PYDANTIC_DISABLE_PLUGINS')}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"} | env,
    )
    result: dict[str, object] = json.loads(out.stdout.splitlines()[-1])
    return result


def test_a_command_runs_with_the_collector_on_and_no_plugin_search() -> None:
    """Start-up (docs/performance.md): the collector sleeps only while the application is
    built, and pydantic searches for no plugins unless the environment names some."""
    case = str(SRC.parents[1] / "examples" / "mmn-definite.json")
    after = _after_a_command(["neuroig", "evaluate", case], {})
    assert after == {"gc": True, "frozen": True, "plugins": "__all__"}
    after = _after_a_command(["neuroig", "validate", case], {"PYDANTIC_DISABLE_PLUGINS": "x"})
    assert after == {"gc": True, "frozen": True, "plugins": "x"}


def test_a_yaml_case_loads_the_yaml_reader_when_read() -> None:
    code = (
        "import json, sys\n"
        "from neuroig.case.boundary import parse_document\n"
        "before = 'yaml' in sys.modules\n"
        "parse_document('a: 1\\n', 'yaml')\n"
        "print(json.dumps([before, 'yaml' in sys.modules]))\n"
    )
    assert _loaded(code) == {False, True}


def test_core_modules_import_no_shell_module_or_web_db_library() -> None:
    files = core_files()
    assert len(files) > 10
    problems = [
        v for f in files for v in violations(f.read_text(encoding="utf-8"), str(f.relative_to(SRC)))
    ]
    assert problems == []


@pytest.mark.parametrize(
    "package", [p for p in CORE if (SRC / p).is_dir()] + ["vocab", "errors", "assess"]
)
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


def test_the_command_list_of_the_fast_path_matches_the_application() -> None:
    from neuroig.cli.app import COMMAND_NAMES
    from neuroig.cli.application import COMMANDS

    assert tuple(COMMANDS) == COMMAND_NAMES
