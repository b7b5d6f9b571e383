"""axe-core (vendored, hash-checked) on every page: no serious or critical violation,
at 1280 px and at tablet width (768 px)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.web.test_browser import PASSWORD, browser, server

__all__ = ["browser", "server"]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"


def test_the_vendored_axe_core_is_the_recorded_release() -> None:
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256


def _violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text("utf-8"))  # run through the debugger: the page's CSP stays
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1280, 768])
def test_no_serious_or_critical_violation_on_any_page(
    server: str, browser: Browser, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{server}/login")
    found = {"login": _violations(page)}
    page.get_by_label("User name").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server}/patients")
    found["patients"] = _violations(page)
    page.goto(f"{server}/patients/example-mmn-definite?product=privigen")
    found["patient"] = _violations(page)
    page.goto(f"{server}/patients/example-cidp-wear-off")
    found["patient (treated)"] = _violations(page)
    page.goto(f"{server}/patients/example-cidp-wear-off/pharmacy?product=privigen")
    found["pharmacy sheet"] = _violations(page)
    page.goto(f"{server}/patients/new")
    found["new patient"] = _violations(page)
    page.get_by_label("Site code").fill("north")
    page.get_by_label("Weight (kg)").fill("960")
    page.get_by_role("button", name="Save the new patient").click()
    page.get_by_role("alert").wait_for()
    found["new patient (refused)"] = _violations(page)
    page.goto(f"{server}/patients/example-cidp-wear-off/record/infusion")
    found["record an infusion"] = _violations(page)
    page.goto(f"{server}/patients/example-cidp-wear-off/record/assessment")
    found["record an assessment"] = _violations(page)
    page.goto(f"{server}/patients/example-cidp-wear-off/record/treatment")
    found["record a treatment"] = _violations(page)
    page.goto(f"{server}/patients/example-cidp-wear-off/record/study")
    found["record a study"] = _violations(page)
    page.goto(f"{server}/patients/example-cidp-wear-off/edit")
    found["edit"] = _violations(page)
    page.goto(f"{server}/patients/import")
    found["import"] = _violations(page)
    page.goto(f"{server}/cohort")
    found["cohort"] = _violations(page)
    page.goto(f"{server}/patients/no-such-case")
    found["not found"] = _violations(page)
    page.close()
    summary = {
        name: [(v["id"], v["impact"], v["help"]) for v in violations]
        for name, violations in found.items()
        if violations
    }
    assert summary == {}


def test_the_check_finds_a_known_violation(browser: Browser) -> None:
    # the harness itself: a form field without a label and an image without alt text
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<input type="text"><img src="data:image/png;base64,iVBORw0KGgo="></main></body></html>'
    )
    ids = {v["id"] for v in _violations(page)}
    page.close()
    assert {"label", "image-alt"} <= ids
