"""Reading and changing the active points policy. Every change is audited; the caller commits once."""

from __future__ import annotations

from sqlalchemy import select

from jood.audit.services import record
from jood.cache import refresh
from jood.core.errors import DomainError
from jood.extensions import db
from jood.priority import DEFAULT_POLICY, POLICIES
from jood.settings.models import PolicyChange

#: The audit log's object id for the setting.
ACTIVE_POLICY = "priority.active_policy"
MIN_REASON = 5


class SettingsError(DomainError):
    """An expected refusal; `code` picks the translated message, `field` where to show it."""


def active_policy() -> str:
    """The policy new cases are scored under: the admin's latest choice, or the code's default until one is made."""
    name = db.session.scalar(select(PolicyChange.policy).order_by(PolicyChange.id.desc()).limit(1))
    return name if name in POLICIES else DEFAULT_POLICY


def policy_history(limit: int = 20) -> list[PolicyChange]:
    return list(db.session.scalars(select(PolicyChange).order_by(PolicyChange.id.desc()).limit(limit)))


def set_active_policy(name: str, *, actor, reason: str) -> PolicyChange:
    """Make `name` the policy that scores new cases. Cases already scored keep theirs until an admin re-scores."""
    if name not in POLICIES:
        raise SettingsError("unknown_policy", "policy")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise SettingsError("reason_required", "reason")
    before = active_policy()
    if name == before:
        raise SettingsError("policy_unchanged", "policy")
    change = PolicyChange(policy=name, reason=reason, changed_by_id=getattr(actor, "id", None))
    db.session.add(change)
    record("settings.priority_policy", "setting", ACTIVE_POLICY, actor=actor, from_state=before, to_state=name,
           reason=reason)
    refresh("policy")  # the calculator and the rules page name the active policy
    db.session.flush()
    return change
