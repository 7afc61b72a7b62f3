"""Exceptions that span features: money at the gateway missing from the ledger, payouts without evidence, and the
ledger's last periodic self-check. Registered at import (governance views import this module)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from jood.audit.models import AuditEntry
from jood.disbursements.models import Disbursement, DisbursementDocument, DisbursementStatus
from jood.donations.models import Donation
from jood.extensions import db
from jood.governance.exceptions import ExceptionRow, register_check
from jood.ledger.jobs import SELF_CHECK_ACTION
from jood.ledger.models import LedgerTransaction, QueuedTransaction
from jood.ledger.services import QUEUE_STALE_AFTER
from jood.payments.models import Payment
from jood.payments.states import PaymentStatus

LIMIT = 100


@register_check("paid_not_in_ledger", _l("Donations paid at the gateway but not in the ledger"))
def paid_not_in_ledger(now):
    in_ledger = exists().where(LedgerTransaction.kind == "payment", LedgerTransaction.reference == Donation.reference)
    # Confirmed a moment ago: the writer is sealing it (the queue normally empties within milliseconds).
    in_flight = exists().where(QueuedTransaction.reference == Donation.reference,
                               QueuedTransaction.queued_at > now - QUEUE_STALE_AFTER)
    rows = db.session.execute(
        select(Donation.reference, Payment.amount)
        .join(Payment, Payment.donation_id == Donation.id)
        .where(Payment.status.in_([PaymentStatus.PAID.value, PaymentStatus.REFUNDED.value]), ~in_ledger,
               ~in_flight)
        .limit(LIMIT)
    ).all()
    return [ExceptionRow(label=reference or "—", detail=f"{amount / 100:.2f} SAR") for reference, amount in rows]


@register_check("disbursement_without_evidence", _l("Disbursements without evidence"))
def disbursement_without_evidence(now):
    has_document = exists().where(DisbursementDocument.disbursement_id == Disbursement.id)
    rows = db.session.scalars(
        select(Disbursement).where(Disbursement.status == DisbursementStatus.APPROVED.value, ~has_document)
        .limit(LIMIT)
    ).all()
    return [ExceptionRow(label=f"#{row.id}", detail=f"case {row.case_id}") for row in rows]


@register_check("ledger_self_check", _l("Ledger self-check failures"))
def ledger_self_check_failed(now):
    last = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == SELF_CHECK_ACTION).order_by(AuditEntry.id.desc()).limit(1)
    )
    if last is None or last.to_state == "ok":
        return []
    return [ExceptionRow(label=line, detail="") for line in (last.reason or "").splitlines()[:LIMIT]]
