"""The demo tells a coherent story: no case published before its field visit, titles written, visitors counted."""

from sqlalchemy import func, select

from jood.cases.models import Case
from jood.extensions import db
from jood.transparency.models import VisitorDay


def test_demo_cases_are_coherent_and_titled(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    published = list(db.session.scalars(select(Case).where(Case.published_at.is_not(None))))
    assert published
    for case in published:
        assert case.field_verified_at <= case.electronic_verified_at <= case.published_at, case.code
        assert case.public_title and case.public_title_en, case.code
        assert "أفراد" in case.public_summary or "فرد" in case.public_summary
    assert db.session.scalar(select(func.count()).select_from(VisitorDay)) >= 30
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(VisitorDay)) == 60  # idempotent
