from sqlalchemy import func, select

from jood.demo import seed_demo
from jood.extensions import db
from jood.support.models import CommitteeMember, SupportRequest


def test_demo_seed_is_idempotent_and_realistic():
    first = seed_demo()
    db.session.commit()
    count = db.session.scalar(select(func.count()).select_from(SupportRequest))
    assert first["support_requests"] == count >= 25
    kinds = set(db.session.scalars(select(SupportRequest.kind)))
    assert kinds == {"inquiry", "complaint", "suggestion", "grievance"}
    assert db.session.scalar(select(func.count()).select_from(CommitteeMember)) >= 3
    assert db.session.scalar(select(func.count()).select_from(SupportRequest).where(
        SupportRequest.decision.is_not(None))) >= 2
    assert seed_demo()["support_requests"] == 0
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SupportRequest)) == count
