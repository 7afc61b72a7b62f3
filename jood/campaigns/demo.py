"""Demo campaigns: a live Ramadan campaign #كليومبيت, the regions' campaign with a target for each of the 13 regions,
and a four-team league; gifts attributed to each through the real crediting path (the sandbox gateway and the
payment state machine, as the donations demo does). Idempotent: nothing is added when a campaign exists."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select

from jood.campaigns import services
from jood.campaigns.models import Campaign
from jood.campaigns.states import CampaignEvent
from jood.cases.models import Case, CaseStatus
from jood.donations import services as giving
from jood.extensions import db
from jood.payments import services as payments
from jood.payments.states import PaymentEvent
from jood.regions import REGIONS
from jood.transparency.stats import today

# Region targets (homes, SAR): Riyadh's 1,109 units and the Eastern Province's 1,742 as the regions' campaign
# announced them; the other regions in proportion, at about 20,000 SAR a year's rent per home.
HOMES = {"riyadh": 1109, "makkah": 1350, "madinah": 610, "qassim": 420, "eastern": 1742, "asir": 540, "tabuk": 300,
         "hail": 260, "northern_borders": 150, "jazan": 480, "najran": 210, "baha": 140, "jouf": 190}
TEAMS = [("نادي الهلال", "Al-Hilal Club", "club"), ("نادي النصر", "Al-Nassr Club", "club"),
         ("نادي الاتحاد", "Al-Ittihad Club", "club"), ("نادي الأهلي", "Al-Ahli Club", "club")]
STORY_HOME = ("كل يوم بيت: في رمضان نجمع التبرعات لتأمين مسكن لأسرة محتاجة كل يوم، إيجار سنة أو بيتاً تملكه.\n"
              "كل حالة زارتها جمعية شريكة وتحققت منها، وكل ريال يظهر في السجل العام.")
STORY_HOME_EN = ("A home every day: through Ramadan we give a family in need a home each day, a year's rent or a "
                 "home of its own.\nEvery case was visited by a partner charity, and every riyal shows in the public "
                 "ledger.")


def _give(lines, name: str = "") -> None:
    donor = giving.Donor(display_name=name, anonymous=not name)
    donation = giving.create_donation(lines, donor, zakat=False, gateway="sandbox")
    donation.payment.session_id = "sbx_demo_" + secrets.token_urlsafe(12)
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="demo campaign gift")


def _open_cases(limit: int = 40) -> list[Case]:
    return [case for case in db.session.scalars(select(Case).where(Case.status == CaseStatus.PUBLISHED.value)
                                                 .order_by(Case.id).limit(limit)) if case.remaining_amount >= 200_00]


def seed() -> dict[str, int]:
    if db.session.scalar(select(func.count()).select_from(Campaign)):
        return {"demo_campaigns": 0}
    day = today()
    home = services.save_campaign(None, {
        "slug": "kul-yom-bait", "hashtag": "كليومبيت", "kind": "campaign", "title_ar": "كل يوم بيت",
        "title_en": "A home every day", "story_ar": STORY_HOME, "story_en": STORY_HOME_EN,
        "illustration": "campaign-home", "start_date": day - timedelta(days=5), "end_date": day + timedelta(days=24),
        "goal_amount": 3_000_000_00, "goal_families": 30, "scope": "nation", "featured_rule": "neediest"}, actor=None)
    regions = services.save_campaign(None, {
        "slug": "jood-regions", "hashtag": "جود_المناطق", "kind": "regions", "title_ar": "جود المناطق",
        "title_en": "Jood of the regions", "illustration": "campaign-regions",
        "story_ar": "لكل منطقة هدفها من المساكن، يطلقه أمير المنطقة، ويتنافس أهلها في بلوغه.",
        "story_en": "Each region has its own target in homes, launched by its emir; its people race to reach it.",
        "start_date": day - timedelta(days=10), "end_date": day + timedelta(days=50),
        "goal_families": sum(HOMES.values()), "goal_amount": sum(HOMES.values()) * 20_000_00, "scope": "nation",
        "featured_rule": "neediest"}, actor=None)
    services.set_region_targets(regions, {code: (HOMES[code] * 20_000_00, HOMES[code]) for code in REGIONS},
                                actor=None)
    league = services.save_campaign(None, {
        "slug": "jood-league", "hashtag": "دوري_جود", "kind": "league", "title_ar": "دوري جود",
        "title_en": "The Jood League", "illustration": "campaign-league",
        "story_ar": "تتبنى الأندية أسراً محتاجة، ويتنافس جمهورها في تأمين مساكنها.",
        "story_en": "Clubs adopt families in need, and their fans compete to house them.",
        "start_date": day - timedelta(days=3), "end_date": day + timedelta(days=60), "goal_families": 40,
        "scope": "nation", "featured_rule": "neediest"}, actor=None)
    cases = _open_cases()
    teams = []
    for index, (name_ar, name_en, kind) in enumerate(TEAMS):
        adopted = [case.code for case in cases[index::4][:3]]
        teams.append(services.add_team(league, name_ar=name_ar, name_en=name_en, kind=kind, case_codes=adopted,
                                       actor=None))
    for campaign in (home, regions, league):
        services.transition(campaign, CampaignEvent.SCHEDULE, reason="demo data")
        services.transition(campaign, CampaignEvent.LAUNCH, reason="demo data")
    db.session.flush()
    gifts = 0
    names = ("أم فهد", "", "محسن من الرياض", "", "")
    for index, case in enumerate(cases[:12]):
        db.session.refresh(case)
        campaign = (home, regions, league)[index % 3]
        team = teams[index % 4].id if campaign is league else None  # the team that adopted this case
        amount = (150_00, 500_00, 1_000_00)[index % 3] if team is None else (2_500_00, 1_200_00, 800_00,
                                                                             400_00)[index % 4]
        if index == 0:  # one family housed by #كليومبيت: the gift completes its case
            amount = case.remaining_amount
        amount = min(case.remaining_amount, amount)
        if amount < giving.MIN_AMOUNT or not case.accepts_donations:
            continue
        _give([giving.LineRequest(amount, case=case, campaign_id=campaign.id, team_id=team)], names[index % 5])
        gifts += 1
    _give([giving.LineRequest(300_00, pool="general", campaign_id=home.id)], "فاعل خير من جدة")
    db.session.flush()
    return {"demo_campaigns": 3, "demo_campaign_gifts": gifts + 1}
