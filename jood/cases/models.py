"""Cases: the public face of a family's housing need.

The `cases` table holds only what may be shown publicly (plus the numbers the ranking needs); the applicant's
private file lives in its own tables, readable only by the case's charity and platform staff.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, utcnow
from jood.extensions import db


class Track(StrEnum):
    RENT = "rent"  # دعم الإيجار
    OWNERSHIP = "ownership"  # تمليك


class CaseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    REJECTED = "rejected"
    PUBLISHED = "published"
    FUNDED = "funded"
    DISBURSED = "disbursed"
    CLOSED = "closed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


# Statuses in which a case is shown in the public catalog and on its public page.
PUBLIC_STATUSES = frozenset({CaseStatus.PUBLISHED, CaseStatus.FUNDED, CaseStatus.DISBURSED, CaseStatus.CLOSED})


def _in(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"track IN ({_in(Track)})", name="track_known"),
        CheckConstraint(f"status IN ({_in(CaseStatus)})", name="status_known"),
        CheckConstraint("target_amount > 0", name="target_positive"),
        # No over-funding, ever: the database itself refuses a raised amount beyond the target.
        CheckConstraint("raised_amount >= 0 AND raised_amount <= target_amount", name="raised_within_target"),
        CheckConstraint("disbursed_amount >= 0 AND disbursed_amount <= raised_amount", name="disbursed_within_raised"),
        CheckConstraint("donor_count >= 0", name="donor_count_positive"),
        CheckConstraint("family_size >= 1", name="family_size_positive"),
        Index("ix_cases_catalog", "status", "priority_total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # e.g. JE-1448-00042, public
    charity_id: Mapped[int] = mapped_column(ForeignKey("charities.id"), index=True)
    track: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.DRAFT.value)
    region: Mapped[str] = mapped_column(String(30), index=True)
    city: Mapped[str] = mapped_column(String(80))
    family_size: Mapped[int]
    public_summary: Mapped[str] = mapped_column(Text, default="")  # written by the charity, checked for PII

    # Money, in integer halalas. raised/disbursed are denormalised counters kept equal to the ledger,
    # updated in the same transaction as the ledger entries that move them.
    target_amount: Mapped[int]
    raised_amount: Mapped[int] = mapped_column(default=0)
    disbursed_amount: Mapped[int] = mapped_column(default=0)
    donor_count: Mapped[int] = mapped_column(default=0)
    zakat_eligible: Mapped[bool] = mapped_column(default=True)

    # Priority under a versioned policy, and the tie-break inputs (larger family, lower income, older applicant).
    priority_policy: Mapped[str] = mapped_column(String(40), default="moh-points-v1")
    priority_total: Mapped[int] = mapped_column(default=0)
    priority_breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    need_level: Mapped[str] = mapped_column(String(20), default="medium")
    monthly_income: Mapped[int] = mapped_column(default=0)  # SAR, whole riyals (as the points tables use)
    applicant_age: Mapped[int] = mapped_column(default=0)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    situation_updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    funded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disbursed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    charity = relationship("Charity")

    @property
    def remaining_amount(self) -> int:
        """The one place the amount still needed is computed: cards, case page, basket and checkout all read it."""
        return max(self.target_amount - self.raised_amount, 0)

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def accepts_donations(self) -> bool:
        return self.status == CaseStatus.PUBLISHED and self.remaining_amount > 0

    def __repr__(self) -> str:
        return f"<Case {self.code} {self.status}>"
