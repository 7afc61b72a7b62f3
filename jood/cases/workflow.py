"""The case state machine: every status change goes through `transition`, which knows the allowed moves, writes the
audit entry and refreshes the case's cached pages. What a move means for other features is done explicitly by the
service that makes it, in the same unit of work (``cases.services.change_status`` moves a cancelled case's money to
its pool and tells its donors). Whether money makes a case funded, or open again, is decided here
(``follow_the_money``), called by the ledger whenever a case's counters move.
"""

from __future__ import annotations

from jood.audit.services import record
from jood.cache import refresh
from jood.cases.models import Case, CaseStatus
from jood.core.db import utcnow
from jood.core.errors import DomainError

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
    refresh(f"case:{case.code}", "catalog", "impact")
    return case


def follow_the_money(case: Case) -> None:
    """After its counters moved: a published case whose need is met becomes funded; a funded case that lost money
    before any of it was paid out (a refund) is open for gifts again."""
    if case.status == CaseStatus.PUBLISHED and case.remaining_amount == 0:
        transition(case, CaseStatus.FUNDED)
    elif case.status == CaseStatus.FUNDED and case.remaining_amount > 0 and case.disbursed_amount == 0:
        transition(case, CaseStatus.PUBLISHED, reason="refund")
