"""Partner charities: the public directory and profiles, the application form, the reviewer's decisions and the
manager's staff page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from jood.auth.access import public, roles_required
from jood.auth.models import User
from jood.auth.roles import Role
from jood.cache import cached_page
from jood.cases import storage
from jood.charities import services
from jood.charities.forms import ApplicationForm, DecisionForm, InviteForm
from jood.charities.models import Charity, CharityStatus
from jood.core.errors import messages_for
from jood.core.feedback import show_error
from jood.core.unit import unit_of_work
from jood.extensions import db, limiter

bp = Blueprint("charities", __name__)

ERRORS = messages_for(services.CharityError, {
    "licence_taken": _l("A charity with this licence number is already registered."),
    "upload_empty": _l("The file is empty."),
    "upload_too_large": _l("The file is too large."),
    "upload_bad_type": _l("Only PDF, JPEG and PNG files are accepted."),
    "upload_bad_image": _l("This image cannot be read or is too large in pixels (at most 40 megapixels)."),
    "not_allowed": _l("This status change is not allowed."),
    "reason_required": _l("Give a reason."),
    "charity_not_approved": _l("Only staff of an approved partner charity can post or submit cases."),
    "email_taken": _l("This e-mail address already has an account."),
    "not_found": _l("Not found."),
}, fallback="not_allowed")
STATUS_LABELS = {"pending": _l("Pending"), "approved": _l("Approved"), "rejected": _l("Rejected"),
                 "suspended": _l("Suspended")}


@bp.app_context_processor
def charity_helpers():
    return {"charity_status_label": lambda status: STATUS_LABELS.get(status, status)}


@bp.route("/charities")
@cached_page("charities")
@public
def directory():
    return render_template("charities/directory.html", entries=services.directory())


@bp.route("/charities/apply", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public
def apply():
    form = ApplicationForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.apply(form.cleaned(), form.licence_document.data)
        except services.CharityError as error:
            show_error(error, form)
        else:
            flash(_("Thank you. A platform reviewer will study your application and write to you."), "success")
            return redirect(url_for("charities.directory"))
    return render_template("charities/apply.html", form=form), 400 if form.errors else 200


@bp.route("/charities/<slug>")
@cached_page("charity:{slug}", "catalog")
@public
def profile(slug: str):
    charity = db.session.scalar(select(Charity).where(Charity.slug == slug))
    if charity is None or charity.status != CharityStatus.APPROVED:
        abort(404)
    return render_template("charities/profile.html", charity=charity, numbers=services.profile_numbers(charity))


@bp.route("/charities/applications")
@roles_required(Role.REVIEWER, Role.AUDITOR)
def applications():
    charities = db.session.scalars(select(Charity).order_by(Charity.status != "pending", Charity.created_at)).all()
    return render_template("charities/applications.html", charities=charities, form=DecisionForm(formdata=None))


@bp.route("/charities/applications/<int:charity_id>/licence")
@roles_required(Role.REVIEWER, Role.AUDITOR, Role.CHARITY_MANAGER)
def licence(charity_id: int):
    charity = db.get_or_404(Charity, charity_id)
    if current_user.is_charity_staff and current_user.charity_id != charity.id:
        abort(404)
    if not charity.licence_document:
        abort(404)
    path = storage.stored_path("charities", charity.licence_document)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=charity.licence_document_type, as_attachment=True,
                         download_name=f"licence-{charity.slug}{path.suffix}", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/charities/applications/<int:charity_id>/<action>", methods=["POST"])
@roles_required(Role.REVIEWER)
def decide(charity_id: int, action: str):
    charity = db.get_or_404(Charity, charity_id)
    form = DecisionForm()
    if action not in ("approve", "reject", "suspend") or not form.validate_on_submit():
        abort(400)
    manager = None
    try:
        with unit_of_work():
            if action == "approve":
                manager = services.approve(charity, current_user)
            elif action == "reject":
                services.reject(charity, current_user, form.reason.data)
            else:
                services.suspend(charity, current_user, form.reason.data)
    except services.CharityError as error:
        show_error(error)
    else:
        if manager is not None:
            services.send_invitation(manager)
        flash(_("%(name)s is now: %(status)s.", name=charity.name_ar, status=STATUS_LABELS[charity.status]), "info")
    return redirect(url_for("charities.applications"))


@bp.route("/charities/staff", methods=["GET"])
@roles_required(Role.CHARITY_MANAGER)
def staff():
    if not current_user.is_charity_staff:
        return redirect(url_for("charities.applications"))
    return _render_staff(InviteForm(formdata=None))


def _render_staff(form, status: int = 200):
    members = db.session.scalars(
        select(User).where(User.charity_id == current_user.charity_id).order_by(User.role, User.display_name)).all()
    return render_template("charities/staff.html", form=form, members=members, charity=current_user.charity), status


@bp.route("/charities/staff/invite", methods=["POST"])
@roles_required(Role.CHARITY_MANAGER)
def invite():
    if not current_user.is_charity_staff:  # an admin has no charity of their own: as on the staff page
        return redirect(url_for("charities.applications"))
    form = InviteForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = services.invite_researcher(current_user, form.email.data, form.display_name.data)
        except services.CharityError as error:
            show_error(error, form)
        else:
            services.send_invitation(user)
            flash(_("An invitation was sent to %(email)s.", email=user.email), "success")
            return redirect(url_for("charities.staff"))
    return _render_staff(form, 400)


@bp.route("/charities/staff/<int:user_id>/remove", methods=["POST"])
@roles_required(Role.CHARITY_MANAGER)
def remove(user_id: int):
    researcher = db.session.get(User, user_id)
    if researcher is None or not current_user.is_charity_staff or researcher.charity_id != current_user.charity_id:
        abort(404)
    try:
        with unit_of_work():
            services.remove_researcher(current_user, researcher)
    except services.CharityError as error:
        show_error(error)
    else:
        flash(_("%(name)s can no longer sign in.", name=researcher.display_name), "info")
    return redirect(url_for("charities.staff"))
