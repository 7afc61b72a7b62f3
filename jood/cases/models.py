"""Cases: the public face of a family's housing need.

The `cases` table holds only what may be shown publicly (plus the numbers the ranking needs); the applicant's
private file lives in its own tables, readable only by the case's charity and platform staff.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, sql_list, utcnow
from jood.eligibility import APPLICANT_ROLES
from jood.extensions import db
from jood.ledger.core import can_still_take
from jood.priority import HOUSING_TYPES


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


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint(f"track IN ({sql_list(Track)})", name="track_known"),
        CheckConstraint(f"status IN ({sql_list(CaseStatus)})", name="status_known"),
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
    # A short public title ("أسرة من سبعة أفراد في صبيا تحتاج إيجار سنة"), checked like the summary; the code stays
    # as a small reference. English title and summary are optional: without them English pages show the Arabic,
    # marked as Arabic.
    public_title: Mapped[str] = mapped_column(String(120), default="")
    public_title_en: Mapped[str] = mapped_column(String(120), default="")
    public_summary_en: Mapped[str] = mapped_column(Text, default="")

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

    # What the amount needed rests on (public: "annual rent in the lease" or "price quote of the home").
    amount_basis: Mapped[str] = mapped_column(String(20), default="lease")
    # Normalised (jood.text.normalize_arabic) code, city, region and summary: the catalog searches this column.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The two verifications, shown publicly with their dates.
    field_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    electronic_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    eligible: Mapped[bool | None] = mapped_column()
    # The last reasons given when the case was returned, rejected, suspended or cancelled (shown to the charity).
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    charity = relationship("Charity")
    applicant = relationship("CaseApplicant", uselist=False, back_populates="case")
    members = relationship("FamilyMember", back_populates="case", order_by="FamilyMember.id")
    visits = relationship("CaseVisit", back_populates="case", order_by="CaseVisit.visited_on")
    documents = relationship("CaseDocument", back_populates="case", order_by="CaseDocument.id")
    eligibility_results = relationship("EligibilityResult", back_populates="case", order_by="EligibilityResult.id")
    registry_checks = relationship("RegistryCheck", back_populates="case", order_by="RegistryCheck.id")

    @property
    def remaining_amount(self) -> int:
        """What the case still needs (``core.can_still_take``): cards, case page, basket and checkout all read it."""
        return can_still_take(self.target_amount, self.raised_amount)

    def room_for(self, *, zakat: bool = False) -> int:
        """What a gift may still bring this case now: nothing unless it is published (and zakat-eligible for zakat)."""
        if self.status != CaseStatus.PUBLISHED or (zakat and not self.zakat_eligible):
            return 0
        return self.remaining_amount

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def accepts_donations(self) -> bool:
        return self.room_for() > 0

    def __repr__(self) -> str:
        return f"<Case {self.code} {self.status}>"


# --- the private file: readable only by the case's own charity staff and platform reviewers/admins/auditors -------

MEMBER_RELATIONS = ("spouse", "son", "daughter", "other")
MARITAL_STATUSES = ("single", "married", "divorced", "widowed")
AMOUNT_BASES = ("lease", "quote")
DOCUMENT_KINDS = ("national_id", "family_card", "lease", "price_quote", "income_proof", "visit_photo", "other")
VISIT_RECOMMENDATIONS = ("support", "do_not_support")
REGISTRIES = ("social_security", "property_ownership", "housing_support")
REGISTRY_OUTCOMES = ("clear", "found")


class CaseApplicant(db.Model):
    """Who applies for the family, and every fact the eligibility rules and points read. Never shown publicly."""

    __tablename__ = "case_applicants"
    __table_args__ = (
        CheckConstraint(f"applicant_role IN ({sql_list(APPLICANT_ROLES)})", name="role_known"),
        CheckConstraint("monthly_income >= 0 AND assets_value >= 0 AND domestic_workers >= 0", name="amounts_positive"),
        CheckConstraint(f"housing_type IN ({sql_list(HOUSING_TYPES)})", name="housing_type_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # Fernet token of the ten-digit ID, and an HMAC-SHA256 of it that finds the same family across charities.
    national_id_encrypted: Mapped[str] = mapped_column(Text)
    national_id_hash: Mapped[str] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    applicant_role: Mapped[str] = mapped_column(String(30))
    nationality: Mapped[str] = mapped_column(String(2), default="SA")
    birth_date: Mapped[date] = mapped_column(Date)
    divorce_date: Mapped[date | None] = mapped_column(Date)
    monthly_income: Mapped[int] = mapped_column(default=0)  # halalas
    assets_value: Mapped[int] = mapped_column(default=0)  # halalas
    domestic_workers: Mapped[int] = mapped_column(default=0)
    owns_suitable_home: Mapped[bool] = mapped_column(default=False)  # anyone in the family, now
    # The last day someone in the family owned a suitable home, if ever: the policy's window decides if it counts.
    home_owned_until: Mapped[date | None] = mapped_column(Date)
    # The kind of housing the support is for (the executive regulation scores low incomes by it).
    housing_type: Mapped[str] = mapped_column(String(20), default=HOUSING_TYPES[0], server_default=HOUSING_TYPES[0])
    prior_housing_support: Mapped[bool] = mapped_column(default=False)
    resides_in_ksa: Mapped[bool] = mapped_column(default=True)
    incurable_condition: Mapped[bool] = mapped_column(default=False)
    development_centre: Mapped[bool] = mapped_column(default=False)
    prior_land_grant_application: Mapped[bool] = mapped_column(default=False)
    application_completed_on: Mapped[date] = mapped_column(Date)
    # [["2024-01-01", "2024-03-01"], ...]: periods the application was on hold (end = day it resumed).
    suspended_periods: Mapped[list] = mapped_column(JSON, default=list)
    amount_basis_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    case = relationship("Case", back_populates="applicant")


class FamilyMember(db.Model):
    __tablename__ = "family_members"
    __table_args__ = (
        CheckConstraint(f"relation IN ({sql_list(MEMBER_RELATIONS)})", name="relation_known"),
        CheckConstraint(f"marital_status IN ({sql_list(MARITAL_STATUSES)})", name="marital_status_known"),
        CheckConstraint("age >= 0 AND age <= 130", name="age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    full_name: Mapped[str] = mapped_column(String(200))
    age: Mapped[int]
    marital_status: Mapped[str] = mapped_column(String(20), default="single")
    has_condition: Mapped[bool] = mapped_column(default=False)  # incurable disease or disability

    case = relationship("Case", back_populates="members")


class CaseVisit(db.Model):
    """The field verification: a researcher of the case's own charity visited the home."""

    __tablename__ = "case_visits"
    __table_args__ = (
        CheckConstraint(f"recommendation IN ({sql_list(VISIT_RECOMMENDATIONS)})", name="recommendation_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    researcher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="visits")
    researcher = relationship("User")
    photos = relationship("CaseDocument", back_populates="visit")


class CaseDocument(db.Model):
    """A file kept under UPLOAD_FOLDER with a random name; only `cases.document` serves it, after a check."""

    __tablename__ = "case_documents"
    __table_args__ = (
        CheckConstraint(f"kind IN ({sql_list(DOCUMENT_KINDS)})", name="kind_known"),
        CheckConstraint("content_type IN ('application/pdf', 'image/jpeg', 'image/png')", name="type_known"),
        CheckConstraint("size > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("case_visits.id"))
    kind: Mapped[str] = mapped_column(String(20))
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="documents")
    visit = relationship("CaseVisit", back_populates="photos")


class EligibilityResult(db.Model):
    """One rule of the regulation checked on one case, with where the fact came from."""

    __tablename__ = "eligibility_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    rule: Mapped[str] = mapped_column(String(30))
    passed: Mapped[bool]
    source: Mapped[str] = mapped_column(String(200))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="eligibility_results")


class RegistryCheck(db.Model):
    """A registry's answer about the family, through an adapter (today: a reviewer's attestation with evidence)."""

    __tablename__ = "registry_checks"
    __table_args__ = (
        CheckConstraint(f"registry IN ({sql_list(REGISTRIES)})", name="registry_known"),
        CheckConstraint(f"outcome IN ({sql_list(REGISTRY_OUTCOMES)})", name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    registry: Mapped[str] = mapped_column(String(30))
    adapter: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))
    evidence: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("case_documents.id"))
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="registry_checks")
    checked_by = relationship("User")


class CaseCodeCounter(db.Model):
    """One row per Hijri year; incremented with an atomic UPDATE that locks the row until the caller commits."""

    __tablename__ = "case_code_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_value: Mapped[int] = mapped_column(default=0)


class FeaturedCase(db.Model):
    """A case of the day (jood/cases/daily.py): one row per case and Riyadh day it was featured, written by the
    `cases-of-the-day` job. The history is what makes the rotation fair: a case waits until its band had its turn."""

    __tablename__ = "featured_cases"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)  # 0 for the day's first pick: the order of the next turns
