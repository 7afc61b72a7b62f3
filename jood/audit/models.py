from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jood.core.db import UTCDateTime, utcnow
from jood.extensions import db


class AuditEntry(db.Model):
    """Who did what to which object, when, from which state to which, and why. Append-only."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        # The governance audit-log search (by object, by action) and the return-rate count (case -> returned).
        Index("ix_audit_entries_object", "object_type", "object_id"),
        Index("ix_audit_entries_action", "action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)
