"""A payment is one charge at one gateway for one donation; webhook events are kept once each by their id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, utcnow
from jood.extensions import db
from jood.payments.states import PaymentStatus

_STATUS_VALUES = ", ".join(f"'{status.value}'" for status in PaymentStatus)


class Payment(db.Model):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_VALUES})", name="status_known"),
        CheckConstraint("gateway IN ('sandbox', 'stripe', 'moyasar')", name="gateway_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("refunded_amount >= 0 AND refunded_amount <= amount", name="refunded_within_amount"),
        Index("ix_payments_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(ForeignKey("donations.id"), unique=True)
    gateway: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=PaymentStatus.CREATED.value)
    amount: Mapped[int]  # halalas, what the donor is charged
    currency: Mapped[str] = mapped_column(String(3), default="SAR")
    session_id: Mapped[str | None] = mapped_column(String(255), unique=True)  # checkout session or invoice id
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)  # the gateway's payment id
    method: Mapped[str | None] = mapped_column(String(20))  # what the donor chose: mada, applepay, stcpay, card
    refunded_amount: Mapped[int] = mapped_column(default=0)  # halalas returned so far (partial refunds)
    # What the gateway reported differently from what we asked for (amount, currency, invoice): never credited,
    # listed on the governance dashboard until someone looks into it.
    discrepancy: Mapped[str | None] = mapped_column(String(300))
    source_key: Mapped[str | None] = mapped_column(String(64))  # hashed IP, for the card-testing lockout
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    donation = relationship("Donation", back_populates="payment")


class GatewayEvent(db.Model):
    """A webhook event, claimed under its unique id before it is acted on: a replay finds it and does nothing."""

    __tablename__ = "gateway_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    gateway: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(String(60), default="")


class CheckoutLock(db.Model):
    """Failures counted per source (hashed IP, hashed e-mail); too many in a window lock the source out a while."""

    __tablename__ = "checkout_locks"
    __table_args__ = (CheckConstraint("failures >= 0", name="failures_positive"),)

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
