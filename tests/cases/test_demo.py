from sqlalchemy import func, select

from jood.cases.models import Case, CaseVisit, EligibilityResult, RegistryCheck
from jood.extensions import db
from jood.regions import REGIONS
from jood.text import find_private_data


def test_demo_cases_cover_regions_tracks_and_statuses_and_are_idempotent(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    cases = db.session.scalars(select(Case)).all()
    assert 55 <= len(cases) <= 65
    assert {case.region for case in cases} == set(REGIONS)
    assert {case.track for case in cases} == {"rent", "ownership"}
    assert {case.status for case in cases} >= {"draft", "submitted", "under_review", "returned", "rejected",
                                                "published", "suspended", "cancelled"}
    # The donations demo funds some cases through the real services: every counter must equal the ledger.
    from jood.ledger.services import verify

    assert verify() == []
    published = [case for case in cases if case.status == "published"]
    assert all(case.field_verified_at and case.electronic_verified_at and case.eligible for case in published)
    for case in published:
        names = [case.applicant.full_name, *(member.full_name for member in case.members)]
        assert find_private_data(case.public_summary, names) == []
    assert db.session.scalar(select(func.count()).select_from(CaseVisit)) >= 50
    assert db.session.scalar(select(func.count()).select_from(RegistryCheck)) >= 3 * len(published)
    assert db.session.scalar(select(func.count()).select_from(EligibilityResult)) >= 7 * len(published)
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "cases_created=0" in result.output
    assert db.session.scalar(select(func.count()).select_from(Case)) == len(cases)
