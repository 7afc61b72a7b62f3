"""Who may read or change which case: one charity never sees another's cases, platform staff see all."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from jood.auth.roles import Role
from jood.cases.models import Case
from jood.extensions import db

# Platform staff who may read every private file (auditors read-only); finance and donors never.
PRIVATE_READERS = frozenset({Role.REVIEWER.value, Role.ADMIN.value, Role.AUDITOR.value})


def can_read_private(user, case: Case) -> bool:
    if not user.is_authenticated:
        return False
    if user.role in PRIVATE_READERS:
        return True
    return user.is_charity_staff and user.charity_id == case.charity_id


def case_by_code(code: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.code == code))
    if case is None:
        abort(404)
    return case


def private_case_or_404(code: str) -> Case:
    """A case whose private file the current user may read; another charity's case is simply not found."""
    case = case_by_code(code)
    if not can_read_private(current_user, case):
        abort(404)
    return case


def own_case_or_404(code: str) -> Case:
    """A case of the current user's own charity (for the charity's writes)."""
    case = case_by_code(code)
    if not (current_user.is_charity_staff and current_user.charity_id == case.charity_id):
        abort(404)
    return case
