"""The admin page of the points policy: which policy scores new cases, and re-scoring published cases under it
(a preview of every case's before and after, then an explicit confirmation)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from jood.auth.access import roles_required
from jood.auth.roles import Role
from jood.cases import messages as case_messages
from jood.cases import services as case_services
from jood.cases.forms import options
from jood.cases.models import Case, CaseStatus
from jood.core.errors import messages_for
from jood.core.unit import unit_of_work
from jood.extensions import db
from jood.priority import POLICIES
from jood.settings import services
from jood.settings.forms import PolicyForm, RescoreForm

bp = Blueprint("settings", __name__, url_prefix="/admin")

ERRORS = messages_for(services.SettingsError, {
    "unknown_policy": _l("Choose one of the listed policies."),
    "reason_required": _l("Give a reason of at least 5 characters."),
    "policy_unchanged": _l("This policy already scores new cases."),
})


def _policy_page(form: PolicyForm, status: int = 200):
    active = services.active_policy()
    counts = dict(db.session.execute(
        select(Case.priority_policy, func.count()).where(Case.status == CaseStatus.PUBLISHED.value)
        .group_by(Case.priority_policy)
    ).all())
    form.policy.choices = options((name, f"{case_messages.POLICIES.get(name, name)} ({name})") for name in POLICIES)
    return render_template("settings/policy.html", form=form, active=active, counts=counts,
                           to_rescore=sum(n for name, n in counts.items() if name != active),
                           history=services.policy_history()), status


@bp.route("/priority-policy")
@roles_required(Role.ADMIN)
def policy():
    form = PolicyForm(data={"policy": services.active_policy()})
    return _policy_page(form)


@bp.route("/priority-policy", methods=["POST"])
@roles_required(Role.ADMIN)
def change_policy():
    form = PolicyForm()
    if not form.validate_on_submit():
        return _policy_page(form, 400)
    try:
        with unit_of_work():
            services.set_active_policy(form.policy.data, actor=current_user, reason=form.reason.data)
    except services.SettingsError as error:
        getattr(form, error.field or "policy").errors.append(error.message)
        return _policy_page(form, 400)
    flash(_("New cases are now scored under %(policy)s. Published cases keep their policy until you re-score them.",
            policy=form.policy.data), "success")
    return redirect(url_for("settings.policy"))


@bp.route("/priority-policy/rescore")
@roles_required(Role.ADMIN)
def rescore_preview():
    policy = services.active_policy()
    rows = case_services.rescore_preview(policy)
    form = RescoreForm(data={"fingerprint": case_services.preview_fingerprint(rows)})
    return render_template("settings/rescore.html", rows=rows, policy=policy, form=form)


@bp.route("/priority-policy/rescore", methods=["POST"])
@roles_required(Role.ADMIN)
def rescore():
    policy = services.active_policy()
    form = RescoreForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                rows = case_services.rescore_published(policy, current_user, fingerprint=form.fingerprint.data)
        except case_services.CaseError as error:
            flash(error.message, "danger")
        else:
            applied = sum(1 for row in rows if row.applies)
            flash(_("%(n)s published cases were re-scored under %(policy)s.", n=applied, policy=policy), "success")
            return redirect(url_for("settings.policy"))
    rows = case_services.rescore_preview(policy)
    fresh = RescoreForm(data={"fingerprint": case_services.preview_fingerprint(rows)})
    fresh.confirm.errors = list(form.confirm.errors)
    return render_template("settings/rescore.html", rows=rows, policy=policy, form=fresh), 400
