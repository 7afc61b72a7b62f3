"""The demo campaigns: #كليومبيت live, the regions' campaign with 13 targets, a four-team league, gifts to each
through the real crediting path, figures that `ledger verify` agrees with; a second run adds nothing."""

from sqlalchemy import func, select

from jood.campaigns import services, stats
from jood.campaigns.models import Campaign
from jood.extensions import db
from jood.ledger.services import verify
from jood.regions import REGIONS


def test_seed_demo_makes_three_live_campaigns_with_attributed_gifts(app, client):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    campaigns = {c.slug: c for c in db.session.scalars(select(Campaign))}
    assert set(campaigns) == {"kul-yom-bait", "jood-regions", "jood-league"}
    assert {c.status for c in campaigns.values()} == {"live"}
    assert campaigns["kul-yom-bait"].hashtag == "كليومبيت"
    targets = services.region_targets(campaigns["jood-regions"])
    assert set(targets) == set(REGIONS)
    assert (targets["riyadh"].target_families, targets["eastern"].target_families) == (1109, 1742)
    league = campaigns["jood-league"]
    teams = services.teams(league)
    assert len(teams) == 4
    figures = stats.campaign_figures(league.id)
    assert all(figures[f"team:{team.id}"]["raised_amount"] > 0 for team in teams)
    for campaign in campaigns.values():
        assert stats.campaign_figures(campaign.id)[""]["raised_amount"] > 0
    assert stats.campaign_figures(campaigns["kul-yom-bait"].id)[""]["families"] == 1
    assert verify() == []
    assert 'data-testid="home-campaign"' in client.get("/").get_data(as_text=True)
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(Campaign)) == 3
