"""Partner charities: applications, the reviewer's decisions, staff invitations and the public profile numbers."""

from __future__ import annotations

import re
import secrets
import statistics

from flask import render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from jood.audit.services import record
from jood.auth import services as accounts
from jood.auth.models import User
from jood.auth.roles import Role
from jood.cache import SITE, refresh
from jood.cases import storage
from jood.cases.models import Case, CaseStatus
from jood.charities.models import Charity, CharityStatus
from jood.core.db import utcnow
from jood.core.errors import DomainError
from jood.extensions import db
from jood.mail import send_mail

S = CharityStatus


class CharityError(DomainError):
    pass


def _unique_slug(name_en: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")[:60] or "charity"
    slug, n = base, 1
    while db.session.scalar(select(Charity.id).where(Charity.slug == slug)) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def apply(data: dict, licence_file) -> Charity:
    """A charity asks to become a partner; a platform reviewer decides."""
    if db.session.scalar(select(Charity.id).where(Charity.licence_number == data["licence_number"])) is not None:
        raise CharityError("licence_taken", "licence_number")
    try:
        stored = storage.save_upload(licence_file, "charities")
    except storage.UploadError as error:
        raise CharityError(f"upload_{error.code}", "licence_document") from error
    charity = Charity(slug=_unique_slug(data["name_en"]), status=S.PENDING.value, licence_document=stored.stored_name,
                      licence_document_type=stored.content_type, **data)
    db.session.add(charity)
    db.session.flush()
    record("charity.applied", "charity", charity.slug, to_state=S.PENDING.value)
    return charity


def _move(charity: Charity, actor, allowed_from: set[CharityStatus], to: CharityStatus, reason: str | None) -> None:
    if CharityStatus(charity.status) not in allowed_from:
        raise CharityError("not_allowed")
    if to in (S.REJECTED, S.SUSPENDED) and not (reason and reason.strip()):
        raise CharityError("reason_required", "reason")
    record("charity.transition", "charity", charity.slug, actor=actor, from_state=charity.status, to_state=to.value,
           reason=(reason or "").strip() or None)
    charity.status = to.value
    charity.status_reason = (reason or "").strip() or None
    refresh(SITE)  # its name, profile and cases appear on most public pages, or leave them: rare, so every page


def approve(charity: Charity, actor) -> User | None:
    """Approve (or reinstate) a charity. A first approval creates its manager's account; returns it to invite."""
    first = charity.approved_at is None
    _move(charity, actor, {S.PENDING, S.SUSPENDED}, S.APPROVED, None)
    charity.approved_at = charity.approved_at or utcnow()
    manager = None
    if first and accounts.find_user_by_email(charity.contact_email) is None:
        manager = _new_staff(charity, charity.contact_email, charity.contact_name or charity.name_ar,
                             Role.CHARITY_MANAGER)
    db.session.flush()
    return manager


def reject(charity: Charity, actor, reason: str) -> None:
    _move(charity, actor, {S.PENDING}, S.REJECTED, reason)
    db.session.flush()


def suspend(charity: Charity, actor, reason: str) -> None:
    _move(charity, actor, {S.APPROVED}, S.SUSPENDED, reason)
    for member in charity.staff:  # a suspended charity's staff are signed out wherever they are
        member.revoke_sessions()
    db.session.flush()


def _new_staff(charity: Charity, email: str, name: str, role: Role) -> User:
    # A random password nobody knows: the invitation link sets the real one.
    return accounts.create_user(email, secrets.token_urlsafe(32), name, role, charity)


def invite_researcher(manager: User, email: str, name: str) -> User:
    if not manager.charity or not manager.charity.is_approved:
        raise CharityError("charity_not_approved")
    if accounts.find_user_by_email(email) is not None:
        raise CharityError("email_taken", "email")
    user = _new_staff(manager.charity, email, name, Role.RESEARCHER)
    record("charity.staff_invited", "user", user.id, actor=manager)
    return user


def remove_researcher(manager: User, researcher: User) -> None:
    if researcher.charity_id != manager.charity_id or researcher.role != Role.RESEARCHER:
        raise CharityError("not_found")
    researcher.active = False
    record("charity.staff_removed", "user", researcher.id, actor=manager)
    db.session.flush()


def send_invitation(user: User) -> None:
    """E-mail a set-password link (the password-reset token, valid for the reset period)."""
    link = url_for("auth.reset_password", token=accounts.make_reset_token(user), _external=True)
    send_mail(user.email, _("You are invited to Jood"),
              render_template("charities/invitation_email.txt", user=user, link=link))


# --- public numbers -----------------------------------------------------------------------------------------------

FUNDED = (CaseStatus.FUNDED.value, CaseStatus.DISBURSED.value, CaseStatus.CLOSED.value)
DISBURSED = (CaseStatus.DISBURSED.value, CaseStatus.CLOSED.value)
PUBLISHED = (CaseStatus.PUBLISHED.value, *FUNDED)


def profile_numbers(charity: Charity) -> dict:
    counts = dict(db.session.execute(
        select(Case.status, func.count()).where(Case.charity_id == charity.id).group_by(Case.status)
    ).all())
    durations = [
        (disbursed - published).days
        for published, disbursed in db.session.execute(
            select(Case.published_at, Case.disbursed_at)
            .where(Case.charity_id == charity.id, Case.status.in_(DISBURSED), Case.disbursed_at.is_not(None),
                   Case.published_at.is_not(None))
        )
    ]
    return {
        "published": sum(counts.get(status, 0) for status in PUBLISHED),
        "funded": sum(counts.get(status, 0) for status in FUNDED),
        "disbursed": sum(counts.get(status, 0) for status in DISBURSED),
        "median_days": statistics.median(durations) if durations else None,
    }


def directory() -> list[tuple[Charity, int]]:
    """Approved charities with their number of public cases, in two queries."""
    charities = list(db.session.scalars(
        select(Charity).where(Charity.status == S.APPROVED.value).order_by(Charity.name_ar)))
    counts = dict(db.session.execute(
        select(Case.charity_id, func.count()).where(Case.status.in_(PUBLISHED)).group_by(Case.charity_id)).all())
    return [(charity, counts.get(charity.id, 0)) for charity in charities]
