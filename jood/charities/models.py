from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, utcnow
from jood.extensions import db


class CharityStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class Charity(db.Model):
    __tablename__ = "charities"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected', 'suspended')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_ar: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    licence_number: Mapped[str] = mapped_column(String(40), unique=True)
    region: Mapped[str] = mapped_column(String(30), index=True)
    city: Mapped[str] = mapped_column(String(80))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=CharityStatus.PENDING.value, index=True)
    status_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Added by the partner-application workflow (migration 0002): who filed it and the licence they attached,
    # kept under UPLOAD_FOLDER with a random name and served only to platform reviewers and the charity's manager.
    contact_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    licence_document: Mapped[str | None] = mapped_column(String(80))
    licence_document_type: Mapped[str | None] = mapped_column(String(40))

    staff = relationship("User", back_populates="charity")

    @property
    def is_approved(self) -> bool:
        return self.status == CharityStatus.APPROVED

    def name(self, language: str) -> str:
        return self.name_ar if language == "ar" else self.name_en
