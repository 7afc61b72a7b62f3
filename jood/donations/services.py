"""Giving: creating donations and opening their checkout, sending receipts, refunds, recurring gifts and notices.

Writes flush; the view or CLI command commits once. What happens when a payment is paid, refunded or fails is in
``jood/donations/confirm.py``, run by the payment state machine with the payment locked, so a payment is credited
exactly once.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select

from jood import cache, money
from jood.audit.services import record
from jood.cases.models import Case
from jood.core.db import utcnow, write_now
from jood.core.errors import DomainError
from jood.core.unit import after_commit
from jood.donations import confirm
from jood.donations.models import POOLS, Donation, DonationLine, PlatformSetting, QueuedReceipt, RecurringGift
from jood.donations.recurring import RecurringEvent, RecurringStatus
from jood.donations.recurring import next_state as recurring_next
from jood.extensions import db
from jood.ledger import core
from jood.ledger import services as ledger
from jood.payments import services as payments
from jood.payments.gateway import CheckoutRequest, get_gateway
from jood.payments.models import Payment
from jood.payments.states import PaymentEvent, PaymentStatus

MIN_AMOUNT = 5_00  # halalas: the smallest gift (5 SAR)
PRESETS_SAR = (10, 50, 100, 500)
OPERATING_SHARE_KEY = "operating_share_bp"
MONTH = confirm.MONTH  # a monthly gift's period


class DonationError(DomainError):
    """A request we refuse; ``code`` picks the translated message, ``field`` where to show it."""

    def __init__(self, code: str, field: str = "amount", **params) -> None:
        super().__init__(code, field, **params)


@dataclass(frozen=True)
class LineRequest:
    amount: int
    case: Case | None = None
    pool: str | None = None
    campaign_id: int | None = None  # the campaign (and league team) it is given through, if any
    team_id: int | None = None


@dataclass(frozen=True)
class Donor:
    user: object | None = None
    email: str | None = None
    display_name: str = ""
    anonymous: bool = True
    language: str = "ar"


@dataclass(frozen=True)
class Gift:
    recipient: str
    contact: str = ""
    message: str = ""
    show_amount: bool = False


# --- amounts -----------------------------------------------------------------------------------------------------


def parse_amount(text: str, *, remaining: int | None = None) -> int:
    """Halalas from what the donor typed (Arabic-Indic digits welcome), within 5 SAR and what the case needs.

    Raises ``money.AmountError`` with codes: required, not_a_number, not_positive, fractional_halala, too_large,
    below_minimum, over_remaining.
    """
    amount = money.parse_amount_sar(text)
    if amount < MIN_AMOUNT:
        raise money.AmountError("below_minimum")
    if remaining is not None and amount > remaining:
        raise money.AmountError("over_remaining")
    return amount


# --- operating share ---------------------------------------------------------------------------------------------


def operating_bp() -> int:
    """The share (basis points) deducted from non-zakat gifts: the admin's setting, else the configured default."""
    setting = db.session.get(PlatformSetting, OPERATING_SHARE_KEY)
    return setting.value if setting else int(current_app.config.get("OPERATING_SHARE_BP", 0))


def set_operating_bp(value: int, *, actor, reason: str) -> None:
    if not isinstance(value, int) or not 0 <= value <= 2_000:
        raise DonationError("bad_share", field="share")
    old = operating_bp()
    setting = db.session.get(PlatformSetting, OPERATING_SHARE_KEY)
    if setting is None:
        setting = PlatformSetting(key=OPERATING_SHARE_KEY, value=value)
        db.session.add(setting)
    setting.value, setting.updated_by_id = value, getattr(actor, "id", None)
    record("settings.operating_share", "setting", OPERATING_SHARE_KEY, actor=actor, from_state=str(old),
           to_state=str(value), reason=reason)
    cache.refresh(cache.SITE)  # the rules page and every case page's giving form state the share
    db.session.flush()


# --- creating a donation -----------------------------------------------------------------------------------------


def _check_line(line: LineRequest, zakat: bool) -> None:
    if line.case is not None:
        case = line.case
        if not case.accepts_donations:
            raise DonationError("case_closed", case=case.code)
        if zakat and not case.zakat_eligible:
            raise DonationError("zakat_not_eligible", field="zakat", case=case.code)
        if line.amount > case.remaining_amount:
            raise DonationError("over_remaining", case=case.code)
    elif line.pool not in POOLS:
        raise DonationError("unknown_pool", field="pool")
    if line.amount < MIN_AMOUNT:
        raise DonationError("below_minimum")


def create_donation(lines: list[LineRequest], donor: Donor, *, zakat: bool, gift: Gift | None = None,
                    recurring: RecurringGift | None = None, gateway: str | None = None,
                    source_keys: list[str] | None = None, method: str | None = None) -> Donation:
    """Store a donation, its lines and its (created) payment. Nothing is credited until the gateway says paid."""
    if not lines:
        raise DonationError("empty_basket")
    case_ids = [line.case.id for line in lines if line.case is not None]
    if len(case_ids) != len(set(case_ids)):
        raise DonationError("duplicate_case")
    for line in lines:
        _check_line(line, zakat)
    total = sum(line.amount for line in lines)
    core.check_basket(total, [line.amount for line in lines])
    if total > core.MAX_AMOUNT_HALALAS:
        raise DonationError("too_large")
    payments.ensure_not_locked(source_keys or [])
    donation = Donation(
        receipt_token=secrets.token_urlsafe(24),
        user_id=getattr(donor.user, "id", None),
        email=(donor.email or getattr(donor.user, "email", None) or None),
        display_name=(donor.display_name or "").strip()[:80],
        anonymous=donor.anonymous or not (donor.display_name or "").strip(),
        zakat=zakat,
        operating_bp=0 if zakat else operating_bp(),
        amount=total,
        language=donor.language,
        recurring_id=recurring.id if recurring else None,
        lines=[DonationLine(case_id=line.case.id if line.case else None, pool=line.pool, amount=line.amount,
                            campaign_id=line.campaign_id, team_id=line.team_id if line.campaign_id else None)
               for line in lines],
        payment=Payment(gateway=gateway or get_gateway().name, amount=total, currency="SAR", method=method,
                        source_key=next((key for key in source_keys or [] if key.startswith("ip:")), None)),
    )
    if gift is not None:
        donation.gift_token = secrets.token_urlsafe(24)
        donation.gift_recipient = gift.recipient.strip()[:120]
        donation.gift_contact = gift.contact.strip()[:254] or None
        donation.gift_message = gift.message.strip()[:1000] or None
        donation.gift_show_amount = gift.show_amount
    db.session.add(donation)
    db.session.flush()  # the donation, its lines and its payment: the reference is made of the donation's id
    write_now(donation, reference=f"JD-{donation.created_at.year}-{donation.id:06d}")
    return donation


def checkout_title(donation: Donation) -> str:
    places = [line.case.code if line.case else f"pool:{line.pool}" for line in donation.lines]
    return f"Jood {donation.reference} ({', '.join(places)})"[:250]


def open_checkout(donation: Donation, *, monthly: bool = False) -> str:
    """Create the gateway's checkout session for a stored donation; returns the URL to send the donor to."""
    payment = donation.payment
    request = CheckoutRequest(
        payment=payment,
        reference=donation.reference,
        title=checkout_title(donation),
        success_url=url_for("donations.receipt", token=donation.receipt_token, _external=True),
        cancel_url=url_for("donations.cancelled", token=donation.receipt_token, _external=True),
        email=donation.email,
        monthly=monthly,
        metadata={"recurring_id": str(donation.recurring_id)} if donation.recurring_id else {},
    )
    url = get_gateway(payment.gateway).open_session(request)
    # Created in this transaction, so no other can see the payment yet: it needs no lock, nor reading again.
    payments.apply(payment, PaymentEvent.OPEN, reason="checkout opened", locked=True)
    return url


# --- receipts ----------------------------------------------------------------------------------------------------


RECEIPT_RETRY_CAP = timedelta(hours=6)


def send_queued_receipts(limit: int = 500, *, now=None, seconds: float | None = None) -> dict[str, int]:
    """Send the receipts that are due, each in its own transaction: the row is locked (a second sender skips it),
    the mail rendered and sent, the row deleted. A failure keeps the row and tries again after 1, 2, 4... minutes,
    at most 6 hours apart. At least once: a crash between sending and the commit sends that receipt again, with the
    same Message-ID (`receipt-<reference>`), so that the outbox keeps one file and mail systems see a repeat.
    `seconds` bounds the run, after at least one receipt (the scheduler runs one job at a time; the next run goes on
    where this one stopped)."""
    from jood.donations.receipts import paid_mails

    done = {"sent": 0, "failed": 0}
    deadline = time.monotonic() + seconds if seconds else None
    for _ in range(limit):
        moment = now or utcnow()
        item = db.session.scalars(
            select(QueuedReceipt).where(QueuedReceipt.next_attempt_at <= moment).order_by(QueuedReceipt.id)
            .limit(1).with_for_update(skip_locked=True)
        ).first()
        if item is None:
            break
        try:
            for message_id, mail in paid_mails(item.donation):  # a repeat after a crash is the same message
                _send(*mail, message_id=message_id)
        except Exception as error:  # noqa: BLE001 - a mail server being down: keep the receipt for later
            item.attempts += 1
            item.next_attempt_at = moment + min(timedelta(minutes=2 ** (item.attempts - 1)), RECEIPT_RETRY_CAP)
            item.last_error = f"{type(error).__name__}: {error}"[:300]
            current_app.logger.warning("Receipt for donation %s not sent (try %s): %s", item.donation_id,
                                       item.attempts, error)
            done["failed"] += 1
        else:
            db.session.delete(item)
            done["sent"] += 1
        db.session.commit()
        if deadline is not None and time.monotonic() >= deadline:
            break
    return done


def _send(to, subject, body, attachments=None, html=None, inline=(), *, message_id: str | None = None) -> None:
    from jood.mail import send_mail

    send_mail(to, subject, body, attachments, html, inline, message_id=message_id)


def send_paid_mail(mail: tuple, *, message_id: str) -> None:
    """One of ``receipts.paid_mails``: (to, subject, text, attachments, html, inline images)."""
    _send(*mail, message_id=message_id)


# --- refunds -----------------------------------------------------------------------------------------------------


def refund_problem(donation: Donation) -> str | None:
    """Why this donation cannot be refunded now (a code), or None."""
    if donation.status != PaymentStatus.PAID:
        return "not_paid"
    need: dict[str, int] = {}
    for account, amount in core.still_held(confirm.holdings(donation), donation.payment.refunded_amount):
        need[account] = need.get(account, 0) + amount
    for account, amount in need.items():
        if ledger.balance(account) < amount:
            return "already_spent"
    return None


def refund_donation(donation: Donation, *, actor, reason: str) -> None:
    """A finance officer returns a donation: the gateway first, then the same state machine as a webhook.

    The gateway is asked before any lock is taken: it may take seconds and retry, and holding the ledger head
    meanwhile would make every payment on the platform wait for it. Its idempotency key (the reference) makes a
    retried refund one refund. Then the ledger head is taken, the check made again, and the refund posted.
    """
    problem = refund_problem(donation)
    if problem:
        raise DonationError(problem, field="refund")
    get_gateway(donation.payment.gateway).refund(donation.payment, donation.reference)
    ledger.lock_head()
    if refund_problem(donation):
        # Spent between the check and the lock (a pool allocation or a disbursement in that second): the gateway
        # has returned the money, the ledger cannot follow. Nothing is posted; finance must settle it by hand.
        current_app.logger.error("Donation %s refunded by the gateway but its money was spent meanwhile; "
                                 "not posted", donation.reference)
        raise DonationError("already_spent", field="refund")
    payments.apply(donation.payment, PaymentEvent.REFUND, actor=actor, reason=reason)


# --- recurring gifts ---------------------------------------------------------------------------------------------


def start_recurring(user, pool: str, amount: int, *, zakat: bool, anonymous: bool, language: str,
                    source_keys: list[str], gateway: str | None = None, method: str | None = None) -> Donation:
    if pool not in POOLS:
        raise DonationError("unknown_pool", field="pool")
    recurring = RecurringGift(user_id=user.id, pool=pool, amount=amount, zakat=zakat, anonymous=anonymous,
                              gateway=gateway or get_gateway().name, status=RecurringStatus.PENDING.value)
    db.session.add(recurring)
    db.session.flush()
    return create_donation([LineRequest(amount, pool=pool)], Donor(user, user.email, user.display_name, anonymous,
                                                                   language),
                           zakat=zakat, recurring=recurring, gateway=recurring.gateway, source_keys=source_keys,
                           method=method)


def payment_for_invoice(*, subscription_id=None, invoice_id=None, recurring_id=None, billing_reason=None,
                        gateway="stripe", **_) -> Payment | None:
    """The Payment a subscription invoice stands for: the first checkout's, or a new donation for a renewal."""
    recurring = None
    if subscription_id:
        recurring = db.session.scalar(select(RecurringGift).where(RecurringGift.subscription_id == subscription_id))
    if recurring is None and recurring_id and str(recurring_id).isdigit():
        recurring = db.session.get(RecurringGift, int(recurring_id))
    if recurring is None:
        return None
    if subscription_id and not recurring.subscription_id:
        recurring.subscription_id = subscription_id
    if billing_reason == "subscription_create":
        first = db.session.scalar(select(Donation).where(Donation.recurring_id == recurring.id)
                                  .order_by(Donation.id).limit(1))
        return first.payment if first else None
    existing = payments.by_session(invoice_id)
    if existing is not None:
        return existing
    user = recurring.user
    donation = create_donation([LineRequest(recurring.amount, pool=recurring.pool)],
                               Donor(user, user.email, user.display_name, recurring.anonymous),
                               zakat=recurring.zakat, recurring=recurring, gateway=gateway)
    donation.payment.session_id = invoice_id
    db.session.flush()
    return donation.payment


def renew_sandbox_subscriptions(now=None) -> int:
    """The sandbox's stand-in for Stripe's monthly ``invoice.paid``: the same lookup, the same state machine."""
    now = now or utcnow()
    due = db.session.scalars(select(RecurringGift).where(
        RecurringGift.gateway == "sandbox", RecurringGift.status == RecurringStatus.ACTIVE.value,
        RecurringGift.next_due_at <= now))
    renewed = 0
    for recurring in due.all():
        invoice_id = f"sbxinv_{recurring.id}_{recurring.next_due_at:%Y%m%d}"
        payment = payment_for_invoice(subscription_id=recurring.subscription_id, invoice_id=invoice_id,
                                      billing_reason="subscription_cycle", gateway="sandbox")
        renewed += payments.apply(payment, PaymentEvent.SUCCEED, reason="sandbox monthly renewal")
        recurring.next_due_at = recurring.next_due_at + MONTH
    db.session.flush()
    return renewed


def cancel_recurring(recurring: RecurringGift, *, actor) -> None:
    if recurring_next(recurring.status, RecurringEvent.CANCEL) == recurring.status:
        return  # already cancelled
    if recurring.subscription_id and recurring.gateway == "stripe":
        get_gateway("stripe").cancel_subscription(recurring.subscription_id)
    if recurring.gateway == "moyasar":
        from jood.donations.monthly import forget_card

        forget_card(recurring)
    old = recurring.status
    recurring.status, recurring.cancelled_at = recurring_next(old, RecurringEvent.CANCEL).value, utcnow()
    record("recurring.cancel", "recurring_gift", recurring.id, actor=actor, from_state=old, to_state=recurring.status)
    db.session.flush()


# --- reading -----------------------------------------------------------------------------------------------------


def donor_history(user) -> list[Donation]:
    return list(db.session.scalars(
        select(Donation).where(Donation.user_id == user.id).order_by(Donation.created_at.desc()).limit(200)))


def by_reference(reference: str) -> Donation | None:
    return db.session.scalar(select(Donation).where(Donation.reference == reference))


# --- cancelled cases ---------------------------------------------------------------------------------------------


def tell_donors_of_cancelled_case(case: Case) -> None:
    """Donors of a cancelled case are told, once it commits, that their gift now helps the next family of the track."""
    from jood.donations.receipts import cancellation_mail

    donations = db.session.scalars(
        select(Donation).join(DonationLine).join(Payment)
        .where(DonationLine.case_id == case.id, Payment.status == PaymentStatus.PAID.value, Donation.email.is_not(None))
    ).unique().all()
    for donation in donations:
        to, subject, body = cancellation_mail(donation, case)
        after_commit(lambda to=to, subject=subject, body=body: _send(to, subject, body))
