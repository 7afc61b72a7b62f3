"""A campaign's figures as maintained aggregates: one upsert per paid or refunded donation, never a scan.

What counts (docs/campaigns.md, and the campaign page says the same):
- a gift whose line carries the campaign (given from the campaign's page, a region's or a team's page, or a link
  with ``?campaign=<slug>``), whatever the case: a case the campaign does not feature counts, it was given through
  the campaign; a pool gift through the campaign counts too (under no region);
- only when it is *paid* on a day of the campaign's period, Riyadh time, while the campaign is live (or has just
  ended): a gift paid after the end keeps no campaign on its line and counts nowhere;
- a refund takes its amount back out (a partial refund the part, in the order the ledger refunds a basket: line by
  line), and a fully refunded gift no longer counts as a gift, a donor or a family.

``raised_amount`` is the gross amount the donors chose (as /impact counts it). ``families`` counts the cases whose
funding a gift through the campaign completed; that family stops counting as soon as that gift is refunded even in
part (the case needs money again). ``donors`` (campaign row only) counts distinct donors (account, else e-mail, else
the donation) with a donation through the campaign not fully refunded.

Both are called by the paid path (``jood/donations/confirm.py``): ``count_paid`` after the crediting,
``count_refund`` for full and partial refunds; each refreshes the cached pages of the campaigns it moved.
"""

from __future__ import annotations

from collections import defaultdict

from flask import current_app
from sqlalchemy import select

from jood.cache import refresh
from jood.campaigns.models import TOTAL, Campaign, CampaignDonor, CampaignFigure
from jood.campaigns.states import COUNTING_STATUSES
from jood.core.db import upsert_adding
from jood.extensions import db
from jood.ledger.core import take_in_order
from jood.transparency.stats import donor_key, riyadh_day

METRICS = ("raised_amount", "gifts", "families", "donors")


def region_scope(region: str | None) -> str:
    return f"region:{region or ''}"


def team_scope(team_id: int) -> str:
    return f"team:{team_id}"


def counts_on(campaign: Campaign, day) -> bool:
    """Whether a gift paid on Riyadh day ``day`` counts toward ``campaign``."""
    return (campaign.status in COUNTING_STATUSES and campaign.has_period
            and campaign.start_date <= day <= campaign.end_date)


def line_scopes(line) -> list[str]:
    """The figure rows a campaign line moves: the campaign's, its case's region, its team."""
    scopes = [TOTAL, region_scope(line.case.region if line.case is not None else "")]
    if line.team_id:
        scopes.append(team_scope(line.team_id))
    return scopes


# --- writing -------------------------------------------------------------------------------------------------------


def _figure_upsert():
    columns = ("campaign_id", "scope", *METRICS)
    return upsert_adding(CampaignFigure.__tablename__, columns, ("campaign_id", "scope"), METRICS)


def _donor_upsert():
    return upsert_adding(CampaignDonor.__tablename__, ("campaign_id", "key", "donations"), ("campaign_id", "key"),
                         ("donations",), returning="donations")


def _add(deltas: dict[tuple[int, str], dict[str, int]]) -> None:
    rows = [{"campaign_id": campaign_id, "scope": scope, **dict.fromkeys(METRICS, 0), **metrics}
            for (campaign_id, scope), metrics in sorted(deltas.items()) if any(metrics.values())]
    if rows:
        connection = db.session.connection()
        connection.execute(_figure_upsert(), rows)


def _donor_moved(campaign_id: int, key: str, delta: int) -> int:
    """Add ``delta`` to the donor's counted donations; returns the new count."""
    connection = db.session.connection()
    return connection.execute(_donor_upsert(),
                              {"campaign_id": campaign_id, "key": key, "donations": delta}).scalar_one()


def _key(donation) -> str:
    return donor_key(current_app.config["SECRET_KEY"], donation.user_id, donation.email, donation.id)


def count_paid(donation) -> None:
    """A donation has just been credited (lines split, case counters moved): count its campaign lines.

    A line paid outside its campaign's period (Riyadh day) or while the campaign does not count gifts loses its
    campaign here, in the payment's transaction, so the line itself always says where it counted (the paid path
    writes the lines once, after this)."""
    lines = [line for line in donation.lines if line.campaign_id]
    if not lines:
        return
    campaigns = {c.id: c for c in db.session.scalars(select(Campaign).where(
        Campaign.id.in_({line.campaign_id for line in lines})))}
    day = riyadh_day(donation.paid_at)
    deltas: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line in lines:
        campaign = campaigns.get(line.campaign_id)
        if campaign is None or not counts_on(campaign, day):
            line.campaign_id, line.team_id = None, None
            continue
        case = line.case
        line.completes_case = bool(line.to_case and case is not None and case.remaining_amount == 0)
        for scope in line_scopes(line):
            row = deltas[(campaign.id, scope)]
            row["raised_amount"] += line.amount
            row["gifts"] += 1
            row["families"] += int(line.completes_case)
    for campaign_id in sorted({campaign_id for campaign_id, _ in deltas}):
        if _donor_moved(campaign_id, _key(donation), 1) == 1:
            deltas[(campaign_id, TOTAL)]["donors"] += 1
    _add(deltas)
    _refresh_pages(deltas)


def _refresh_pages(deltas) -> None:
    slugs = db.session.scalars(select(Campaign.slug).where(Campaign.id.in_({cid for cid, _ in deltas})))
    refresh("campaigns", *(f"campaign:{slug}" for slug in slugs))


def refunded_by_line(donation, refunded: int) -> list[int]:
    """How much of each line ``refunded`` halalas took back: lines in order, as the ledger's refunds take them."""
    return [part for _, part in take_in_order([(line.id, line.amount) for line in donation.lines], refunded)]


def count_refund(donation, *, before: int, after: int) -> None:
    """The donation's refunded total went from ``before`` to ``after`` halalas: take that out of its campaigns."""
    if after <= before or not any(line.campaign_id for line in donation.lines):
        return
    was, now = refunded_by_line(donation, before), refunded_by_line(donation, after)
    deltas: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for line, old, new in zip(donation.lines, was, now, strict=True):
        if not line.campaign_id or new == old:
            continue
        for scope in line_scopes(line):
            row = deltas[(line.campaign_id, scope)]
            row["raised_amount"] -= new - old
            row["gifts"] -= int(new == line.amount)
            row["families"] -= int(line.completes_case and old == 0)
    if after >= donation.amount:
        for campaign_id in sorted({line.campaign_id for line in donation.lines if line.campaign_id}):
            if _donor_moved(campaign_id, _key(donation), -1) == 0:
                deltas[(campaign_id, TOTAL)]["donors"] -= 1
    _add(deltas)
    _refresh_pages(deltas)
    db.session.flush()


# --- reading -------------------------------------------------------------------------------------------------------


def figures_of(rows) -> dict[str, dict[str, int]]:
    """{scope: {metric: value}} from CampaignFigure rows (one query by the caller), every scope defaulting to 0."""
    result: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for row in rows:
        result[row.scope] = {metric: int(getattr(row, metric)) for metric in METRICS}
    return result


def campaign_figures(campaign_id: int) -> dict[str, dict[str, int]]:
    return figures_of(db.session.scalars(select(CampaignFigure).where(CampaignFigure.campaign_id == campaign_id)))
