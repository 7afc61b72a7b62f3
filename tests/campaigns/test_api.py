"""GET /api/v1/campaigns[/<slug>]: the documented shape, SAR decimal strings, ETags, nothing private."""

import pytest
from jsonschema import Draft202012Validator

from jood.api.openapi import spec
from jood.campaigns import services
from jood.donations import services as giving
from jood.extensions import db
from jood.ledger import services as ledger
from jood.payments import services as payments
from jood.payments.states import PaymentEvent


@pytest.fixture
def caching(app):
    app.config["PAGE_CACHE_ENABLED"] = True
    yield
    app.config["PAGE_CACHE_ENABLED"] = False


def _validator(name):
    document = spec()
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": document["components"]})


def _pay(case, amount, campaign, team=None):
    donation = giving.create_donation([giving.LineRequest(amount, case=case, campaign_id=campaign.id,
                                                          team_id=team.id if team else None)],
                                      giving.Donor(display_name="سارة", anonymous=False, email="s@example.org"),
                                      zakat=False, gateway="sandbox")
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
    ledger.commit()


def test_the_list_and_a_league_conform_and_show_figures(client, caching, make_campaign, make_case):
    league = make_campaign(kind="league", goal_amount=None, goal_families=4)
    case = make_case(region="hail")
    team = services.add_team(league, name_ar="فريق", name_en="Team", kind="school", case_codes=[case.code],
                             actor=None)
    make_campaign(status="draft")
    db.session.commit()
    _pay(case, 123_45, league, team)
    listing = client.get("/api/v1/campaigns")
    assert listing.status_code == 200 and listing.headers.get("ETag")
    _validator("CampaignList").validate(listing.get_json())
    assert [item["slug"] for item in listing.get_json()["items"]] == [league.slug]  # no draft
    assert client.get("/api/v1/campaigns?status=ended").get_json()["items"] == []
    assert client.get("/api/v1/campaigns?status=nope").status_code == 400
    detail = client.get(f"/api/v1/campaigns/{league.slug}")
    body = detail.get_json()
    _validator("CampaignDetail").validate(body)
    assert body["raised_amount"] == "123.45" and body["donors"] == 1 and body["status"] == "live"
    assert body["teams"][0]["raised_amount"] == "123.45" and body["teams"][0]["rank"] == 1
    text = detail.get_data(as_text=True)
    assert "s@example.org" not in text and "سارة" not in text and "proposed" not in text
    again = client.get(f"/api/v1/campaigns/{league.slug}", headers={"If-None-Match": detail.headers["ETag"]})
    assert again.status_code == 304


def test_a_regions_campaign_lists_its_regions(client, make_campaign, make_case):
    campaign = make_campaign(kind="regions")
    services.set_region_targets(campaign, {"riyadh": (22_180_000_00, 1109), "eastern": (0, 1742)}, actor=None)
    db.session.commit()
    _pay(make_case(region="eastern"), 500_00, campaign)
    body = client.get(f"/api/v1/campaigns/{campaign.slug}").get_json()
    _validator("CampaignDetail").validate(body)
    regions = {row["region"]: row for row in body["regions"]}
    assert regions["riyadh"]["target_amount"] == "22180000.00" and regions["riyadh"]["target_families"] == 1109
    assert regions["eastern"]["raised_amount"] == "500.00" and regions["eastern"]["target_amount"] is None


def test_a_cached_campaign_page_moves_with_the_next_gift(client, caching, make_campaign, make_case):
    campaign = make_campaign()
    case = make_case()
    first = client.get(f"/campaigns/{campaign.slug}")
    assert client.get(f"/campaigns/{campaign.slug}", headers={"If-None-Match": first.headers["ETag"]}) \
        .status_code == 304
    _pay(case, 64_00, campaign)
    page = client.get(f"/campaigns/{campaign.slug}").get_data(as_text=True)
    assert page.split('data-testid="campaign-raised">', 1)[1].split("</dd>", 1)[0].count("64") == 1
