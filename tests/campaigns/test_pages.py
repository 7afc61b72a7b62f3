"""Campaign pages over HTTP: what they show, their query budget whatever the number of gifts, the home banner,
the share links and cards, the kiosk, and staff's and a charity manager's forms."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import select

from jood.auth.roles import Role
from jood.campaigns import services, stats
from jood.campaigns.models import Campaign
from jood.donations import services as giving
from jood.donations.models import DonationLine
from jood.extensions import db
from jood.ledger import services as ledger
from jood.payments import services as payments
from jood.payments.states import PaymentEvent
from tests.conftest import csrf_token, post_form

BUDGET = 6


def pay(case, amount, campaign, team=None, name=""):
    donation = giving.create_donation(
        [giving.LineRequest(amount, case=case, campaign_id=campaign.id, team_id=team.id if team else None)],
        giving.Donor(display_name=name, anonymous=not name), zakat=False, gateway="sandbox")
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
    ledger.commit()
    return donation


@pytest.fixture
def league(make_campaign, make_case):
    campaign = make_campaign(kind="league", title_ar="دوري جود", hashtag="دوري_جود")
    cases = [make_case(region=region) for region in ("riyadh", "eastern", "asir", "jazan")]
    teams = [services.add_team(campaign, name_ar=f"فريق {n}", name_en=f"Team {n}", kind="club",
                               case_codes=[cases[n].code], actor=None) for n in range(4)]
    db.session.commit()
    return campaign, cases, teams


def _pages(campaign, teams, regions):
    return [f"/campaigns/{campaign.slug}", f"/campaigns/{teams.slug}/teams/1", f"/campaigns/{regions.slug}",
            f"/campaigns/{regions.slug}/regions", f"/campaigns/{regions.slug}/regions/riyadh", "/campaigns",
            f"/api/v1/campaigns/{teams.slug}", f"/api/v1/campaigns/{regions.slug}", "/api/v1/campaigns", "/"]


def test_pages_cost_at_most_six_queries_whatever_the_number_of_gifts(client, league, make_campaign,
                                                                    count_queries):
    campaign, cases, teams = league
    regions = make_campaign(kind="regions")
    services.set_region_targets(regions, {"riyadh": (1_000_000_00, 50)}, actor=None)
    db.session.commit()

    def measure():
        counts = {}
        for path in _pages(campaign, campaign, regions):
            with count_queries() as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            counts[path] = len(statements)
        return counts

    pay(cases[0], 50_00, campaign, teams[0])
    pay(cases[1], 50_00, regions)
    small = measure()
    for n in range(12):
        pay(cases[n % 4], 20_00 + n, campaign, teams[n % 4], name="سارة" if n % 2 else "")
        pay(cases[n % 4], 20_00 + n, regions)
    large = measure()
    assert {path: count for path, count in large.items() if count > BUDGET} == {}
    assert small == large


def test_the_campaign_page_shows_figures_league_recent_gifts_and_share_links(client, league):
    campaign, cases, teams = league
    pay(cases[1], 300_00, campaign, teams[1], name="أم سعد")
    pay(cases[0], 100_00, campaign, teams[0])
    html = client.get(f"/campaigns/{campaign.slug}").get_data(as_text=True)
    assert 'data-testid="campaign-raised"' in html and "400" in html
    assert "أم سعد" in html and "فاعل خير" in html  # named, and the anonymous one as "a doer of good"
    table = html.split('data-testid="league-table"', 1)[1]
    assert table.index("فريق 1") < table.index("فريق 0")  # more SAR first (no family housed yet)
    assert f"campaign={campaign.slug}" in html  # the featured cases' give buttons carry the campaign
    assert "https://wa.me/?text=" in html and "https://x.com/intent/post?" in html
    assert "hashtags=" + "%D8%AF" in html  # the hashtag travels with the X link
    assert "#دوري_جود" in unquote(html.split("https://wa.me/?text=", 1)[1].split('"', 1)[0])
    assert 'property="og:image"' in html and f"/campaigns/{campaign.slug}/card.png" in html
    assert 'name="twitter:card" content="summary_large_image"' in html
    assert 'data-testid="campaign-rules"' in html
    assert "<progress" in html


def test_the_league_orders_by_families_then_sar(league):
    campaign, cases, teams = league
    figures = stats.figures_of([])
    figures["team:1"].update(families=0, raised_amount=900)
    figures["team:2"].update(families=1, raised_amount=100)
    figures["team:3"].update(families=1, raised_amount=200)
    order = [row.team.id for row in services.league_table(teams, figures)]
    assert order[:3] == [teams[2].id, teams[1].id, teams[0].id]


def test_the_team_page_lists_its_adopted_cases_with_give_buttons_for_the_team(client, league):
    campaign, cases, teams = league
    html = client.get(f"/campaigns/{campaign.slug}/teams/{teams[2].id}").get_data(as_text=True)
    assert cases[2].code in html and cases[0].code not in html
    assert f"team={teams[2].id}" in html
    assert client.get(f"/campaigns/{campaign.slug}/teams/999").status_code == 404


def test_the_regions_page_colours_each_region_by_progress(client, make_campaign, make_case):
    campaign = make_campaign(kind="regions")
    services.set_region_targets(campaign, {"riyadh": (1_000_00, 10), "asir": (1_000_00, 5)}, actor=None)
    db.session.commit()
    pay(make_case(region="riyadh"), 1_000_00, campaign)
    html = client.get(f"/campaigns/{campaign.slug}/regions").get_data(as_text=True)
    assert html.count("<polygon") == 13
    assert 'id="riyadh" points=' in html and 'class="region region--level-4"' in html
    assert 'id="asir"' in html and html.split('id="asir"', 1)[1].split(">", 1)[0].endswith('region--level-0"')
    region_page = client.get(f"/campaigns/{campaign.slug}/regions/riyadh").get_data(as_text=True)
    assert "1,000" in region_page or "١٬٠٠٠" in region_page
    assert client.get(f"/campaigns/{campaign.slug}/regions/atlantis").status_code == 404


def test_drafts_are_not_public(client, make_campaign):
    draft = make_campaign(status="draft")
    assert client.get(f"/campaigns/{draft.slug}").status_code == 404
    assert client.get(f"/api/v1/campaigns/{draft.slug}").status_code == 404
    assert draft.slug not in client.get("/campaigns").get_data(as_text=True)


def test_the_home_page_shows_the_live_campaign(client, make_campaign):
    assert 'data-testid="home-campaign"' not in client.get("/").get_data(as_text=True)
    campaign = make_campaign(title_ar="كل يوم بيت", hashtag="كليومبيت")
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-campaign"' in html and "#كليومبيت" in html and campaign.slug in html


def test_the_share_card_uses_the_front_end_renderer(client, make_campaign):
    pytest.importorskip("jood.sharecards")
    campaign = make_campaign()
    response = client.get(f"/campaigns/{campaign.slug}/card.png")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_a_pool_gift_from_the_campaign_page_counts(client, make_campaign):
    from tests.conftest import sandbox_pay

    campaign = make_campaign()
    page = f"/give?pool=general&campaign={campaign.slug}"
    assert f'name="campaign" type="hidden" value="{campaign.slug}"' in client.get(page).get_data(as_text=True)
    response = post_form(client, "/give", {"pool": "general", "amount": "75", "anonymous": "y",
                                           "campaign": campaign.slug}, token_page=page)
    sandbox_pay(client, response)
    db.session.expire_all()
    assert stats.campaign_figures(campaign.id)[""]["raised_amount"] == 75_00
    assert stats.campaign_figures(campaign.id)["region:"]["raised_amount"] == 75_00


def test_the_kiosk_gives_through_a_campaign(client, make_campaign):
    campaign = make_campaign()
    assert client.get(f"/kiosk/{campaign.slug}").status_code == 200
    token = csrf_token(client, f"/kiosk/{campaign.slug}")
    response = client.post(f"/kiosk/{campaign.slug}/50", data={"csrf_token": token})
    assert response.status_code == 303
    line = db.session.scalars(select(DonationLine)).one()
    assert line.campaign_id == campaign.id and line.pool == "general"
    assert client.get("/kiosk/not-a-campaign").status_code == 404


# --- staff and charity managers ------------------------------------------------------------------------------------


def test_staff_create_keep_what_was_typed_on_errors_and_see_translated_messages(client, login_as):
    login_as(Role.REVIEWER)
    response = post_form(client, "/staff/campaigns/new", {
        "title_ar": "حملة الشتاء", "slug": "Bad Slug!", "kind": "campaign", "start_date": "2027-01-10",
        "end_date": "2027-01-01", "goal_amount": "abc", "scope": "region", "featured_rule": "neediest",
        "illustration": "campaign-home"}, token_page="/staff/campaigns/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="حملة الشتاء"' in html and 'value="Bad Slug!"' in html
    assert "ramadan-1448" in html  # the slug's message, in Arabic
    assert "لا يسبق" in html or "قبل" in html  # the period's message, in Arabic
    assert db.session.scalar(select(Campaign)) is None


def test_staff_create_schedule_and_launch(client, login_as):
    from jood.transparency.stats import today

    login_as(Role.ADMIN)
    response = post_form(client, "/staff/campaigns/new", {
        "title_ar": "حملة الشتاء", "title_en": "Winter", "slug": "winter-1448", "hashtag": "#شتاء_دافئ",
        "kind": "campaign", "start_date": today().isoformat(), "end_date": today().isoformat(),
        "goal_amount": "50000", "scope": "nation", "featured_rule": "neediest", "illustration": "campaign-home"},
        token_page="/staff/campaigns/new")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    campaign = db.session.scalar(select(Campaign))
    assert campaign.hashtag == "شتاء_دافئ" and campaign.goal_amount == 50_000_00
    for event in ("schedule", "launch"):
        assert post_form(client, f"/staff/campaigns/winter-1448/status/{event}", token_page="/staff/campaigns") \
            .status_code == 302
    db.session.expire_all()
    assert campaign.status == "live"


def test_a_campaign_without_a_goal_cannot_be_scheduled(client, login_as):
    login_as(Role.REVIEWER)
    post_form(client, "/staff/campaigns/new", {"title_ar": "بلا هدف", "slug": "no-goal", "kind": "campaign",
                                               "scope": "nation", "featured_rule": "neediest",
                                               "illustration": "campaign-home"}, token_page="/staff/campaigns/new")
    response = post_form(client, "/staff/campaigns/no-goal/status/schedule", token_page="/staff/campaigns",
                         follow_redirects=True)
    assert db.session.scalar(select(Campaign.status)) == "draft"
    assert "هدف" in response.get_data(as_text=True)


def test_a_charity_manager_proposes_a_draft_for_its_region(client, login_as, make_charity):
    charity = make_charity(region="asir")
    manager = login_as(Role.CHARITY_MANAGER, charity=charity)
    response = post_form(client, "/charity/campaigns/new", {
        "title_ar": "بيوت عسير", "slug": "asir-homes", "kind": "campaign", "scope": "nation",
        "featured_rule": "neediest", "illustration": "campaign-regions", "goal_families": "20"},
        token_page="/charity/campaigns/new")
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert (campaign.status, campaign.scope, campaign.scope_region, campaign.proposed_by_id) == \
        ("draft", "region", "asir", manager.id)
    assert client.get("/staff/campaigns").status_code == 403  # staff approve it, not the charity


def test_staff_set_region_targets_and_teams(client, login_as, make_campaign, make_case):
    login_as(Role.REVIEWER)
    regions = make_campaign(kind="regions")
    response = post_form(client, f"/staff/campaigns/{regions.slug}/targets",
                         {"amount_riyadh": "22180000", "families_riyadh": "1109", "families_eastern": "x"},
                         token_page=f"/staff/campaigns/{regions.slug}/targets")
    assert response.status_code == 400  # a bad number: nothing saved, what was typed kept
    assert 'value="22180000"' in response.get_data(as_text=True)
    response = post_form(client, f"/staff/campaigns/{regions.slug}/targets",
                         {"amount_riyadh": "22180000", "families_riyadh": "1109", "families_eastern": "1742"},
                         token_page=f"/staff/campaigns/{regions.slug}/targets")
    assert response.status_code == 302
    targets = services.region_targets(regions)
    assert targets["riyadh"].target_families == 1109 and targets["eastern"].target_families == 1742
    league = make_campaign(kind="league")
    case = make_case()
    response = post_form(client, f"/staff/campaigns/{league.slug}/teams",
                         {"name_ar": "نادي الهلال", "kind": "club", "cases": case.code},
                         token_page=f"/staff/campaigns/{league.slug}/teams")
    assert response.status_code == 302
    assert [team.name_ar for team in services.teams(league)] == ["نادي الهلال"]


def test_editing_keeps_staffs_featured_cases(client, login_as, make_campaign, make_case):
    login_as(Role.REVIEWER)
    first, second = make_case(), make_case()
    campaign = make_campaign(featured_rule="staff")
    services.set_featured(campaign, [second.code, first.code])
    db.session.commit()
    page = client.get(f"/staff/campaigns/{campaign.slug}/edit").get_data(as_text=True)
    assert f'value="{second.code}, {first.code}"' in page and 'value="100000"' in page
    response = post_form(client, f"/staff/campaigns/{campaign.slug}/edit", {
        "title_ar": "عنوان جديد", "slug": campaign.slug, "kind": "campaign", "start_date": str(campaign.start_date),
        "end_date": str(campaign.end_date), "goal_amount": "100000", "scope": "nation", "featured_rule": "staff",
        "featured": f"{second.code}, {first.code}", "illustration": "campaign-home"},
        token_page=f"/staff/campaigns/{campaign.slug}/edit")
    assert response.status_code == 302
    assert services.featured_codes(campaign) == [second.code, first.code]
    html = client.get(f"/campaigns/{campaign.slug}").get_data(as_text=True)
    assert html.index(second.code) < html.index(first.code)


def test_a_charitys_campaign_features_that_charitys_cases(client, login_as, make_charity, make_case):
    login_as(Role.REVIEWER)
    ours, theirs = make_charity(), make_charity()
    mine, other = make_case(charity=ours), make_case(charity=theirs)
    response = post_form(client, "/staff/campaigns/new", {
        "title_ar": "حملة جمعية", "slug": "our-charity", "kind": "campaign", "scope": "charity",
        "featured_rule": "neediest", "illustration": "campaign-home"}, token_page="/staff/campaigns/new")
    assert response.status_code == 400  # no charity chosen
    response = post_form(client, "/staff/campaigns/new", {
        "title_ar": "حملة جمعية", "slug": "our-charity", "kind": "campaign", "scope": "charity",
        "scope_charity_id": str(ours.id), "featured_rule": "neediest", "illustration": "campaign-home"},
        token_page="/staff/campaigns/new")
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert [case.code for case in services.featured_cases(campaign)] == [mine.code]
    assert other.code not in [case.code for case in services.featured_cases(campaign)]
