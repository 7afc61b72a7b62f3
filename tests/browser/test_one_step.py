"""One step from a case page (or the home page's quick donate) to the checkout, with and without JavaScript: the
cached page's form posts straight to the one-step checkout, which checks the browser's Origin (a post without it
opens the donate page instead: tests/donations/test_one_step_checkout.py)."""

import pytest
from sqlalchemy import select

from jood.donations.models import Donation
from jood.extensions import db
from tests.browser.showcase import build

pytestmark = pytest.mark.browser

CHIP_BOXES_JS = """() => [...document.querySelectorAll('.donate-preset')].map((chip) => {
  const box = chip.getBoundingClientRect();
  return [Math.round(box.width), Math.round(box.height)];
})"""


def _last() -> Donation:
    db.session.expire_all()
    return db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def phone(request, browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, locale="ar-SA",
                                  java_script_enabled=request.param)
    yield context.new_page()
    context.close()


def test_from_the_case_page_straight_to_the_checkout(phone, make_charity, make_case):
    show = build(make_charity, make_case)
    case = show.cases[3]
    phone.goto(f"/cases/{case.code}")
    chips = phone.evaluate(CHIP_BOXES_JS)
    assert len(chips) >= 4 and all(width >= 44 and height >= 44 for width, height in chips), chips
    phone.locator("label.donate-preset").filter(has=phone.get_by_test_id("preset-50")).click()  # a thumb on the chip
    assert phone.get_by_test_id("preset-50").is_checked()
    phone.get_by_test_id("donate-start").click()
    phone.wait_for_url("**/sandbox/checkout/**")
    assert [(line.case_id, line.amount) for line in _last().lines] == [(case.id, 50_00)]


def test_a_custom_amount_from_the_case_page(phone, make_charity, make_case):
    show = build(make_charity, make_case)
    case = show.cases[0]
    phone.goto(f"/cases/{case.code}")
    phone.get_by_test_id("donate-amount").fill("٧٥")
    phone.get_by_test_id("donate-start").click()
    phone.wait_for_url("**/sandbox/checkout/**")
    assert [(line.case_id, line.amount) for line in _last().lines] == [(case.id, 75_00)]


def test_quick_donate_on_the_home_page_goes_straight_to_the_checkout(phone, make_charity, make_case):
    build(make_charity, make_case)
    phone.goto("/")
    phone.select_option("#quick-pool", "ownership")
    phone.get_by_test_id("quick-preset-100").check()
    phone.get_by_test_id("quick-donate-submit").click()
    phone.wait_for_url("**/sandbox/checkout/**")
    assert [(line.pool, line.amount) for line in _last().lines] == [("ownership", 100_00)]
