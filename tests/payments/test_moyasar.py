"""The Moyasar path against the package's stand-in of Moyasar's API: invoices, the webhook that never trusts its
payload, the donor's return, out-of-order and replayed events, mismatches, outages, reconciliation."""

import socket

import pytest
from sqlalchemy import func, select

from jood.cases.models import CaseStatus
from jood.donations.models import Donation
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.payments.models import GatewayEvent, Payment
from jood.transparency.api import ledger_page
from tests.conftest import start_case_gift


def _start(client, case, amount="100", method="mada", **fields):
    response = start_case_gift(client, case, amount, email="d@example.org", method=method, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    db.session.expire_all()
    donation = db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()
    return donation, response.headers["Location"]


def _events():
    return db.session.scalar(select(func.count()).select_from(GatewayEvent))


def test_the_checkout_offers_mada_first_then_apple_pay_stc_pay_and_cards(client, make_case, moyasar_api):
    page = client.get(f"/cases/{make_case().code}/donate").get_data(as_text=True)
    positions = [page.index(f'data-testid="method-{m}"') for m in ("mada", "applepay", "stcpay", "card")]
    assert positions == sorted(positions)
    assert "img/pay/mada.svg" in page and 'value="mada"' in page


def test_an_invoice_is_created_in_halalas_with_the_reference_and_our_urls(client, make_case, moyasar_api):
    donation, location = _start(client, make_case(), "150", method="stcpay")
    create = next(r for r in moyasar_api.requests if r["method"] == "POST" and r["path"] == "/v1/invoices")
    body = create["json"]
    assert body["amount"] == 150_00 and body["currency"] == "SAR"
    assert body["metadata"]["reference"] == donation.reference and body["metadata"]["method"] == "stcpay"
    assert body["callback_url"].endswith("/webhooks/moyasar")
    assert body["success_url"].endswith(f"/payments/moyasar/return/{donation.receipt_token}")
    assert body["back_url"].endswith(f"/receipts/{donation.receipt_token}/cancelled")
    payment = donation.payment
    assert payment.gateway == "moyasar" and payment.method == "stcpay" and payment.status == "pending"
    assert location == moyasar_api.invoices[payment.session_id]["url"]


def test_a_method_no_gateway_offers_is_refused_and_creates_nothing(client, make_case, moyasar_api):
    case = make_case()
    response = start_case_gift(client, case, "100", method="bitcoin")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Donation)) == 0


def test_paid_webhook_credits_once_however_often_it_is_delivered(client, make_case, moyasar_api, moyasar_deliver):
    case = make_case()
    donation, _ = _start(client, case)
    paid = moyasar_api.pay(donation.payment.session_id, "mada")
    event = moyasar_api.event("payment_paid", paid)
    first, again = moyasar_deliver(event), moyasar_deliver(event)
    assert first.status_code == 200 and first.json["outcome"] == "paid"
    assert again.status_code == 200 and again.json["outcome"] == "duplicate"
    # The same news under another event id, and the donor's return, change nothing more.
    assert moyasar_deliver(moyasar_api.event("payment_paid", paid)).json["outcome"] == "paid"
    assert client.get(f"/payments/moyasar/return/{donation.receipt_token}?id={paid['id']}").status_code == 302
    db.session.expire_all()
    assert donation.status == "paid" and case.raised_amount == 100_00
    assert donation.payment.payment_intent_id == paid["id"]
    assert [t["kind"] for t in ledger_page(1)["items"]] == ["payment"]
    assert ledger.balance(core.clearing_account("moyasar")) == -100_00
    assert any(r["method"] == "GET" and r["path"] == f"/v1/payments/{paid['id']}" for r in moyasar_api.requests)


@pytest.mark.parametrize("token", ["wrong", "", None, 12])
def test_a_forged_secret_token_is_refused_and_changes_nothing(client, make_case, moyasar_api, moyasar_deliver, token):
    donation, _ = _start(client, make_case())
    event = moyasar_api.event("payment_paid", moyasar_api.pay(donation.payment.session_id))
    event["secret_token"] = token
    moyasar_api.requests.clear()
    response = moyasar_deliver(event)
    assert response.status_code == 401
    assert moyasar_api.requests == []  # not even asked about
    db.session.expire_all()
    assert donation.status == "pending" and _events() == 0


def test_a_forged_payload_with_the_right_secret_is_decided_by_the_fetched_payment(client, make_case, moyasar_api,
                                                                                   moyasar_deliver):
    """Someone who knows the secret claims a paid payment; Moyasar's API says the payment failed: not credited."""
    case = make_case()
    donation, _ = _start(client, case)
    failed = moyasar_api.pay(donation.payment.session_id, "mada", status="failed")
    event = moyasar_api.event("payment_paid", {**failed, "status": "paid"})
    assert moyasar_deliver(event).json["outcome"] == "failed"
    db.session.expire_all()
    assert donation.status == "failed" and case.raised_amount == 0


def test_an_event_for_a_payment_moyasar_does_not_know_is_refused(client, make_case, moyasar_api, moyasar_deliver):
    donation, _ = _start(client, make_case())
    invented = {"id": "4a6b1f0e-0000-4000-8000-000000000000", "status": "paid", "amount": 100_00,
                "currency": "SAR", "invoice_id": donation.payment.session_id}
    assert moyasar_deliver(moyasar_api.event("payment_paid", invented)).status_code == 404
    db.session.expire_all()
    assert donation.status == "pending" and _events() == 0


def test_malformed_events_answer_400(client, moyasar_api):
    secret = moyasar_api.webhook_secret
    assert client.post("/webhooks/moyasar", data="not json", content_type="application/json").status_code == 401
    assert client.post("/webhooks/moyasar", json={"secret_token": secret, "type": "payment_paid"}).status_code == 400
    assert client.post("/webhooks/moyasar", json={"secret_token": secret, "id": "e1", "type": "payment_paid",
                                                  "data": {"id": 5}}).status_code == 400
    assert _events() == 0


@pytest.mark.parametrize("field,value", [("amount", 1_00), ("currency", "USD"), ("amount", "10000")])
def test_event_differing_from_the_fetched_payment_is_an_exception_not_credit(client, make_case, make_user,
                                                                              moyasar_api, moyasar_deliver, field,
                                                                              value):
    case = make_case()
    donation, _ = _start(client, case)
    paid = moyasar_api.pay(donation.payment.session_id, "mada")
    response = moyasar_deliver(moyasar_api.event("payment_paid", {**paid, field: value}))
    assert response.status_code == 200 and response.json["outcome"] == "mismatch"
    db.session.expire_all()
    assert donation.status == "pending" and case.raised_amount == 0
    assert field in donation.payment.discrepancy
    _assert_on_governance_dashboard(client, make_user, donation.reference)
    from jood.payments.cli import clear_discrepancy_command

    runner = client.application.test_cli_runner()
    assert runner.invoke(clear_discrepancy_command, [donation.reference]).exit_code != 0  # a reason is required
    result = runner.invoke(clear_discrepancy_command, [donation.reference, "--reason", "forged event, reported"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert donation.payment.discrepancy is None and donation.status == "pending"


@pytest.mark.parametrize("field,value", [("amount", 1_00), ("currency", "USD")])
def test_fetched_payment_differing_from_what_we_asked_is_not_credited(client, make_case, moyasar_api,
                                                                       moyasar_deliver, field, value):
    """Moyasar itself reports another amount or currency than the invoice we created: never credited."""
    case = make_case()
    donation, _ = _start(client, case)
    paid = moyasar_api.pay(donation.payment.session_id, "mada", **{field: value})
    assert moyasar_deliver(moyasar_api.event("payment_paid", paid)).json["outcome"] == "mismatch"
    db.session.expire_all()
    assert donation.status == "pending" and case.raised_amount == 0 and donation.payment.discrepancy


def test_a_fetched_payment_of_another_invoice_is_not_credited(client, make_case, make_user, moyasar_api,
                                                               moyasar_deliver):
    """An event claims donation A's invoice but names a payment that belongs to donation B's invoice."""
    case = make_case()
    first, _ = _start(client, case, "100")
    second, _ = _start(client, case, "100")
    other = moyasar_api.pay(second.payment.session_id, "mada")
    event = moyasar_api.event("payment_paid", {**other, "invoice_id": first.payment.session_id})
    assert moyasar_deliver(event).json["outcome"] == "mismatch"
    db.session.expire_all()
    assert first.status == "pending" and "invoice" in first.payment.discrepancy
    assert second.status == "pending" and case.raised_amount == 0
    # The donor of A coming back with B's payment id in the URL is not credited either.
    client.get(f"/payments/moyasar/return/{first.receipt_token}?id={other['id']}")
    db.session.expire_all()
    assert first.status == "pending" and case.raised_amount == 0


def test_refunded_before_paid_ends_refunded_with_both_transactions(client, make_case, moyasar_api, moyasar_deliver):
    case = make_case()
    donation, _ = _start(client, case)
    paid = moyasar_api.pay(donation.payment.session_id, "mada")
    paid_event = moyasar_api.event("payment_paid", paid)
    moyasar_api.refund(paid["id"])
    assert moyasar_deliver(moyasar_api.event("payment_refunded", moyasar_api.payments[paid["id"]])).json[
        "outcome"] == "refunded"
    assert moyasar_deliver(paid_event).status_code == 200  # late; the fetched payment is refunded anyway
    db.session.expire_all()
    assert donation.status == "refunded" and case.raised_amount == 0
    assert [t["kind"] for t in ledger_page(1)["items"]] == ["payment", "refund"]
    assert ledger.verify() == []


def test_failed_after_paid_never_downgrades(client, make_case, moyasar_api, moyasar_deliver):
    case = make_case()
    donation, _ = _start(client, case)
    failed = moyasar_api.pay(donation.payment.session_id, "stcpay", status="failed")
    paid = moyasar_api.pay(donation.payment.session_id, "mada")
    assert moyasar_deliver(moyasar_api.event("payment_paid", paid)).json["outcome"] == "paid"
    assert moyasar_deliver(moyasar_api.event("payment_failed", failed)).json["outcome"] == "failed"
    db.session.expire_all()
    assert donation.status == "paid" and case.raised_amount == 100_00


def test_the_donors_return_confirms_from_the_api_not_from_the_query_string(client, make_case, moyasar_api):
    case = make_case()
    donation, _ = _start(client, case)
    # Nothing paid yet: a return claiming status=paid credits nothing.
    client.get(f"/payments/moyasar/return/{donation.receipt_token}?id=nope&status=paid")
    db.session.expire_all()
    assert donation.status == "pending"
    paid = moyasar_api.pay(donation.payment.session_id, "applepay")
    response = client.get(f"/payments/moyasar/return/{donation.receipt_token}?id={paid['id']}&status=paid")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/receipts/{donation.receipt_token}")
    db.session.expire_all()
    assert donation.status == "paid" and case.raised_amount == 100_00


def test_the_return_without_an_id_reads_the_invoice(client, make_case, moyasar_api):
    donation, _ = _start(client, make_case())
    moyasar_api.pay(donation.payment.session_id, "stcpay", status="failed")
    moyasar_api.pay(donation.payment.session_id, "stcpay")
    client.get(f"/payments/moyasar/return/{donation.receipt_token}")
    db.session.expire_all()
    assert donation.status == "paid"


@pytest.fixture
def black_hole():
    """A port that accepts connections and never answers: a timeout, for real."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    sock.close()


@pytest.mark.parametrize("outage", ["timeout", "503", "refused"])
def test_moyasar_unreachable_at_checkout_tells_the_donor_and_creates_nothing(app, client, make_case, moyasar_api,
                                                                              black_hole, outage):
    case = make_case()
    _break(app, moyasar_api, black_hole, outage)
    response = start_case_gift(client, case, "100", method="mada")
    assert response.status_code == 400
    assert "did not answer" in response.get_data(as_text=True) or "لم تستجب" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Donation)) == 0


@pytest.mark.parametrize("outage", ["timeout", "503"])
def test_moyasar_unreachable_at_confirmation_loses_nothing_and_reconcile_finishes(app, client, make_case,
                                                                                   moyasar_api, moyasar_deliver,
                                                                                   black_hole, outage):
    from jood.payments.cli import reconcile_command

    case = make_case()
    donation, _ = _start(client, case)
    paid = moyasar_api.pay(donation.payment.session_id, "mada")
    event = moyasar_api.event("payment_paid", paid)
    base = app.config["MOYASAR_API_BASE"]
    _break(app, moyasar_api, black_hole, outage)
    assert moyasar_deliver(event).status_code == 503  # Moyasar delivers it again later
    page = client.get(f"/payments/moyasar/return/{donation.receipt_token}?id={paid['id']}", follow_redirects=True)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "could not reach the payment service" in text or "تعذّر الوصول" in text
    db.session.expire_all()
    assert donation.status == "pending" and _events() == 0
    app.config.update(MOYASAR_API_BASE=base, MOYASAR_TIMEOUT=5)
    moyasar_api.outage = None
    result = app.test_cli_runner().invoke(reconcile_command)
    assert result.exit_code == 0, result.output
    assert "moyasar_paid=1" in result.output
    db.session.expire_all()
    assert donation.status == "paid" and case.raised_amount == 100_00
    assert moyasar_deliver(event).json["outcome"] == "paid"  # the retried delivery: nothing more


def _break(app, moyasar_api, black_hole, outage):
    if outage == "timeout":
        app.config.update(MOYASAR_API_BASE=black_hole, MOYASAR_TIMEOUT=0.3)
    elif outage == "refused":
        app.config.update(MOYASAR_API_BASE="http://127.0.0.1:9/v1")
    else:
        moyasar_api.outage = int(outage)


def test_reconcile_pages_through_moyasar_and_repairs_missed_webhooks(app, client, make_case, moyasar_api):
    from jood.payments.cli import reconcile_command

    case = make_case()
    started = [_start(client, case, "20")[0] for _ in range(3)]
    for donation in started:
        moyasar_api.pay(donation.payment.session_id, "mada")
    result = app.test_cli_runner().invoke(reconcile_command)
    assert result.exit_code == 0, result.output
    assert "moyasar_paid=3" in result.output
    assert sum(1 for r in moyasar_api.requests if r["path"] == "/v1/payments") == 2  # two pages of two
    db.session.expire_all()
    assert [d.status for d in started] == ["paid"] * 3 and case.raised_amount == 60_00
    again = app.test_cli_runner().invoke(reconcile_command)
    assert "moyasar_paid=3" in again.output  # idempotent: paid again is a no-op
    assert case.raised_amount == 60_00 and len(ledger_page(1)["items"]) == 3


def test_unknown_gateway_in_settings_is_an_error(app, moyasar_api):
    from jood.payments.gateway import enabled_gateways

    app.config.update(PAYMENT_GATEWAYS=("moyasar", "paypal"))
    with pytest.raises(RuntimeError, match="paypal"):
        enabled_gateways()


def test_the_card_goes_to_the_first_gateway_that_offers_it(app, moyasar_api):
    from jood.payments.gateway import checkout_methods, gateway_for_method

    app.config.update(PAYMENT_GATEWAYS=("stripe", "moyasar"))
    assert checkout_methods() == [("mada", "moyasar"), ("applepay", "moyasar"), ("stcpay", "moyasar"),
                                  ("card", "stripe")]
    assert gateway_for_method(None) == "stripe" and gateway_for_method("mada") == "moyasar"
    app.config.update(PAYMENT_GATEWAYS=())
    assert checkout_methods() == [("card", "sandbox")]  # the embedded default keeps the sandbox


def _assert_on_governance_dashboard(client, make_user, reference):
    from jood.auth.roles import Role
    from tests.conftest import login

    login(client, make_user(Role.ADMIN))
    page = client.get("/governance/").get_data(as_text=True)
    assert reference in page, page[:2000]
    client.post("/logout")


def test_a_refunded_moyasar_payment_reopens_a_funded_case(client, make_case, moyasar_api, moyasar_deliver):
    case = make_case(target_amount=100_00)
    donation, _ = _start(client, case)
    paid = moyasar_api.pay(donation.payment.session_id, "mada")
    moyasar_deliver(moyasar_api.event("payment_paid", paid))
    db.session.expire_all()
    assert case.status == CaseStatus.FUNDED
    moyasar_api.refund(paid["id"])
    moyasar_deliver(moyasar_api.event("payment_refunded", moyasar_api.payments[paid["id"]]))
    db.session.expire_all()
    assert donation.status == "refunded" and case.raised_amount == 0 and case.status == CaseStatus.PUBLISHED
    assert db.session.get(Payment, donation.payment.id).refunded_amount == 100_00


def test_the_checkout_form_may_be_redirected_to_moyasars_page_and_nowhere_else(app, client, moyasar_api):
    policy = client.get("/give").headers["Content-Security-Policy"]
    assert "form-action 'self' https://checkout.moyasar.com" in policy
    app.config.update(MOYASAR_SECRET_KEY=None)
    assert "moyasar" not in client.get("/give").headers["Content-Security-Policy"]


# --- refunds through Moyasar's refund endpoint ---------------------------------------------------------------


def _paid(client, case, moyasar_api, moyasar_deliver, amount="100"):
    donation, _ = _start(client, case, amount)
    paid = moyasar_api.pay(donation.payment.session_id, "mada")
    assert moyasar_deliver(moyasar_api.event("payment_paid", paid)).json["outcome"] == "paid"
    db.session.expire_all()
    return donation, paid


def _refund_as_finance(client, make_user, donation, amount=""):
    from jood.auth.roles import Role
    from tests.conftest import login, post_form

    login(client, make_user(Role.FINANCE))
    return post_form(client, f"/finance/donations/{donation.reference}/refund",
                     {"reason": "donor asked", "amount": amount}, token_page="/finance/donations")


def test_a_partial_then_the_final_refund_through_moyasar(client, make_case, make_user, moyasar_api,
                                                         moyasar_deliver):
    case = make_case(target_amount=100_00)
    donation, paid = _paid(client, case, moyasar_api, moyasar_deliver)
    assert case.status == CaseStatus.FUNDED
    response = _refund_as_finance(client, make_user, donation, "30")
    assert response.status_code == 302
    refund = next(r for r in moyasar_api.requests if r["path"] == f"/v1/payments/{paid['id']}/refund")
    assert refund["json"] == {"amount": 30_00}
    db.session.expire_all()
    assert donation.status == "paid" and donation.payment.refunded_amount == 30_00
    assert case.raised_amount == 70_00 and case.status == CaseStatus.PUBLISHED  # reopened: it needs 30 SAR again
    assert ledger.balance(core.REFUNDED) == 30_00
    receipt = client.get(f"/receipts/{donation.receipt_token}").get_data(as_text=True)
    assert 'data-testid="receipt-refunded"' in receipt
    assert 'data-testid="verify-refunded"' in client.get(f"/r/{donation.reference}").get_data(as_text=True)
    # Moyasar's webhook for that refund changes nothing more.
    moyasar_deliver(moyasar_api.event("payment_refunded", moyasar_api.payments[paid["id"]]))
    db.session.expire_all()
    assert donation.payment.refunded_amount == 30_00 and case.raised_amount == 70_00
    # The rest: Moyasar is asked for exactly what is left, and the donation is refunded.
    _refund_as_finance(client, make_user, donation)
    last = [r for r in moyasar_api.requests if r["path"] == f"/v1/payments/{paid['id']}/refund"][-1]
    assert last["json"] == {"amount": 70_00}
    db.session.expire_all()
    assert donation.status == "refunded" and donation.payment.refunded_amount == 100_00
    assert case.raised_amount == 0 and ledger.balance(core.REFUNDED) == 100_00
    assert [t["kind"] for t in ledger_page(1)["items"]] == ["payment", "refund", "refund"]
    assert ledger.verify() == []


def test_a_partial_refund_made_in_moyasars_dashboard_is_followed(client, make_case, moyasar_api, moyasar_deliver):
    case = make_case()
    donation, paid = _paid(client, case, moyasar_api, moyasar_deliver)
    moyasar_api.refund(paid["id"], 25_00)
    moyasar_api.payments[paid["id"]]["status"] = "paid"  # however Moyasar labels a partly refunded payment
    outcome = moyasar_deliver(moyasar_api.event("payment_refunded", moyasar_api.payments[paid["id"]])).json
    assert outcome["outcome"] == "partly_refunded"
    db.session.expire_all()
    assert donation.status == "paid" and donation.payment.refunded_amount == 25_00 and case.raised_amount == 75_00


@pytest.mark.parametrize("amount", ["0", "-5", "101", "abc", "10.001"])
def test_a_bad_partial_refund_amount_is_refused_and_changes_nothing(client, make_case, make_user, moyasar_api,
                                                                    moyasar_deliver, amount):
    case = make_case()
    donation, paid = _paid(client, case, moyasar_api, moyasar_deliver)
    response = _refund_as_finance(client, make_user, donation, amount)
    assert response.status_code == 302
    page = client.get("/finance/donations").get_data(as_text=True)
    assert "no more than what is left" in page or "لا يزيد" in page
    assert not any(r["path"].endswith("/refund") for r in moyasar_api.requests)
    db.session.expire_all()
    assert donation.payment.refunded_amount == 0 and case.raised_amount == 100_00


def test_moyasar_unreachable_at_refund_refunds_nothing(client, make_case, make_user, moyasar_api, moyasar_deliver):
    case = make_case()
    donation, _ = _paid(client, case, moyasar_api, moyasar_deliver)
    moyasar_api.outage = 503
    _refund_as_finance(client, make_user, donation, "10")
    _refund_as_finance(client, make_user, donation)
    db.session.expire_all()
    assert donation.status == "paid" and donation.payment.refunded_amount == 0 and case.raised_amount == 100_00


def test_the_apple_pay_domain_file_is_served_only_when_configured(app, client, tmp_path):
    url = "/.well-known/apple-developer-merchantid-domain-association"
    assert client.get(url).status_code == 404
    association = tmp_path / "association.txt"
    association.write_text("7B227073704964...")
    app.config["APPLE_PAY_DOMAIN_ASSOCIATION"] = str(association)
    try:
        response = client.get(url)
        assert response.status_code == 200 and response.data == b"7B227073704964..."
        assert client.get("/.well-known/security.txt").status_code == 404  # that file only
    finally:
        app.config["APPLE_PAY_DOMAIN_ASSOCIATION"] = None
