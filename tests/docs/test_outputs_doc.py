"""docs/outputs.md: every documented key is in the real output, and the examples are real.

The check is on keys, not values, so that changed wording or new keys in the outputs do
not break it; ``scripts/gen-outputs-doc`` refreshes the examples.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from neuroig.cli.app import app

DOC = ROOT / "docs" / "outputs.md"
CUT = "…"
runner = CliRunner()


def _json(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _batch_error(tmp: Path) -> Any:
    folder = tmp / "cases"
    folder.mkdir()
    (folder / "bad.json").write_text('{"format": "neuroig-case/1", "case_id": ""}', "utf-8")
    out = tmp / "results.jsonl"
    result = runner.invoke(app, ["evaluate", str(folder), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 2
    (line,) = out.read_text(encoding="utf-8").splitlines()
    return json.loads(line)


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    mmn = str(EXAMPLES / "mmn-definite.json")
    assessment = _json("evaluate", mmn, "--json")
    electro = _json("ncs", mmn, "--json")
    return {
        "assessment": assessment,
        "assessment.criteria.mmn_efns_pns_2010": assessment["criteria"]["mmn_efns_pns_2010"],
        "electro": electro,
        "electro.motor[]": electro["motor"][0],
        "plan": _json("plan", mmn, "--product", "privigen", "--start", "2026-01-05", "--json"),
        "review": _json("review", str(EXAMPLES / "mmn-declining-response.json"), "--json"),
        "error": _batch_error(tmp_path_factory.mktemp("batch")),
    }


def _key_tables(doc: str) -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for m in re.finditer(r"<!-- keys of: (\S+) -->\n((?:\|.*\n)+)", doc):
        keys: list[str] = []
        for row in m[2].splitlines()[2:]:
            first = row.split("|")[1]
            keys += re.findall(r"`([^`]+)`", first)
        tables[m[1]] = keys
    return tables


def _examples(doc: str) -> dict[str, Any]:
    found = re.findall(r"<!-- example: (\S+) -->\n```json\n(.*?)```", doc, flags=re.DOTALL)
    return {name: json.loads(text) for name, text in found}


def test_every_documented_key_is_in_the_real_output(real: dict[str, Any]) -> None:
    tables = _key_tables(DOC.read_text(encoding="utf-8"))
    assert set(tables) == {
        "assessment",
        "assessment.criteria.mmn_efns_pns_2010",
        "electro",
        "electro.motor[]",
        "plan",
        "review",
        "error",
    }
    for name, keys in tables.items():
        assert keys, name
        missing = [k for k in keys if k not in real[name]]
        assert not missing, f"docs/outputs.md documents {missing} of {name}; not in the output"


def test_the_top_level_keys_of_each_document_are_all_documented(real: dict[str, Any]) -> None:
    tables = _key_tables(DOC.read_text(encoding="utf-8"))
    for name in ("assessment", "plan", "review", "error"):
        undocumented = sorted(set(real[name]) - set(tables[name]))
        assert not undocumented, f"add {undocumented} to the {name} table of docs/outputs.md"


def test_examples_are_cut_from_real_output(real: dict[str, Any]) -> None:
    examples = _examples(DOC.read_text(encoding="utf-8"))
    assert set(examples) == {"assessment", "electro", "plan", "review", "batch-error"}
    sources = {**real, "batch-error": real["error"]}
    for name, shown in examples.items():
        actual = sources[name]
        assert set(shown) - {CUT} <= set(actual), name
        if "format" in actual:
            assert shown["format"] == actual["format"], name
    assert examples["batch-error"]["format"] == "neuroig-error/1"
    assert examples["batch-error"]["problems"][0]["path"].startswith("patient.")
