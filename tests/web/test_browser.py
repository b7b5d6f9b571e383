"""The clinic's pages in a real browser (Debian's Chromium driven by Playwright) against a
real server on 127.0.0.1: log in, find the patient, read the result and the blocked
segment, plan, print the PDF, log out; a user of another site cannot see the patient.
Screenshots of each page go to test-artifacts/web/."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from neuroig.api import create_app
from neuroig.services import registry
from neuroig.settings import load_settings
from neuroig.store.migrate import upgrade

ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "web"
PASSWORD = "correct horse battery"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'registry.db'}"
    upgrade(url)
    engine = registry.open_registry(url)
    registry.add_user(engine, None, "ann", "admin", ["north"], PASSWORD)
    ann = registry.resolve_actor(engine, "ann")
    registry.add_user(engine, ann, "bob", "clinician", ["south"], PASSWORD)
    for name in ("mmn-definite", "cidp-wear-off"):
        data = json.loads((ROOT / "examples" / f"{name}.json").read_text("utf-8"))
        registry.save_case(engine, ann, data, site="north")
    renal = json.loads((ROOT / "examples" / "mmn-definite.json").read_text("utf-8"))
    renal["case_id"] = "mmn-renal"
    renal.setdefault("labs", {})["egfr_ml_min"] = 25
    registry.save_case(engine, ann, renal, site="north")
    app = create_app(load_settings(database_url=url), engine=engine)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{base}/login", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--disable-dev-shm-usage"])
        yield b
        b.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _log_in(page: Page, base: str, user: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")  # the keyboard submits the form


def test_a_clinician_reads_plans_and_prints_a_case(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(f"{server}/patients")
    expect(page).to_have_url(f"{server}/login")  # not logged in: the log-in page
    page.get_by_label("User name").fill("ann")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong user name or password")
    _shot(page, "login-refused")
    _log_in(page, server, "ann")
    expect(page).to_have_url(f"{server}/patients")
    _shot(page, "patients")
    page.get_by_role("link", name="example-mmn-definite").click()
    expect(page.get_by_role("heading", name="example-mmn-definite")).to_be_visible()
    summary = page.locator("table").first
    expect(summary).to_contain_text("EFNS/PNS 2010 multifocal motor neuropathy")
    expect(summary).to_contain_text("definite")
    expect(page.locator("tr.block").first).to_contain_text("definite block")
    page.get_by_label("Product").select_option("privigen")
    page.get_by_role("button", name="Plan").click()
    expect(page.locator("main")).to_contain_text("Privigen")
    _shot(page, "patient")
    with page.expect_download() as download:
        page.get_by_role("link", name="Print the report (PDF)").click()
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{server}/login")
    page.goto(f"{server}/patients")
    expect(page).to_have_url(f"{server}/login")  # the session is gone
    page.close()


def test_a_safety_block_is_overridden_with_a_recorded_reason(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, server, "ann")
    page.goto(f"{server}/patients/mmn-renal?product=privigen")
    expect(page.get_by_role("alert")).to_contain_text("PLAN BLOCKED by SAFE-RENAL-EGFR")
    expect(page.locator("main")).not_to_contain_text("Duration min")  # no schedule
    _shot(page, "plan-blocked")
    button = page.get_by_role("button", name="Override SAFE-RENAL-EGFR")
    button.click()  # no reason: the browser refuses to send the form
    expect(page.get_by_role("alert")).to_contain_text("PLAN BLOCKED")
    page.get_by_label("Reason for overriding SAFE-RENAL-EGFR").fill(
        "nephrology agreed: slow infusion, fluids"
    )
    button.click()
    main = page.locator("main")
    expect(main).to_contain_text("Overridden: SAFE-RENAL-EGFR")
    expect(main).to_contain_text("nephrology agreed: slow infusion, fluids")
    expect(main).to_contain_text("Duration min")  # the schedule is issued now
    _shot(page, "plan-overridden")
    page.close()
    r = httpx.post(f"{server}/api/v1/auth/token", data={"username": "ann", "password": PASSWORD})
    token = r.json()["access_token"]
    audit = httpx.get(
        f"{server}/api/v1/audit?limit=50", headers={"Authorization": f"Bearer {token}"}
    ).json()
    overrides = [e for e in audit if e["action"] == "plan.override"]
    assert [(e["actor"], e["detail"]["rule"], e["detail"]["reason"]) for e in overrides] == [
        ("ann", "SAFE-RENAL-EGFR", "nephrology agreed: slow infusion, fluids")
    ]


def test_a_user_of_another_site_cannot_see_the_patient(server: str, browser: Browser) -> None:
    page = browser.new_page()
    _log_in(page, server, "bob")
    expect(page).to_have_url(f"{server}/patients")
    expect(page.locator("main")).not_to_contain_text("example-mmn-definite")
    response = page.goto(f"{server}/patients/example-mmn-definite")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("another site")
    _shot(page, "other-site-refused")
    page.close()


def test_every_page_sends_a_strict_content_security_policy(server: str) -> None:
    r = httpx.get(f"{server}/login")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-frame-options"] == "DENY"
    cookie = httpx.get(f"{server}/login").headers.get("set-cookie", "")
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
