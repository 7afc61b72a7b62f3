"""The governance exception for payments a gateway reported differently from what we asked (registered at import;
``jood.payments.views`` imports this module)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from jood.extensions import db
from jood.governance.exceptions import ExceptionRow, register_check
from jood.payments.models import Payment

LIMIT = 100


@register_check("gateway_discrepancy", _l("Payments the gateway reported differently (not credited)"))
def gateway_discrepancies(now):
    from jood.donations.models import Donation

    rows = db.session.execute(
        select(Donation.reference, Payment.gateway, Payment.discrepancy)
        .join(Payment, Payment.donation_id == Donation.id)
        .where(Payment.discrepancy.is_not(None)).order_by(Payment.updated_at.desc()).limit(LIMIT)
    ).all()
    return [ExceptionRow(label=reference or "—", detail=f"{gateway}: {problem}")
            for reference, gateway, problem in rows]
