import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_donate_to_a_case_through_the_sandbox_in_arabic(page, make_case):
    case = make_case(target_amount=1000_00)
    page.goto(f"/cases/{case.code}/donate")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    progress = page.get_by_test_id("case-progress")
    expect(progress).to_have_attribute("value", "0")
    page.get_by_test_id("preset-50").check()
    assert page.get_by_test_id("donate-amount").input_value() == "50"  # donations.js fills the amount
    page.get_by_test_id("donate-amount").fill("١٠٠")  # Arabic-Indic digits
    screenshot(page, "donate-case-ar")
    page.get_by_test_id("donate-submit").click()

    page.wait_for_url("**/sandbox/checkout/**")
    assert "دفع تجريبي" in page.get_by_test_id("sandbox-banner").inner_text()
    assert "100\u00a0ر.س" in page.get_by_test_id("sandbox-amount").inner_text()
    screenshot(page, "sandbox-checkout-ar")
    page.get_by_test_id("sandbox-success").click()

    page.wait_for_url("**/receipts/**")
    expect(page.get_by_test_id("receipt-status")).to_have_text("مدفوع")
    assert "100\u00a0ر.س" in page.get_by_test_id("receipt-amount").inner_text()
    screenshot(page, "receipt-ar")
    receipt_url = page.url

    page.get_by_test_id("case-link").click()
    expect(page.get_by_test_id("case-progress")).to_have_attribute("value", "10000")
    assert "900\u00a0ر.س" in page.get_by_test_id("case-remaining").inner_text()
    assert "فاعل خير" in page.get_by_test_id("recent-donations").inner_text()

    page.goto(receipt_url)
    page.get_by_test_id("verify-link").click()
    page.wait_for_url("**/r/JD-*")
    assert "مدفوع" in page.get_by_test_id("verify-status").inner_text()
    assert case.code in page.get_by_test_id("verify").inner_text()
    screenshot(page, "verify-ar")
    assert page.outside_requests == []
