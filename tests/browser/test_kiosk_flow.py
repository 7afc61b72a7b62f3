"""A kiosk in a mall: tap an amount, the donor pays on their own phone, the kiosk says thank you by itself."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from jood.donations.models import Donation
from jood.extensions import db
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_kiosk_thanks_the_donor_once_the_phone_has_paid(browser, live_server):
    kiosk = browser.new_context(base_url=live_server, viewport={"width": 1080, "height": 1920}, locale="ar-SA")
    phone = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, locale="ar-SA")
    try:
        screen = kiosk.new_page()
        screen.goto("/kiosk/rent")
        screenshot(screen, "kiosk-start-ar")
        screen.get_by_test_id("kiosk-100").click()
        expect(screen.get_by_test_id("kiosk-qr")).to_be_visible()
        screenshot(screen, "kiosk-pay-ar")
        db.session.expire_all()
        donation = db.session.scalars(select(Donation)).one()

        hand = phone.new_page()
        hand.goto(f"/sandbox/checkout/{donation.payment.session_id}")
        hand.get_by_test_id("sandbox-success").click()
        hand.wait_for_url("**/receipts/**")

        expect(screen.get_by_test_id("kiosk-thanks")).to_be_visible(timeout=10_000)  # polled, no touch needed
        screenshot(screen, "kiosk-thanks-ar")
    finally:
        kiosk.close()
        phone.close()
