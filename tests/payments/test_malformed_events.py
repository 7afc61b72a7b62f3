"""Signed Stripe events of the wrong shape answer 400, are recorded, and change nothing (issue 11, item 5)."""

import time

import pytest
from sqlalchemy import func, select

from jood.audit.models import AuditEntry
from jood.extensions import db
from jood.payments import webhooks
from jood.payments.models import GatewayEvent
from tests.payments.conftest import event


@pytest.mark.parametrize("evt", [
    {"object": "event", "type": "checkout.session.completed", "data": {"object": {}}},
    {"id": "", "type": "checkout.session.completed", "data": {"object": {}}},
    {"id": 12, "type": "checkout.session.completed", "data": {"object": {}}},
    event("checkout.session.completed", {"id": "cs_x", "metadata": ["reference", "JD-1"]}),
    event("checkout.session.completed", {"id": "cs_x", "metadata": "JD-1"}),
    event("charge.refunded", {"payment_intent": "pi_x", "metadata": 7}),
    event("invoice.paid", {"subscription_details": {"metadata": []}}),
    event("invoice.paid", {"parent": {"subscription_details": {"metadata": "x"}}}),
    {"id": "evt_list", "type": "checkout.session.completed", "data": {"object": ["x"]}},
    {"id": "evt_data", "type": "checkout.session.completed", "data": "x"},
    ["not", "an", "event"],
])
def test_a_malformed_signed_event_is_a_recorded_400(client, stripe_api, deliver, evt):
    response = deliver(evt)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "payments.webhook_malformed"))
    assert entry is not None and entry.reason


def test_a_timestamp_beyond_the_tolerance_in_the_future_is_refused(client, stripe_api, deliver):
    future = int(time.time()) + webhooks.SIGNATURE_TOLERANCE + 120
    response = deliver(event("checkout.session.expired", {"id": "cs_future"}), timestamp=future)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(GatewayEvent)) == 0


def test_a_timestamp_slightly_ahead_is_clock_skew_and_accepted(client, stripe_api, deliver):
    response = deliver(event("checkout.session.expired", {"id": "cs_skew"}), timestamp=int(time.time()) + 30)
    assert response.status_code == 200


def test_signed_in_the_future_reads_the_header():
    now = 1_000_000.0
    assert not webhooks.signed_in_the_future(f"t={int(now)},v1=abc", now)
    assert webhooks.signed_in_the_future(f"t={int(now) + 301},v1=abc", now)
    assert webhooks.signed_in_the_future("t=soon,v1=abc", now)
