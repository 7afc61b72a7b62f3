"""Support requests (inquiries, complaints, suggestions, grievances), replies, and the grievance committee."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, sql_list, utcnow
from jood.extensions import db
from jood.support.rules import Decision, Kind, Status


class SupportRequest(db.Model):
    __tablename__ = "support_requests"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_list(Kind)})", name="kind_known"),
        CheckConstraint(f"status IN ({sql_list(Status)})", name="status_known"),
        CheckConstraint(f"decision IS NULL OR decision IN ({sql_list(Decision)})", name="decision_known"),
        CheckConstraint("email IS NOT NULL OR mobile IS NOT NULL", name="has_contact"),
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        # A grievance says which decision it contests and when the person was told of it; nothing else may.
        CheckConstraint(
            "(kind = 'grievance') = (contested_decision IS NOT NULL AND notified_on IS NOT NULL)",
            name="grievance_fields",
        ),
        CheckConstraint("decision IS NULL OR kind = 'grievance'", name="decision_only_grievance"),
        Index("ix_support_requests_queue", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set right after the first flush from the id (JS-<Hijri year>-<id>), so it is unique without a race.
    tracking_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=Status.NEW.value)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5), default="ar")
    case_code: Mapped[str | None] = mapped_column(String(20))
    donation_reference: Mapped[str | None] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    contested_decision: Mapped[str | None] = mapped_column(Text)
    notified_on: Mapped[date | None] = mapped_column(Date)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    rating: Mapped[int | None] = mapped_column()
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    decision: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignee = relationship("User")
    replies = relationship("SupportReply", back_populates="request", order_by="SupportReply.created_at")
    votes = relationship("CommitteeVote", back_populates="request", order_by="CommitteeVote.created_at")

    @property
    def is_grievance(self) -> bool:
        return self.kind == Kind.GRIEVANCE

    @property
    def is_resolved(self) -> bool:
        return self.status == Status.RESOLVED

    @property
    def can_be_rated(self) -> bool:
        return self.is_resolved and self.rating is None

    def __repr__(self) -> str:
        return f"<SupportRequest {self.tracking_number} {self.kind} {self.status}>"


class SupportReply(db.Model):
    """A reply from staff; every reply is shown to the requester on the status page and e-mailed."""

    __tablename__ = "support_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request = relationship("SupportRequest", back_populates="replies")
    author = relationship("User")


class CommitteeMember(db.Model):
    """The standing grievance committee: platform staff users (seed 003: at least three members)."""

    __tablename__ = "committee_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User")


class CommitteeVote(db.Model):
    __tablename__ = "committee_votes"
    __table_args__ = (
        UniqueConstraint("request_id", "member_id", name="uq_committee_votes_request_member"),
        CheckConstraint(f"vote IN ({sql_list(Decision)})", name="vote_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("support_requests.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    vote: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request = relationship("SupportRequest", back_populates="votes")
    member = relationship("User")
