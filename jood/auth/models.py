from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from jood.auth.roles import CHARITY_STAFF, Role
from jood.core.db import UTCDateTime, utcnow
from jood.extensions import db

ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN ({ROLE_VALUES})", name="role_known"),
        # Charity staff belong to exactly one charity; nobody else belongs to any.
        CheckConstraint(
            "(role IN ('researcher', 'charity_manager')) = (charity_id IS NOT NULL)", name="staff_has_charity"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default=Role.DONOR.value)
    charity_id: Mapped[int | None] = mapped_column(ForeignKey("charities.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id that both the session cookie and the remember-me cookie carry (get_id): raising it signs out
    # every browser at once. Raised on sign-out, password reset, role change and suspension.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    charity = relationship("Charity", back_populates="staff")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.revoke_sessions()

    def revoke_sessions(self) -> None:
        """Void every session and remember-me cookie issued so far (the caller commits)."""
        self.session_version = (self.session_version or 1) + 1

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version or 1}"

    @validates("role", "active")
    def _revoke_on_change(self, key, value):
        # A new role or a suspension must not leave a signed-in browser with the old powers.
        if self.id is not None and getattr(self, key) is not None and getattr(self, key) != value:
            self.revoke_sessions()
        return value

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_charity_staff(self) -> bool:
        return self.role in CHARITY_STAFF

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in {str(role) for role in roles}

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
