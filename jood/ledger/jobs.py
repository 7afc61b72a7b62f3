"""The ledger's periodic work: the invariant self-check and pool allocation."""

from __future__ import annotations

from jood.audit.services import record
from jood.jobs import job
from jood.ledger import services

SELF_CHECK_ACTION = "ledger.self_check"


@job("ledger-self-check", every=15 * 60)
def ledger_self_check() -> str:
    """Run `ledger verify`'s checks; log failures at error level and keep the verdict in the audit log, where the
    governance dashboard shows it."""
    problems = services.self_check()
    record(SELF_CHECK_ACTION, "ledger", "head", to_state="failed" if problems else "ok",
           reason="\n".join(problems[:50]) or None)
    return f"{len(problems)} problem(s)"


@job("pools-allocate", every=15 * 60)
def pools_allocate() -> str:
    return f"{len(services.allocate_pools())} allocation(s)"


@job("ledger-seal-queue", every=60)
def seal_queue() -> str:
    """A safety net: seal confirmations whose own request never got to (a process killed between its commit and
    the ledger writer). Normally the queue is already empty."""
    return f"{services.post_queue()} sealed"
