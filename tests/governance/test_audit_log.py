"""The audit log: search by actor, object, action and dates; pagination; CSV export with the same filters."""

import csv
import io
from datetime import UTC, datetime

from jood.audit.models import AuditEntry
from jood.audit.services import record
from jood.auth.roles import Role
from jood.extensions import db


def _entries(make_user):
    reviewer = make_user(Role.REVIEWER, email="sara.reviewer@example.org")
    finance = make_user(Role.FINANCE, email="fahd.finance@example.org")
    rows = [
        ("case.transition", "case", "JE-1448-00001", reviewer, datetime(2026, 7, 1, 10, tzinfo=UTC), "returned"),
        ("case.transition", "case", "JE-1448-00002", reviewer, datetime(2026, 7, 5, 10, tzinfo=UTC), "published"),
        ("refund.approved", "donation", "D-77", finance, datetime(2026, 7, 9, 10, tzinfo=UTC), None),
        # 22:30 UTC on 9 July is already 10 July in Riyadh.
        ("support.filed", "support_request", "JS-1448-000001", None, datetime(2026, 7, 9, 22, 30, tzinfo=UTC),
         "new"),
    ]
    for action, obj_type, obj_id, actor, at, to_state in rows:  # entries of the past: written with their time
        db.session.add(AuditEntry(action=action, object_type=obj_type, object_id=obj_id, created_at=at,
                                  actor_id=getattr(actor, "id", None), to_state=to_state,
                                  reason='=HYPERLINK("http://x")'))
    db.session.commit()


def _ids(page: str) -> list[str]:
    return [token for token in ("JE-1448-00001", "JE-1448-00002", "D-77", "JS-1448-000001") if token in page]


def test_search_by_actor_object_action_and_riyadh_dates(client, login_as, make_user):
    _entries(make_user)
    login_as(Role.AUDITOR)

    def search(query):
        return _ids(client.get(f"/governance/audit?{query}").get_data(as_text=True))

    assert search("") == ["JE-1448-00001", "JE-1448-00002", "D-77", "JS-1448-000001"]
    assert search("actor=SARA") == ["JE-1448-00001", "JE-1448-00002"]
    assert search("object_type=case&object_id=JE-1448-00002") == ["JE-1448-00002"]
    assert search("action=case.") == ["JE-1448-00001", "JE-1448-00002"]
    assert search("action=%25") == []  # a wildcard is a literal character, not "everything"
    assert search("date_from=2026-07-05&date_to=2026-07-09") == ["JE-1448-00002", "D-77"]
    assert search("date_from=2026-07-10") == ["JS-1448-000001"]


def test_a_reversed_date_range_shows_an_error_and_no_rows(client, login_as, make_user):
    _entries(make_user)
    login_as(Role.AUDITOR)
    page = client.get("/governance/audit?date_from=2026-07-09&date_to=2026-07-01").get_data(as_text=True)
    assert "تاريخ النهاية يسبق تاريخ البداية" in page and _ids(page) == []


def test_pagination(client, login_as):
    for n in range(120):
        record("test.bulk", "thing", f"T-{n:04d}")
    db.session.commit()
    login_as(Role.AUDITOR)
    first = client.get("/governance/audit?action=test.").get_data(as_text=True)
    assert first.count("T-0") == 50 and 'data-testid="next-page"' in first
    third = client.get("/governance/audit?action=test.&page=3").get_data(as_text=True)
    assert third.count("T-0") == 20 and "T-0000" in third  # newest first: the oldest are last


def test_csv_export_uses_the_same_filters_and_defuses_formulas(client, login_as, make_user):
    _entries(make_user)
    login_as(Role.FINANCE)
    page = client.get("/governance/audit?actor=sara").get_data(as_text=True)
    assert "/governance/audit.csv?actor=sara" in page
    response = client.get("/governance/audit.csv?actor=sara")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["id", "created_at_utc", "actor_email", "action"]
    assert [row[5] for row in rows[1:]] == ["JE-1448-00002", "JE-1448-00001"]
    assert {row[2] for row in rows[1:]} == {"sara.reviewer@example.org"}
    assert all(row[8].startswith("'=") for row in rows[1:])  # never a live formula in a spreadsheet
    everything = client.get("/governance/audit.csv").get_data(as_text=True)
    assert everything.count("\n") == 1 + db.session.query(AuditEntry).count()
