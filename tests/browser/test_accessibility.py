"""axe-core on every public page and each step of giving, in Arabic and English, at 390 px and 1280 px: no serious or
critical violation. axe-core comes from the npm registry (`make test` installs it into node_modules) and is injected
with the page's CSP bypassed, in the test browser only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.showcase import build
from tests.browser.test_layout import DESKTOP, PHONE, public_pages

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: CI must run the accessibility tests (make test installs axe-core)")
        pytest.skip("axe-core is not installed: run `make axe` (npm)")
    return AXE.read_text()


def serious_violations(page, axe_source) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_serious_or_critical_violation(browser, live_server, make_charity, make_case, axe_source, language, size):
    show = build(make_charity, make_case)
    context = browser.new_context(base_url=live_server, viewport=PHONE if size == "phone" else DESKTOP,
                                  locale="ar-SA" if language == "ar" else "en-US", bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for name, url in public_pages(show):
            page.goto(url)
            if violations := serious_violations(page, axe_source):
                found[name] = violations
        # Each step of giving: the case's donate form, the checkout, the receipt.
        page.goto(f"/cases/{show.cases[3].code}/donate?preset=50")
        page.get_by_test_id("donate-submit").click()
        page.wait_for_url("**/sandbox/checkout/**")
        if violations := serious_violations(page, axe_source):
            found["checkout"] = violations
        page.get_by_test_id("sandbox-success").click()
        page.wait_for_url("**/receipts/**")
        if violations := serious_violations(page, axe_source):
            found["receipt-after-payment"] = violations
    finally:
        context.close()
    assert found == {}
