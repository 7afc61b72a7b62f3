"""Declared permission tiers: every view says who may see it with one of these decorators."""

from __future__ import annotations

from functools import wraps

from flask import abort, request
from flask_login import current_user, login_required

from jood.auth.roles import READ_ONLY_MAY_POST, READ_ONLY_ROLES, Role

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def roles_required(*roles: Role):
    """Allow only signed-in users holding one of `roles`; admins pass every tier."""
    allowed = {str(role) for role in roles} | {Role.ADMIN.value}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)
        return wrapped

    return decorator


def public(view):
    """Mark a view as open to everyone, so the route-walking access test knows it was meant to be."""
    view.allowed_roles = None
    return view


def signed_in(view):
    """Any signed-in user."""
    wrapped = login_required(view)
    wrapped.allowed_roles = frozenset(str(role) for role in Role)
    return wrapped


def refuse_writes_by_read_only_roles():
    """Before every request: a read-only role (the auditor) may look at anything its tier allows and change
    nothing, whatever the view's tier says (public forms included)."""
    if request.method in SAFE_METHODS or request.endpoint in READ_ONLY_MAY_POST:
        return None
    if current_user.is_authenticated and current_user.role in READ_ONLY_ROLES:
        abort(403)
    return None
