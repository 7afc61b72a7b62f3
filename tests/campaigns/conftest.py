"""Campaign helpers: a campaign in any state, gifts through its links with the real checkout and the sandbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from jood.campaigns import services
from jood.campaigns.models import Campaign
from jood.campaigns.states import CampaignEvent
from jood.donations.models import Donation
from jood.extensions import db
from jood.transparency.stats import today
from tests.conftest import post_form, sandbox_pay


@pytest.fixture
def make_campaign():
    counter = iter(range(1, 10_000))

    def factory(status: str = "live", kind: str = "campaign", **fields) -> Campaign:
        n = next(counter)
        day = today()
        data = {"slug": f"campaign-{n}", "hashtag": f"حملة{n}", "kind": kind, "title_ar": f"حملة رقم {n}",
                "title_en": f"Campaign {n}", "story_ar": "قصة الحملة.", "start_date": day - timedelta(days=1),
                "end_date": day + timedelta(days=10), "goal_amount": 100_000_00, "goal_families": 5,
                "scope": "nation", "featured_rule": "neediest", **fields}
        campaign = services.save_campaign(None, data, actor=None)
        if status in ("scheduled", "live", "ended"):
            services.transition(campaign, CampaignEvent.SCHEDULE)
        if status in ("live", "ended"):
            services.transition(campaign, CampaignEvent.LAUNCH)
        if status == "ended":
            services.transition(campaign, CampaignEvent.END)
        db.session.commit()
        return campaign

    return factory


def start_gift(client, case, amount: str, query: str = "", **fields):
    """Open the donate page from a campaign link (`query`, e.g. "campaign=x&team=3") and pay with its form."""
    page = f"/cases/{case.code}/donate" + (f"?{query}" if query else "")
    html = client.get(page).get_data(as_text=True)
    hidden = {}
    for name in ("campaign", "team"):
        marker = f'name="{name}" type="hidden" value="'
        if marker in html:
            hidden[name] = html.split(marker, 1)[1].split('"', 1)[0]
    data = {"amount": amount, "action": "pay", "anonymous": "y", **hidden, **fields}
    return post_form(client, f"/cases/{case.code}/donate", data, token_page=page)


@pytest.fixture
def give_through(client):
    """`give_through(case, "100", "campaign=slug")`: a paid gift from a campaign link; returns the Donation."""

    def do(case, amount: str = "100", query: str = "", **fields):
        sandbox_pay(client, start_gift(client, case, amount, query, **fields))
        db.session.expire_all()
        return db.session.scalars(select(Donation).order_by(Donation.id.desc())).first()

    return do
