"""Campaigns, their region targets, featured cases and teams, and their maintained figures.

A gift counts toward a campaign through its donation line (``donation_lines.campaign_id``/``team_id``, set at
checkout, kept or cleared when the payment is credited). The figures are never computed from the lines on a page:
``campaign_figures`` holds one row per campaign and scope (the whole campaign, a region, a team), moved by one
upsert per paid or refunded donation (jood/campaigns/stats.py), and ``ledger verify`` recomputes them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.campaigns.states import CampaignStatus
from jood.core.db import UTCDateTime, sql_list, utcnow
from jood.extensions import db

KINDS = ("campaign", "regions", "league")  # a plain campaign, the regions' campaign, a team league
SCOPES = ("nation", "region", "charity", "track")
FEATURE_RULES = ("staff", "neediest")  # cases chosen by staff, or the neediest published cases of the scope
TEAM_KINDS = ("club", "school", "company", "city")
# One drawing per kind of campaign, in static/img/illustrations/ (never a person's photo).
ILLUSTRATIONS = ("campaign-home", "campaign-regions", "campaign-league", "neighbourhood")
TOTAL = ""  # the scope key of a campaign's own figures; "region:<code>" and "team:<id>" for the breakdown


class Campaign(db.Model):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_list(CampaignStatus)})", name="status_known"),
        CheckConstraint(f"kind IN ({sql_list(KINDS)})", name="kind_known"),
        CheckConstraint(f"scope IN ({sql_list(SCOPES)})", name="scope_known"),
        CheckConstraint(f"featured_rule IN ({sql_list(FEATURE_RULES)})", name="featured_rule_known"),
        CheckConstraint("goal_amount IS NULL OR goal_amount > 0", name="goal_amount_positive"),
        CheckConstraint("goal_families IS NULL OR goal_families > 0", name="goal_families_positive"),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    hashtag: Mapped[str] = mapped_column(String(80), default="")  # without the '#'
    kind: Mapped[str] = mapped_column(String(20), default="campaign")
    status: Mapped[str] = mapped_column(String(20), default=CampaignStatus.DRAFT.value, index=True)
    title_ar: Mapped[str] = mapped_column(String(160))
    title_en: Mapped[str] = mapped_column(String(160), default="")
    story_ar: Mapped[str] = mapped_column(Text, default="")
    story_en: Mapped[str] = mapped_column(Text, default="")
    illustration: Mapped[str] = mapped_column(String(40), default="campaign-home")
    # The period: Riyadh calendar days, both included. A gift paid on a day outside it does not count.
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    goal_amount: Mapped[int | None] = mapped_column(BigInteger)  # halalas
    goal_families: Mapped[int | None] = mapped_column(Integer)
    scope: Mapped[str] = mapped_column(String(20), default="nation")
    scope_region: Mapped[str | None] = mapped_column(String(30))
    scope_charity_id: Mapped[int | None] = mapped_column(ForeignKey("charities.id"))
    scope_track: Mapped[str | None] = mapped_column(String(20))
    featured_rule: Mapped[str] = mapped_column(String(20), default="neediest")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # a charity manager's proposal
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    scope_charity = relationship("Charity")
    proposed_by = relationship("User")

    def title(self, language: str) -> str:
        return self.title_en if language == "en" and self.title_en else self.title_ar

    def story(self, language: str) -> str:
        return self.story_en if language == "en" and self.story_en else self.story_ar

    @property
    def has_goal(self) -> bool:
        return bool(self.goal_amount or self.goal_families)

    @property
    def has_period(self) -> bool:
        return self.start_date is not None and self.end_date is not None

    def __repr__(self) -> str:
        return f"<Campaign {self.slug} {self.status}>"


class CampaignRegionTarget(db.Model):
    """The regions' campaign: each region's own target, in homes and in SAR."""

    __tablename__ = "campaign_region_targets"
    __table_args__ = (
        UniqueConstraint("campaign_id", "region", name="uq_campaign_region"),
        CheckConstraint("target_amount >= 0 AND target_families >= 0", name="targets_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    region: Mapped[str] = mapped_column(String(30))
    target_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # halalas
    target_families: Mapped[int] = mapped_column(default=0)


class CampaignCase(db.Model):
    """A case staff chose to feature on the campaign's page."""

    __tablename__ = "campaign_cases"
    __table_args__ = (UniqueConstraint("campaign_id", "case_id", name="uq_campaign_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    position: Mapped[int] = mapped_column(default=0)


class Team(db.Model):
    """A league's team (a club, a school, a company, a city): gifts through its page count for it."""

    __tablename__ = "campaign_teams"
    __table_args__ = (CheckConstraint(f"kind IN ({sql_list(TEAM_KINDS)})", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="club")
    name_ar: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    campaign = relationship("Campaign")

    def name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name_ar


class TeamCase(db.Model):
    """A family (case) a team adopted."""

    __tablename__ = "campaign_team_cases"
    __table_args__ = (UniqueConstraint("team_id", "case_id", name="uq_team_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("campaign_teams.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))


class CampaignFigure(db.Model):
    """A campaign's maintained figures for one scope: "" (the campaign), "region:<code>" or "team:<id>"."""

    __tablename__ = "campaign_figures"
    __table_args__ = (UniqueConstraint("campaign_id", "scope", name="uq_campaign_figure"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    scope: Mapped[str] = mapped_column(String(40), default=TOTAL)
    raised_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # halalas, gross as the donors chose
    gifts: Mapped[int] = mapped_column(default=0)  # donation lines still (at least partly) standing
    families: Mapped[int] = mapped_column(default=0)  # cases whose funding a gift through the campaign completed
    donors: Mapped[int] = mapped_column(default=0)  # kept on the campaign's own row only


class CampaignDonor(db.Model):
    """A keyed hash of each donor of a campaign with how many of their donations still count, so "donors" costs
    one upsert and a refund can take a donor away again."""

    __tablename__ = "campaign_donors"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    donations: Mapped[int] = mapped_column(default=0)
