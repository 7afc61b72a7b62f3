"""Disbursements: a funded case's money paid out against evidence, approved by a second person; outcomes and
follow-ups; rent renewals linking a new case to the one before it.

The landlord's or seller's details are private (charity staff and platform finance only). What is public is the
case's short outcome text and its follow-ups (still housed: yes or no).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, sql_list, utcnow
from jood.disbursements.states import DisbursementStatus
from jood.extensions import db


class Disbursement(db.Model):
    __tablename__ = "disbursements"
    __table_args__ = (
        CheckConstraint(f"status IN ({sql_list(DisbursementStatus)})", name="status_known"),
        CheckConstraint("kind IN ('rent', 'ownership')", name="kind_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("zakat_amount >= 0 AND other_amount >= 0 AND surplus_amount >= 0", name="splits_positive"),
        Index("ix_disbursements_status_requested", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    charity_id: Mapped[int] = mapped_column(ForeignKey("charities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # the case's track
    status: Mapped[str] = mapped_column(String(20), default=DisbursementStatus.REQUESTED.value)
    amount: Mapped[int]  # halalas: the rent or price to pay, never more than the case holds

    # Private: who is paid and under which contract.
    payee_name: Mapped[str] = mapped_column(String(200))  # landlord or seller
    payee_phone: Mapped[str] = mapped_column(String(30), default="")
    contract_reference: Mapped[str] = mapped_column(String(80), default="")  # lease or purchase contract number
    period_start: Mapped[date | None] = mapped_column(Date)  # lease period (rent)
    period_end: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    # Public once approved.
    outcome_text: Mapped[str] = mapped_column(String(200))

    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_reason: Mapped[str | None] = mapped_column(Text)

    # How the approved payment came out of the case's accounts (halalas).
    zakat_amount: Mapped[int] = mapped_column(default=0)
    other_amount: Mapped[int] = mapped_column(default=0)
    surplus_amount: Mapped[int] = mapped_column(default=0)  # what the case held beyond the payment, to the pool

    case = relationship("Case")
    charity = relationship("Charity")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    documents: Mapped[list[DisbursementDocument]] = relationship(
        back_populates="disbursement", order_by="DisbursementDocument.id", lazy="selectin"
    )

    @property
    def is_open(self) -> bool:
        return self.status in (DisbursementStatus.REQUESTED, DisbursementStatus.RETURNED)


class DisbursementDocument(db.Model):
    """Evidence (lease, purchase contract, invoice): PDF, JPEG or PNG under UPLOAD_FOLDER, served after a check."""

    __tablename__ = "disbursement_documents"
    __table_args__ = (CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disbursement_id: Mapped[int] = mapped_column(ForeignKey("disbursements.id"), index=True)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    disbursement: Mapped[Disbursement] = relationship(back_populates="documents")


class FollowUp(db.Model):
    """Six and twelve months after the payment, the charity says whether the family is still housed there."""

    __tablename__ = "disbursement_follow_ups"
    __table_args__ = (
        CheckConstraint("months IN (6, 12)", name="months_known"),
        UniqueConstraint("case_id", "months", name="uq_disbursement_follow_ups_case_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    months: Mapped[int]
    housed: Mapped[bool]
    note: Mapped[str] = mapped_column(String(300), default="")  # public: checked for private data
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CaseRenewal(db.Model):
    """A rent case renewed for the next year: the new case (a draft) and the closed case it continues."""

    __tablename__ = "case_renewals"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)  # the new case
    previous_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", foreign_keys=[case_id])
    previous_case = relationship("Case", foreign_keys=[previous_case_id])
