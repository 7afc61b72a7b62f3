"""Every public page at a 390 px phone and a 1280 px desktop, in Arabic and English: nothing scrolls sideways, and
screenshots of the main pages land in tests/artifacts/ to be looked at."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.showcase import build

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = {"home", "catalog", "case", "donate", "give", "basket", "receipt", "ledger", "impact", "verify",
               "gift", "checkout"}

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  }).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().x)}`);
  return {scroll: document.documentElement.scrollWidth, inner: width, wide};
}"""


def public_pages(show) -> list[tuple[str, str]]:
    case, donation = show.cases[0], show.donation
    return [
        ("home", "/"), ("catalog", "/cases"), ("catalog-filtered", "/cases?track=rent&region=jazan&sort=newest"),
        ("case", f"/cases/{case.code}"), ("case-ownership", f"/cases/{show.cases[2].code}"),
        ("case-arabic-only", f"/cases/{show.cases[1].code}"),
        ("donate", f"/cases/{case.code}/donate?preset=100"), ("give", "/give?pool=rent"), ("basket", "/basket"),
        ("receipt", f"/receipts/{donation.receipt_token}"), ("verify", f"/r/{donation.reference}"),
        ("gift", f"/gifts/{donation.gift_token}"),
        ("about", "/about"), ("privacy", "/privacy"), ("charities", "/charities"),
        ("charity", f"/charities/{show.charity.slug}"), ("impact", "/impact"), ("ledger", "/ledger"),
        ("ledger-verify", "/ledger/verify"), ("rules", "/rules"), ("priority", "/priority"),
        ("support", "/support/"), ("support-status", "/support/status"), ("support-report", "/support/report"),
        ("login", "/login"), ("signup", "/signup"), ("reset", "/reset"), ("charity-apply", "/charities/apply"),
        ("kiosk", "/kiosk/rent"), ("offline", "/offline"),
    ]


def new_page(browser, live_server, viewport, language):
    context = browser.new_context(base_url=live_server, viewport=viewport,
                                  locale="ar-SA" if language == "ar" else "en-US")
    return context, context.new_page()


def checkout_url(page, show) -> str:
    """The sandbox checkout of a fresh gift to the first case, reached through the case's donate form."""
    page.goto(f"/cases/{show.cases[3].code}/donate?preset=50")
    page.get_by_test_id("donate-submit").click()
    page.wait_for_url("**/sandbox/checkout/**")
    return page.url


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_public_page_scrolls_sideways(browser, live_server, make_charity, make_case, language, size):
    show = build(make_charity, make_case)
    context, page = new_page(browser, live_server, PHONE if size == "phone" else DESKTOP, language)
    outside = []
    page.on("request", lambda request: None if request.url.startswith(live_server) or request.url.startswith("data:")
            else outside.append(request.url))
    try:
        pages = public_pages(show)
        pages.append(("checkout", checkout_url(page, show)))
        problems = []
        for name, url in pages:
            response = page.goto(url)
            assert response.status < 400, (name, response.status)
            assert page.locator("html").get_attribute("lang") == language, name
            result = page.evaluate(OVERFLOW_JS)
            if result["scroll"] > result["inner"]:
                problems.append((name, result))
            if name in SCREENSHOTS:
                screenshot(page, f"{name}-{language}-{size}")
        assert problems == []
        assert outside == []
    finally:
        context.close()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_first_case_card_is_on_the_first_phone_screen(browser, live_server, make_charity, make_case, language):
    build(make_charity, make_case)
    context, page = new_page(browser, live_server, PHONE, language)
    try:
        page.goto("/cases")  # the cases of the day above the list, one line each on a phone
        assert page.get_by_test_id("day-case").count() == 3
        assert page.get_by_test_id("case-card").first.bounding_box()["y"] < PHONE["height"] - 120
        page.goto("/cases?track=rent&region=jazan")
        assert page.get_by_test_id("case-card").first.bounding_box()["y"] < PHONE["height"] - 120
        summary = page.locator("[data-testid='filters-fold'] > summary")
        expected = "اثنان مفعّلان" if language == "ar" else "2 active"
        assert summary.get_by_test_id("active-filters").inner_text() == expected
        summary.click()
        assert page.locator("#track").is_visible()
    finally:
        context.close()
