"""The platform reviewer's queue: take a submitted case, check the registries, publish, return or reject; later
suspend, reinstate or cancel a published case."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from jood.auth.access import roles_required
from jood.auth.roles import Role
from jood.cases import services
from jood.cases.access import private_case_or_404
from jood.cases.blueprint import bp
from jood.cases.forms import PublishForm, ReasonForm, RegistryForm
from jood.cases.models import REGISTRIES, Case, CaseStatus
from jood.cases.services import CaseError
from jood.cases.workflow import TransitionError
from jood.cases.workspace import render_case_file
from jood.core.feedback import show_error
from jood.core.unit import unit_of_work
from jood.extensions import db

S = CaseStatus
QUEUE = (S.SUBMITTED.value, S.UNDER_REVIEW.value, S.SUSPENDED.value)
ACTIONS = {"return": S.RETURNED, "reject": S.REJECTED, "suspend": S.SUSPENDED, "reinstate": S.PUBLISHED,
           "cancel": S.CANCELLED}


@bp.route("/review")
@roles_required(Role.REVIEWER, Role.AUDITOR)
def review_queue():
    status = request.args.get("status", "")
    statuses = [status] if status in {s.value for s in S} else list(QUEUE)
    cases = db.session.scalars(
        select(Case).options(joinedload(Case.charity)).where(Case.status.in_(statuses))
        .order_by(Case.submitted_at.asc().nulls_last(), Case.id)
    ).all()
    return render_template("cases/review_queue.html", cases=cases, status=status, statuses=list(S))


@bp.route("/review/<code>/take", methods=["POST"])
@roles_required(Role.REVIEWER)
def take(code: str):
    case = private_case_or_404(code)
    try:
        with unit_of_work():
            services.take_for_review(case, current_user)
    except (CaseError, TransitionError) as error:  # taking a case it is not free to take: "not allowed"
        show_error(error if isinstance(error, CaseError) else CaseError("not_allowed"))
    else:
        flash(_("You are reviewing case %(code)s.", code=case.code), "success")
    return redirect(url_for("cases.case_file", code=case.code))


@bp.route("/review/<code>/registry", methods=["POST"])
@roles_required(Role.REVIEWER)
def registry(code: str):
    case = private_case_or_404(code)
    form = RegistryForm()
    if form.validate_on_submit():
        answers = {name: {"outcome": form[f"{name}_outcome"].data, "evidence": form[f"{name}_evidence"].data}
                   for name in REGISTRIES}
        try:
            with unit_of_work():
                services.record_registry_checks(case, current_user, answers, form.evidence_file.data)
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("The registry checks were recorded."), "success")
            return redirect(url_for("cases.case_file", code=case.code, _anchor="verification"))
    return render_case_file(case, 400, registry_form=form)


@bp.route("/review/<code>/publish", methods=["POST"])
@roles_required(Role.REVIEWER)
def publish(code: str):
    case = private_case_or_404(code)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.publish_case(case, current_user, confirmed_no_private_data=form.confirm_no_private_data.data)
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("Case %(code)s is published.", code=case.code), "success")
            return redirect(url_for("cases.case_page", code=case.code))
    return render_case_file(case, 400, publish_form=form)


@bp.route("/review/<code>/<action>", methods=["POST"])
@roles_required(Role.REVIEWER)
def change_status(code: str, action: str):
    if action not in ACTIONS:
        abort(404)
    case = private_case_or_404(code)
    form = ReasonForm()
    if action == "reinstate" or form.validate_on_submit():
        try:
            with unit_of_work():
                services.change_status(case, current_user, ACTIONS[action], form.reason.data)
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("The case's status is now: %(status)s.", status=str(messages_status(case.status))), "info")
            return redirect(url_for("cases.case_file", code=case.code))
    return render_case_file(case, 400, reason_form=form)


def messages_status(status: str):
    from jood.cases.messages import STATUSES

    return STATUSES.get(status, status)
