"""The donations feature's periodic work: sending queued receipts."""

from __future__ import annotations

from jood.donations import services
from jood.jobs import job


@job("receipts-send", every=5)
def send_receipts() -> str:
    """Receipts queued by confirmations (RECEIPT_QUEUE): rendered (a PDF each) and sent here, off the request path."""
    done = services.send_queued_receipts(seconds=20)  # a PDF is ~0.13 s: leave the scheduler to the other jobs
    return f"{done['sent']} sent, {done['failed']} to retry"
