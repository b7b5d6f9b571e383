"""``neuroig evaluate``: report, neuroig-assessment/1 JSON, batch mode."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from neuroig import __version__
from neuroig.cli.app import app

runner = CliRunner()
SETS = ("mmn_efns_pns_2010", "mmn_aaem_2003", "cidp_ean_pns_2021", "cidp_efns_pns_2010")


def test_report_leads_with_the_answer_then_the_deciding_evidence() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "mmn-definite.json")])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.index("Answer") < out.index("Deciding evidence") < out.index("Flags")
    assert "EFNS/PNS 2010 multifocal motor neuropathy: definite" in out
    # C17: the AAEM category hinges on the unverified block table -> not evaluable
    assert "AAEM 2003 multifocal motor neuropathy: not evaluable" in out
    assert "could reach definite" not in out
    for title in ("EAN/PNS 2021 CIDP", "EFNS/PNS 2010 CIDP"):
        assert title in out
    # every set cites its source
    for cite in ("van Schaik IN et al.", "Olney RK et al.", "Van den Bergh PYK et al."):
        assert cite in out
    assert "MMN10-EDX-DEF" in out
    assert "Decision support only" in " ".join(out.split())
    # the full trace only with -v
    assert "MMN10-SUPC-3" not in out
    verbose = runner.invoke(app, ["evaluate", "-v", str(EXAMPLES / "mmn-definite.json")]).stdout
    assert "MMN10-SUPC-3" in verbose
    assert len(verbose.splitlines()) > len(out.splitlines()) + 40


def test_json_is_neuroig_assessment_1() -> None:
    result = runner.invoke(app, ["evaluate", str(EXAMPLES / "mmn-definite.json"), "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["format"] == "neuroig-assessment/1"
    assert doc["neuroig_version"] == __version__
    assert doc["case_id"] == "example-mmn-definite"
    assert len(doc["input_sha256"]) == 64
    assert set(doc["criteria"]) == set(SETS)
    for key in SETS:
        s = doc["criteria"][key]
        assert {
            "version",
            "category",
            "conditional_category",
            "reachable",
            "criteria",
            "missing",
        } <= set(s)
        for c in s["criteria"]:
            assert {"id", "status", "statement", "reason", "cite", "evidence"} <= set(c)
            assert c["status"] in {"met", "not_met", "unknown"}
    assert doc["criteria"]["mmn_efns_pns_2010"]["category"] == "definite"
    assert "phenotype" in doc["criteria"]["cidp_ean_pns_2021"]
    edx = next(
        c for c in doc["criteria"]["mmn_efns_pns_2010"]["criteria"] if c["id"] == "MMN10-EDX-DEF"
    )
    area = next(e for e in edx["evidence"] if e["measure"] == "area_drop_pct")
    assert (area["nerve"], area["side"], area["segment"], area["value"], area["threshold"]) == (
        "ulnar",
        "left",
        "wrist-below_elbow",
        62.1,
        50.0,
    )
    assert doc["electro"]["motor"][0]["segments"][0]["block_efns_pns_2010"] == "definite"
    assert isinstance(doc["flags"], list)
    assert doc["lmn_ivig_trial"] is None
    assert isinstance(doc["warnings"], list)


def test_input_hash_is_the_same_for_json_and_yaml(tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "mmn-probable.json").read_text(encoding="utf-8"))
    y = tmp_path / "case.yaml"
    y.write_text(yaml.safe_dump(data), encoding="utf-8")
    a = json.loads(
        runner.invoke(app, ["evaluate", str(EXAMPLES / "mmn-probable.json"), "--json"]).stdout
    )
    b = json.loads(runner.invoke(app, ["evaluate", str(y), "--json"]).stdout)
    assert a["input_sha256"] == b["input_sha256"]
    assert a["criteria"] == b["criteria"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "cases"
    folder.mkdir()
    for p in sorted(EXAMPLES.glob("*.json")):
        shutil.copy(p, folder / p.name)
    return folder


def test_batch_folder_writes_one_line_per_case_in_order(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "results.jsonl"
    result = runner.invoke(app, ["evaluate", str(folder), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    names = sorted(p.name for p in folder.iterdir())
    assert [Path(d["source"]).name for d in lines] == names
    assert all(d["format"] == "neuroig-assessment/1" for d in lines)
    assert f"{len(names)} cases: {len(names)} evaluated, 0 invalid" in result.stderr


def test_batch_jsonl_with_an_invalid_line_exits_2_and_reports_it(tmp_path: Path) -> None:
    src = tmp_path / "cases.jsonl"
    good = json.dumps(json.loads((EXAMPLES / "cidp-typical.json").read_text(encoding="utf-8")))
    bad = json.dumps({"format": "neuroig-case/1", "case_id": "bad", "patient": {"weight_kg": 400}})
    src.write_text("\n".join([good, bad, good]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["evaluate", str(src), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 2
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [d["format"] for d in lines] == [
        "neuroig-assessment/1",
        "neuroig-error/1",
        "neuroig-assessment/1",
    ]
    assert lines[1]["source"].endswith("cases.jsonl:2")
    assert lines[1]["problems"][0]["path"] == "patient.weight_kg"


def test_batch_results_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    runner.invoke(app, ["evaluate", str(folder), "--out", str(one), "--jobs", "1"])
    runner.invoke(app, ["evaluate", str(folder), "--out", str(two), "--jobs", "2"])
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def test_batch_needs_out_and_single_case_refuses_out(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    r = runner.invoke(app, ["evaluate", str(folder)])
    assert r.exit_code == 2
    assert "--out: got None; is required" in r.stderr
    r2 = runner.invoke(
        app, ["evaluate", str(EXAMPLES / "mmn-definite.json"), "--out", str(tmp_path / "x")]
    )
    assert r2.exit_code == 2


def test_an_empty_case_reads_insufficient_data_not_not_fulfilled(tmp_path: Path) -> None:
    case = tmp_path / "empty.json"
    case.write_text('{"format": "neuroig-case/1", "case_id": "empty"}', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(case)], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    answer = result.stdout.split("Deciding evidence")[0]
    assert answer.count("not evaluable (insufficient data)") == 4
    assert "not fulfilled" not in answer
    doc = json.loads(runner.invoke(app, ["evaluate", str(case), "--json"]).stdout)
    assert {s["category"] for s in doc["criteria"].values()} == {"not_evaluable"}
