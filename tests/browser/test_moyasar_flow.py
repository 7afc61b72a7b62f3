import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_donate_with_mada_through_moyasars_test_page(page, make_case, moyasar_api):
    """The demo path: mada first among the methods, Moyasar's (stand-in) TEST page, the webhook, the receipt."""
    moyasar_api.deliver = True  # the stand-in posts Moyasar's webhook to our live server, as in `make run`
    try:
        case = make_case(target_amount=1000_00)
        page.goto(f"/cases/{case.code}/donate")
        methods = page.get_by_test_id("pay-methods")
        expect(methods.locator("input").first).to_have_attribute("value", "mada")
        expect(page.get_by_test_id("method-mada")).to_be_checked()
        page.get_by_test_id("donate-amount").fill("١٠٠")
        screenshot(page, "donate-case-methods-ar")
        page.get_by_test_id("donate-submit").click()

        page.wait_for_url(f"{moyasar_api.base}/invoices/**")
        assert "TEST PAYMENT" in page.get_by_test_id("moyasar-test-banner").inner_text()
        for method in ("mada", "applepay", "stcpay"):
            expect(page.get_by_test_id(f"standin-{method}")).to_be_visible()
        screenshot(page, "moyasar-standin-test-page")
        page.get_by_test_id("standin-mada").click()

        page.wait_for_url("**/receipts/**")
        expect(page.get_by_test_id("receipt-status")).to_have_text("مدفوع")
        assert "100\xa0ر.س" in page.get_by_test_id("receipt-amount").inner_text()  # one money format (docs/design.md)
        assert len(moyasar_api.sent_webhooks) == 1
        # Only Moyasar's (stand-in) page was visited outside Jood; Jood's own pages asked no other host.
        assert all(url.startswith(moyasar_api.base) for url in page.outside_requests)
    finally:
        moyasar_api.deliver = False
