"""Done means: a donor gives to a case with mada through Moyasar (the stand-in's TEST page, over HTTP), and the case
page, the ledger, the receipt, /r/<ref> and /api/v1/stats agree."""

import requests
from sqlalchemy import select

from jood.donations.models import Donation
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.money import format_money
from jood.transparency.api import ledger_page
from tests.conftest import start_case_gift


def test_a_mada_gift_through_moyasar_shows_the_same_money_everywhere(app, client, make_case, moyasar_api,
                                                                     moyasar_deliver):
    case = make_case(target_amount=1_000_00)
    response = start_case_gift(client, case, "250", email="donor@example.org", method="mada")
    assert response.status_code == 303
    invoice_page = response.headers["Location"]
    assert invoice_page.startswith(moyasar_api.base + "/invoices/")
    # The donor's browser on the (stand-in) hosted page: a clearly marked test, offering the Saudi methods.
    page = requests.get(invoice_page, timeout=5).text
    assert "TEST PAYMENT" in page and all(f"standin-{m}" in page for m in ("mada", "applepay", "stcpay"))
    paid_page = requests.post(invoice_page, data={"method": "mada"}, allow_redirects=False, timeout=5)
    assert paid_page.status_code == 302
    back = paid_page.headers["Location"]  # our success_url, with Moyasar's query string
    assert "/payments/moyasar/return/" in back
    returned = client.get(back[back.index("/payments/"):])
    assert returned.status_code == 302
    # Moyasar's webhook arrives too (after the return): acknowledged, nothing more.
    donation = db.session.scalars(select(Donation)).one()
    fetched = moyasar_api.payments[next(iter(moyasar_api.payments))]
    assert fetched["source"]["company"] == "mada"
    assert moyasar_deliver(moyasar_api.event("payment_paid", fetched)).json["outcome"] == "paid"
    db.session.expire_all()
    assert donation.status == "paid" and case.raised_amount == 250_00

    with app.test_request_context(headers={"Accept-Language": "en"}):
        shown = format_money(250_00, "en")
    client.set_cookie("lang", "en")  # read the pages in English, where the amount is "SAR 250.00"
    case_page = client.get(f"/cases/{case.code}").get_data(as_text=True)
    assert shown in case_page  # recent gifts and the raised figure
    receipt = client.get(f"/receipts/{donation.receipt_token}").get_data(as_text=True)
    assert shown in receipt and donation.reference in receipt
    verify = client.get(f"/r/{donation.reference}")
    assert verify.status_code == 200 and shown in verify.get_data(as_text=True)
    transactions = ledger_page(1)["items"]
    assert [t["kind"] for t in transactions] == ["payment"]
    assert ledger.balance(core.case_account(case.code)) == 250_00
    assert ledger.balance(core.clearing_account("moyasar")) == -250_00
    public_ledger = client.get("/ledger").get_data(as_text=True)
    assert case.code in public_ledger
    stats = client.get("/api/v1/stats").get_json()
    assert stats["totals"]["donations_amount"] == "250.00" and stats["totals"]["donations"] == 1
    api_case = client.get(f"/api/v1/cases/{case.code}").get_json()
    assert api_case["raised_amount"] == "250.00"
    assert ledger.verify() == []
