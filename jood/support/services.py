"""Support writes and reads. Every write flushes and records an audit entry; the calling view commits once."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jood.audit.services import record
from jood.auth.models import User
from jood.auth.roles import COMMITTEE_ROLES, Role
from jood.core.db import utcnow
from jood.core.errors import DomainError
from jood.extensions import db
from jood.mail import send_mail
from jood.support import rules
from jood.support.labels import LABELS
from jood.support.models import CommitteeMember, CommitteeVote, SupportReply, SupportRequest
from jood.support.periods import ReportMonth, riyadh_today
from jood.support.rules import Decision, Kind, Status
from jood.support.states import SupportEvent, next_state

OBJECT = "support_request"
# Roles that work the support queue (admins pass every tier anyway).
QUEUE_ROLES = (Role.REVIEWER, Role.ADMIN)


class SupportError(DomainError):
    """A refused operation; `code` picks the translated message shown to the user."""


def deadlines() -> dict[str, int]:
    """Response deadlines in days per kind: the defaults in rules.py, overridable by SUPPORT_DEADLINE_DAYS."""
    return {**rules.RESPONSE_DEADLINE_DAYS, **current_app.config.get("SUPPORT_DEADLINE_DAYS", {})}


# --- The public side -------------------------------------------------------------------------------------------


def file_request(
    *,
    kind: str,
    name: str,
    message: str,
    email: str | None = None,
    mobile: str | None = None,
    case_code: str | None = None,
    donation_reference: str | None = None,
    contested_decision: str | None = None,
    notified_on: date | None = None,
    language: str = "ar",
    now: datetime | None = None,
) -> SupportRequest:
    now = now or utcnow()
    kind = Kind(kind)
    if not (email or mobile):
        raise SupportError("no_contact")
    if kind == Kind.GRIEVANCE:
        if not (contested_decision and notified_on):
            raise SupportError("grievance_fields")
        problem = rules.grievance_window_error(notified_on, riyadh_today(now))
        if problem:
            raise SupportError(f"grievance_{problem}")
    else:
        contested_decision = notified_on = None
    request = SupportRequest(
        kind=kind.value,
        status=Status.NEW.value,
        name=name.strip(),
        email=rules.normalise_email(email) or None,
        mobile=rules.normalise_mobile(mobile) or None,
        language=language,
        case_code=(case_code or "").strip().upper() or None,
        donation_reference=(donation_reference or "").strip() or None,
        message=message.strip(),
        contested_decision=(contested_decision or "").strip() or None,
        notified_on=notified_on,
        created_at=now,
        due_at=rules.due_at(kind, now, deadlines()),
    )
    db.session.add(request)
    db.session.flush()
    request.tracking_number = rules.tracking_number(riyadh_today(now), request.id)
    db.session.flush()
    record("support.filed", OBJECT, request.tracking_number, to_state=Status.NEW.value, reason=kind.value)
    return request


def find_for_requester(tracking: str, contact: str) -> SupportRequest | None:
    """The request only when both the tracking number and its contact match: a guessed number shows nothing."""
    tracking = rules.normalise_tracking(tracking)
    if not rules.TRACKING_RE.match(tracking):
        return None
    request = db.session.scalar(select(SupportRequest).where(SupportRequest.tracking_number == tracking))
    if request is None or not rules.contact_matches(contact, request.email, request.mobile):
        return None
    return request


def by_tracking(tracking: str) -> SupportRequest | None:
    return db.session.scalar(select(SupportRequest).where(SupportRequest.tracking_number == tracking))


def rate(request: SupportRequest, rating: int, *, now: datetime | None = None) -> SupportRequest:
    if not request.is_resolved:
        raise SupportError("not_resolved")
    if request.rating is not None:
        raise SupportError("already_rated")
    if rating not in range(1, 6):
        raise SupportError("bad_rating")
    request.rating = rating
    request.rated_at = now or utcnow()
    db.session.flush()
    record("support.rated", OBJECT, request.tracking_number, reason=str(rating))
    return request


def _mail_requester(request: SupportRequest, template: str, subject, **context) -> None:
    """E-mail the requester in the language they wrote in (requests given only a mobile get no e-mail).

    `subject` is a callable so that its gettext runs inside the requester's locale.
    """
    if not request.email:
        return
    with force_locale(request.language):
        send_mail(request.email, subject(), render_template(template, request=request, **LABELS, **context))


def send_confirmation(request: SupportRequest, status_url: str) -> None:
    _mail_requester(request, "support/mail_filed.txt",
                    lambda: _("Your request %(tracking)s was received", tracking=request.tracking_number),
                    status_url=status_url)


# --- The staff side --------------------------------------------------------------------------------------------


def queue_staff() -> list[User]:
    roles = [role.value for role in QUEUE_ROLES]
    return list(db.session.scalars(select(User).where(User.role.in_(roles), User.active).order_by(User.display_name)))


def queue(*, kind: str | None = None, status: str | None = None, overdue: bool = False,
          mine: User | None = None, now: datetime | None = None):
    """The staff queue as a select, oldest deadline first; open requests unless a status is asked for."""
    now = now or utcnow()
    query = (
        select(SupportRequest)
        .options(selectinload(SupportRequest.assignee), selectinload(SupportRequest.votes))
        .order_by(SupportRequest.due_at, SupportRequest.id)
    )
    if kind in set(Kind):
        query = query.where(SupportRequest.kind == kind)
    if status in set(Status):
        query = query.where(SupportRequest.status == status)
    elif status != "all":
        query = query.where(SupportRequest.status != Status.RESOLVED.value)
    if overdue:
        query = query.where(SupportRequest.status != Status.RESOLVED.value, SupportRequest.due_at < now)
    if mine is not None:
        query = query.where(SupportRequest.assignee_id == mine.id)
    return query


def _apply(request: SupportRequest, event: SupportEvent, actor, action: str, reason: str | None = None) -> None:
    """The one place a request's status changes, by the table (jood/support/states.py), with its audit entry; an
    action that does not move the status is still recorded."""
    before = request.status
    after = next_state(before, event)
    if after == before:
        record(action, OBJECT, request.tracking_number, actor=actor, reason=reason)
        return
    request.status = after.value
    record(action, OBJECT, request.tracking_number, actor=actor, from_state=before, to_state=after.value, reason=reason)


def assign(request: SupportRequest, assignee: User, *, actor: User) -> SupportRequest:
    if assignee.role not in {role.value for role in QUEUE_ROLES} or not assignee.active:
        raise SupportError("bad_assignee")
    request.assignee = assignee
    _apply(request, SupportEvent.ASSIGN, actor, "support.assigned", reason=assignee.email)
    db.session.flush()
    return request


def reply(request: SupportRequest, body: str, *, actor: User, now: datetime | None = None) -> SupportReply:
    body = (body or "").strip()
    if not body:
        raise SupportError("empty_reply")
    now = now or utcnow()
    answer = SupportReply(request=request, author_id=actor.id, body=body, created_at=now)
    db.session.add(answer)
    if request.first_response_at is None:
        request.first_response_at = now
    if request.assignee_id is None:
        request.assignee_id = actor.id
    _apply(request, SupportEvent.REPLY, actor, "support.replied")
    db.session.flush()
    return answer


def send_reply_mail(request: SupportRequest, answer: SupportReply, status_url: str) -> None:
    _mail_requester(request, "support/mail_reply.txt",
                    lambda: _("A reply to your request %(tracking)s", tracking=request.tracking_number),
                    answer=answer, status_url=status_url)


def resolve(request: SupportRequest, *, actor: User, now: datetime | None = None) -> SupportRequest:
    if request.is_resolved:
        raise SupportError("already_resolved")
    if request.is_grievance and request.decision in (None, Decision.MORE_STUDY):
        raise SupportError("grievance_needs_decision")
    now = now or utcnow()
    request.resolved_at = now
    if request.first_response_at is None:
        request.first_response_at = now
    _apply(request, SupportEvent.RESOLVE, actor, "support.resolved")
    db.session.flush()
    return request


# --- The grievance committee -----------------------------------------------------------------------------------


def committee() -> list[CommitteeMember]:
    return list(db.session.scalars(select(CommitteeMember).join(CommitteeMember.user).order_by(User.display_name)))


def is_member(user: User) -> bool:
    return db.session.scalar(select(CommitteeMember.id).where(CommitteeMember.user_id == user.id)) is not None


def eligible_members() -> list[User]:
    """Platform staff who may vote and are not on the committee yet."""
    on_committee = select(CommitteeMember.user_id)
    roles = [role.value for role in COMMITTEE_ROLES]
    return list(db.session.scalars(
        select(User).where(User.role.in_(roles), User.active, User.id.not_in(on_committee)).order_by(User.display_name)
    ))


def add_member(user: User, *, actor: User) -> CommitteeMember:
    if user.role not in {role.value for role in COMMITTEE_ROLES} or not user.active:
        raise SupportError("member_not_staff")
    if is_member(user):
        raise SupportError("already_member")
    member = CommitteeMember(user=user)
    db.session.add(member)
    db.session.flush()
    record("committee.member_added", "committee_member", user.id, actor=actor, reason=user.email)
    return member


def remove_member(member: CommitteeMember, *, actor: User) -> None:
    record("committee.member_removed", "committee_member", member.user_id, actor=actor, reason=member.user.email)
    db.session.delete(member)
    db.session.flush()


def current_votes(request: SupportRequest) -> list[CommitteeVote]:
    """Votes of members still on the committee (a member who left no longer counts)."""
    members = {member.user_id for member in committee()}
    return [vote for vote in request.votes if vote.member_id in members]


def vote(request: SupportRequest, member: User, choice: str, note: str | None = None, *,
         now: datetime | None = None) -> CommitteeVote:
    if not request.is_grievance:
        raise SupportError("not_grievance")
    if not is_member(member) or member.role not in {role.value for role in COMMITTEE_ROLES}:
        raise SupportError("not_member")
    if request.decision in (Decision.UPHELD, Decision.DISMISSED):
        raise SupportError("already_decided")
    choice = Decision(choice)
    existing = next((item for item in request.votes if item.member_id == member.id), None)
    if existing is None:
        existing = CommitteeVote(request=request, member_id=member.id, vote=choice.value, created_at=now or utcnow())
        db.session.add(existing)
    existing.vote = choice.value
    existing.note = (note or "").strip() or None
    db.session.flush()
    record("committee.voted", OBJECT, request.tracking_number, actor=member, to_state=choice.value)
    return existing


def decision_blocker(request: SupportRequest) -> str | None:
    """Why the committee cannot decide yet, or None when the majority of a quorum can be recorded."""
    if not request.is_grievance:
        return "not_grievance"
    if request.decision in (Decision.UPHELD, Decision.DISMISSED):
        return "already_decided"
    if len(committee()) < rules.COMMITTEE_MIN_MEMBERS:
        return "committee_too_small"
    votes = current_votes(request)
    if len(votes) < rules.COMMITTEE_QUORUM:
        return "no_quorum"
    if rules.majority([item.vote for item in votes]) is None:
        return "no_majority"
    return None


def decide(request: SupportRequest, *, actor: User, now: datetime | None = None) -> str:
    """Record the committee's majority decision; upheld or dismissed grievances are then resolved."""
    problem = decision_blocker(request)
    if problem:
        raise SupportError(problem)
    now = now or utcnow()
    votes = current_votes(request)
    outcome = Decision(rules.majority([item.vote for item in votes]))
    before = request.decision
    request.decision = outcome.value
    request.decided_at = now
    if request.first_response_at is None:
        request.first_response_at = now
    tally = ", ".join(f"{item.vote}" for item in votes)
    record("committee.decided", OBJECT, request.tracking_number, actor=actor, from_state=before,
           to_state=outcome.value, reason=tally)
    if outcome != Decision.MORE_STUDY:
        request.resolved_at = now
        _apply(request, SupportEvent.RESOLVE, actor, "support.resolved", reason=outcome.value)
    elif next_state(request.status, SupportEvent.MORE_STUDY) != request.status:
        _apply(request, SupportEvent.MORE_STUDY, actor, "support.more_study")
    db.session.flush()
    return outcome.value


def send_decision_mail(request: SupportRequest, status_url: str) -> None:
    _mail_requester(request, "support/mail_decision.txt",
                    lambda: _("The committee's decision on %(tracking)s", tracking=request.tracking_number),
                    status_url=status_url)


# --- The monthly service report --------------------------------------------------------------------------------


def first_request_day():
    """The Riyadh day of the first request: the service report has no months before it."""
    first = db.session.scalar(select(func.min(SupportRequest.created_at)))
    return riyadh_today(first) if first else None


def monthly_report(month: ReportMonth) -> rules.ServiceReport:
    """Requests filed in the month, with their outcome as of now (one query over the month's rows)."""
    rows = db.session.execute(
        select(
            SupportRequest.kind,
            SupportRequest.created_at,
            SupportRequest.first_response_at,
            SupportRequest.resolved_at,
            SupportRequest.rating,
            SupportRequest.decision,
        ).where(SupportRequest.created_at >= month.start_utc, SupportRequest.created_at < month.end_utc)
    )
    return rules.service_report([rules.RequestFacts(*row) for row in rows])


def open_counts(now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    open_requests = SupportRequest.status != Status.RESOLVED.value
    total = db.session.scalar(select(func.count()).select_from(SupportRequest).where(open_requests))
    overdue = db.session.scalar(
        select(func.count()).select_from(SupportRequest).where(open_requests, SupportRequest.due_at < now)
    )
    return {"open": total or 0, "overdue": overdue or 0}
