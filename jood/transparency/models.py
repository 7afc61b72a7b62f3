"""Transparency data kept by the platform itself. Visitor counts: per-day totals only, no cookies, no IP addresses.

How a visitor is counted (see jood/transparency/visitors.py): each Riyadh day has a random salt; a visit is
sha256(salt, day, IP address, user agent). Today's hashes are kept only to tell a new visitor from a returning one;
when the day changes the old salt row is deleted and, a day later, the old hashes too, so nothing stored can be tied
back to an address. What stays is two numbers per day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jood.extensions import db


class VisitorDay(db.Model):
    __tablename__ = "visitor_days"
    __table_args__ = (
        CheckConstraint("unique_visitors >= 0 AND page_views >= unique_visitors", name="counts_consistent"),
    )

    day: Mapped[date] = mapped_column(Date, primary_key=True)  # Riyadh calendar day
    unique_visitors: Mapped[int] = mapped_column(default=0)
    page_views: Mapped[int] = mapped_column(default=0)


class VisitorSalt(db.Model):
    """Today's random salt, shared by every app process; deleted when the day changes."""

    __tablename__ = "visitor_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[bytes] = mapped_column(LargeBinary(32))


class VisitorHash(db.Model):
    """Salted hashes seen today (and yesterday, for late writers); purged as days go by."""

    __tablename__ = "visitor_hashes"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
