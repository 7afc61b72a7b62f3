"""Queued receipts (RECEIPT_QUEUE, the production setting): the confirming request only writes a row in the payment's
transaction; the `receipts-send` job sends the receipt mail (HTML and text, the verification link and its QR code),
and retries with back-off when mail is down. The PDF is rendered when it is first downloaded, then cached."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from jood.core.db import utcnow
from jood.donations import receipts, services
from jood.donations.models import QueuedReceipt
from jood.extensions import db
from jood.jobs import REGISTRY, run_job
from jood.payments import services as payments
from jood.payments.states import PaymentEvent
from tests.support.conftest import mails_to


def _donor() -> str:
    return f"queued-{uuid.uuid4().hex[:8]}@example.org"  # the outbox folder outlives a test: one address each


@pytest.fixture
def queued(app, monkeypatch):
    monkeypatch.setitem(app.config, "RECEIPT_QUEUE", True)
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://jood.example.org")
    rendered = []
    real_pdf = receipts.receipt_pdf
    monkeypatch.setattr(receipts, "receipt_pdf", lambda donation: rendered.append(donation.id) or real_pdf(donation))
    return rendered


def _queued() -> int:
    return db.session.scalar(select(func.count()).select_from(QueuedReceipt))


def test_the_request_queues_the_receipt_and_the_job_sends_it(app, make_case, donate, queued):
    donor = _donor()
    donation = donate(make_case(), "120", email=donor)
    response = donate.response
    assert response.status_code == 302 and donation.status == "paid"
    assert queued == [] and mails_to(app, donor) == [], "no PDF rendered, no mail sent by the confirming request"
    assert _queued() == 1
    reference, donation_id = donation.reference, donation.id

    ok, result = run_job(REGISTRY["receipts-send"])  # in its own unit of work, as the jobs runner does

    assert ok and result == "1 sent, 0 to retry"
    [mail] = mails_to(app, donor)
    assert reference in mail["Subject"] and mail["Message-ID"].startswith(f"<receipt-{reference}@")
    text = mail.get_body(("plain",)).get_content()
    assert f"https://jood.example.org/r/{reference}" in text
    token = db.session.get(services.Donation, donation_id).receipt_token
    assert f"https://jood.example.org/receipts/{token}.pdf" in text
    assert _queued() == 0
    # The PDF is not rendered to send the mail (it is most of a receipt's cost): on download, once, then cached.
    assert queued == [] and list(mail.iter_attachments()) == []
    client = app.test_client()
    first, second = (client.get(f"/receipts/{token}.pdf") for _ in range(2))
    assert first.status_code == second.status_code == 200 and first.data.startswith(b"%PDF")
    assert second.data == first.data and queued == [donation_id]


def test_the_receipt_mail_carries_the_verification_link_and_its_qr_code(app, make_case, donate, queued):
    donor = _donor()
    donation = donate(make_case(), "120", email=donor)
    reference, token = donation.reference, donation.receipt_token
    run_job(REGISTRY["receipts-send"])
    [mail] = mails_to(app, donor)
    html = mail.get_body(("html",))
    page = html.get_content()
    assert f'href="https://jood.example.org/r/{reference}"' in page and reference in page
    assert f'href="https://jood.example.org/receipts/{token}.pdf"' in page
    assert 'lang="ar" dir="rtl"' in page and '<img src="cid:qr"' in page
    [image] = [part for part in mail.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<qr>" and image.get_content().startswith(b"\x89PNG")


def test_a_refund_changes_the_cached_pdf(app, make_case, donate, queued):
    donation = donate(make_case(), "120", email=_donor())
    before = receipts.receipt_pdf_key(donation)
    donation.payment.refunded_amount = 20_00
    assert receipts.receipt_pdf_key(donation) != before
    db.session.rollback()


def test_a_mail_outage_keeps_the_receipt_and_backs_off(app, make_case, donate, queued, monkeypatch):
    donor = _donor()
    donate(make_case(), "50", email=donor)
    server_down, send = [True], services._send

    def flaky(*args, **kwargs):
        if server_down[0]:
            raise ConnectionRefusedError("smtp down")
        send(*args, **kwargs)

    monkeypatch.setattr(services, "_send", flaky)
    now = utcnow()
    assert services.send_queued_receipts(now=now) == {"sent": 0, "failed": 1}
    item = db.session.scalars(select(QueuedReceipt)).one()
    assert item.attempts == 1 and item.next_attempt_at == now + timedelta(minutes=1)
    assert "smtp down" in item.last_error
    assert services.send_queued_receipts(now=now + timedelta(seconds=30)) == {"sent": 0, "failed": 0}  # not due
    assert services.send_queued_receipts(now=now + timedelta(minutes=1)) == {"sent": 0, "failed": 1}
    assert db.session.scalars(select(QueuedReceipt)).one().next_attempt_at == now + timedelta(minutes=3)

    server_down[0] = False
    assert services.send_queued_receipts(now=now + timedelta(minutes=3)) == {"sent": 1, "failed": 0}
    assert len(mails_to(app, donor)) == 1 and _queued() == 0


def test_a_run_stops_when_its_time_is_up(make_case, donate, queued):
    for amount in ("10", "11"):
        donate(make_case(), amount, email=_donor())
    assert services.send_queued_receipts(seconds=0.001) == {"sent": 1, "failed": 0}  # one at least, then the clock
    assert _queued() == 1


def test_no_receipt_is_queued_for_a_payment_that_is_rolled_back_or_a_donor_without_email(make_case, queued):
    from jood.donations.services import Donor, LineRequest, create_donation

    case = make_case()
    donation = create_donation([LineRequest(40_00, case=case)], Donor(email=_donor()), zakat=False,
                               gateway="sandbox")
    db.session.commit()
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
    assert _queued() == 1
    db.session.rollback()
    assert _queued() == 0

    anonymous = create_donation([LineRequest(40_00, case=case)], Donor(), zakat=False, gateway="sandbox")
    payments.apply(anonymous.payment, PaymentEvent.SUCCEED, reason="test")
    db.session.commit()
    assert _queued() == 0 and queued == []


def test_the_embedded_mode_sends_at_once(app, make_case, donate):
    assert app.config["RECEIPT_QUEUE"] is False  # tests run as the embedded mode does
    donor = _donor()
    donation = donate(make_case(), "75", email=donor)
    assert _queued() == 0 and donation.reference in mails_to(app, donor)[0]["Subject"]


def test_a_receipt_sent_again_after_a_crash_is_the_same_message(app, tmp_path):
    """At least once: a sender killed between the send and the commit sends again. The repeat carries the same
    Message-ID and replaces the same outbox file, so the donor's receipt is counted once."""
    from email import message_from_bytes
    from pathlib import Path

    from jood.mail import send_mail

    outbox = Path(app.config["MAIL_OUTBOX"])
    before = set(outbox.glob("*.eml")) if outbox.exists() else set()
    with app.test_request_context():
        for _ in range(2):
            send_mail("donor@example.org", "إيصال", "شكرًا", message_id="receipt-JD-2026-000042")
    written = set(outbox.glob("*.eml")) - before
    assert len(written) == 1
    message = message_from_bytes(written.pop().read_bytes())
    assert message["Message-ID"] == "<receipt-JD-2026-000042@jood.local>"
