from __future__ import annotations

from jood.audit.models import AuditEntry
from jood.core.db import insert_now


def record(action: str, obj_type: str, obj_id, *, actor=None, from_state=None, to_state=None, reason=None) -> None:
    """Write an audit entry in the current unit of work (the caller commits; a rollback takes it back).

    Inserted at once rather than added to the session: an entry is only ever written, and one INSERT costs less
    than the ORM's flush of a new object on the paid path."""
    insert_now(AuditEntry, actor_id=getattr(actor, "id", None), action=action, object_type=obj_type,
               object_id=str(obj_id), from_state=from_state, to_state=to_state, reason=reason)
