from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jood.core.db import UTCDateTime, sql_list, utcnow
from jood.extensions import db
from jood.priority import POLICY_NAMES


class PolicyChange(db.Model):
    """Each time an admin chose the policy that scores new cases. The latest row is the active policy; no row means
    the code's default. Rows are only added, so the table is also the history of which policy applied when (and
    every change is in the audit log too)."""

    __tablename__ = "priority_policy_changes"
    __table_args__ = (CheckConstraint(f"policy IN ({sql_list(POLICY_NAMES)})", name="policy_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
