from sqlalchemy import func, select

from jood.cases.models import Case
from jood.disbursements.models import Disbursement
from jood.extensions import db
from jood.ledger.services import verify


def test_demo_data_closes_the_loop_through_the_real_services(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    closed = db.session.scalars(select(Case).where(Case.status == "closed")).all()
    assert len(closed) >= 3
    assert all(case.disbursed_amount > 0 for case in closed)
    approved = db.session.scalars(select(Disbursement)).all()
    assert all(d.status == "approved" and d.documents and d.decided_by_id != d.requested_by_id for d in approved)
    assert verify() == []
    again = runner.invoke(args=["seed-demo"])
    assert "demo_disbursements=0" in again.output
    assert db.session.scalar(select(func.count()).select_from(Disbursement)) == len(approved)
