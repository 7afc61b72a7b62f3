"""Kiosk mode: five amounts, one tap to a checkout QR code, the thank-you once paid, nothing about the donor."""

import re

from sqlalchemy import func, select

from jood.donations.models import Donation
from jood.extensions import db
from tests.conftest import post_form


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Donation))


def test_the_start_screen_offers_five_amounts_for_a_pool(client):
    page = client.get("/kiosk/rent").get_data(as_text=True)
    assert len(re.findall(r'data-testid="kiosk-\d+"', page)) == 5
    assert "صندوق دعم الإيجار" in page
    assert client.get("/kiosk/nowhere").status_code == 404


def test_a_tap_opens_a_checkout_shown_as_a_qr_code_and_the_kiosk_thanks_once_paid(client):
    response = post_form(client, "/kiosk/rent/100", {}, token_page="/kiosk/rent")
    assert response.status_code == 303
    pay_url = response.headers["Location"]
    assert re.search(r"/kiosk/rent/pay/[\w.-]+$", pay_url)
    page = client.get(pay_url).get_data(as_text=True)
    assert 'data-testid="kiosk-qr"' in page and 'src="data:image/png;base64,' in page
    donation = db.session.scalars(select(Donation)).one()
    assert donation.anonymous and donation.email is None and donation.user_id is None
    assert [(line.pool, line.amount) for line in donation.lines] == [("rent", 100_00)]
    token = pay_url.rsplit("/", 1)[1]
    assert client.get(f"/kiosk/status/{token}").get_json()["status"] in ("created", "pending")

    # The donor's phone opens the checkout (the QR code's URL) and pays.
    session_path = f"/sandbox/checkout/{donation.payment.session_id}"
    from jood.kiosk.views import _serializer

    with client.application.test_request_context():
        assert _serializer().loads(token)["u"].endswith(session_path)  # the URL the QR code shows
    phone = client.application.test_client()
    post_form(phone, session_path, {"outcome": "success"}, token_page=session_path)
    db.session.expire_all()
    assert client.get(f"/kiosk/status/{token}").get_json() == {"status": "paid"}
    thanks = client.get(pay_url).get_data(as_text=True)
    assert 'data-testid="kiosk-thanks"' in thanks and "100\u00a0ر.س" in thanks


def test_only_the_preset_amounts_and_signed_tokens_are_accepted(client):
    assert post_form(client, "/kiosk/rent/7", {}, token_page="/kiosk/rent").status_code == 400
    assert post_form(client, "/kiosk/nowhere/100", {}, token_page="/kiosk/rent").status_code == 404
    assert _count() == 0
    assert client.get("/kiosk/status/forged.token.value").status_code == 404
    assert client.get("/kiosk/rent/pay/forged.token.value").status_code == 404
