"""The clinic's pages in a real browser (Debian's Chromium driven by Playwright) against a
real server on 127.0.0.1: log in, find the patient, read the result and the blocked
segment, plan, print the PDF, log out; a user of another site cannot see the patient.
Screenshots of each page go to test-artifacts/web/."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from matplotlib.image import imread
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from tests.report.test_cohort_chart import _pixels_of

from neuroig.api import create_app
from neuroig.report.cohort_chart import CHART_PX, FLAG_COLOUR, RESPONSE_COLOURS
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


MRC_KEYS = [  # the grid's rows (left, right); "" leaves a muscle unexamined
    ("5", "5"),  # deltoid
    ("", ""),  # biceps
    ("", ""),  # triceps
    ("4", "5"),  # wrist extensors
    ("4", "5"),  # finger extensors
    ("3", "5"),  # first dorsal interosseous
    ("3", "5"),  # abductor digiti minimi
    ("5", "5"),  # abductor pollicis brevis
    ("", ""),  # iliopsoas
    ("", ""),  # quadriceps
    ("5", "5"),  # tibialis anterior
]
ULNAR_ROWS = [  # site, latency, amplitude, area, duration, distance (examples/mmn-definite)
    ("wrist", "3.0", "8.0", "24.0", "6.0", "80"),
    ("below_elbow", "7.4", "2.9", "9.1", "6.5", "230"),
    ("above_elbow", "9.4", "2.8", "8.9", "6.6", "100"),
]
MEDIAN_EXPORT = (  # as a spreadsheet or the EMG machine's export puts it on the clipboard
    "Site\tLatency\tAmplitude\tArea\tDuration\tDistance\n"
    "wrist\t3.6\t9.5\t30.0\t5.8\t70\n"
    "elbow\t7.9\t9.0\t28.6\t6.0\t240\n"
    "axilla\t10.2\t5.6\t18.3\t6.3\t130\n"
)


def _field(page: Page, path: str) -> Locator:
    return page.locator(f'[id="{path}"]')


def _enter_mmn_case(page: Page) -> None:
    """The left-ulnar-block MMN case of examples/mmn-definite, typed and pasted, with an
    eGFR of 25 mL/min."""
    page.get_by_label("Case id (no name, no hospital number)").fill("web-mmn")
    page.get_by_label("Site code").fill("north")
    page.get_by_label("Sex").select_option("male")
    page.get_by_label("Age (years)", exact=True).fill("46")
    page.get_by_label("Height (cm)").fill("180")
    page.get_by_label("Weight (kg)").fill("96")
    page.get_by_label("Age at onset (years)").fill("43")
    page.get_by_label("Course").select_option("stepwise_progressive")
    page.get_by_label("Early diffuse symmetric weakness").select_option("false")
    page.get_by_label("Objective sensory loss").select_option("none")
    page.get_by_label("Upper motor neuron signs").select_option("false")
    page.get_by_label("Bulbar weakness").select_option("none")
    # the MRC grid by keyboard only: a digit picks the grade, Tab moves on
    page.get_by_label("Deltoid left MRC").focus()
    for left, right in MRC_KEYS:
        for grade in (left, right):
            if grade:
                page.keyboard.press(grade)
            page.keyboard.press("Tab")
    expect(page.get_by_label("First dorsal interosseous left MRC")).to_have_value("3")
    expect(page.get_by_label("Tibialis anterior (ankle dorsiflexors) right MRC")).to_have_value("5")
    page.get_by_label("IgM anti-GM1").select_option("high_titer")
    page.get_by_label("CK (U/L)").fill("140")
    page.get_by_label("eGFR (mL/min)").fill("25")
    page.get_by_label("Haemoglobin (g/L)").fill("148")
    page.get_by_label("IgA (g/L)").fill("2.1")
    page.get_by_label("Study date (YYYY-MM-DD)").fill("2026-10-02")
    page.get_by_label("Limb temperature (°C)").fill("33.5")
    # motor nerve 1 (left ulnar): the NCS grid by keyboard
    _field(page, "ncs.motor[0].nerve").select_option("ulnar")
    _field(page, "ncs.motor[0].side").select_option("left")
    _field(page, "ncs.motor[0].recording").select_option("abductor_digiti_minimi")
    for k, (site, *numbers) in enumerate(ULNAR_ROWS):
        _field(page, f"ncs.motor[0].sites[{k}].site").select_option(site)
        _field(page, f"ncs.motor[0].sites[{k}].latency_ms").focus()
        for number in numbers:
            page.keyboard.type(number)
            page.keyboard.press("Tab")
    for name, value in [
        ("distal_latency_ms_uln", "3.3"),
        ("amplitude_mv_lln", "6.0"),
        ("velocity_m_s_lln", "49"),
        ("duration_ms_uln", "6.7"),
    ]:
        _field(page, f"ncs.motor[0].lab_reference.{name}").fill(value)
    # motor nerve 2 (left median): pasted from the clipboard
    _field(page, "ncs.motor[1].nerve").select_option("median")
    _field(page, "ncs.motor[1].side").select_option("left")
    _field(page, "ncs.motor[1].recording").select_option("abductor_pollicis_brevis")
    page.evaluate("text => navigator.clipboard.writeText(text)", MEDIAN_EXPORT)
    page.locator("#paste-1").focus()
    page.keyboard.press("Control+V")
    expect(page.locator("#paste-1")).to_have_value(MEDIAN_EXPORT)
    for name, value in [
        ("distal_latency_ms_uln", "4.4"),
        ("amplitude_mv_lln", "4.0"),
        ("velocity_m_s_lln", "49"),
        ("duration_ms_uln", "6.6"),
    ]:
        _field(page, f"ncs.motor[1].lab_reference.{name}").fill(value)
    for n, (nerve, to_site, amp, vel, lln) in enumerate(
        [("ulnar", "digit5", "22", "56", "10"), ("median", "digit2", "31", "57", "15")]
    ):
        base = f"ncs.sensory[{n}]"
        _field(page, f"{base}.nerve").select_option(nerve)
        _field(page, f"{base}.side").select_option("left")
        _field(page, f"{base}.method").select_option("antidromic")
        _field(page, f"{base}.from_site").select_option("wrist")
        _field(page, f"{base}.to_site").select_option(to_site)
        _field(page, f"{base}.distance_mm").fill("140")
        _field(page, f"{base}.amplitude_uv").fill(amp)
        _field(page, f"{base}.velocity_m_s").fill(vel)
        _field(page, f"{base}.lab_reference.amplitude_uv_lln").fill(lln)
        _field(page, f"{base}.lab_reference.velocity_m_s_lln").fill("50")


def test_a_new_patient_is_entered_planned_overridden_and_printed(
    server: str, browser: Browser, tmp_path: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    _log_in(page, server, "ann")
    page.get_by_role("link", name="New patient").click()
    expect(page.get_by_role("heading", name="New patient")).to_be_visible()
    page.get_by_label("Case id (no name, no hospital number)").fill("web-mmn")
    page.get_by_label("Site code").fill("north")
    page.get_by_label("Weight (kg)").fill("960")
    page.get_by_role("button", name="Save the new patient").click()
    alert = page.get_by_role("alert")  # refused at the field, with the CLI's message
    expect(alert).to_contain_text("patient.weight_kg")
    expect(page.get_by_label("Weight (kg)")).to_have_attribute("aria-invalid", "true")
    _shot(page, "entry-refused")
    page.get_by_role("link", name="New patient").click()
    _enter_mmn_case(page)
    _shot(page, "entry")
    page.get_by_role("button", name="Save the new patient").click()
    expect(page).to_have_url(f"{server}/patients/web-mmn")
    summary = page.locator("table").first
    expect(summary).to_contain_text("EFNS/PNS 2010 multifocal motor neuropathy")
    expect(summary).to_contain_text("definite")
    block = page.locator("tr.block").first
    expect(block).to_contain_text("definite block")
    expect(block).to_contain_text("wrist")
    page.get_by_label("Product").select_option("privigen")
    page.get_by_role("button", name="Plan").click()
    expect(page.get_by_role("alert")).to_contain_text("PLAN BLOCKED by SAFE-RENAL-EGFR")
    page.get_by_label("Reason for overriding SAFE-RENAL-EGFR").fill("nephrology agreed")
    page.get_by_role("button", name="Override SAFE-RENAL-EGFR").click()
    expect(page.locator("main")).to_contain_text("Overridden: SAFE-RENAL-EGFR")
    expect(page.locator("main")).to_contain_text("Duration min")
    _shot(page, "entered-patient")
    with page.expect_download() as calendar:
        page.get_by_role("link", name="Sessions as a calendar (iCalendar)").click()
    ics = tmp_path / "web-mmn.ics"
    calendar.value.save_as(ics)
    assert ics.read_text("utf-8").startswith("BEGIN:VCALENDAR")
    page.get_by_role("link", name="Pharmacy sheet").click()
    expect(page.get_by_role("heading", name="Pharmacy sheet: web-mmn")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Overridden: SAFE-RENAL-EGFR")
    expect(page.locator("main")).to_contain_text("Checked by")
    _shot(page, "pharmacy-sheet")
    page.get_by_role("link", name="Back to the patient").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Print the report (PDF)").click()
    saved = tmp_path / "web-mmn.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{server}/login")
    context.close()


def test_what_is_typed_is_kept_as_a_draft_and_resumed(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, server, "ann")
    page.goto(f"{server}/patients/new")
    page.get_by_label("Case id (no name, no hospital number)").fill("interrupted-entry")
    page.get_by_label("Weight (kg)").fill("71.5")
    page.get_by_label("Deltoid left MRC").select_option("4")  # autosave: no button pressed
    status = page.locator("#draft-status")
    expect(status).to_contain_text(re.compile(r"Draft \d+ kept"))
    number = re.search(r"Draft (\d+)", status.inner_text())
    assert number is not None
    _shot(page, "draft-autosaved")
    page.close()  # the tab is lost
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, server, "ann")
    page.goto(f"{server}/patients/new")
    page.get_by_role("link", name=f"Draft {number.group(1)}: interrupted-entry").click()
    expect(page.get_by_label("Weight (kg)")).to_have_value("71.5")
    expect(page.get_by_label("Deltoid left MRC")).to_have_value("4")
    page.get_by_role("button", name=f"Discard draft {number.group(1)}").click()
    expect(page.locator("main")).not_to_contain_text("interrupted-entry")
    page.close()


def test_a_case_file_is_imported_by_upload(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, server, "ann")
    page.get_by_role("link", name="Import").click()
    data = json.loads((ROOT / "examples" / "mmn-probable.json").read_text("utf-8"))
    page.get_by_label("File").set_input_files(
        files=[
            {
                "name": "probable.json",
                "mimeType": "application/json",
                "buffer": json.dumps(data).encode(),
            }
        ]
    )
    page.get_by_label("Site code (for new patients)").fill("north")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("main")).to_contain_text("new patient, version 1")
    _shot(page, "import")
    page.get_by_role("link", name=data["case_id"]).click()
    expect(page.get_by_role("heading", name=data["case_id"])).to_be_visible()
    page.close()


HTMX = ROOT / "src" / "neuroig" / "web" / "static" / "vendor" / "htmx-2.0.11.min.js"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_the_vendored_htmx_is_the_recorded_release() -> None:
    assert hashlib.sha256(HTMX.read_bytes()).hexdigest() == HTMX_SHA256


def test_htmx_filters_the_list_and_replans_in_place(server: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _log_in(page, server, "ann")
    expect(page).to_have_url(f"{server}/patients")
    page.evaluate("window.neuroigMarker = 1")  # survives only if the page is not reloaded
    page.get_by_label("Case id contains").press_sequentially("wear")  # no Enter, no button
    rows = page.locator("#patient-rows tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("example-cidp-wear-off")
    expect(page).to_have_url(re.compile(r"/patients\?search=wear&"))
    assert page.evaluate("window.neuroigMarker") == 1
    page.get_by_role("link", name="example-cidp-wear-off").click()
    page.evaluate("window.neuroigMarker = 2")
    page.get_by_label("Product").select_option("panzyga")
    expect(page.locator("#plan")).to_contain_text("Panzyga")
    assert page.evaluate("window.neuroigMarker") == 2  # swapped in place
    expect(page).to_have_url(re.compile(r"product=panzyga"))
    page.close()
    assert [e for e in errors if "Content Security Policy" in e] == []


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
    assert ("ann", "SAFE-RENAL-EGFR", "nephrology agreed: slow infusion, fluids") in [
        (e["actor"], e["detail"]["rule"], e["detail"]["reason"]) for e in overrides
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


def test_the_cohort_dashboard_shows_its_figures_chart_and_csv(
    server: str, browser: Browser
) -> None:
    page = browser.new_page()
    _log_in(page, server, "ann")
    page.wait_for_url(f"{server}/patients")
    page.get_by_role("link", name="Cohort").click()
    page.wait_for_url(f"{server}/cohort")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Cohort of your sites")
    chart = page.get_by_role("img", name=re.compile("Bar charts"))
    assert chart.evaluate("img => img.complete && img.naturalWidth") == CHART_PX[0]
    # the chart as an image: one responder (cidp-wear-off), no non-responder, one flag
    src = chart.get_attribute("src") or ""
    assert src.startswith("data:image/png;base64,")
    image = imread(io.BytesIO(base64.b64decode(src.split(",", 1)[1])), format="png")
    assert image.shape[:2] == (CHART_PX[1], CHART_PX[0])
    assert _pixels_of(image, RESPONSE_COLOURS["responder"]) > 1000
    assert _pixels_of(image, RESPONSE_COLOURS["non_responder"]) == 0
    assert _pixels_of(image, FLAG_COLOUR) > 1000  # the wear-off bar
    main = page.locator("main")
    expect(main).to_contain_text("1 wear-off before the next dose")
    expect(main).to_contain_text("1 could continue, 0 are blocked")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() >= 2
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    text = Path(download.value.path()).read_text("utf-8")
    assert text.splitlines()[0] == "figure,group,class,value"
    assert "by_diagnosis,mmn," in text
    assert "wear_off,,,1" in text
    _shot(page, "cohort")
    page.close()
