"""Refresh the example documents of docs/outputs.md from real runs of the CLI.

Each example sits after a marker line ``<!-- example: NAME -->`` in a ```json block.
The generator runs the command of that example on a case from ``examples/``, cuts the
document to a readable size (lists to their first item, deep objects and long strings
shortened; every cut is marked with ``…``) and writes it back. The key tables of the
page are written by hand; ``tests/docs/test_outputs_doc.py`` checks them against the
real output. Usage (from the repository root)::

    .venv/bin/python scripts/gen_outputs_doc.py          # rewrite the examples
    .venv/bin/python scripts/gen_outputs_doc.py --check  # exit 1 if one is out of date
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "outputs.md"
NEUROIG = Path(sys.executable).parent / "neuroig"
CUT = "…"

#: Example name → the command that produces it (run from the repository root).
COMMANDS: dict[str, list[str]] = {
    "assessment": ["evaluate", "examples/mmn-definite.json", "--json"],
    "electro": ["ncs", "examples/mmn-definite.json", "--json"],
    "plan": [
        "plan",
        "examples/mmn-definite.json",
        "--product",
        "privigen",
        "--start",
        "2026-01-05",
        "--json",
    ],
    "review": ["review", "examples/mmn-declining-response.json", "--json"],
}
_OUTSIDE = re.compile(r"[\w-]+-research(?:\.md)?(?: §[\d.]+)?(?: rules? [\d-]+)?")
_MARK = re.compile(r"^<!-- example: (?P<name>[\w-]+) -->$")
MAX_DEPTH = 6
MAX_TEXT = 60
WIDTH = 88
#: Keys shown as ``"…"`` in an example because another section documents them.
COLLAPSE: dict[str, set[str]] = {"assessment": {"electro"}}


def run_json(args: list[str]) -> Any:
    """Run ``neuroig ARGS`` from the repository root and parse its JSON output."""
    done = subprocess.run(
        [str(NEUROIG), *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def batch_lines() -> list[Any]:
    """A batch run over one valid and one invalid case: two JSON lines."""
    with tempfile.TemporaryDirectory(prefix="neuroig-outputs-") as tmp:
        folder = Path(tmp) / "cases"
        folder.mkdir()
        valid = json.loads((ROOT / "examples" / "mmn-probable.json").read_text(encoding="utf-8"))
        (folder / "a-valid.json").write_text(json.dumps(valid), encoding="utf-8")
        bad = {
            "format": "neuroig-case/1",
            "case_id": "b-invalid",
            "patient": {"weight_kg": 740, "sexx": "female"},
        }
        (folder / "b-invalid.json").write_text(json.dumps(bad), encoding="utf-8")
        out = Path(tmp) / "results.jsonl"
        subprocess.run(
            [str(NEUROIG), "evaluate", str(folder), "--out", str(out), "--jobs", "1"],
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for doc in docs:
        doc["source"] = Path(str(doc["source"])).name
    return sorted(docs, key=lambda d: str(d["source"]))


def trim(value: Any, depth: int = 0) -> Any:
    """Cut a document to a readable size; every cut is marked with ``…``."""
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            return {CUT: CUT} if value else {}
        items = list(value.items())
        if depth and len(items) > 1 and all(isinstance(v, dict) for _, v in items):
            items = items[:1]  # a map of like objects (criteria sets, rules): show one
            return {**{k: trim(v, depth + 1) for k, v in items}, CUT: CUT}
        return {k: trim(v, depth + 1) for k, v in items}
    if isinstance(value, list):
        if not value:
            return []
        first = trim(value[0], depth + 1)
        return [first, CUT] if len(value) > 1 else [first]
    if isinstance(value, str):
        value = _OUTSIDE.sub(CUT, value)  # a pointer to a note users do not have
        if len(value) > MAX_TEXT:
            return value[:MAX_TEXT].rstrip() + CUT
    return value


def render(value: Any, indent: int = 0) -> str:
    """JSON with small objects and lists on one line."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + indent <= WIDTH or not isinstance(value, dict | list) or not value:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        inner = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {render(v, indent + 2)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(inner) + "\n" + " " * indent + "}"
    inner = [f"{pad}{render(v, indent + 2)}" for v in value]
    return "[\n" + ",\n".join(inner) + "\n" + " " * indent + "]"


def examples() -> dict[str, str]:
    """Example name → the JSON text shown for it."""
    docs: dict[str, Any] = {name: run_json(args) for name, args in COMMANDS.items()}
    lines = batch_lines()
    docs["batch-error"] = next(d for d in lines if d["format"] == "neuroig-error/1")
    out = {}
    for name, doc in docs.items():
        if isinstance(doc, dict) and "neuroig_version" in doc:
            doc["neuroig_version"] = "X.Y.Z"
        for key in COLLAPSE.get(name, set()):
            doc[key] = CUT
        out[name] = render(trim(doc))
    return out


def splice(doc: str, shown: dict[str, str]) -> str:
    """Replace the ```json block after each example marker with its new text."""
    lines = doc.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        m = _MARK.match(lines[i])
        i += 1
        if not m:
            continue
        name = m["name"]
        if name not in shown:
            raise SystemExit(f"gen_outputs_doc: no command for the example {name!r}")
        if i >= len(lines) or lines[i] != "```json":
            raise SystemExit(f"gen_outputs_doc: the marker of {name!r} is not above a json block")
        end = lines.index("```", i + 1)
        out += ["```json", *shown[name].split("\n"), "```"]
        i = end + 1
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Rewrite the examples of docs/outputs.md, or check them with ``--check``."""
    ap = argparse.ArgumentParser(description="Refresh the examples of docs/outputs.md.")
    ap.add_argument("--check", action="store_true", help="exit 1 if an example is out of date")
    args = ap.parse_args(argv)
    doc = DOC.read_text(encoding="utf-8")
    new = splice(doc, examples())
    if args.check:
        if new != doc:
            print(f"{DOC}: examples out of date; run scripts/gen-outputs-doc", file=sys.stderr)
            return 1
        return 0
    if new != doc:
        DOC.write_text(new, encoding="utf-8")
        print(f"{DOC}: examples refreshed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
