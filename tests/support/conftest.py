import email
from datetime import timedelta
from pathlib import Path

import pytest

from jood.auth.roles import Role
from jood.core.db import utcnow
from jood.extensions import db
from jood.support import services


@pytest.fixture
def file_request():
    """A request filed through the service, committed (as the public form would)."""

    def factory(kind="complaint", email="requester@example.org", mobile=None, **fields):
        if kind == "grievance":
            fields.setdefault("contested_decision", "قرار رفض الطلب")
            fields.setdefault("notified_on", (utcnow() - timedelta(days=10)).date())
        item = services.file_request(kind=kind, name=fields.pop("name", "هدى السالم"),
                                     message=fields.pop("message", "لم يصلني إيصال التبرع حتى الآن."),
                                     email=email, mobile=mobile, **fields)
        db.session.commit()
        return item

    return factory


@pytest.fixture
def committee(make_user):
    """Three platform staff members on the grievance committee."""
    admin = make_user(Role.ADMIN)
    members = [make_user(Role.REVIEWER), make_user(Role.FINANCE), make_user(Role.REVIEWER)]
    for member in members:
        services.add_member(member, actor=admin)
    db.session.commit()
    return members


def mails_to(app, address: str) -> list[email.message.Message]:
    outbox = Path(app.config["MAIL_OUTBOX"])
    files = sorted(outbox.glob(f"*-{address.replace('@', '_at_')}.eml"))
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files]
