"""Monthly gifts through Moyasar: Moyasar has no subscriptions, so Jood charges the saved card itself.

The donor consented on the card page (``recurring.consent_at``, and an audit entry with the wording); the first
payment saved the card as a token. Each due gift is charged by the jobs runner (``moyasar-renewals``), one gift per
transaction, through the same confirmation as every Moyasar payment. A failed charge is told to the donor and
tried again after 1, 3 and 7 days; after that the gift stops and the donor is told so. Cancelling from the account
page stops the charges at once and deletes the saved card at Moyasar.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from jood.audit.services import record
from jood.core.db import utcnow
from jood.core.unit import after_commit, unit_of_work
from jood.donations import services
from jood.donations.models import RecurringGift
from jood.donations.recurring import RecurringEvent, RecurringStatus
from jood.donations.recurring import next_state as recurring_next
from jood.extensions import db
from jood.payments import moyasar, moyasar_confirm
from jood.payments import services as payments

RETRY_AFTER = (timedelta(days=1), timedelta(days=3), timedelta(days=7))


def due_gifts(now) -> list[int]:
    return list(db.session.scalars(select(RecurringGift.id).where(
        RecurringGift.gateway == moyasar.NAME, RecurringGift.status == RecurringStatus.ACTIVE.value,
        RecurringGift.next_due_at <= now,
        RecurringGift.card_token.is_not(None)).order_by(RecurringGift.next_due_at)))


def renew_moyasar_gifts(now=None) -> dict[str, int]:
    """Charge every due Moyasar monthly gift, each in its own transaction. Moyasar unreachable: that gift is left
    due, and the next run charges it (the same ``given_id``, so never twice)."""
    now = now or utcnow()
    done = {"renewed": 0, "pending": 0, "failed": 0, "stopped": 0, "unavailable": 0, "skipped": 0}
    for recurring_id in due_gifts(now):
        try:
            with unit_of_work():
                outcome = _renew(recurring_id, now)
        except moyasar.MoyasarUnavailable as error:
            current_app.logger.warning("Monthly gift %s not charged now (%s); the next run tries again",
                                       recurring_id, error)
            outcome = "unavailable"
        done[outcome] += 1
    return done


def _renew(recurring_id: int, now) -> str:
    recurring = db.session.scalars(select(RecurringGift).where(RecurringGift.id == recurring_id).with_for_update()
                                   .execution_options(populate_existing=True)).one()
    if recurring.status != RecurringStatus.ACTIVE or recurring.next_due_at > now or not recurring.card_token:
        return "skipped"  # cancelled or charged meanwhile
    donation = _interrupted_attempt(recurring)
    if donation is None:
        user = recurring.user
        donation = services.create_donation(
            [services.LineRequest(recurring.amount, pool=recurring.pool)],
            services.Donor(user, user.email, user.display_name, recurring.anonymous),
            zakat=recurring.zakat, recurring=recurring, gateway=moyasar.NAME, method="card")
        # Kept before Moyasar is asked: if we die after the charge, the next run finds this donation (and its
        # reference, which the charge carries) and asks again with the same given_id.
        db.session.commit()
        recurring = db.session.get(RecurringGift, recurring_id)
    attempt_key = f"recurring:{recurring.id}:{recurring.next_due_at:%Y%m%d}:{recurring.failed_attempts}"
    try:
        charged = moyasar.MoyasarGateway().charge_token(donation.payment, recurring.card_token,
                                                        attempt_key=attempt_key,
                                                        description=services.checkout_title(donation))
    except moyasar.MoyasarRejected as error:  # e.g. the token expired or was deleted: a failed renewal
        current_app.logger.warning("Monthly gift %s: Moyasar refused the charge: %s", recurring.id, error)
        payments.apply(donation.payment, "fail", reason="moyasar refused the saved card")
        return _failed(recurring, donation, now)
    outcome = moyasar_confirm.apply_fetched(donation.payment, charged, reason="moyasar monthly renewal")
    if outcome in ("paid", "pending"):
        recurring.next_due_at = recurring.next_due_at + services.MONTH
        recurring.failed_attempts = 0
        db.session.flush()
        return "renewed" if outcome == "paid" else "pending"
    return _failed(recurring, donation, now)


def _interrupted_attempt(recurring: RecurringGift):
    """A renewal donation whose charge never reached our database (its payment still ``created``, or expired by
    the stale-checkout sweep while Moyasar was unreachable), if any."""
    from jood.donations.models import Donation
    from jood.payments.models import Payment
    from jood.payments.states import PaymentStatus

    return db.session.scalar(select(Donation).join(Payment).where(
        Donation.recurring_id == recurring.id,
        Payment.status.in_([PaymentStatus.CREATED.value, PaymentStatus.EXPIRED.value]),
        Payment.gateway == moyasar.NAME, Payment.payment_intent_id.is_(None)).order_by(Donation.id.desc()).limit(1))


def _failed(recurring: RecurringGift, donation, now) -> str:
    recurring.failed_attempts += 1
    link = _account_url()
    if recurring.failed_attempts > len(RETRY_AFTER):
        old = recurring.status
        recurring.status, recurring.cancelled_at = recurring_next(old, RecurringEvent.STOP).value, now
        record("recurring.stopped", "recurring_gift", recurring.id, from_state=old, to_state=recurring.status,
               reason=f"{recurring.failed_attempts} failed charges")
        with force_locale(donation.language or "ar"):
            subject = _("Your monthly gift has stopped")
            body = _("We could not charge your saved card after several tries, so your monthly gift of %(amount)s "
                     "has stopped. Thank you for your giving. You can start it again from your account: %(url)s",
                     amount=_money(recurring.amount), url=link)
        outcome = "stopped"
    else:
        retry_at = now + RETRY_AFTER[recurring.failed_attempts - 1]
        recurring.next_due_at = retry_at
        with force_locale(donation.language or "ar"):
            subject = _("Your monthly gift could not be charged")
            body = _("We could not charge %(amount)s to your saved card for your monthly gift. We will try again on "
                     "%(date)s. You can cancel the gift or give another way from your account: %(url)s",
                     amount=_money(recurring.amount), date=f"{retry_at:%Y-%m-%d}", url=link)
        outcome = "failed"
    db.session.flush()
    if recurring.user.email:
        to = recurring.user.email
        after_commit(lambda: services._send(to, subject, body))
    return outcome


def _money(halalas: int) -> str:
    from jood.money import format_money

    return format_money(halalas)


def _account_url() -> str:
    from jood.donations.receipts import external_url

    return external_url("donations.history")


def forget_card(recurring: RecurringGift) -> None:
    """The donor cancelled: delete the saved card at Moyasar. Best effort — the gift is already cancelled here, so
    the card is never charged again even if Moyasar cannot be reached now (the token is then kept, and logged)."""
    if not recurring.card_token:
        return
    try:
        moyasar.MoyasarGateway().forget_card(recurring.card_token)
    except (moyasar.MoyasarUnavailable, moyasar.MoyasarRejected) as error:
        current_app.logger.warning("Saved card of monthly gift %s not deleted at Moyasar: %s", recurring.id, error)
        return
    recurring.card_token = None
    db.session.flush()
