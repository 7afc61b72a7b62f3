"""A requester files a complaint in Arabic, gets a tracking number, a reviewer replies, the requester rates it."""

import pytest
from playwright.sync_api import expect

from jood.auth.roles import Role
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_complaint_reply_and_rating(page, browser, live_server, make_user):
    reviewer = make_user(Role.REVIEWER, email="support-reviewer@example.org")

    page.goto("/support/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Grievance fields show only for a grievance (support.js).
    assert page.locator("[data-grievance-fields]").is_hidden()
    page.get_by_test_id("kind-grievance").check()
    expect(page.locator("[data-grievance-fields]")).to_be_visible()
    page.get_by_test_id("kind-complaint").check()
    page.fill("#name", "هدى السالم")
    page.fill("#email", "huda.browser@example.org")
    page.fill("#message", "تبرعت لحالة إيجار ولم يصلني الإيصال على بريدي حتى الآن.")
    screenshot(page, "support-form-ar")
    page.get_by_test_id("support-submit").click()
    tracking = page.get_by_test_id("tracking-number").inner_text()
    assert tracking.startswith("JS-14") and len(tracking) == len("JS-1448-000001")
    expect(page.get_by_test_id("request-status")).to_have_text("مستلم")
    screenshot(page, "support-status-new-ar")

    staff_context = browser.new_context(base_url=live_server, locale="ar-SA")
    staff = staff_context.new_page()
    try:
        staff.goto("/login")
        staff.fill("#email", reviewer.email)
        staff.fill("#password", PASSWORD)
        staff.get_by_test_id("login-submit").click()
        staff.goto("/support/queue")
        staff.get_by_role("link", name=tracking).click()
        staff.fill("#body", "نعتذر عن التأخير، أعدنا إرسال الإيصال إلى بريدك الإلكتروني.")
        staff.get_by_test_id("reply-submit").click()
        expect(staff.get_by_test_id("request-status")).to_have_text("تم الرد")
        staff.get_by_test_id("resolve-submit").click()
        expect(staff.get_by_test_id("request-status")).to_have_text("مغلق بالحل")
        screenshot(staff, "support-staff-request-ar")
    finally:
        staff_context.close()

    page.reload()
    assert "أعدنا إرسال الإيصال" in page.get_by_test_id("reply").inner_text()
    page.get_by_test_id("rating-5").check()
    page.get_by_test_id("rate-submit").click()
    expect(page.get_by_test_id("rated")).to_be_visible()
    expect(page.get_by_test_id("rate-submit")).to_have_count(0)
    screenshot(page, "support-status-rated-ar")

    page.goto("/support/report")
    expect(page.get_by_test_id("received-complaint")).to_have_text("1")
    assert page.get_by_test_id("satisfaction").inner_text().startswith("100")
    screenshot(page, "support-report-ar")
    assert page.outside_requests == []
