"""The disbursement state machine (Flask-free, tested as a table).

A charity requests a payout; a finance officer (never the requester) returns it with reasons or approves it; a
returned request may be corrected and sent again. Approval is final: the money has left the ledger.

    (new) --request--> requested --approve--> approved
                          |  ^
                   return |  | resubmit
                          v  |
                        returned

Unlike a payment's events, which arrive from a gateway and may repeat, these are people's decisions: a move not in
the table is refused (``next_state`` answers None and the service says why).
"""

from __future__ import annotations

from enum import StrEnum

from jood.core.transitions import follow


class DisbursementStatus(StrEnum):
    REQUESTED = "requested"  # waiting for a finance officer
    RETURNED = "returned"  # sent back to the charity with reasons; it may correct and send again
    APPROVED = "approved"  # paid out: ledger written, case disbursed then closed


class DisbursementEvent(StrEnum):
    RESUBMIT = "resubmit"
    RETURN = "return"
    APPROVE = "approve"


S, E = DisbursementStatus, DisbursementEvent
INITIAL = S.REQUESTED  # a new request starts here

TRANSITIONS: dict[tuple[DisbursementStatus, DisbursementEvent], DisbursementStatus] = {
    (S.REQUESTED, E.RETURN): S.RETURNED,
    (S.REQUESTED, E.APPROVE): S.APPROVED,
    (S.RETURNED, E.RESUBMIT): S.REQUESTED,
}


def next_state(state: str | DisbursementStatus, event: str | DisbursementEvent) -> DisbursementStatus | None:
    """The state after ``event``, or None when the event is not allowed in ``state``."""
    return follow(TRANSITIONS, DisbursementStatus(state), DisbursementEvent(event), refuse=True)
