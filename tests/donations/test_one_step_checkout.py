"""One step from the cached case page (and the home page's quick donate) to the payment page, without JavaScript:
the form posts without a CSRF token, and the browser's Origin (or Referer) must name this site instead."""

import pytest
from sqlalchemy import select

from jood.cases.models import Track
from jood.core.urls import same_origin
from jood.donations.models import Donation
from jood.extensions import db
from tests.conftest import donation_count, sandbox_pay

HOST = "http://localhost/"
SITE = {"Origin": "http://localhost"}


@pytest.mark.parametrize(("origin", "referer", "expected"), [
    ("http://localhost", None, True),
    ("http://LOCALHOST", None, True),
    (None, "http://localhost/cases/JE-1448-00001", True),
    ("null", "http://localhost/cases/JE-1448-00001", True),
    ("http://evil.example", "http://localhost/cases/JE-1448-00001", False),
    ("https://localhost", None, False),
    ("http://localhost:8080", None, False),
    ("http://localhost.evil.example", None, False),
    (None, "http://evil.example/?http://localhost", False),
    ("null", None, False),
    (None, None, False),
    ("", "", False),
    ("localhost", None, False),
])
def test_same_origin(origin, referer, expected):
    assert same_origin(origin, referer, HOST) is expected


def _last() -> Donation:
    db.session.expire_all()
    return db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()


def test_the_case_page_form_posts_straight_to_the_checkout(client, make_case):
    case = make_case()
    page = client.get(f"/cases/{case.code}").get_data(as_text=True)
    assert f'method="post" action="/cases/{case.code}/checkout"' in page and "csrf_token" not in page
    response = client.post(f"/cases/{case.code}/checkout", data={"preset": "50"}, headers=SITE)
    assert response.status_code == 303 and "/sandbox/checkout/" in response.headers["Location"]
    donation = _last()
    assert [(line.case_id, line.amount) for line in donation.lines] == [(case.id, 50_00)]
    assert not donation.zakat and donation.status == "pending"
    sandbox_pay(client, response)
    assert _last().status == "paid"


def test_a_typed_amount_wins_over_the_chip_and_zakat_is_kept(client, make_case):
    case = make_case(zakat_eligible=True)
    response = client.post(f"/cases/{case.code}/checkout", data={"preset": "50", "amount": "٧٥", "zakat": "y"},
                           headers={"Referer": f"http://localhost/cases/{case.code}"})
    assert response.status_code == 303
    donation = _last()
    assert donation.lines[0].amount == 75_00 and donation.zakat


@pytest.mark.parametrize("headers", [{}, {"Origin": "https://evil.example"}, {"Origin": "null"},
                                     {"Referer": "https://evil.example/x"}])
def test_a_post_from_elsewhere_creates_nothing_and_opens_the_donate_page(client, make_case, headers):
    case = make_case()
    response = client.post(f"/cases/{case.code}/checkout", data={"preset": "100"}, headers=headers)
    assert response.status_code == 200 and donation_count() == 0
    page = response.get_data(as_text=True)
    # The full donate page, filled in, whose own form carries a token and posts to the donate page.
    assert 'data-testid="donate-submit"' in page and f'action="/cases/{case.code}/donate"' in page
    assert 'name="csrf_token"' in page and 'value="100"\n        checked' in page


def test_a_bad_amount_is_shown_next_to_the_field_and_creates_nothing(client, make_case):
    case = make_case(target_amount=80_00)
    response = client.post(f"/cases/{case.code}/checkout", data={"amount": "abc"}, headers=SITE)
    assert response.status_code == 400 and donation_count() == 0
    assert "field__error" in response.get_data(as_text=True)
    response = client.post(f"/cases/{case.code}/checkout", data={"amount": "100"}, headers=SITE)
    assert response.status_code == 400 and donation_count() == 0
    assert "80\u00a0ر.س" in response.get_data(as_text=True)


def test_a_case_that_is_not_public_has_no_checkout(client, make_case):
    from jood.cases.models import CaseStatus

    case = make_case(status=CaseStatus.DRAFT)
    assert client.post(f"/cases/{case.code}/checkout", data={"preset": "50"}, headers=SITE).status_code == 404


def test_the_home_quick_donate_posts_straight_to_the_checkout(client, make_case):
    make_case(track=Track.OWNERSHIP)
    page = client.get("/").get_data(as_text=True)
    assert 'method="post" action="/give/checkout"' in page
    response = client.post("/give/checkout", data={"pool": "ownership", "preset": "100", "monthly": "y"},
                           headers=SITE)
    assert response.status_code == 303
    donation = _last()
    assert [(line.pool, line.amount) for line in donation.lines] == [("ownership", 100_00)]


def test_the_quick_donate_from_elsewhere_opens_the_give_page(client):
    response = client.post("/give/checkout", data={"pool": "rent", "amount": "30"})
    assert response.status_code == 200 and donation_count() == 0
    page = response.get_data(as_text=True)
    assert 'action="/give"' in page and 'name="csrf_token"' in page and 'value="30"' in page
    assert client.post("/give/checkout", data={"pool": "nowhere", "amount": "30"}, headers=SITE).status_code == 400
    assert donation_count() == 0
