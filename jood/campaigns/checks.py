"""`ledger verify`'s campaign check: recompute every campaign's figures from the donation lines of paid (and
refunded) payments, and compare them with the maintained rows. A scan, as a check should be; pages never do this."""

from __future__ import annotations

from collections import defaultdict

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from jood.campaigns import stats
from jood.campaigns.models import TOTAL, CampaignDonor, CampaignFigure
from jood.extensions import db
from jood.transparency.stats import donor_key


def expected_figures() -> tuple[dict, dict]:
    """({(campaign_id, scope): {metric: value}}, {(campaign_id, donor key): donations}) from the lines."""
    from jood.donations.models import Donation, DonationLine
    from jood.payments.models import Payment

    figures: dict = defaultdict(lambda: dict.fromkeys(stats.METRICS, 0))
    donors: dict = defaultdict(int)
    secret = current_app.config["SECRET_KEY"]
    donations = db.session.scalars(
        select(Donation).join(Payment).where(Payment.status.in_(["paid", "refunded"]),
                                             Donation.id.in_(select(DonationLine.donation_id).where(
                                                 DonationLine.campaign_id.is_not(None))))
        .options(selectinload(Donation.lines)).order_by(Donation.id))
    for donation in donations:
        refunded = donation.amount if donation.payment.status == "refunded" else donation.payment.refunded_amount
        taken = stats.refunded_by_line(donation, refunded)
        counted = set()
        for line, part in zip(donation.lines, taken, strict=True):
            if not line.campaign_id:
                continue
            counted.add(line.campaign_id)
            for scope in stats.line_scopes(line):
                row = figures[(line.campaign_id, scope)]
                row["raised_amount"] += line.amount - part
                row["gifts"] += int(part < line.amount)
                row["families"] += int(line.completes_case and part == 0)
        if donation.payment.status == "paid":
            key = donor_key(secret, donation.user_id, donation.email, donation.id)
            for campaign_id in counted:
                donors[(campaign_id, key)] += 1
    for (campaign_id, _key) in donors:
        figures[(campaign_id, TOTAL)]["donors"] += 1
    return figures, donors


def verify() -> list[str]:
    """Every disagreement between the campaign figures and the donation lines, in words."""
    expected, donors = expected_figures()
    stored = {(row.campaign_id, row.scope): {m: int(getattr(row, m)) for m in stats.METRICS}
              for row in db.session.scalars(select(CampaignFigure))}
    problems = []
    zero = dict.fromkeys(stats.METRICS, 0)
    for key in sorted(set(expected) | set(stored), key=str):
        want, have = expected.get(key, zero), stored.get(key, zero)
        if want != have:
            problems.append(f"campaign {key[0]} {key[1] or 'total'}: figures {have} != donation lines {want}")
    kept = {(row.campaign_id, row.key): row.donations for row in db.session.scalars(select(CampaignDonor))
            if row.donations}
    if kept != dict(donors):
        problems.append(f"campaign donors: {len(kept)} counted != {len(donors)} from donation lines")
    return problems
