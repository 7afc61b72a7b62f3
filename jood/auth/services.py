"""Account operations: sign-up, sign-in bookkeeping and password reset tokens."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from jood.auth.models import User
from jood.auth.roles import Role
from jood.core.db import utcnow
from jood.extensions import db

RESET_SALT = "jood-password-reset"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, password: str, display_name: str, role: Role = Role.DONOR, charity=None) -> User:
    user = User(email=normalise_email(email), display_name=display_name.strip(), role=role.value, charity=charity)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # The token embeds a digest of the current hash: once the password changes, every older token is void.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    return _serializer().dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("pw") != _password_fingerprint(user):
        return None
    return user
