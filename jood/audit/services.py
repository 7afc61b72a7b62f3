from __future__ import annotations

from jood.audit.models import AuditEntry
from jood.extensions import db


def record(action: str, obj_type: str, obj_id, *, actor=None, from_state=None, to_state=None, reason=None):
    """Add an audit entry to the current unit of work (the caller commits)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=obj_type,
        object_id=str(obj_id),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    db.session.add(entry)
    return entry
