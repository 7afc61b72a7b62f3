"""The Stripe path: Checkout Sessions against a local stand-in of the API, and signed webhook payloads."""

import pytest
from sqlalchemy import func, select

from jood.auth.roles import Role
from jood.cases.models import CaseStatus
from jood.donations.models import Donation, RecurringGift
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.payments.models import GatewayEvent
from jood.transparency.api import ledger_page
from tests.conftest import login, post_form, start_case_gift
from tests.payments.conftest import event


def _start(client, case, amount="100", **fields):
    response = start_case_gift(client, case, amount, email="d@example.org", **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    assert response.headers["Location"].startswith("https://checkout.stripe.com/")
    db.session.expire_all()
    return db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()


def _session(donation, **fields):
    return {"id": donation.payment.session_id, "object": "checkout.session", "mode": "payment",
            "status": "complete", "payment_status": "paid", "amount_total": donation.amount, "currency": "sar",
            "payment_intent": f"pi_{donation.id}", "metadata": {"reference": donation.reference}, **fields}


def _charge(donation, **fields):
    return {"id": f"ch_{donation.id}", "object": "charge", "payment_intent": f"pi_{donation.id}",
            "amount": donation.amount, "amount_refunded": donation.amount, "refunded": True, "currency": "sar",
            "metadata": {"reference": donation.reference}, **fields}


def test_checkout_session_is_created_with_the_reference_and_an_idempotency_key(client, make_case, stripe_api):
    case = make_case()
    donation = _start(client, case, "150")
    create = next(r for r in stripe_api.requests if r["path"] == "/v1/checkout/sessions")
    assert create["idempotency_key"] == f"checkout-{donation.reference}"
    assert create["form"]["metadata[reference]"] == donation.reference
    assert create["form"]["line_items[0][price_data][unit_amount]"] == "15000"
    assert create["form"]["line_items[0][price_data][currency]"] == "sar"
    assert donation.payment.session_id == "cs_test_1" and donation.status == "pending"


def test_completed_credits_once_however_often_it_is_delivered(client, make_case, stripe_api, deliver):
    case = make_case()
    donation = _start(client, case)
    completed = event("checkout.session.completed", _session(donation))
    first, again = deliver(completed), deliver(completed)
    assert first.status_code == 200 and first.json["outcome"] == "paid"
    assert again.status_code == 200 and again.json["outcome"] == "duplicate"
    # The same news under another event id (Stripe's async success) is also a no-op for the money.
    assert deliver(event("checkout.session.async_payment_succeeded", _session(donation))).status_code == 200
    db.session.expire_all()
    assert donation.status == "paid" and case.raised_amount == 100_00
    assert len(ledger_page(1)["items"]) == 1
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 2


def test_a_confirmation_reads_its_payment_and_donation_once(client, make_case, stripe_api, deliver, count_queries):
    """CPU per webhook is what limits confirmations per second: the event id is claimed in one statement, and the
    payment is read once, locked, with its donation and its lines in the same statement."""
    donation = _start(client, make_case())
    with count_queries() as statements:
        assert deliver(event("checkout.session.completed", _session(donation))).json["outcome"] == "paid"

    def reading(table):
        return [s for s in statements if s.lstrip().startswith("SELECT") and f"FROM {table} " in s + " "]

    assert not reading("gateway_events"), "the claim is one INSERT ... ON CONFLICT DO NOTHING"
    assert len(reading("payments")) == 1
    if db.engine.dialect.name == "postgresql":  # SQLite has one writer and no row locks
        assert "FOR UPDATE" in reading("payments")[0]
    assert not reading("donations") and "JOIN donations" in reading("payments")[0]  # in the payment's statement
    assert not reading("donation_lines") and "JOIN donation_lines" in reading("payments")[0], statements


def test_a_database_error_is_answered_500_so_stripe_delivers_again(client, make_case, stripe_api, deliver,
                                                                    monkeypatch):
    """Only the claim decides what is a duplicate; any other failure, an integrity error included, must leave
    nothing behind and ask Stripe to retry."""
    from sqlalchemy.exc import IntegrityError

    from jood.payments import webhooks

    donation = _start(client, make_case())

    def broken(obj):
        raise IntegrityError("UPDATE cases ...", {}, Exception("check constraint"))

    working = webhooks.HANDLERS["checkout.session.completed"]
    monkeypatch.setitem(webhooks.HANDLERS, "checkout.session.completed", broken)
    completed = event("checkout.session.completed", _session(donation))
    assert deliver(completed).status_code == 500
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 0
    monkeypatch.setitem(webhooks.HANDLERS, "checkout.session.completed", working)
    assert deliver(completed).json["outcome"] == "paid"  # the retry does the work


def test_late_expired_or_failed_never_downgrade_a_paid_donation(client, make_case, stripe_api, deliver):
    case = make_case()
    donation = _start(client, case)
    deliver(event("checkout.session.completed", _session(donation)))
    deliver(event("checkout.session.expired", _session(donation, status="expired", payment_status="unpaid")))
    deliver(event("checkout.session.async_payment_failed", _session(donation, payment_status="unpaid")))
    db.session.expire_all()
    assert donation.status == "paid" and case.raised_amount == 100_00


def test_async_payment_pending_then_failed(client, make_case, stripe_api, deliver):
    case = make_case()
    donation = _start(client, case)
    pending = deliver(event("checkout.session.completed", _session(donation, payment_status="unpaid")))
    assert pending.json["outcome"] == "pending"
    deliver(event("checkout.session.async_payment_failed", _session(donation, payment_status="unpaid")))
    db.session.expire_all()
    assert donation.status == "failed" and case.raised_amount == 0


def test_expired_session(client, make_case, stripe_api, deliver):
    donation = _start(client, make_case())
    deliver(event("checkout.session.expired", _session(donation, status="expired", payment_status="unpaid")))
    db.session.expire_all()
    assert donation.status == "expired" and ledger_page(1)["items"] == []


@pytest.mark.parametrize("fields", [{"amount_total": 1}, {"currency": "usd"}, {"amount_total": "10000"}])
def test_amount_and_currency_are_checked_before_anything_is_credited(client, make_case, stripe_api, deliver, fields):
    case = make_case()
    donation = _start(client, case)
    response = deliver(event("checkout.session.completed", _session(donation, **fields)))
    assert response.status_code == 200 and response.json["outcome"] == "amount_mismatch"
    db.session.expire_all()
    assert donation.status == "pending" and case.raised_amount == 0


@pytest.mark.parametrize("kind", ["tampered", "unsigned", "stale", "wrong_secret"])
def test_bad_signatures_are_rejected_and_change_nothing(client, make_case, stripe_api, kind):
    from tests.payments.conftest import signed

    donation = _start(client, make_case())
    evt = event("checkout.session.completed", _session(donation))
    if kind == "stale":
        payload, headers = signed(evt, timestamp=1_600_000_000)
    elif kind == "wrong_secret":
        payload, headers = signed(evt, secret="whsec_other")
    else:
        payload, headers = signed(evt)
    if kind == "tampered":
        payload = payload.replace(b'"amount_total": 10000', b'"amount_total": 99999')
    if kind == "unsigned":
        headers.pop("Stripe-Signature")
    response = client.post("/webhooks/stripe", data=payload, headers=headers)
    assert response.status_code == 400
    db.session.expire_all()
    assert donation.status == "pending"
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 0


def test_charge_refunded_returns_the_money_and_reopens_a_funded_case(client, make_case, stripe_api, deliver):
    case = make_case(target_amount=100_00)
    donation = _start(client, case)
    deliver(event("checkout.session.completed", _session(donation)))
    db.session.expire_all()
    assert case.status == CaseStatus.FUNDED
    response = deliver(event("charge.refunded", _charge(donation)))
    assert response.json["outcome"] == "refunded"
    db.session.expire_all()
    assert donation.status == "refunded" and case.raised_amount == 0 and case.status == CaseStatus.PUBLISHED
    assert ledger.balance(core.REFUNDED) == 100_00
    assert ledger.verify() == []


def test_refund_arriving_before_completion_ends_in_the_same_state(client, make_case, stripe_api, deliver):
    case = make_case()
    donation = _start(client, case)
    deliver(event("charge.refunded", _charge(donation)))
    deliver(event("checkout.session.completed", _session(donation)))
    db.session.expire_all()
    assert donation.status == "refunded" and case.raised_amount == 0
    assert [t["kind"] for t in ledger_page(1)["items"]] == ["payment", "refund"]
    assert ledger.verify() == []


def test_finance_officer_refunds_through_stripe(client, make_case, make_user, stripe_api, deliver):
    case = make_case()
    donation = _start(client, case)
    deliver(event("checkout.session.completed", _session(donation)))
    login(client, make_user(Role.FINANCE))
    response = post_form(client, f"/finance/donations/{donation.reference}/refund", {"reason": "donor asked"},
                         token_page="/finance/donations")
    assert response.status_code == 302
    refund = next(r for r in stripe_api.requests if r["path"] == "/v1/refunds")
    assert refund["idempotency_key"] == f"refund-{donation.reference}"
    assert refund["form"]["payment_intent"] == f"pi_{donation.id}"
    db.session.expire_all()
    assert donation.status == "refunded" and case.raised_amount == 0
    # Stripe's own charge.refunded then arrives and changes nothing more.
    deliver(event("charge.refunded", _charge(donation)))
    assert [t["kind"] for t in ledger_page(1)["items"]] == ["payment", "refund"]


def test_monthly_gift_via_subscription_and_each_invoice_gets_its_receipt(client, make_user, stripe_api, deliver):
    donor = make_user(Role.DONOR)
    login(client, donor)
    response = post_form(client, "/give", {"pool": "general", "amount": "50", "monthly": "y", "anonymous": "y"},
                         token_page="/give")
    assert response.status_code == 303
    create = next(r for r in stripe_api.requests if r["path"] == "/v1/checkout/sessions")
    assert create["form"]["mode"] == "subscription"
    assert create["form"]["line_items[0][price_data][recurring][interval]"] == "month"
    first = db.session.scalars(select(Donation)).one()
    recurring = db.session.scalars(select(RecurringGift)).one()
    metadata = {"reference": first.reference, "recurring_id": str(recurring.id)}
    invoice = {"object": "invoice", "subscription": "sub_1", "amount_paid": 50_00, "currency": "sar",
               "subscription_details": {"metadata": metadata}}
    # The first invoice may arrive before the session: both stand for the one first payment.
    deliver(event("invoice.paid", {**invoice, "id": "in_1", "billing_reason": "subscription_create"}))
    deliver(event("checkout.session.completed", _session(first, mode="subscription", subscription="sub_1",
                                                         payment_intent=None)))
    deliver(event("invoice.paid", {**invoice, "id": "in_2", "billing_reason": "subscription_cycle"}))
    deliver(event("invoice.paid", {**invoice, "id": "in_2", "billing_reason": "subscription_cycle"},
                  event_id="evt_again_in_2"))
    db.session.expire_all()
    donations = db.session.scalars(select(Donation).order_by(Donation.id)).all()
    assert [d.status for d in donations] == ["paid", "paid"]
    assert len({d.reference for d in donations}) == 2
    assert recurring.status == "active" and recurring.subscription_id == "sub_1"
    assert ledger.balance(core.clearing_account("stripe")) == -100_00
    history = client.get("/account/donations").get_data(as_text=True)
    assert all(d.reference in history for d in donations)
    response = post_form(client, f"/account/recurring/{recurring.id}/cancel", {}, token_page="/account/donations")
    assert response.status_code == 302
    assert any(r["method"] == "DELETE" and r["path"] == "/v1/subscriptions/sub_1" for r in stripe_api.requests)
    db.session.expire_all()
    assert recurring.status == "cancelled"


def test_reconcile_repairs_a_missed_webhook_and_expires_stale_payments(app, client, make_case, stripe_api):
    from datetime import timedelta

    from jood.core.db import utcnow
    from jood.payments.cli import reconcile_command

    case = make_case()
    missed = _start(client, case, "100")
    stale = _start(client, case, "20")
    stale.payment.created_at = utcnow() - timedelta(days=2)
    db.session.commit()
    stripe_api.listed = [_session(missed)]
    result = app.test_cli_runner().invoke(reconcile_command)
    assert result.exit_code == 0, result.output
    assert "paid=1" in result.output and "expired_stale=1" in result.output
    db.session.expire_all()
    assert (missed.status, stale.status) == ("paid", "expired")
    assert case.raised_amount == 100_00


def test_a_refund_asks_stripe_before_taking_the_ledger_head(client, make_case, make_user, stripe_api, deliver,
                                                            monkeypatch):
    """Holding the head while Stripe answers (and retries) would stall every payment on the platform."""
    from jood.donations import services as giving
    from jood.payments.stripe_gateway import StripeGateway

    case = make_case()
    donation = _start(client, case)
    deliver(event("checkout.session.completed", _session(donation)))
    steps = []
    real_lock, real_refund = ledger.lock_head, StripeGateway.refund
    monkeypatch.setattr(ledger, "lock_head", lambda: (steps.append("lock head"), real_lock())[1])
    monkeypatch.setattr(giving.ledger, "lock_head", ledger.lock_head)
    monkeypatch.setattr(StripeGateway, "refund", lambda self, *a: (steps.append("stripe"), real_refund(self, *a))[1])
    login(client, make_user(Role.FINANCE))
    response = post_form(client, f"/finance/donations/{donation.reference}/refund", {"reason": "donor asked"},
                         token_page="/finance/donations")
    assert response.status_code == 302
    assert steps[0] == "stripe" and "lock head" in steps[1:]
    db.session.expire_all()
    assert donation.status == "refunded" and case.raised_amount == 0
