"""The method choice for monthly gifts, and partial refunds on the gateways that can (sandbox) and cannot (Stripe)."""

from sqlalchemy import func, select

from jood.auth.roles import Role
from jood.donations.models import Donation, RecurringGift
from jood.extensions import db
from tests.conftest import login, post_form


def test_a_monthly_gift_with_stc_pay_is_refused_with_a_clear_message(client, make_user, moyasar_api):
    login(client, make_user(Role.DONOR))
    response = post_form(client, "/give", {"pool": "general", "amount": "50", "monthly": "y", "method": "stcpay"},
                         token_page="/give")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "mada or a card only" in text or "مدى أو بطاقة" in text
    assert db.session.scalar(select(func.count()).select_from(RecurringGift)) == 0


def test_the_invoice_expires_with_our_checkout(client, make_case, moyasar_api):
    from tests.conftest import start_case_gift

    start_case_gift(client, make_case(), "100", method="mada")
    body = next(r for r in moyasar_api.requests if r["path"] == "/v1/invoices")["json"]
    assert body["expired_at"].endswith("Z")


def _refund(client, make_user, donation, amount):
    login(client, make_user(Role.FINANCE))
    return post_form(client, f"/finance/donations/{donation.reference}/refund",
                     {"reason": "donor asked", "amount": amount}, token_page="/finance/donations")


def test_stripe_cannot_refund_part_of_a_payment_here(client, make_case, make_user, stripe_api, deliver):
    from tests.payments.conftest import event
    from tests.payments.test_stripe import _session, _start

    case = make_case()
    donation = _start(client, case)
    deliver(event("checkout.session.completed", _session(donation)))
    _refund(client, make_user, donation, "10")
    page = client.get("/finance/donations").get_data(as_text=True)
    assert "cannot refund part" in page or "لا تتيح" in page
    db.session.expire_all()
    assert donation.payment.refunded_amount == 0 and case.raised_amount == 100_00
    assert not any(r["path"] == "/v1/refunds" for r in stripe_api.requests)
    assert db.session.get(Donation, donation.id).status == "paid"
