"""Demo disbursements through the real services: a few cases funded by demo gifts, paid out with evidence and
approved by a second person, so the case pages, the impact dashboard and the ledger show the whole loop.
Idempotent: it does nothing once any disbursement exists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from jood.auth.models import User
from jood.auth.roles import Role
from jood.cases.models import Case, CaseStatus, Track
from jood.disbursements import services
from jood.disbursements.models import Disbursement
from jood.donations import services as giving
from jood.extensions import db

# The smallest valid PDF: demo evidence only.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OUTCOMES = {Track.RENT.value: "سُدّد إيجار عام 1448هـ للأسرة", Track.OWNERSHIP.value: "استلمت الأسرة مفاتيح المسكن"}
HOW_MANY = 4


def _fund(case: Case) -> None:
    from jood.donations.demo import _give

    while case.accepts_donations:
        part = max(case.target_amount // 3, giving.MIN_AMOUNT)
        if case.remaining_amount - part < giving.MIN_AMOUNT:  # never leave a remainder nobody may give
            part = case.remaining_amount
        _give([giving.LineRequest(part, case=case)], name="" if case.id % 2 else "أبو فهد")
        db.session.flush()


def _staff_of(case: Case) -> User | None:
    return db.session.scalar(select(User).where(User.charity_id == case.charity_id,
                                                User.role.in_([Role.RESEARCHER.value, Role.CHARITY_MANAGER.value]))
                             .order_by(User.id).limit(1))


def seed() -> dict[str, int]:
    if db.session.scalar(select(func.count()).select_from(Disbursement)):
        return {"demo_disbursements": 0}
    checker = db.session.scalar(select(User).where(User.email == "finance@jood.local"))
    if checker is None:
        return {"demo_disbursements": 0}
    candidates = db.session.scalars(
        select(Case).where(Case.status.in_([CaseStatus.PUBLISHED.value, CaseStatus.FUNDED.value]))
        .order_by(Case.target_amount, Case.id).limit(HOW_MANY * 2)
    ).all()
    made = 0
    for case in candidates:
        maker = _staff_of(case)
        if made == HOW_MANY or maker is None:
            continue
        _fund(case)
        if case.status != CaseStatus.FUNDED:
            continue
        details = services.RequestDetails(
            amount=case.raised_amount, payee_name="مالك العقار (بيانات خاصة)", outcome_text=OUTCOMES[case.track],
            contract_reference=f"DEMO-{case.code}", period_start=date(2026, 12, 1), period_end=date(2027, 11, 30),
            files=[("evidence.pdf", DEMO_PDF)],
        )
        disbursement = services.request_disbursement(case, details, actor=maker)
        services.approve(disbursement, actor=checker)
        db.session.flush()
        made += 1
    return {"demo_disbursements": made}
