"""Monthly gifts through Moyasar: consent, the card saved as a token on the first payment (the card goes straight
to Moyasar), renewals charged by the jobs runner, failures told to the donor and retried, cancel from the account."""

import re
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from jood.audit.models import AuditEntry
from jood.auth.roles import Role
from jood.core.db import utcnow
from jood.donations.models import Donation, RecurringGift
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.transparency.api import ledger_page
from tests.conftest import login, post_form

MADA_CARD = "4201320000000012"
RETRIES = (1, 3, 7)  # days
HIDDEN_RE = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _start_monthly(client, make_user, amount="50", method="mada"):
    donor = make_user(Role.DONOR)
    login(client, donor)
    response = post_form(client, "/give", {"pool": "general", "amount": amount, "monthly": "y", "anonymous": "y",
                                           "method": method}, token_page="/give")
    assert response.status_code == 303, response.get_data(as_text=True)[:600]
    recurring = db.session.scalars(select(RecurringGift)).one()
    assert response.headers["Location"].endswith(f"/account/monthly/{recurring.id}/card")
    return donor, recurring


def _consent(client, recurring):
    page = f"/account/monthly/{recurring.id}/card"
    return post_form(client, page, {"consent": "y"}, token_page=page)


def _pay_card(client, moyasar_api, recurring, number=MADA_CARD):
    """The donor's browser posts the card form straight to (the stand-in of) Moyasar, then comes back."""
    page = client.get(f"/account/monthly/{recurring.id}/card").get_data(as_text=True)
    action = re.search(r'action="([^"]+)"', page.split('data-testid="card-form"')[0].rsplit("<form", 1)[1]).group(1)
    fields = dict(HIDDEN_RE.findall(page))
    fields = {k: v.replace("&amp;", "&") for k, v in fields.items() if k != "csrf_token"}
    fields |= {"source[name]": "Test Donor", "source[number]": number, "source[month]": "12", "source[year]": "2030",
               "source[cvc]": "123"}
    answer = requests.post(action, data=fields, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = answer.headers["Location"]
    return client.get(back[back.index("/payments/"):])


def _activate(client, make_user, moyasar_api):
    donor, recurring = _start_monthly(client, make_user)
    _consent(client, recurring)
    _pay_card(client, moyasar_api, recurring)
    db.session.expire_all()
    return donor, recurring


def test_consent_is_asked_and_recorded_before_the_card(client, make_user, moyasar_api):
    donor, recurring = _start_monthly(client, make_user)
    page = client.get(f"/account/monthly/{recurring.id}/card").get_data(as_text=True)
    assert 'data-testid="monthly-consent-text"' in page and 'data-testid="card-form"' not in page
    refused = post_form(client, f"/account/monthly/{recurring.id}/card", {}, token_page=f"/account/monthly/"
                        f"{recurring.id}/card")
    assert 'data-testid="card-form"' not in refused.get_data(as_text=True)
    db.session.expire_all()
    assert recurring.consent_at is None
    shown = _consent(client, recurring).get_data(as_text=True)
    assert 'data-testid="card-form"' in shown
    assert f'action="{moyasar_api.base}/v1/payments.html"' in shown
    assert 'name="publishable_api_key" value="pk_test_standin"' in shown and "source[save_card]" in shown
    assert "sk_test" not in shown  # the secret key never reaches a page
    db.session.expire_all()
    assert recurring.consent_at is not None
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "recurring.consent")).one()
    assert entry.actor_id == donor.id and "5000 halalas" in entry.reason


def test_another_donor_cannot_open_the_card_page(app, client, make_user, moyasar_api):
    _, recurring = _start_monthly(client, make_user)
    other = app.test_client()
    login(other, make_user(Role.DONOR, email="other@example.org"))
    assert other.get(f"/account/monthly/{recurring.id}/card").status_code == 404


def test_the_first_payment_saves_the_card_and_starts_the_gift(client, make_user, moyasar_api):
    _, recurring = _activate(client, make_user, moyasar_api)
    first = db.session.scalars(select(Donation)).one()
    assert first.status == "paid" and recurring.status == "active"
    assert recurring.card_token in moyasar_api.tokens and recurring.card_label == "mada 0012"
    assert recurring.next_due_at > utcnow() + timedelta(days=29)
    assert ledger.balance(core.pool_account("general")) == 50_00
    card_post = next(r for r in moyasar_api.requests if r["path"] == "/v1/payments.html")
    assert "source[number]" not in card_post["args"]  # (the stand-in does not even log it)


def test_a_return_without_consent_or_for_another_reference_credits_nothing(client, make_user, moyasar_api):
    _, recurring = _start_monthly(client, make_user)
    first = db.session.scalars(select(Donation)).one()
    other = moyasar_api._payment(50_00, "SAR", "x", "mada", "paid", metadata={"reference": "JD-2026-999999"})
    client.get(f"/payments/moyasar/card-return/{first.receipt_token}?id={other['id']}")  # no consent yet
    _consent(client, recurring)
    client.get(f"/payments/moyasar/card-return/{first.receipt_token}?id={other['id']}")  # another reference
    db.session.expire_all()
    assert first.status == "pending" and recurring.status == "pending" and recurring.card_token is None
    assert ledger_page(1)["items"] == []


def test_a_declined_card_sends_the_donor_back_to_try_again(client, make_user, moyasar_api):
    _, recurring = _start_monthly(client, make_user)
    _consent(client, recurring)
    response = _pay_card(client, moyasar_api, recurring, number="4000000000000002")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/account/monthly/"
                                                                                 f"{recurring.id}/card")
    _pay_card(client, moyasar_api, recurring)
    db.session.expire_all()
    assert recurring.status == "active" and db.session.scalars(select(Donation)).one().status == "paid"


def _run_renewals(app, now=None):
    from jood.donations.monthly import renew_moyasar_gifts

    done = renew_moyasar_gifts(now)
    db.session.expire_all()
    return done


def test_the_jobs_runner_charges_the_saved_card_each_month(app, client, make_user, moyasar_api):
    from jood.payments.cli import renew_moyasar_command

    _, recurring = _activate(client, make_user, moyasar_api)
    assert _run_renewals(app)["renewed"] == 0  # not due yet
    due = recurring.next_due_at
    recurring.next_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(renew_moyasar_command)
    assert result.exit_code == 0 and "renewed=1" in result.output, result.output
    db.session.expire_all()
    donations = db.session.scalars(select(Donation).order_by(Donation.id)).all()
    assert [d.status for d in donations] == ["paid", "paid"] and donations[1].recurring_id == recurring.id
    charge = next(r for r in moyasar_api.requests if r["method"] == "POST" and r["path"] == "/v1/payments")
    assert charge["json"]["source"] == {"type": "token", "token": recurring.card_token}
    assert charge["json"]["amount"] == 50_00 and charge["json"]["given_id"]
    assert charge["json"]["metadata"]["reference"] == donations[1].reference
    assert recurring.next_due_at > utcnow() + timedelta(days=29) and due
    assert ledger.balance(core.pool_account("general")) == 100_00
    assert _run_renewals(app)["renewed"] == 0  # charged once a month, not once a run


def test_a_renewal_lost_before_our_commit_is_not_charged_twice(app, client, make_user, moyasar_api, monkeypatch):
    from jood.payments import moyasar_confirm

    _, recurring = _activate(client, make_user, moyasar_api)
    recurring.next_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    real = moyasar_confirm.apply_fetched

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed after Moyasar charged the card")

    monkeypatch.setattr(moyasar_confirm, "apply_fetched", crash)
    with pytest.raises(RuntimeError):
        _run_renewals(app)
    monkeypatch.setattr(moyasar_confirm, "apply_fetched", real)
    assert _run_renewals(app)["renewed"] == 1
    token_charges = [p for p in moyasar_api.payments.values() if p["source"].get("token") and p["invoice_id"] is None
                     and p["description"] and "monthly" not in p["description"]]
    assert len(token_charges) == 1  # the same given_id: Moyasar answered with the first charge
    assert ledger.balance(core.pool_account("general")) == 100_00


def test_a_failed_renewal_is_told_retried_and_finally_stopped(app, client, make_user, moyasar_api):
    _, recurring = _activate(client, make_user, moyasar_api)
    moyasar_api.tokens[recurring.card_token] = "declined"
    now = utcnow()
    recurring.next_due_at = now - timedelta(minutes=1)
    db.session.commit()
    assert _run_renewals(app, now)["failed"] == 1
    assert recurring.failed_attempts == 1 and recurring.status == "active"
    assert abs(recurring.next_due_at - (now + timedelta(days=1))) < timedelta(seconds=5)
    assert _mail_subjects(app)[-1] in ("Your monthly gift could not be charged", "تعذّر خصم تبرعك الشهري")
    for _retry in RETRIES:
        now = recurring.next_due_at + timedelta(minutes=1)
        _run_renewals(app, now)
    assert recurring.status == "cancelled" and recurring.failed_attempts == 4
    assert _mail_subjects(app)[-1] in ("Your monthly gift has stopped", "توقف تبرعك الشهري")
    statuses = [d.status for d in db.session.scalars(select(Donation).order_by(Donation.id))]
    assert statuses == ["paid", "failed", "failed", "failed", "failed"]
    assert ledger.balance(core.pool_account("general")) == 50_00


def test_cancel_from_the_account_page_stops_charges_and_deletes_the_card(app, client, make_user, moyasar_api):
    _, recurring = _activate(client, make_user, moyasar_api)
    token = recurring.card_token
    response = post_form(client, f"/account/recurring/{recurring.id}/cancel", {}, token_page="/account/donations")
    assert response.status_code == 302
    db.session.expire_all()
    assert recurring.status == "cancelled" and recurring.card_token is None
    assert any(r["method"] == "DELETE" and r["path"] == f"/v1/tokens/{token}" for r in moyasar_api.requests)
    assert token not in moyasar_api.tokens
    assert _run_renewals(app, utcnow() + timedelta(days=40))["renewed"] == 0


def test_cancel_works_even_when_moyasar_is_down(client, make_user, moyasar_api):
    _, recurring = _activate(client, make_user, moyasar_api)
    moyasar_api.outage = 503
    post_form(client, f"/account/recurring/{recurring.id}/cancel", {}, token_page="/account/donations")
    db.session.expire_all()
    assert recurring.status == "cancelled" and recurring.card_token  # kept, to delete later


def test_moyasar_down_at_renewal_leaves_the_gift_due(app, client, make_user, moyasar_api):
    _, recurring = _activate(client, make_user, moyasar_api)
    recurring.next_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    moyasar_api.outage = 503
    assert _run_renewals(app)["unavailable"] == 1
    assert recurring.failed_attempts == 0 and recurring.next_due_at < utcnow()
    # The renewal's donation is kept, uncredited, so the next run asks Moyasar again for that very donation.
    assert [d.status for d in db.session.scalars(select(Donation).order_by(Donation.id))] == ["paid", "created"]
    assert ledger.balance(core.pool_account("general")) == 50_00
    moyasar_api.outage = None
    assert _run_renewals(app)["renewed"] == 1
    assert [d.status for d in db.session.scalars(select(Donation).order_by(Donation.id))] == ["paid", "paid"]


def _mail_subjects(app):
    from email import message_from_bytes
    from email.header import decode_header, make_header
    from pathlib import Path

    files = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [str(make_header(decode_header(message_from_bytes(f.read_bytes())["Subject"]))) for f in files]
