"""Campaign writes (create, edit, transitions, teams, targets) and the reads its pages need, each in few queries.

Writes flush; the view or CLI command commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import contains_eager

from jood.audit.services import record
from jood.cache import refresh
from jood.campaigns import states
from jood.campaigns.models import (
    TOTAL,
    Campaign,
    CampaignCase,
    CampaignFigure,
    CampaignRegionTarget,
    Team,
    TeamCase,
)
from jood.campaigns.states import CampaignEvent, CampaignStatus
from jood.cases.catalog import neediest_order
from jood.cases.models import Case, CaseStatus
from jood.charities.models import Charity
from jood.extensions import db
from jood.regions import REGIONS
from jood.transparency.stats import today

FEATURED_COUNT = 6
EDITABLE = ("slug", "hashtag", "kind", "title_ar", "title_en", "story_ar", "story_en", "illustration", "start_date",
            "end_date", "goal_amount", "goal_families", "scope", "scope_region", "scope_charity_id", "scope_track",
            "featured_rule")


class CampaignError(Exception):
    """A request we refuse: ``code`` picks the translated message (jood/campaigns/views.py), ``field`` its place."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code, self.field = code, field


# --- writing -------------------------------------------------------------------------------------------------------


def _check(campaign: Campaign) -> None:
    if db.session.scalar(select(Campaign.id).where(Campaign.slug == campaign.slug, Campaign.id != (campaign.id or 0))):
        raise CampaignError("slug_taken", "slug")
    if campaign.has_period and campaign.end_date < campaign.start_date:
        raise CampaignError("period_reversed", "end_date")


def _refresh(campaign: Campaign) -> None:
    """The campaign's cached pages, the list and the home page's banner are rendered again once this commits."""
    refresh("campaigns", f"campaign:{campaign.slug}")


def save_campaign(campaign: Campaign | None, data: dict, *, actor, featured_codes: list[str] | None = None
                  ) -> Campaign:
    """Create or edit a campaign from checked form data; a charity manager's proposal stays a draft."""
    creating = campaign is None
    campaign = campaign or Campaign()
    for name in EDITABLE:
        if name in data:
            setattr(campaign, name, data[name])
    campaign.hashtag = (campaign.hashtag or "").strip().lstrip("#")
    _check(campaign)
    if creating:
        db.session.add(campaign)
    db.session.flush()
    if featured_codes is not None:
        set_featured(campaign, featured_codes)
    _refresh(campaign)
    record("campaign.create" if creating else "campaign.edit", "campaign", campaign.slug, actor=actor,
           to_state=campaign.status)
    db.session.flush()
    return campaign


def propose_campaign(data: dict, *, actor) -> Campaign:
    """A charity manager proposes a campaign for its region: a draft that staff review and schedule."""
    charity = actor.charity
    data = {**data, "scope": "region", "scope_region": charity.region, "scope_charity_id": None}
    campaign = save_campaign(None, data, actor=actor)
    campaign.proposed_by_id = actor.id
    db.session.flush()
    return campaign


def set_featured(campaign: Campaign, codes: list[str]) -> None:
    """Staff's choice of featured cases, in the order given; unknown or non-public codes are refused."""
    codes = [code.strip().upper() for code in codes if code.strip()]
    cases = {case.code: case for case in db.session.scalars(select(Case).where(Case.code.in_(codes)))}
    unknown = [code for code in codes if code not in cases or not cases[code].is_public]
    if unknown:
        raise CampaignError("unknown_cases", "featured")
    db.session.execute(CampaignCase.__table__.delete().where(CampaignCase.campaign_id == campaign.id))
    for position, code in enumerate(dict.fromkeys(codes)):
        db.session.add(CampaignCase(campaign_id=campaign.id, case_id=cases[code].id, position=position))
    db.session.flush()


def featured_codes(campaign: Campaign) -> list[str]:
    """Staff's featured cases, in order (for the editor)."""
    return list(db.session.scalars(select(Case.code).join(CampaignCase, CampaignCase.case_id == Case.id)
                                   .where(CampaignCase.campaign_id == campaign.id).order_by(CampaignCase.position)))


def transition(campaign: Campaign, event: str | CampaignEvent, *, actor=None, reason: str | None = None,
               on: date | None = None) -> None:
    """Move a campaign through its state machine, with the guards and the audit entry."""
    try:
        target = states.next_state(campaign.status, event)
    except states.TransitionRefused:
        raise CampaignError("bad_transition") from None
    day = on or today()
    if target in (CampaignStatus.SCHEDULED, CampaignStatus.LIVE):
        if not campaign.has_period:
            raise CampaignError("no_period", "start_date")
        if not campaign.has_goal:
            raise CampaignError("no_goal", "goal_amount")
    if target == CampaignStatus.LIVE and not campaign.start_date <= day <= campaign.end_date:
        raise CampaignError("outside_period", "start_date")
    if target == CampaignStatus.ENDED and campaign.end_date and campaign.end_date > day:
        campaign.end_date = max(day, campaign.start_date)  # ended early: the period ends today
    old, campaign.status = campaign.status, target.value
    _refresh(campaign)
    record(f"campaign.{CampaignEvent(event).value}", "campaign", campaign.slug, actor=actor, from_state=old,
           to_state=target.value, reason=reason)
    db.session.flush()


def run_calendar(on: date | None = None) -> dict[str, int]:
    """The daily job: scheduled campaigns whose first day came go live, live ones past their last day end."""
    day, done = on or today(), {"launched": 0, "ended": 0}
    for campaign in db.session.scalars(select(Campaign).where(Campaign.status.in_(["scheduled", "live"]))):
        if campaign.status == "scheduled" and campaign.has_period and campaign.start_date <= day <= campaign.end_date:
            transition(campaign, CampaignEvent.LAUNCH, reason="its first day", on=day)
            done["launched"] += 1
        elif campaign.status == "live" and campaign.end_date and campaign.end_date < day:
            transition(campaign, CampaignEvent.END, reason="its last day passed", on=day)
            done["ended"] += 1
    return done


def set_region_targets(campaign: Campaign, targets: dict[str, tuple[int, int]], *, actor) -> None:
    """{region: (halalas, families)} for the regions' campaign; one row per region."""
    existing = {row.region: row for row in db.session.scalars(
        select(CampaignRegionTarget).where(CampaignRegionTarget.campaign_id == campaign.id))}
    for region, (amount, families) in targets.items():
        if region not in REGIONS or amount < 0 or families < 0:
            raise CampaignError("bad_target")
        row = existing.get(region) or CampaignRegionTarget(campaign_id=campaign.id, region=region)
        row.target_amount, row.target_families = amount, families
        db.session.add(row)
    _refresh(campaign)
    record("campaign.targets", "campaign", campaign.slug, actor=actor)
    db.session.flush()


def add_team(campaign: Campaign, *, name_ar: str, name_en: str, kind: str, case_codes: list[str], actor) -> Team:
    if campaign.kind != "league":
        raise CampaignError("not_a_league")
    codes = [code.strip().upper() for code in case_codes if code.strip()]
    cases = list(db.session.scalars(select(Case).where(Case.code.in_(codes))))
    if len(cases) != len(set(codes)) or any(not case.is_public for case in cases):
        raise CampaignError("unknown_cases", "cases")
    team = Team(campaign_id=campaign.id, name_ar=name_ar.strip(), name_en=name_en.strip(), kind=kind)
    db.session.add(team)
    db.session.flush()
    for case in cases:
        db.session.add(TeamCase(team_id=team.id, case_id=case.id))
    _refresh(campaign)
    record("campaign.team", "campaign", campaign.slug, actor=actor, to_state=team.name_ar)
    db.session.flush()
    return team


# --- attribution at checkout ---------------------------------------------------------------------------------------


def attribution(slug: str | None, team: str | None) -> dict:
    """{campaign_id, team_id} for a donation line given through a live campaign (and one of its teams), else {}.

    Whether the gift finally counts is decided when it is paid (jood/campaigns/stats.py: the period, Riyadh time)."""
    slug = (slug or "").strip()
    if not slug:
        return {}
    row = db.session.execute(select(Campaign.id, Campaign.status, Campaign.start_date, Campaign.end_date)
                             .where(Campaign.slug == slug)).first()
    if row is None or row.status != CampaignStatus.LIVE or not (row.start_date <= today() <= row.end_date):
        return {}
    team_id = int(team) if (team or "").isdigit() and len(team) < 10 else None
    if team_id is not None and db.session.scalar(
            select(Team.id).where(Team.id == team_id, Team.campaign_id == row.id)) is None:
        team_id = None
    return {"campaign_id": row.id, "team_id": team_id}


# --- reading -------------------------------------------------------------------------------------------------------


def public_campaign(slug: str) -> Campaign | None:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    return campaign if campaign is not None and campaign.status in states.PUBLIC_STATUSES else None


def listing() -> list[tuple[Campaign, CampaignFigure | None]]:
    """Public campaigns with their own figures row, live first, then coming, then past (one query)."""
    rows = db.session.execute(
        select(Campaign, CampaignFigure)
        .outerjoin(CampaignFigure, and_(CampaignFigure.campaign_id == Campaign.id, CampaignFigure.scope == TOTAL))
        .where(Campaign.status.in_([s.value for s in states.PUBLIC_STATUSES]))
        .order_by(Campaign.start_date.desc(), Campaign.id.desc())).all()
    order = {"live": 0, "scheduled": 1, "ended": 2}
    return sorted(((c, f) for c, f in rows), key=lambda pair: order[pair[0].status])


def live_campaign() -> tuple[Campaign, CampaignFigure | None] | None:
    """The home page's live campaign and its figures (one query)."""
    row = db.session.execute(
        select(Campaign, CampaignFigure)
        .outerjoin(CampaignFigure, and_(CampaignFigure.campaign_id == Campaign.id, CampaignFigure.scope == TOTAL))
        .where(Campaign.status == CampaignStatus.LIVE.value)
        .order_by(Campaign.start_date.desc(), Campaign.id.desc()).limit(1)).first()
    return (row[0], row[1]) if row else None


def _public_cases():
    return (select(Case).join(Case.charity).options(contains_eager(Case.charity))
            .where(Case.status.in_([CaseStatus.PUBLISHED.value, CaseStatus.FUNDED.value]),
                   Charity.status == "approved"))


def featured_cases(campaign: Campaign, region: str | None = None, limit: int = FEATURED_COUNT) -> list[Case]:
    """Staff's choice, or the neediest published cases of the campaign's scope (or of ``region``), in one query."""
    if campaign.featured_rule == "staff" and region is None:
        return list(db.session.scalars(
            _public_cases().join(CampaignCase, CampaignCase.case_id == Case.id)
            .where(CampaignCase.campaign_id == campaign.id).order_by(CampaignCase.position).limit(limit)))
    query = _public_cases().where(Case.status == CaseStatus.PUBLISHED.value, Case.raised_amount < Case.target_amount)
    region = region or (campaign.scope_region if campaign.scope == "region" else None)
    if region:
        query = query.where(Case.region == region)
    if campaign.scope == "charity" and campaign.scope_charity_id:
        query = query.where(Case.charity_id == campaign.scope_charity_id)
    if campaign.scope == "track" and campaign.scope_track:
        query = query.where(Case.track == campaign.scope_track)
    return list(db.session.scalars(query.order_by(*neediest_order()).limit(limit)))


def teams(campaign: Campaign) -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.campaign_id == campaign.id).order_by(Team.id)))


def region_targets(campaign: Campaign) -> dict[str, CampaignRegionTarget]:
    return {row.region: row for row in db.session.scalars(
        select(CampaignRegionTarget).where(CampaignRegionTarget.campaign_id == campaign.id))}


def team_cases(team: Team) -> list[Case]:
    return list(db.session.scalars(_public_cases().join(TeamCase, TeamCase.case_id == Case.id)
                                   .where(TeamCase.team_id == team.id).order_by(TeamCase.id)))


@dataclass
class LeagueRow:
    team: Team
    families: int
    raised_amount: int
    gifts: int
    rank: int = field(default=0)


def league_table(team_list: list[Team], figures: dict) -> list[LeagueRow]:
    """Teams by families housed, then SAR raised (then the older team first, so the order is stable)."""
    rows = [LeagueRow(team, figures[f"team:{team.id}"]["families"], figures[f"team:{team.id}"]["raised_amount"],
                      figures[f"team:{team.id}"]["gifts"]) for team in team_list]
    rows.sort(key=lambda row: (-row.families, -row.raised_amount, row.team.id))
    for index, row in enumerate(rows, start=1):
        row.rank = index
    return rows


def region_rows(targets: dict[str, CampaignRegionTarget], figures: dict) -> list[dict]:
    """Each of the 13 regions: its target, its figures and its progress (percent of the SAR target, else homes)."""
    rows = []
    for code in REGIONS:
        target = targets.get(code)
        figure = figures[f"region:{code}"]
        amount, families = (target.target_amount, target.target_families) if target else (0, 0)
        if amount:
            pct = min(100, figure["raised_amount"] * 100 // amount)
        elif families:
            pct = min(100, figure["families"] * 100 // families)
        else:
            pct = 0
        rows.append({"region": code, "target_amount": amount, "target_families": families, "pct": pct,
                     "raised_amount": figure["raised_amount"], "families": figure["families"],
                     "gifts": figure["gifts"]})
    return rows


def recent_gifts(campaign: Campaign, limit: int = 10) -> list[dict]:
    """The campaign's latest paid gifts (an indexed, limited read): amount, a display name or None (فاعل خير)."""
    from jood.donations.models import Donation, DonationLine
    from jood.payments.models import Payment

    rows = db.session.execute(
        select(DonationLine.amount, Donation.anonymous, Donation.display_name, Donation.paid_at)
        .join(Donation, Donation.id == DonationLine.donation_id).join(Payment, Payment.donation_id == Donation.id)
        .where(DonationLine.campaign_id == campaign.id, Payment.status == "paid")
        .order_by(Donation.paid_at.desc(), DonationLine.id.desc()).limit(limit)).all()
    return [{"amount": amount, "name": None if anonymous or not (name or "").strip() else name.strip(),
             "paid_at": paid_at} for amount, anonymous, name, paid_at in rows]
