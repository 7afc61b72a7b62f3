"""The public case page shows a paid case's outcome (catalog.has_outcome lets the outcome section run) within the
page's statement budget."""

from __future__ import annotations

from jood.extensions import db
from tests.disbursements.test_disbursements import _approved


def test_a_paid_case_shows_its_outcome_on_its_page_within_six_statements(client, funded, make_user, count_queries):
    case, _ = _approved(funded, make_user)
    code = case.code
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.get(f"/cases/{code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'data-testid="case-outcome"' in html and "استلمت الأسرة مفاتيح المسكن" in html
    assert len(statements) <= 6, _show(statements)


def _show(statements):
    return [s.split("FROM")[1].split()[0] if "FROM" in s else s[:40] for s in statements]
