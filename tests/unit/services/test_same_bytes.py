"""The CLI, a batch and the Python API emit the same bytes for the same case, and the
documents carry the stamp taken when the result was computed."""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import EXAMPLES, ROOT, example_data
from typer.testing import CliRunner

import neuroig
from neuroig.cli.app import app
from neuroig.criteria import cidp_ean_pns_2021, mmn_efns_pns_2010
from neuroig.services import batch
from neuroig.services.assess import assess
from neuroig.services.batch import Outcome, Source, run_batch
from neuroig.services.plan import plan
from neuroig.services.review import review

runner = CliRunner()
MMN = EXAMPLES / "mmn-definite.json"
DECLINING = EXAMPLES / "mmn-declining-response.json"


def _cli(*args: str) -> bytes:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


@pytest.mark.parametrize("name", ["mmn-definite", "cidp-typical", "lmn-no-block"])
def test_evaluate_json_equals_the_api_and_the_batch_line(name: str, tmp_path: Path) -> None:
    path = EXAMPLES / f"{name}.json"
    cli = _cli("evaluate", str(path), "--json")
    document = neuroig.assessment_document(neuroig.evaluate(neuroig.load_case(path)))
    assert cli == neuroig.to_json(document, indent=True) + b"\n"
    # the service, from a path and from an already-parsed mapping
    assert neuroig.to_json(assess(path).document, indent=True) + b"\n" == cli
    assert neuroig.to_json(assess(example_data(name)).document, indent=True) + b"\n" == cli
    # a batch line (--detail full) is the same document plus where it came from
    jsonl = tmp_path / "one.jsonl"
    jsonl.write_text(path.read_text(encoding="utf-8").replace("\n", " ") + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    runner.invoke(app, ["evaluate", str(jsonl), "--out", str(out), "--detail", "full", "-j", "1"])
    line = out.read_bytes()
    api_line = neuroig.to_json(
        neuroig.assessment_document(
            neuroig.evaluate(neuroig.load_case(path)), source=f"{jsonl}:1", line=1
        )
    )
    assert line == api_line + b"\n"
    parsed = json.loads(line)
    assert parsed.pop("source") == f"{jsonl}:1"
    assert parsed.pop("line") == 1
    assert parsed == json.loads(cli)


def test_batch_writes_the_summary_by_default_a_few_kilobytes(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["evaluate", str(EXAMPLES), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.stderr
    lines = out.read_bytes().splitlines()
    assert len(lines) == len(list(EXAMPLES.glob("*.json")))
    full = _cli("evaluate", str(MMN), "--json")
    for raw in lines:
        doc = json.loads(raw)
        assert doc["detail"] == "summary"
        assert len(raw) < 8_000, doc["case_id"]
    mmn = next(json.loads(r) for r in lines if json.loads(r)["case_id"] == "example-mmn-definite")
    assert len(full) > 50_000
    # the summary keeps the answers of the full document
    whole = json.loads(full)
    for key, result_set in whole["criteria"].items():
        assert mmn["categories"][key]["category"] == result_set["category"]
        not_met = [c["id"] for c in result_set["criteria"] if c["status"] == "not_met"]
        assert mmn["criteria"][key]["not_met"] == not_met
    assert mmn["flags"] == [{"id": f["id"], "severity": f["severity"]} for f in whole["flags"]]
    assert mmn["input_sha256"] == whole["input_sha256"]
    # the left ulnar wrist to below-elbow segment: area drop 62.1 % ≥ 50 % with duration
    # +8.3 % ≤ 30 % → definite block by EFNS/PNS 2010; amplitude drop 63.8 % ≥ 30 % → EAN
    assert {
        "nerve": "ulnar",
        "side": "left",
        "segment": "wrist-below_elbow",
        "efns_pns_2010": "definite",
        "ean_pns_2021": True,
    } in mmn["block_grades"]
    segments = [
        (m["nerve"], m["side"], f"{g['from']}-{g['to']}", g["block_efns_pns_2010"])
        for m in whole["electro"]["motor"]
        for g in m["segments"]
    ]
    assert [
        (b["nerve"], b["side"], b["segment"], b["efns_pns_2010"]) for b in mmn["block_grades"]
    ] == segments


def test_the_batch_summary_and_full_lines_come_from_the_workers_as_bytes(tmp_path: Path) -> None:
    for detail in ("summary", "full"):
        out = io.StringIO()
        summary = run_batch(EXAMPLES, out, jobs=2, batch_size=3, detail=detail)
        assert summary.total == summary.valid == len(list(EXAMPLES.glob("*.json")))
        assert all(
            json.loads(x).get("detail") == (None if detail == "full" else "summary")
            for x in out.getvalue().splitlines()
        )


def test_an_unknown_detail_is_refused() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES), "--json", "--detail", "short"])
    assert result.exit_code == 2
    assert "--detail" in result.stderr
    assert "summary or full" in result.stderr


def test_plan_and_review_equal_the_cli_and_carry_the_input_hash() -> None:
    cli_plan = _cli("plan", str(MMN), "--product", "privigen", "--start", "2026-12-01", "--json")
    done = plan(MMN, start=date(2026, 12, 1), product="privigen")
    assert neuroig.to_json(done.document, indent=True) + b"\n" == cli_plan
    hashed = neuroig.input_sha256(neuroig.load_case(MMN))
    assert json.loads(cli_plan)["input_sha256"] == hashed
    cli_review = _cli("review", str(DECLINING), "--json")
    reviewed = review(DECLINING)
    assert neuroig.to_json(reviewed.document, indent=True) + b"\n" == cli_review
    assert reviewed.document.input_sha256 == neuroig.input_sha256(neuroig.load_case(DECLINING))


def test_the_stamp_names_each_rules_version_and_table_hash() -> None:
    doc = assess(MMN).document
    assert doc.rules[mmn_efns_pns_2010.SET_ID] == mmn_efns_pns_2010.RULES_VERSION
    assert doc.rules[cidp_ean_pns_2021.SET_ID] == cidp_ean_pns_2021.RULES_VERSION
    assert {"therapy", "monitoring"} <= set(doc.rules)
    data = ROOT / "src" / "neuroig" / "reference" / "data"
    tables = sorted(data.glob("*.toml"))
    assert sorted(doc.reference_tables) == sorted(p.stem for p in tables)
    for p in tables:
        assert (
            doc.reference_tables[p.stem] == "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest()
        )


@pytest.mark.parametrize("case", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_the_api_plan_equals_the_cli_plan_blocked_or_not(case: Path) -> None:
    # the same diagnosis (with every set's category, T14) reaches the planner either way
    result = runner.invoke(
        app, ["plan", str(case), "--product", "privigen", "--start", "2026-12-01", "--json"]
    )
    assert result.exit_code in (0, 2), result.stderr
    api = neuroig.plan_case(case, start=date(2026, 12, 1), product="privigen")
    document = neuroig.plan_document(
        api, input_sha256=neuroig.input_sha256(neuroig.load_case(case))
    )
    assert neuroig.to_json(document, indent=True) + b"\n" == result.stdout_bytes
    assert (result.exit_code == 2) == (api.status == "blocked")


def test_batch_workers_collect_garbage_less_often_and_the_caller_is_untouched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each worker freezes what it inherited and raises its young-generation threshold
    (docs/performance.md); the process that runs the batch keeps its own settings."""

    def report(source: Source, options: object, detail: str = "summary") -> Outcome:
        seen = {"threshold": gc.get_threshold()[0], "frozen": gc.get_freeze_count() > 0}
        return json.dumps({**seen, "pid": os.getpid()}).encode(), True, source.name, ""

    before = gc.get_threshold()
    monkeypatch.setattr(batch, "evaluate_one", report)  # the forked workers inherit it
    out = io.StringIO()
    run_batch(EXAMPLES, out, jobs=2, batch_size=1)
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(lines) == len(list(EXAMPLES.glob("*.json")))
    assert {x["threshold"] for x in lines} == {batch.WORKER_GC_THRESHOLD}
    assert all(x["frozen"] for x in lines)
    assert os.getpid() not in {x["pid"] for x in lines}
    assert gc.get_threshold() == before != (batch.WORKER_GC_THRESHOLD, *before[1:])
