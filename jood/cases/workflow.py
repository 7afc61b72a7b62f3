"""The case state machine: every status change goes through `transition`, which knows the allowed moves and
writes the audit entry. Side effects that belong to other features (moving a cancelled case's money to its pool,
telling donors) are done by their services, which call `transition` inside the same unit of work.
"""

from __future__ import annotations

from blinker import Namespace

from jood.audit.services import record
from jood.cases.models import Case, CaseStatus
from jood.core.db import utcnow
from jood.core.errors import DomainError

_signals = Namespace()
# Sent after every status change, inside the caller's unit of work, so that other features (the ledger moving a
# cancelled case's money to its pool, donor notifications) act in the same transaction.
# Receivers get: sender=case, from_status, to_status, actor, reason.
case_status_changed = _signals.signal("case-status-changed")

S = CaseStatus

# from-status -> statuses it may move to
ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.RETURNED, S.CANCELLED}),
    S.UNDER_REVIEW: frozenset({S.PUBLISHED, S.RETURNED, S.REJECTED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.REJECTED: frozenset(),
    S.PUBLISHED: frozenset({S.FUNDED, S.SUSPENDED, S.CANCELLED}),
    S.FUNDED: frozenset({S.DISBURSED, S.PUBLISHED, S.SUSPENDED, S.CANCELLED}),  # back to published after a refund
    S.DISBURSED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
    S.SUSPENDED: frozenset({S.PUBLISHED, S.CANCELLED}),
    S.CANCELLED: frozenset(),
}

# Moves that must say why (shown to the charity, kept in the audit log).
REASON_REQUIRED = frozenset({S.RETURNED, S.REJECTED, S.SUSPENDED, S.CANCELLED})

# The timestamp column each status stamps when first reached.
STAMPS = {
    S.SUBMITTED: "submitted_at",
    S.PUBLISHED: "published_at",
    S.FUNDED: "funded_at",
    S.DISBURSED: "disbursed_at",
    S.CLOSED: "closed_at",
}


class TransitionError(DomainError):
    def __init__(self, code: str, from_status: str, to_status: str):
        super().__init__(code, from_status=from_status, to_status=to_status)
        self.args = (f"{code}: {from_status} -> {to_status}",)
        self.from_status = from_status
        self.to_status = to_status


def can_transition(from_status: str | CaseStatus, to_status: str | CaseStatus) -> bool:
    return CaseStatus(to_status) in ALLOWED[CaseStatus(from_status)]


def transition(case: Case, to_status: CaseStatus, *, actor=None, reason: str | None = None) -> Case:
    """Move `case` to `to_status` and audit it; the caller commits. Raises TransitionError for a forbidden move."""
    from_status = CaseStatus(case.status)
    to_status = CaseStatus(to_status)
    if to_status not in ALLOWED[from_status]:
        raise TransitionError("not_allowed", from_status, to_status)
    if to_status in REASON_REQUIRED and not (reason and reason.strip()):
        raise TransitionError("reason_required", from_status, to_status)
    case.status = to_status.value
    stamp = STAMPS.get(to_status)
    if stamp and getattr(case, stamp) is None:
        setattr(case, stamp, utcnow())
    record("case.transition", "case", case.code, actor=actor, from_state=from_status.value,
           to_state=to_status.value, reason=reason)
    case_status_changed.send(case, from_status=from_status, to_status=to_status, actor=actor, reason=reason)
    return case
