"""The staff side: queue, assignment, replies, resolution, deadlines, and the grievance committee."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from jood.audit.models import AuditEntry
from jood.auth.roles import Role
from jood.core.db import utcnow
from jood.extensions import db
from jood.support import services
from jood.support.models import SupportRequest
from tests.conftest import counting_queries, post_form
from tests.support.conftest import mails_to


def _actions(item):
    return [entry.action for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_id == item.tracking_number).order_by(AuditEntry.id))]


@pytest.mark.parametrize(("role", "status"), [(None, 302), (Role.DONOR, 403), (Role.FINANCE, 403),
                                              (Role.CHARITY_MANAGER, 403), (Role.REVIEWER, 200), (Role.ADMIN, 200)])
def test_only_reviewers_and_admins_work_the_queue(client, login_as, role, status):
    if role:
        login_as(role)
    assert client.get("/support/queue").status_code == status


def test_queue_shows_days_left_and_flags_overdue(client, login_as, file_request):
    login_as(Role.REVIEWER)
    fresh = file_request(kind="inquiry")
    late = file_request(kind="complaint", now=utcnow() - timedelta(days=20))  # 15-day deadline, 5 days ago
    page = client.get("/support/queue").get_data(as_text=True)
    assert fresh.tracking_number in page and late.tracking_number in page
    assert "متأخر 5 أيام" in page
    assert "support-row--overdue" in page
    overdue_only = client.get("/support/queue?overdue=1").get_data(as_text=True)
    assert late.tracking_number in overdue_only and fresh.tracking_number not in overdue_only
    detail = client.get(f"/support/queue/{late.tracking_number}").get_data(as_text=True)
    assert 'data-testid="overdue"' in detail


def test_assign_reply_resolve_with_audit_and_mail(app, client, login_as, make_user, file_request):
    reviewer = login_as(Role.REVIEWER)
    colleague = make_user(Role.REVIEWER)
    item = file_request(email="reply-me@example.org")
    base = f"/support/queue/{item.tracking_number}"

    post_form(client, f"{base}/assign", {"assignee": colleague.id})
    db.session.expire_all()
    assert item.assignee_id == colleague.id and item.status == "in_progress"

    assert post_form(client, f"{base}/reply", {"body": ""}).status_code == 302
    db.session.expire_all()
    assert item.replies == []  # an empty reply changes nothing

    post_form(client, f"{base}/reply", {"body": "أعدنا إرسال الإيصال إلى بريدك."})
    db.session.expire_all()
    assert item.status == "answered" and item.first_response_at is not None
    assert [reply.author_id for reply in item.replies] == [reviewer.id]
    mails = mails_to(app, "reply-me@example.org")
    assert len(mails) == 1 and "أعدنا إرسال الإيصال" in mails[0].get_content()

    post_form(client, f"{base}/resolve", {})
    db.session.expire_all()
    assert item.status == "resolved" and item.resolved_at is not None
    assert _actions(item) == ["support.filed", "support.assigned", "support.replied", "support.resolved"]


def test_only_queue_staff_can_be_assigned(client, login_as, make_user, file_request):
    login_as(Role.REVIEWER)
    donor = make_user(Role.DONOR)
    item = file_request()
    post_form(client, f"/support/queue/{item.tracking_number}/assign", {"assignee": donor.id})
    db.session.expire_all()
    assert item.assignee_id is None and item.status == "new"


def test_a_donor_cannot_reply(client, login_as, file_request):
    login_as(Role.DONOR)
    item = file_request()
    assert post_form(client, f"/support/queue/{item.tracking_number}/reply", {"body": "x"}).status_code == 403
    assert db.session.get(SupportRequest, item.id).replies == []


def test_committee_needs_three_members_three_votes_and_a_majority(make_user, committee, file_request):
    reviewer = make_user(Role.REVIEWER)
    item = file_request(kind="grievance")
    first, second, third = committee

    services.vote(item, first, "upheld")
    services.vote(item, second, "dismissed")
    assert services.decision_blocker(item) == "no_quorum"
    with pytest.raises(services.SupportError):
        services.decide(item, actor=reviewer)
    services.vote(item, third, "more_study")
    assert services.decision_blocker(item) == "no_majority"
    services.vote(item, third, "upheld", "المستند المرفق يثبت انتهاء المكافأة")  # a member may change the vote
    assert services.decision_blocker(item) is None
    assert services.decide(item, actor=reviewer) == "upheld"
    db.session.commit()
    assert item.decision == "upheld" and item.status == "resolved" and item.decided_at is not None
    with pytest.raises(services.SupportError, match="already_decided"):
        services.vote(item, first, "dismissed")
    assert "committee.decided" in _actions(item)


def test_a_committee_of_two_cannot_decide(make_user, file_request):
    admin = make_user(Role.ADMIN)
    members = [make_user(Role.REVIEWER), make_user(Role.FINANCE)]
    for member in members:
        services.add_member(member, actor=admin)
    item = file_request(kind="grievance")
    for member in members:
        services.vote(item, member, "dismissed")
    assert services.decision_blocker(item) == "committee_too_small"


def test_only_members_vote_and_only_on_grievances(make_user, committee, file_request):
    outsider = make_user(Role.REVIEWER)
    grievance, complaint = file_request(kind="grievance"), file_request(kind="complaint")
    with pytest.raises(services.SupportError, match="not_member"):
        services.vote(grievance, outsider, "upheld")
    with pytest.raises(services.SupportError, match="not_grievance"):
        services.vote(complaint, committee[0], "upheld")
    with pytest.raises(services.SupportError, match="member_not_staff"):
        services.add_member(make_user(Role.DONOR), actor=outsider)


def test_more_study_keeps_the_grievance_open_and_it_cannot_be_resolved_by_hand(make_user, committee, file_request):
    reviewer = make_user(Role.REVIEWER)
    item = file_request(kind="grievance")
    for member in committee:
        services.vote(item, member, "more_study")
    assert services.decide(item, actor=reviewer) == "more_study"
    assert item.status == "in_progress" and item.resolved_at is None
    with pytest.raises(services.SupportError, match="grievance_needs_decision"):
        services.resolve(item, actor=reviewer)
    for member in committee[:2]:
        services.vote(item, member, "dismissed")
    assert services.decide(item, actor=reviewer) == "dismissed" and item.status == "resolved"


def test_committee_flow_over_http_and_the_requester_sees_the_decision(app, client, login_as, committee,
                                                                       file_request):
    item = file_request(kind="grievance", email="griever@example.org")
    for member, vote in zip(committee[:2], ["dismissed", "dismissed"], strict=True):
        services.vote(item, member, vote)
    db.session.commit()
    login_as(Role.REVIEWER)
    url = f"/support/queue/{item.tracking_number}"
    assert 'data-testid="decision-blocker"' in client.get(url).get_data(as_text=True)
    post_form(client, f"{url}/decide", {})
    db.session.expire_all()
    assert item.decision is None  # refused: only two votes

    services.vote(item, committee[2], "upheld")
    db.session.commit()
    post_form(client, f"{url}/decide", {})
    db.session.expire_all()
    assert item.decision == "dismissed" and item.status == "resolved"
    assert "رُفض التظلّم" in mails_to(app, "griever@example.org")[-1].get_content()

    requester = app.test_client()
    post_form(requester, "/support/status", {"tracking": item.tracking_number, "contact": "griever@example.org"},
              token_page="/support/status")
    page = requester.get(f"/support/requests/{item.tracking_number}").get_data(as_text=True)
    assert "رُفض التظلّم" in page


def test_committee_members_vote_over_http_and_only_admins_change_membership(client, login_as, committee,
                                                                            make_user, file_request):
    from tests.conftest import login

    item = file_request(kind="grievance")
    login(client, committee[1])  # a finance officer on the committee
    post_form(client, f"/support/queue/{item.tracking_number}/vote", {"vote": "upheld", "note": "مسوّغ"})
    db.session.expire_all()
    assert [(vote.member_id, vote.vote) for vote in item.votes] == [(committee[1].id, "upheld")]
    newcomer = make_user(Role.AUDITOR)
    assert post_form(client, "/support/committee/members", {"user": newcomer.id}).status_code == 403
    assert len(services.committee()) == 3


def test_the_queue_costs_the_same_queries_for_few_or_many_requests(app, client, login_as, make_user, file_request):

    login_as(Role.REVIEWER)
    assignees = [make_user(Role.REVIEWER) for _ in range(3)]

    def queries_for_queue():
        with counting_queries() as statements:
            assert client.get("/support/queue").status_code == 200
        return len(statements)

    for n in range(3):
        services.assign(file_request(), assignees[n % 3], actor=assignees[0])
    db.session.commit()
    few = queries_for_queue()
    for n in range(8):  # more requests, each with a different assignee: still no query per row
        services.assign(file_request(kind="grievance" if n % 2 else "inquiry"), make_user(Role.REVIEWER),
                        actor=assignees[0])
    db.session.commit()
    assert queries_for_queue() == few


def test_cli_lists_overdue_requests(app, file_request):
    late = file_request(kind="inquiry", now=utcnow() - timedelta(days=9))
    file_request(kind="inquiry")
    result = app.test_cli_runner().invoke(args=["support", "overdue"])
    assert result.exit_code == 1 and late.tracking_number in result.output and "1 overdue" in result.output
