"""Batch runs over damaged input: cases independent, output whole or marked, input untouched."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import EXAMPLES
from tests.fuzz.generators import FUZZ, build
from typer.testing import CliRunner

from neuroig.case.boundary import MAX_CASE_BYTES
from neuroig.cli.app import app
from neuroig.services.batch import SUMMARY_FORMAT

runner = CliRunner()
NEUROIG = str(Path(sys.executable).parent / "neuroig")
GOOD = json.dumps(json.loads((EXAMPLES / "cidp-typical.json").read_text(encoding="utf-8")))


def _jsonl(tmp_path: Path) -> tuple[Path, list[str]]:
    """A JSON-lines file mixing good cases and every damaged kind of line."""
    lines = [
        GOOD.encode(),
        b'{"format": "neuroig-case/1", "case_id": "\xff"}',  # not UTF-8
        b"[" * 1000 + b"]" * 1000,  # 1,000 deep
        b'{"format": "neuroig-case/1", "case_id": "d", "x_n": ' + b"9" * 5000 + b"}",
        b"",  # blank: not a case
        b'{"format": "neuroig-case/1", "case_id": "big", "x_pad": "'
        + b"p" * (MAX_CASE_BYTES + 10)
        + b'"}',  # longer than the limit
        b"not json at all",
        GOOD.encode(),
    ]
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    expected = ["ok", "error", "error", "error", "error", "error", "ok"]
    return path, expected


def test_jsonl_batch_gives_one_line_per_case_in_order_and_goes_on(tmp_path: Path) -> None:
    src, expected = _jsonl(tmp_path)
    before = src.read_bytes()
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(out), "--jobs", "1"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    docs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    kinds = ["ok" if d["format"] == "neuroig-assessment/1" else "error" for d in docs]
    assert kinds == expected
    # line numbers of the input file (line 5 is blank)
    assert [d["line"] for d in docs] == [1, 2, 3, 4, 6, 7, 8]
    assert all(d["source"] == f"{src}:{d['line']}" for d in docs)
    # every failed case is named on the terminal
    for d in docs:
        if d["format"] == "neuroig-error/1":
            assert f"{src}:{d['line']}: invalid" in result.stderr
    assert "7 cases: 2 evaluated, 5 invalid" in result.stderr
    assert src.read_bytes() == before


def test_folder_batch_goes_on_past_every_corpus_file(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    folder.mkdir()
    for f in FUZZ:
        (folder / f.name).write_bytes(build(f))
    os.symlink(folder / "loop-b.json", folder / "loop-a.json")
    os.symlink(folder / "loop-a.json", folder / "loop-b.json")
    result = runner.invoke(app, ["evaluate", str(folder), "--json", "--jobs", "2"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    docs = [json.loads(x) for x in lines]
    names = sorted(p.name for p in folder.iterdir())
    assert [Path(d["source"]).name for d in docs[:-1]] == names
    valid = sum(1 for f in FUZZ if f.exit_code == 0)
    assert docs[-1] == {
        "format": SUMMARY_FORMAT,
        "cases": len(names),
        "valid": valid,
        "invalid": len(names) - valid,
        "complete": True,
    }


def test_out_that_resolves_to_an_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(GOOD + "\n", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(src)
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "a.json").write_text(GOOD, encoding="utf-8")
    (tmp_path / "alias.json").symlink_to(folder / "a.json")
    attempts = [
        (src, src),
        (src, link),
        (folder, folder / "a.json"),
        (folder, tmp_path / "alias.json"),
        (folder, folder / "new.yaml"),
        (src, tmp_path),  # a folder as output
    ]
    for inputs, out in attempts:
        result = runner.invoke(app, ["evaluate", str(inputs), "--out", str(out)])
        assert result.exit_code == 2, (inputs, out, result.stderr)
        assert "--out" in result.stderr
    assert src.read_text(encoding="utf-8") == GOOD + "\n"
    assert (folder / "a.json").read_text(encoding="utf-8") == GOOD


def test_out_dash_streams_lines_and_a_final_summary(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    src.write_text(GOOD + "\n" + GOOD + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(src), "--out", "-", "--jobs", "1"])
    assert result.exit_code == 0, result.stderr
    docs = [json.loads(x) for x in result.stdout.splitlines()]
    assert [d["format"] for d in docs] == [
        "neuroig-assessment/1",
        "neuroig-assessment/1",
        SUMMARY_FORMAT,
    ]
    assert docs[-1]["cases"] == 2


def test_stdin_is_read_by_validate_and_evaluate() -> None:
    text = (EXAMPLES / "mmn-definite.json").read_text(encoding="utf-8")
    result = runner.invoke(app, ["validate", "-"], input=text)
    assert result.exit_code == 0
    assert "<stdin>: valid (example-mmn-definite)" in result.stdout
    result = runner.invoke(app, ["evaluate", "-", "--json"], input=text)
    assert result.exit_code == 0
    assert json.loads(result.stdout)["case_id"] == "example-mmn-definite"
    result = runner.invoke(app, ["validate", "-"], input="case_id: [")
    assert result.exit_code == 2
    assert "<stdin>: not valid YAML" in result.stderr


def test_kill_9_leaves_the_output_whole_or_absent_and_the_input_untouched(
    tmp_path: Path,
) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text((GOOD + "\n") * 3000, encoding="utf-8")
    before = src.read_bytes()
    out = tmp_path / "out.jsonl"
    out.write_text("previous complete results\n", encoding="utf-8")
    proc = subprocess.Popen(
        [NEUROIG, "evaluate", str(src), "--out", str(out), "-j", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    partial: list[Path] = []
    while time.monotonic() < deadline:
        partial = [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
        if partial and partial[0].stat().st_size > 0:
            break
        time.sleep(0.02)
    assert partial, "the batch never started writing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # the named output still holds the previous complete results, never a cut file
    assert out.read_text(encoding="utf-8") == "previous complete results\n"
    # the cut run is recognisable by its name: .out.jsonl.<random>.partial
    assert partial[0].name.startswith(".out.jsonl.")
    assert src.read_bytes() == before


def test_a_killed_stream_lacks_the_summary_line_and_holds_whole_lines(tmp_path: Path) -> None:
    src = tmp_path / "many.jsonl"
    src.write_text((GOOD + "\n") * 3000, encoding="utf-8")
    sink = tmp_path / "stream.jsonl"
    with sink.open("wb") as fh:
        proc = subprocess.Popen(
            [NEUROIG, "evaluate", str(src), "--out", "-", "-j", "1"],
            stdout=fh,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sink.stat().st_size == 0:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    text = sink.read_text(encoding="utf-8")
    assert text, "the batch never started writing"
    lines = text.splitlines()
    # each batch is written in one piece and flushed, so the lines are whole; were the
    # last one cut, it alone could fail to parse. Either way no summary line: cut.
    complete = lines if text.endswith("\n") else lines[:-1]
    docs = [json.loads(x) for x in complete]
    assert all(d["format"] == "neuroig-assessment/1" for d in docs)
    assert SUMMARY_FORMAT not in text
    assert len(docs) < 3000
    assert src.read_text(encoding="utf-8") == (GOOD + "\n") * 3000
