import pytest
from sqlalchemy import select

from jood.audit.models import AuditEntry
from jood.cases.models import CaseStatus as S
from jood.cases.workflow import ALLOWED, TransitionError, can_transition, transition
from jood.extensions import db

TABLE = [
    (S.DRAFT, S.SUBMITTED, True),
    (S.DRAFT, S.PUBLISHED, False),
    (S.SUBMITTED, S.UNDER_REVIEW, True),
    (S.UNDER_REVIEW, S.PUBLISHED, True),
    (S.UNDER_REVIEW, S.RETURNED, True),
    (S.UNDER_REVIEW, S.REJECTED, True),
    (S.RETURNED, S.SUBMITTED, True),
    (S.PUBLISHED, S.FUNDED, True),
    (S.PUBLISHED, S.DISBURSED, False),
    (S.FUNDED, S.DISBURSED, True),
    (S.DISBURSED, S.CLOSED, True),
    (S.CLOSED, S.PUBLISHED, False),
    (S.REJECTED, S.SUBMITTED, False),
    (S.PUBLISHED, S.SUSPENDED, True),
    (S.SUSPENDED, S.PUBLISHED, True),
    (S.PUBLISHED, S.CANCELLED, True),
    (S.CANCELLED, S.PUBLISHED, False),
]


@pytest.mark.parametrize(("from_status", "to_status", "allowed"), TABLE)
def test_transition_table(from_status, to_status, allowed):
    assert can_transition(from_status, to_status) is allowed


def test_every_status_has_a_row():
    assert set(ALLOWED) == set(S)


def test_transition_stamps_and_audits(make_case, make_user):
    case = make_case(status=S.UNDER_REVIEW, published_at=None)
    reviewer = make_user()
    transition(case, S.PUBLISHED, actor=reviewer)
    db.session.commit()
    assert case.status == "published" and case.published_at is not None
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.actor_id, entry.object_id, entry.from_state, entry.to_state) == (
        reviewer.id, case.code, "under_review", "published")


def test_forbidden_move_and_missing_reason_change_nothing(make_case):
    case = make_case(status=S.PUBLISHED)
    with pytest.raises(TransitionError) as error:
        transition(case, S.CLOSED)
    assert error.value.code == "not_allowed"
    with pytest.raises(TransitionError) as error:
        transition(case, S.CANCELLED, reason="  ")
    assert error.value.code == "reason_required"
    assert case.status == "published"
    assert db.session.scalar(select(AuditEntry)) is None


def test_a_move_refreshes_the_cached_pages_of_the_case_and_the_catalog(make_case):
    from jood.cache import PENDING_TAGS

    case = make_case(status=S.PUBLISHED)
    transition(case, S.CANCELLED, reason="الأسرة انتقلت")
    assert {f"case:{case.code}", "catalog"} <= db.session.info[PENDING_TAGS]
