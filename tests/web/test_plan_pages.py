"""The plan's hand-offs on the web: an override recorded for the latest version shapes
every later plan of it (page, PDF, calendar, pharmacy sheet) and no later version; the
calendar holds one event per session; the pharmacist's sheet shows the order, the rate
steps, the findings and the sign-off lines; the patient page shows the outcome review
with its chart."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from neuroig.api import create_app
from neuroig.services import registry
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade

ROOT = Path(__file__).parents[2]
PASSWORD = "correct horse battery"


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "examples" / f"{name}.json").read_text("utf-8"))
    return data


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Engine]]:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    ann = registry.resolve_actor(engine, "ann")
    renal = _example("mmn-definite")
    renal["case_id"] = "mmn-renal"
    renal["labs"]["egfr_ml_min"] = 25
    registry.save_case(engine, ann, renal, site="north")
    registry.save_case(engine, ann, _example("cidp-wear-off"), site="north")
    app = create_app(load_settings(database_url=url), engine=engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf is not None
        client.post("/login", data={"username": "ann", "password": PASSWORD, "csrf": csrf.group(1)})
        yield client, engine
    engine.dispose()


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/patients").text)
    assert found is not None
    return found.group(1)


def test_a_recorded_override_shapes_the_plan_of_that_version_only(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    page = client.get("/patients/mmn-renal?product=privigen").text
    assert "PLAN BLOCKED by SAFE-RENAL-EGFR" in page
    assert "Pharmacy sheet" not in page  # nothing to hand on while blocked
    for handoff in ("plan.ics", "pharmacy"):
        r = client.get(f"/patients/mmn-renal/{handoff}?product=privigen")
        assert r.status_code == 409 and "blocked by SAFE-RENAL-EGFR" in r.text
    r = client.post(
        "/patients/mmn-renal/override",
        data={
            "rule": "SAFE-RENAL-EGFR",
            "reason": "nephrology agreed",
            "product": "privigen",
            "csrf": _csrf(client),
        },
    )
    assert r.status_code == 200 and "Overridden: SAFE-RENAL-EGFR" in r.text
    again = client.get("/patients/mmn-renal?product=privigen").text  # a later visit
    assert "Overridden: SAFE-RENAL-EGFR — nephrology agreed" in again
    assert "PLAN BLOCKED" not in again
    ann = registry.resolve_actor(engine, "ann")
    assert registry.recorded_overrides(engine, ann, "mmn-renal") == (
        ("SAFE-RENAL-EGFR", "nephrology agreed"),
    )
    # a new version is a new case: its plan is blocked again until overridden again
    changed = _example("mmn-definite")
    changed["case_id"] = "mmn-renal"
    changed["labs"]["egfr_ml_min"] = 24
    registry.save_case(engine, ann, changed, base_version=1, reason="new eGFR", kind="edit")
    assert registry.recorded_overrides(engine, ann, "mmn-renal") == ()
    assert (
        "PLAN BLOCKED by SAFE-RENAL-EGFR" in client.get("/patients/mmn-renal?product=privigen").text
    )


def test_the_last_override_of_a_rule_is_the_one_kept(site: tuple[TestClient, Engine]) -> None:
    _client, engine = site
    ann = registry.resolve_actor(engine, "ann")
    registry.record_override(engine, ann, "mmn-renal", rule_id="SAFE-RENAL-EGFR", reason="one")
    registry.record_override(engine, ann, "mmn-renal", rule_id="GATE-DX-NONE", reason="two")
    registry.record_override(engine, ann, "mmn-renal", rule_id="SAFE-RENAL-EGFR", reason="three")
    assert registry.recorded_overrides(engine, ann, "mmn-renal") == (
        ("GATE-DX-NONE", "two"),
        ("SAFE-RENAL-EGFR", "three"),
    )


def test_the_calendar_and_the_pharmacy_sheet_of_a_plan(site: tuple[TestClient, Engine]) -> None:
    client, _engine = site
    token = client.post(
        "/api/v1/auth/token", data={"username": "ann", "password": PASSWORD}
    ).json()["access_token"]
    plan = client.post(
        "/api/v1/plan?product=privigen",
        content=json.dumps(_example("cidp-wear-off")),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    ).json()
    sessions = plan["regimen"]["sessions"]
    assert plan["status"] == "ok" and sessions
    ics = client.get("/patients/example-cidp-wear-off/plan.ics?product=privigen")
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert "neuroig-example-cidp-wear-off.ics" in ics.headers["content-disposition"]
    body = ics.text
    assert body.startswith("BEGIN:VCALENDAR")
    starts = re.findall(r"DTSTART;VALUE=DATE:(\d{8})", body)
    assert [s["date"].replace("-", "") for s in sessions] == starts[: len(sessions)]
    sheet = client.get("/patients/example-cidp-wear-off/pharmacy?product=privigen")
    assert sheet.status_code == 200
    text = sheet.text
    assert "Pharmacy sheet: example-cidp-wear-off" in text
    assert "Privigen (CSL Behring), 10.0 %" in text
    first = sessions[0]
    assert f"<h3>{first['date']}" in text
    packs = ", ".join(f"{p['count']} × {p['grams']} g" for p in first["packs"])
    assert packs in text
    for step in first["rate_steps"]:
        assert (
            f'<td class="num">{step["after_min"]}</td><td class="num">{step["ml_per_h"]}</td>'
            in (text)
        )
    assert "Prepared by" in text and "Checked by" in text and "Batch / lot numbers" in text
    for warning in plan["warnings"]:
        assert warning.split(":")[0] in text


def test_the_patient_page_shows_the_outcome_review_and_its_chart(
    site: tuple[TestClient, Engine],
) -> None:
    client, _engine = site
    page = client.get("/patients/example-cidp-wear-off").text
    assert "Outcome review (as of" in page
    assert "Wear-off: detected" in page
    assert "REVIEW-WEAR-OFF" in page
    chart = re.search(r'<img class="chart" src="data:image/png;base64,([^"]+)"', page)
    assert chart is not None and len(chart.group(1)) > 10_000
    untreated = client.get("/patients/mmn-renal").text
    assert "Outcome review" not in untreated  # no treatment recorded: nothing to review


def test_the_list_filters_by_diagnosis_and_site(site: tuple[TestClient, Engine]) -> None:
    client, _engine = site
    cidp = client.get("/patients?diagnosis=cidp").text
    assert "example-cidp-wear-off" in cidp and "mmn-renal" not in cidp
    mmn = client.get("/patients?diagnosis=mmn&site=north").text
    assert "mmn-renal" in mmn and "example-cidp-wear-off" not in mmn
    assert "No patient of your sites matches" in client.get("/patients?site=south").text
    assert client.get("/patients?diagnosis=als").status_code == 422


def test_regimen_product_and_weight_policy_are_chosen_and_carried(
    site: tuple[TestClient, Engine],
) -> None:
    client, _engine = site
    query = "?regimen=scig&product=hizentra&weight_policy=actual"
    page = client.get(f"/patients/example-cidp-wear-off{query}").text
    assert "(sc)" in page and "Hizentra" in page
    assert "Dosing weight 65.0 kg (actual)" in page  # the case's weight, unadjusted
    amp = "?product=hizentra&amp;regimen=scig&amp;weight_policy=actual"  # escaped in HTML
    for link in ("report.pdf", "pharmacy", "plan.ics"):
        assert f"/patients/example-cidp-wear-off/{link}{amp}" in page
    sheet = client.get(f"/patients/example-cidp-wear-off/pharmacy{query}").text
    assert "scig (sc)" in sheet and "(actual)" in sheet
    adjusted = client.get("/patients/example-cidp-wear-off?weight_policy=bloodstar-2026").text
    assert "Dosing weight 61.78 kg (bloodstar-2026)" in adjusted
    assert client.get("/patients/example-cidp-wear-off?regimen=<x>").status_code == 422


def test_the_list_shows_only_blocked_plans_until_overridden(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    ann = registry.resolve_actor(engine, "ann")
    renal = _example("cidp-wear-off")  # treated: the planner's own plan uses Privigen
    renal["case_id"] = "cidp-renal"
    renal["labs"]["egfr_ml_min"] = 25
    registry.save_case(engine, ann, renal, site="north")
    page = client.get("/patients?blocked=1").text
    rows = re.findall(r'<tr>\s*<td><a href="/patients/([^"]+)">.*?</tr>', page, re.S)
    assert rows == ["cidp-renal", "mmn-renal"]  # blocked first, no plan yet last
    assert "plan blocked by SAFE-RENAL-EGFR" in page
    assert "no plan yet (no product chosen or recorded)" in page
    assert "example-cidp-wear-off" not in page  # its plan is ready
    registry.record_override(engine, ann, "cidp-renal", rule_id="SAFE-RENAL-EGFR", reason="ok")
    after = client.get("/patients?blocked=1").text
    assert "cidp-renal" not in after and "mmn-renal" in after


def test_safety_findings_are_shown_beside_the_lines_they_change(
    site: tuple[TestClient, Engine],
) -> None:
    client, engine = site
    ann = registry.resolve_actor(engine, "ann")
    for name in ("mmn-no-block", "cidp-typical"):
        data = _example(name)
        registry.save_case(engine, ann, data, site="north")
    # a diagnosis gate changes the regimen: shown under the regimen line
    plan = client.get("/patients/example-mmn-no-block?product=privigen").text
    plan = plan[plan.index('<div id="plan"') :]
    regimen_line = plan.index("(iv), Privigen")
    gate = plan.index("↳ GATE-DX-UNCONFIRMED (warn)")
    assert regimen_line < gate < plan.index("<table>")
    # a rate cap changes the sessions' rates: shown under the sessions table
    plan = client.get("/patients/example-cidp-typical?product=privigen").text
    plan = plan[plan.index('<div id="plan"') :]
    assert plan.index("</table>") < plan.index("↳ RATE-CAP-AT-RISK (warn)")
    assert plan.count("RATE-CAP-AT-RISK") == 1  # once, beside its line, not again below
