"""What counts toward a campaign, kept as aggregates in the payment's own transaction, and `ledger verify`'s check."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from jood.auth.roles import Role
from jood.campaigns import checks, services, stats
from jood.campaigns.models import CampaignFigure
from jood.donations import refunds
from jood.donations import services as giving
from jood.extensions import db
from jood.ledger import services as ledger
from jood.payments import services as payments
from jood.payments.states import PaymentEvent
from jood.transparency.stats import riyadh_day, today
from tests.campaigns.conftest import start_gift
from tests.conftest import sandbox_pay


def figures(campaign):
    db.session.expire_all()
    return stats.campaign_figures(campaign.id)


def test_a_gift_through_the_campaign_link_counts_and_is_recorded_on_its_line(make_case, make_campaign,
                                                                              give_through):
    campaign = make_campaign()
    case = make_case(region="jazan")
    donation = give_through(case, "250", f"campaign={campaign.slug}")
    assert donation.status == "paid"
    assert [line.campaign_id for line in donation.lines] == [campaign.id]
    total = figures(campaign)[""]
    assert total == {"raised_amount": 250_00, "gifts": 1, "families": 0, "donors": 1}
    assert figures(campaign)["region:jazan"]["raised_amount"] == 250_00
    assert ledger.verify() == []


def test_a_case_the_campaign_does_not_feature_counts_too(make_case, make_campaign, give_through):
    featured, other = make_case(), make_case()
    campaign = make_campaign(featured_rule="staff")
    services.set_featured(campaign, [featured.code])
    db.session.commit()
    give_through(other, "100", f"c={campaign.slug}")
    assert figures(campaign)[""]["raised_amount"] == 100_00


def test_a_gift_without_the_campaign_and_another_campaigns_gift_do_not_count(make_case, make_campaign,
                                                                            give_through):
    mine, theirs = make_campaign(), make_campaign()
    case = make_case()
    give_through(case, "100")
    give_through(case, "70", f"campaign={theirs.slug}")
    assert figures(mine)[""]["raised_amount"] == 0
    assert figures(theirs)[""]["raised_amount"] == 70_00


def test_a_campaign_not_live_attributes_nothing(make_case, make_campaign, give_through):
    draft, scheduled, ended = (make_campaign(status=s) for s in ("draft", "scheduled", "ended"))
    case = make_case()
    for campaign in (draft, scheduled, ended):
        donation = give_through(case, "50", f"campaign={campaign.slug}")
        assert donation.lines[0].campaign_id is None
        assert figures(campaign)[""]["raised_amount"] == 0


def test_a_gift_paid_after_the_campaign_ended_does_not_count_and_keeps_no_campaign(client, make_case,
                                                                                   make_campaign):
    campaign = make_campaign()
    case = make_case()
    response = start_gift(client, case, "100", f"campaign={campaign.slug}")  # checkout opened while live
    campaign.end_date, campaign.start_date = today() - timedelta(days=1), today() - timedelta(days=5)
    db.session.commit()  # ...and the donor pays after its last day (Riyadh time)
    sandbox_pay(client, response)
    db.session.expire_all()
    line = db.session.scalars(select(giving.DonationLine)).one()
    assert line.donation.status == "paid" and line.campaign_id is None and line.team_id is None
    assert figures(campaign)[""]["raised_amount"] == 0
    assert ledger.verify() == []


def test_the_period_is_in_riyadh_days(make_campaign):
    campaign = make_campaign(status="draft", start_date=date(2027, 3, 1), end_date=date(2027, 3, 30))
    campaign.status = "live"
    # 21:30 UTC on the last day is already the next day in Riyadh (UTC+3).
    assert not stats.counts_on(campaign, riyadh_day(datetime(2027, 3, 30, 21, 30, tzinfo=UTC)))
    assert stats.counts_on(campaign, riyadh_day(datetime(2027, 3, 30, 20, 59, tzinfo=UTC)))
    assert not stats.counts_on(campaign, riyadh_day(datetime(2027, 2, 28, 20, 59, tzinfo=UTC)))
    assert stats.counts_on(campaign, riyadh_day(datetime(2027, 2, 28, 21, 0, tzinfo=UTC)))


def test_a_replayed_payment_event_never_counts_twice(make_case, make_campaign, give_through):
    campaign = make_campaign()
    donation = give_through(make_case(), "100", f"campaign={campaign.slug}")
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="webhook again")
    ledger.commit()
    assert figures(campaign)[""] == {"raised_amount": 100_00, "gifts": 1, "families": 0, "donors": 1}


def test_the_gift_that_completes_a_case_counts_a_family_and_the_donor_once(make_case, make_campaign,
                                                                          give_through):
    campaign = make_campaign()
    case = make_case(target_amount=300_00)
    give_through(case, "100", f"campaign={campaign.slug}", email="same@example.org", anonymous="")
    give_through(case, "200", f"campaign={campaign.slug}", email="same@example.org", anonymous="")
    total = figures(campaign)[""]
    assert total == {"raised_amount": 300_00, "gifts": 2, "families": 1, "donors": 1}
    assert checks.verify() == []


def _refund(client, make_user, donation, amount=""):
    from tests.conftest import login, post_form

    login(client, make_user(Role.FINANCE))
    return post_form(client, f"/finance/donations/{donation.reference}/refund",
                     {"reason": "donor asked", "amount": amount}, token_page="/finance/donations")


def test_a_full_refund_stops_counting(client, make_case, make_user, make_campaign, give_through):
    campaign = make_campaign()
    case = make_case(target_amount=100_00)
    donation = give_through(case, "100", f"campaign={campaign.slug}")
    assert figures(campaign)[""]["families"] == 1
    _refund(client, make_user, donation)
    db.session.expire_all()
    assert donation.status == "refunded"
    assert figures(campaign)[""] == {"raised_amount": 0, "gifts": 0, "families": 0, "donors": 0}
    assert figures(campaign)["region:riyadh"]["raised_amount"] == 0
    assert ledger.verify() == []


def test_partial_refunds_take_their_part_out(client, make_case, make_user, make_campaign, give_through):
    campaign = make_campaign()
    case = make_case(target_amount=100_00)
    donation = give_through(case, "100", f"campaign={campaign.slug}")
    _refund(client, make_user, donation, "30")
    db.session.expire_all()
    assert donation.payment.refunded_amount == 30_00
    # Still a gift and a donor; no longer the family's completing gift (the case needs 30 SAR again).
    assert figures(campaign)[""] == {"raised_amount": 70_00, "gifts": 1, "families": 0, "donors": 1}
    assert ledger.verify() == []
    _refund(client, make_user, donation, "70")  # the rest: a full refund
    db.session.expire_all()
    assert figures(campaign)[""] == {"raised_amount": 0, "gifts": 0, "families": 0, "donors": 0}
    assert ledger.verify() == []


def test_a_partial_refund_of_a_basket_takes_lines_in_order(make_case, make_campaign):
    campaign = make_campaign()
    first, second = make_case(region="asir"), make_case(region="tabuk")
    donation = giving.create_donation(
        [giving.LineRequest(60_00, case=first, campaign_id=campaign.id),
         giving.LineRequest(40_00, case=second, campaign_id=campaign.id)],
        giving.Donor(anonymous=True), zakat=False, gateway="sandbox")
    donation.payment.session_id = "sbx_basket"
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="test")
    ledger.commit()
    refunds.refund_part(donation, 70_00, actor=None, reason="test")
    ledger.commit()
    result = figures(campaign)
    assert result["region:asir"] == {"raised_amount": 0, "gifts": 0, "families": 0, "donors": 0}
    assert result["region:tabuk"]["raised_amount"] == 30_00 and result["region:tabuk"]["gifts"] == 1
    assert result[""]["raised_amount"] == 30_00 and result[""]["gifts"] == 1 and result[""]["donors"] == 1
    assert ledger.verify() == []


def test_team_gifts_count_for_the_team(make_case, make_campaign, give_through):
    league = make_campaign(kind="league")
    case = make_case()
    team = services.add_team(league, name_ar="نادي", name_en="Club", kind="club", case_codes=[case.code],
                             actor=None)
    other = make_campaign(kind="league")
    stranger = services.add_team(other, name_ar="آخر", name_en="", kind="school", case_codes=[], actor=None)
    db.session.commit()
    give_through(case, "120", f"c={league.slug}&team={team.id}")
    give_through(case, "30", f"c={league.slug}&team={stranger.id}")  # another league's team: the campaign only
    result = figures(league)
    assert result[f"team:{team.id}"]["raised_amount"] == 120_00
    assert result[""]["raised_amount"] == 150_00
    assert figures(other)[f"team:{stranger.id}"]["raised_amount"] == 0


def test_ledger_verify_notices_figures_that_disagree_with_the_lines(make_case, make_campaign, give_through):
    campaign = make_campaign()
    give_through(make_case(), "100", f"campaign={campaign.slug}")
    assert ledger.verify() == []
    db.session.execute(update(CampaignFigure).where(CampaignFigure.scope == "")
                       .values(raised_amount=CampaignFigure.raised_amount + 1))
    db.session.commit()
    problems = ledger.verify()
    assert any(problem.startswith(f"campaign {campaign.id} total") for problem in problems)
