"""Giving helpers: donate through the real forms and the sandbox page, as a donor's browser would."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from jood.donations.models import Donation
from jood.extensions import db
from tests.conftest import post_form

SANDBOX_RE = re.compile(r"/sandbox/checkout/(sbx_[A-Za-z0-9_-]+)")


def donation_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Donation))


def start_case_gift(client, case, amount: str, **fields):
    data = {"amount": amount, "action": "pay", "anonymous": "y", **fields}
    return post_form(client, f"/cases/{case.code}/donate", data, token_page=f"/cases/{case.code}/donate")


def sandbox_pay(client, response, outcome: str = "success"):
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    location = response.headers["Location"]
    match = SANDBOX_RE.search(location)
    assert match, location
    page = f"/sandbox/checkout/{match.group(1)}"
    return post_form(client, page, {"outcome": outcome}, token_page=page)


@pytest.fixture
def give(client):
    """`give(case, "100")` donates through the case form and the sandbox; returns the paid Donation."""

    def do(case, amount: str = "100", outcome: str = "success", **fields):
        result = sandbox_pay(client, start_case_gift(client, case, amount, **fields), outcome)
        db.session.expire_all()
        return db.session.scalars(select(Donation).order_by(Donation.id.desc())).first(), result

    return do
