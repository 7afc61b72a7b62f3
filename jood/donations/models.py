"""Donations: who gave what to which case or pool, how it was split, and the receipt and gift card that prove it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jood.core.db import UTCDateTime, sql_list, utcnow
from jood.donations.recurring import RecurringStatus
from jood.extensions import db

POOLS = ("rent", "ownership", "general")
_POOL_VALUES = ", ".join(f"'{pool}'" for pool in POOLS)


class RecurringGift(db.Model):
    """A monthly gift to a pool: a Stripe subscription, or its sandbox equivalent."""

    __tablename__ = "recurring_gifts"
    __table_args__ = (
        CheckConstraint(f"pool IN ({_POOL_VALUES})", name="pool_known"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(f"status IN ({sql_list(RecurringStatus)})", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pool: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int]
    zakat: Mapped[bool] = mapped_column(default=False)
    anonymous: Mapped[bool] = mapped_column(default=True)
    gateway: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=RecurringStatus.PENDING.value)
    subscription_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moyasar: the saved card (a token, never card data) Jood charges each month, and the donor's consent to it.
    card_token: Mapped[str | None] = mapped_column(String(255))
    card_label: Mapped[str | None] = mapped_column(String(40))  # e.g. "mada 0012", for the account page
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_attempts: Mapped[int] = mapped_column(default=0)  # failed renewals in a row (retried, then stopped)

    user = relationship("User")


class Donation(db.Model):
    """One checkout: one payment, one or more lines (a basket), one receipt."""

    __tablename__ = "donations"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("fee_amount >= 0 AND fee_amount <= amount", name="fee_within_amount"),
        CheckConstraint("operating_bp >= 0 AND operating_bp <= 10000", name="operating_bp_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)  # JD-2026-000123, public
    receipt_token: Mapped[str] = mapped_column(String(64), unique=True)  # the private receipt link
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    anonymous: Mapped[bool] = mapped_column(default=True)
    zakat: Mapped[bool] = mapped_column(default=False)
    operating_bp: Mapped[int] = mapped_column(default=0)  # the share in force when the donor agreed
    amount: Mapped[int]
    fee_amount: Mapped[int] = mapped_column(default=0)  # the operating share actually deducted
    language: Mapped[str] = mapped_column(String(5), default="ar")
    recurring_id: Mapped[int | None] = mapped_column(ForeignKey("recurring_gifts.id"), index=True)

    gift_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    gift_recipient: Mapped[str | None] = mapped_column(String(120))
    gift_contact: Mapped[str | None] = mapped_column(String(254))
    gift_message: Mapped[str | None] = mapped_column(Text)
    gift_show_amount: Mapped[bool] = mapped_column(default=False)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lines: Mapped[list[DonationLine]] = relationship(
        back_populates="donation", order_by="DonationLine.id", lazy="selectin", cascade="all, delete-orphan"
    )
    payment = relationship("Payment", back_populates="donation", uselist=False, lazy="joined")
    user = relationship("User")
    recurring = relationship("RecurringGift")

    @property
    def status(self) -> str:
        return self.payment.status if self.payment else "created"

    @property
    def public_name(self) -> str | None:
        """None means "فاعل خير" (a doer of good): the template translates it."""
        return None if self.anonymous or not self.display_name.strip() else self.display_name.strip()

    @property
    def surplus_amount(self) -> int:
        return sum(line.surplus for line in self.lines)


class DonationLine(db.Model):
    """One destination of a donation: a case or a pool, and (once paid) where the money actually went."""

    __tablename__ = "donation_lines"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("(case_id IS NULL) <> (pool IS NULL)", name="case_or_pool"),
        CheckConstraint(f"pool IS NULL OR pool IN ({_POOL_VALUES})", name="pool_known"),
        CheckConstraint("to_case >= 0 AND to_pool >= 0 AND fee >= 0", name="splits_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(ForeignKey("donations.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    pool: Mapped[str | None] = mapped_column(String(20))
    amount: Mapped[int]  # what the donor chose for this line (gross)
    to_case: Mapped[int] = mapped_column(default=0)  # credited to the case
    to_pool: Mapped[int] = mapped_column(default=0)  # to a pool: a pool gift, or the excess over the case's need
    fee: Mapped[int] = mapped_column(default=0)  # operating share
    # The campaign (and league team) the gift was given through; cleared when it is paid outside the campaign's
    # period. completes_case: this line's money made its case fully funded (a campaign's "families" figure).
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_teams.id"))
    completes_case: Mapped[bool] = mapped_column(default=False)

    donation: Mapped[Donation] = relationship(back_populates="lines")
    case = relationship("Case", lazy="joined")

    @property
    def surplus(self) -> int:
        """Money meant for a case that went to its track's pool because the case no longer needed it."""
        return self.to_pool if self.case_id is not None else 0


class QueuedReceipt(db.Model):
    """A receipt e-mail to send, written in the same transaction as the payment it confirms, so a paid gift never
    misses its receipt and the confirming request never renders a PDF. The `receipts-send` job sends it (with
    retries) and deletes it; see `services.send_queued_receipts`."""

    __tablename__ = "receipt_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    donation_id: Mapped[int] = mapped_column(ForeignKey("donations.id"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")

    donation: Mapped[Donation] = relationship()


class PlatformSetting(db.Model):
    """Settings an admin changes at run time (every change is audited), e.g. the operating share."""

    __tablename__ = "platform_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
