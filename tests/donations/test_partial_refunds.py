"""A partial refund on the sandbox: the ledger and the case follow the part refunded."""

from jood.auth.roles import Role
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from tests.conftest import login, post_form


def _refund(client, make_user, donation, amount):
    login(client, make_user(Role.FINANCE))
    return post_form(client, f"/finance/donations/{donation.reference}/refund",
                     {"reason": "donor asked", "amount": amount}, token_page="/finance/donations")


def test_a_partial_refund_on_the_sandbox(client, make_case, make_user, donate):
    case = make_case()
    donation = donate(case, "100", client=client)
    _refund(client, make_user, donation, "40")
    db.session.expire_all()
    assert donation.status == "paid" and donation.payment.refunded_amount == 40_00 and case.raised_amount == 60_00
    assert ledger.balance(core.REFUNDED) == 40_00 and ledger.verify() == []
