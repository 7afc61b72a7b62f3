"""Demo gifts through the real services and the sandbox gateway, so the demo shows the real money path.

Idempotent: it gives only when no donation exists yet, and only to published demo cases.
"""

from __future__ import annotations

import secrets

from sqlalchemy import func, select

from jood.cases.models import Case, CaseStatus
from jood.donations import services
from jood.donations.models import Donation
from jood.extensions import db
from jood.payments import services as payments
from jood.payments.states import PaymentEvent

NAMES = ("أم عبدالله", "", "محسن من جدة", "")


def _give(lines, *, name: str = "", zakat: bool = False) -> Donation:
    donor = services.Donor(display_name=name, anonymous=not name)
    donation = services.create_donation(lines, donor, zakat=zakat, gateway="sandbox")
    donation.payment.session_id = "sbx_demo_" + secrets.token_urlsafe(12)
    payments.apply(donation.payment, PaymentEvent.SUCCEED, reason="demo data")
    return donation


def seed() -> dict[str, int]:
    if db.session.scalar(select(func.count()).select_from(Donation)):
        return {"demo_donations": 0}
    cases = list(db.session.scalars(select(Case).where(Case.status == CaseStatus.PUBLISHED.value)
                                    .order_by(Case.id).limit(4)))
    if not cases:
        return {"demo_donations": 0}
    made = 0
    # The first case is funded fully, the next ones partly (by several donors), and one gift goes to the pool.
    for index, case in enumerate(cases):
        share = (100, 45, 20, 10)[index]
        goal = case.remaining_amount * share // 100
        for part, name in zip((goal // 2, goal - goal // 2), NAMES[index:] + NAMES[:index], strict=False):
            if part >= services.MIN_AMOUNT and case.accepts_donations:
                _give([services.LineRequest(min(part, case.remaining_amount), case=case)], name=name,
                      zakat=case.zakat_eligible and index == 1)
                made += 1
    _give([services.LineRequest(250_00, pool="general")], name="فاعل خير من الرياض")
    db.session.flush()
    return {"demo_donations": made + 1}
