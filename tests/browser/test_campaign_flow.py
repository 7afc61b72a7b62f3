"""Campaigns in Chromium: staff create, fill and launch a league; a donor gives from its page through the sandbox;
the campaign's figures and the league table move by exactly that amount. Then the campaign page at a phone's and
a desktop's width, in Arabic and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from jood.auth.roles import Role
from jood.donations import services as giving
from jood.extensions import db
from jood.ledger import services as ledger
from jood.payments import services as payments
from jood.payments.states import PaymentEvent
from jood.transparency.stats import today
from tests.browser.conftest import screenshot
from tests.campaigns.conftest import make_campaign  # noqa: F401 - shared fixture
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _sign_in(page, user):
    page.goto("/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url("**/")


def test_staff_launch_a_league_and_a_gift_from_its_page_moves_the_figures_and_the_table(browser, live_server,
                                                                                         page, make_user, make_case):
    adopted = make_case(target_amount=5_000_00, region="qassim", priority_total=90)
    make_case(target_amount=8_000_00)
    admin = make_user(Role.ADMIN)
    _sign_in(page, admin)

    page.goto("/staff/campaigns")
    page.get_by_test_id("campaign-new").click()
    page.fill("#title_ar", "دوري جود للأحياء")
    page.fill("#title_en", "Jood neighbourhood league")
    page.fill("#slug", "hayy-league")
    page.fill("#hashtag", "#دوري_الأحياء")
    page.select_option("#kind", "league")
    page.fill("#start_date", today().isoformat())
    page.fill("#end_date", today().isoformat())
    page.fill("#goal_families", "10")
    page.fill("#goal_amount", "٥٠٠٠٠")  # Arabic-Indic digits
    page.get_by_test_id("campaign-save").click()
    page.wait_for_url("**/staff/campaigns")
    row = page.locator("tr[data-slug='hayy-league']")
    expect(row.get_by_test_id("staff-status")).to_have_text("مسودة")

    row.get_by_test_id("teams-link").click()
    page.fill("#name_ar", "فريق الحي الشمالي")
    page.fill("#name_en", "North district")
    page.fill("#cases", adopted.code)
    page.get_by_test_id("team-save").click()
    expect(page.get_by_test_id("staff-teams")).to_contain_text("فريق الحي الشمالي")
    page.fill("#name_ar", "فريق الحي الجنوبي")
    page.fill("#cases", "")
    page.get_by_test_id("team-save").click()

    page.goto("/staff/campaigns")
    page.locator("tr[data-slug='hayy-league']").get_by_test_id("event-schedule").click()
    page.locator("tr[data-slug='hayy-league']").get_by_test_id("event-launch").click()
    expect(page.locator("tr[data-slug='hayy-league']").get_by_test_id("staff-status")).to_have_text("جارية")

    donor = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844}, locale="ar-SA")
    tab = donor.new_page()
    tab.goto("/campaigns/hayy-league")
    expect(tab.get_by_test_id("campaign-status")).to_have_text("جارية")
    expect(tab.get_by_test_id("campaign-raised")).to_have_text("0\u00a0ر.س")
    expect(tab.get_by_test_id("league-raised").first).to_have_text("0\u00a0ر.س")
    tab.get_by_role("link", name="فريق الحي الشمالي").click()
    tab.wait_for_url("**/teams/**")
    tab.get_by_test_id("team-cases").get_by_test_id("card-give").click()
    tab.wait_for_url("**/donate?**")
    tab.get_by_test_id("donate-amount").fill("175")
    tab.get_by_test_id("donate-submit").click()
    tab.wait_for_url("**/sandbox/checkout/**")
    tab.get_by_test_id("sandbox-success").click()
    tab.wait_for_url("**/receipts/**")
    expect(tab.get_by_test_id("receipt-status")).to_have_text("مدفوع")

    tab.goto("/campaigns/hayy-league")
    expect(tab.get_by_test_id("campaign-raised")).to_have_text("175\u00a0ر.س")
    expect(tab.get_by_test_id("campaign-donors")).to_have_text("1")
    north = tab.locator("tr[data-testid='league-row']").first
    expect(north).to_contain_text("فريق الحي الشمالي")
    expect(north.get_by_test_id("league-raised")).to_have_text("175\u00a0ر.س")
    expect(tab.locator("tr[data-testid='league-row']").nth(1).get_by_test_id("league-raised")) \
        .to_have_text("0\u00a0ر.س")
    assert "فاعل خير" in tab.get_by_test_id("campaign-recent").inner_text()
    screenshot(tab, "campaign-league-after-gift-390-ar")
    donor.close()
    db.session.expire_all()  # the server committed in its own sessions
    assert ledger.verify() == []


@pytest.fixture
def showcase(make_campaign, make_case):  # noqa: F811
    campaign = make_campaign(title_ar="كل يوم بيت", title_en="A home every day", hashtag="كليومبيت",
                             slug="kul-yom-bait", illustration="campaign-home", goal_amount=500_000_00,
                             goal_families=12,
                             story_ar="كل يوم بيت: في رمضان نؤمّن مسكناً لأسرة محتاجة كل يوم.\n"
                                      "كل ريال يظهر في السجل العام.",
                             story_en="A home every day: through Ramadan, a family in need gets a home each day.")
    regions = ("riyadh", "eastern", "asir", "jazan", "makkah", "hail")
    cases = [make_case(region=regions[n], target_amount=(12_000_00, 30_000_00, 18_000_00)[n % 3],
                       priority_total=40 - n, family_size=4 + n % 4, city=("الرياض", "الدمام", "أبها", "جازان",
                                                                           "جدة", "حائل")[n])
             for n in range(6)]
    for n, case in enumerate(cases):
        donation = giving.create_donation(
            [giving.LineRequest(case.target_amount if n == 0 else 1_500_00 * (n + 1), case=case,
                                campaign_id=campaign.id)],
            giving.Donor(display_name="أم خالد" if n % 2 else "", anonymous=not n % 2), zakat=False,
            gateway="sandbox")
        payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="showcase")
        ledger.commit()
    db.session.commit()
    return campaign


@pytest.mark.parametrize("locale", ["ar-SA", "en-US"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_campaign_page_at_a_phone_and_a_desktop_width(browser, live_server, showcase, locale, width):
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900}, locale=locale)
    tab = context.new_page()
    tab.goto(f"/campaigns/{showcase.slug}")
    language = locale[:2]
    expect(tab.locator("html")).to_have_attribute("lang", language)
    expect(tab.get_by_test_id("campaign-progress-amount")).to_be_visible()
    expect(tab.get_by_test_id("campaign-families")).to_have_text("1")
    overflow = tab.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    screenshot(tab, f"campaign-{width}-{language}")
    tab.goto("/")
    expect(tab.get_by_test_id("home-campaign")).to_be_visible()
    if width == 390:
        screenshot(tab, f"campaign-home-banner-{width}-{language}")
    context.close()
