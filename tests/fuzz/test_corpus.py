"""The fuzz corpus through the CLI: exit 2 naming the path, or accepted; never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES
from tests.fuzz.generators import CORPUS, FUZZ, Fuzz, build, large_inputs
from typer.testing import CliRunner, Result

from neuroig.case.boundary import ECHO_CHARS, MAX_PROBLEMS
from neuroig.cli.app import app

runner = CliRunner()


def _clean(result: Result) -> None:
    """No Python exception escaped and no traceback was printed."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_the_corpus_covers_every_class_and_matches_its_generators() -> None:
    assert {f.kind for f in FUZZ} == {
        "impossible",
        "damaged",
        "exhaustion",
        "injection",
        "traceback",
    }
    for f in FUZZ:
        assert (CORPUS / f.name).read_bytes() == build(f), f"regenerate {f.name}"


@pytest.mark.parametrize("fuzz", FUZZ, ids=lambda f: f.name)
def test_validate_names_the_path_or_accepts(fuzz: Fuzz) -> None:
    result = runner.invoke(app, ["validate", str(CORPUS / fuzz.name)])
    _clean(result)
    assert result.exit_code == fuzz.exit_code, result.stdout + result.stderr
    if fuzz.exit_code:
        assert fuzz.path in result.stderr
        assert fuzz.fragment in result.stderr


@pytest.mark.parametrize("fuzz", [f for f in FUZZ if f.exit_code], ids=lambda f: f.name)
def test_evaluate_json_refuses_with_exit_2(fuzz: Fuzz) -> None:
    result = runner.invoke(app, ["evaluate", str(CORPUS / fuzz.name), "--json"])
    _clean(result)
    assert result.exit_code == 2
    # no analysis is printed: only the failure, as its neuroig-error/1 document (--json)
    document = json.loads(result.stdout)
    assert set(document) <= {"format", "source", "problems", "more_problems"}
    assert document["format"] == "neuroig-error/1"
    assert fuzz.path in result.stderr
    if "." in fuzz.path or "[" in fuzz.path:  # a JSON path: the document names it too
        assert fuzz.path in [p["path"] for p in document["problems"]]


def _across_elbow(path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["evaluate", str(path), "--json"])
    _clean(result)
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    ulnar = next(s for s in doc["electro"]["sensory"] if s["nerve"] == "ulnar")
    entry = next(e for e in ulnar["entries"] if e["segment"] == "below_elbow-above_elbow")
    return {"entry": entry, "mmn": doc["criteria"]["mmn_efns_pns_2010"]["category"]}


def test_ulnar_sensory_across_the_elbow_is_analysed_against_its_own_limits(
    tmp_path: Path,
) -> None:
    # P12: 9 µV ≥ LLN 5 and 55 m/s ≥ LLN 50 (the entry's lab_reference): within limits,
    # and the definite MMN is unchanged by the extra segment
    got = _across_elbow(CORPUS / "ulnar-sensory-across-elbow.json")
    assert got["entry"]["abnormal"] is False
    assert got["entry"]["amplitude_pct_lln"] == 180.0  # 100 × 9 / 5
    assert got["mmn"] == "definite"
    # without limits of its own, the wrist-digit5 limits are not borrowed: unknown
    data = json.loads((CORPUS / "ulnar-sensory-across-elbow.json").read_text(encoding="utf-8"))
    del data["ncs"]["sensory"][-1]["lab_reference"]
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(data), encoding="utf-8")
    got = _across_elbow(bare)
    assert got["entry"]["abnormal"] is None
    assert "amplitude has no LLN" in got["entry"]["reason"]


def test_markup_in_case_id_is_printed_literally_by_validate_and_kept_in_json() -> None:
    path = CORPUS / "case-id-rich-markup.json"
    result = runner.invoke(app, ["validate", str(path)])
    _clean(result)
    assert "valid (ID [/] x [link=https://example.org]y[/link])" in result.stdout
    assert "\x1b]8;" not in result.stdout  # no terminal hyperlink
    doc = json.loads(runner.invoke(app, ["evaluate", str(path), "--json"]).stdout)
    assert doc["case_id"] == "ID [/] x [link=https://example.org]y[/link]"


def test_large_hostile_inputs_are_cut_short(tmp_path: Path) -> None:
    big = large_inputs(tmp_path)
    # a 1 MB unknown key: named, but no line echoes more than a short excerpt
    result = runner.invoke(app, ["validate", str(big["unknown-key-1mb"])])
    _clean(result)
    assert result.exit_code == 2
    assert max(len(line) for line in result.stderr.splitlines()) < 6 * ECHO_CHARS
    assert "unknown key" in result.stderr
    # 100,000 unknown keys: the first MAX_PROBLEMS, then a count of the rest
    result = runner.invoke(app, ["validate", str(big["errors-100k"])])
    _clean(result)
    lines = result.stderr.splitlines()
    assert lines[0].endswith("invalid (100000 problems)")
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[-1] == f"… and {100_000 - MAX_PROBLEMS} more problems"
    # more than the byte limit
    result = runner.invoke(app, ["validate", str(big["too-big"])])
    _clean(result)
    assert result.exit_code == 2
    assert "input limit: size" in result.stderr


def test_paths_that_are_not_case_files_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    loop_a, loop_b = tmp_path / "a.json", tmp_path / "b.json"
    os.symlink(loop_b, loop_a)
    os.symlink(loop_a, loop_b)
    for command in (["show"], ["ncs"], ["plan"], ["review"], ["evaluate", "--json"]):
        for path in (folder, loop_a):
            args = [command[0], str(path), *command[1:]]
            if command[0] == "evaluate" and path == folder:
                continue  # a folder is a batch for evaluate (tested below)
            result = runner.invoke(app, args)
            _clean(result)
            assert result.exit_code == 2, (args, result.stderr)
            assert str(path) in result.stderr


def test_plan_and_review_refuse_a_folder_as_price_table_alike(tmp_path: Path) -> None:
    for command in ("plan", "review"):
        case = EXAMPLES / ("cidp-typical.json" if command == "plan" else "cidp-ivig-responder.json")
        result = runner.invoke(app, [command, str(case), "--prices", str(tmp_path)])
        _clean(result)
        assert result.exit_code == 2
        assert "--prices" in result.stderr


def test_validate_reports_each_file_of_a_folder_and_each_line_of_jsonl(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    for f in FUZZ:
        (folder / f.name).write_bytes(build(f))
    result = runner.invoke(app, ["validate", "--quiet", str(folder)])
    _clean(result)
    assert result.exit_code == 2
    for f in FUZZ:
        if f.exit_code:
            assert str(folder / f.name) in result.stderr, f.name
        else:
            assert str(folder / f.name) not in result.stderr
