"""One step from a case page (or the home page's quick donate) to the checkout: the cached page's form fetches a
CSRF token and posts itself."""

import pytest
from sqlalchemy import select

from jood.donations.models import Donation
from jood.extensions import db
from tests.browser.showcase import build

pytestmark = pytest.mark.browser


def test_from_the_case_page_straight_to_the_checkout(page, make_charity, make_case):
    show = build(make_charity, make_case)
    case = show.cases[3]
    page.goto(f"/cases/{case.code}")
    page.get_by_test_id("preset-50").check()
    page.get_by_test_id("donate-start").click()
    page.wait_for_url("**/sandbox/checkout/**")
    db.session.expire_all()
    donation = db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()
    assert [(line.case_id, line.amount) for line in donation.lines] == [(case.id, 50_00)]
    assert page.outside_requests == []


def test_quick_donate_on_the_home_page_goes_straight_to_the_checkout(page, make_charity, make_case):
    build(make_charity, make_case)
    page.goto("/")
    page.select_option("#quick-pool", "ownership")
    page.get_by_test_id("quick-preset-100").check()
    page.get_by_test_id("quick-donate-submit").click()
    page.wait_for_url("**/sandbox/checkout/**")
    db.session.expire_all()
    donation = db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()
    assert [(line.pool, line.amount) for line in donation.lines] == [("ownership", 100_00)]


def test_without_the_token_the_case_form_still_opens_the_donate_page(page, make_charity, make_case):
    show = build(make_charity, make_case)
    page.route("**/csrf-token", lambda route: route.abort())
    page.goto(f"/cases/{show.cases[3].code}")
    page.get_by_test_id("preset-50").check()
    page.get_by_test_id("donate-start").click()
    page.wait_for_url("**/donate?**")
    assert page.get_by_test_id("donate-submit").is_visible()
