"""Support: the public request form and status page, the staff queue, the grievance committee, the service report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectChoice

from jood.auth.access import public, roles_required
from jood.auth.models import User
from jood.auth.roles import COMMITTEE_ROLES, Role
from jood.core.db import utcnow
from jood.core.errors import messages_for
from jood.core.unit import unit_of_work
from jood.extensions import db, limiter
from jood.i18n import current_language
from jood.support import rules, services
from jood.support.forms import (
    ActionForm,
    AssignForm,
    MemberForm,
    RateForm,
    ReplyForm,
    RequestForm,
    StatusLookupForm,
    VoteForm,
)
from jood.support.labels import LABELS, duration, hijri_month_names, month_titles, percent
from jood.support.models import CommitteeMember
from jood.support.periods import OutsideTheData, parse_month, riyadh_today
from jood.support.rules import Kind, Status

bp = Blueprint("support", __name__, url_prefix="/support")

STAFF = (Role.REVIEWER, Role.FINANCE, Role.AUDITOR)  # admins pass every tier
ACCESS_KEY = "support_access"  # tracking numbers this browser has proven it may see
ACCESS_LIMIT = 20


ERRORS = messages_for(services.SupportError, {
    "no_contact": _l("Give an e-mail address or a mobile number so we can answer you."),
    "grievance_late": _l("A grievance must be filed within %(days)s days of being notified of the decision.",
                         days=rules.GRIEVANCE_FILING_WINDOW_DAYS),
    "grievance_future": _l("The notification date cannot be in the future."),
    "grievance_fields": _l("Describe the decision you are contesting and the date you were notified of it."),
    "bad_rating": _l("Choose a rating from 1 to 5."),
    "not_resolved": _l("You can rate a request once it is resolved."),
    "already_rated": _l("This request has already been rated. Thank you."),
    "bad_assignee": _l("Requests can be assigned only to active reviewers or administrators."),
    "empty_reply": _l("Write the reply."),
    "already_resolved": _l("This request is already resolved."),
    "grievance_needs_decision": _l("A grievance is resolved by the committee's decision, not by hand."),
    "member_not_staff": _l("Only active reviewers, finance officers and administrators can sit on the committee: "
                           "the auditor reads and does not vote."),
    "already_member": _l("This person is already on the committee."),
    "not_grievance": _l("Only grievances go to the committee."),
    "not_member": _l("Only committee members can vote."),
    "already_decided": _l("The committee has already decided this grievance."),
    "committee_too_small": _l("The committee needs at least %(n)s members before it can decide.",
                              n=rules.COMMITTEE_MIN_MEMBERS),
    "no_quorum": _l("At least %(n)s members must vote before a decision is recorded.", n=rules.COMMITTEE_QUORUM),
    "no_majority": _l("The votes have no majority yet: a decision needs more than half of the votes."),
    "not_possible": _l("This action is not possible."),
}, fallback="not_possible")


def error_message(code: str) -> str:
    return services.SupportError(code).message


@bp.context_processor
def deadline_helpers():
    now = utcnow()

    def deadline(item):
        return {"days_left": rules.days_left(item.due_at, now),
                "overdue": rules.is_overdue(item.due_at, now, item.is_resolved)}

    return {"deadline": deadline, **LABELS}


def _grant(tracking: str) -> None:
    granted = [item for item in session.get(ACCESS_KEY, []) if item != tracking]
    session[ACCESS_KEY] = [*granted[-(ACCESS_LIMIT - 1):], tracking]


def _granted_request(tracking: str):
    """The request when this browser filed it or proved its contact; otherwise off to the lookup form."""
    if tracking not in session.get(ACCESS_KEY, []):
        return None
    return services.by_tracking(tracking)


def _status_url(item) -> str:
    return url_for("support.status_lookup", tracking=item.tracking_number, _external=True)


# --- Public ----------------------------------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
@public
def new_request():
    form = RequestForm()
    if request.method == "GET":
        form.kind.data = request.args.get("kind") if request.args.get("kind") in set(Kind) else Kind.INQUIRY.value
        form.case_code.data = request.args.get("case", "")[:20] or None
    if form.validate_on_submit():
        try:
            with unit_of_work():
                item = services.file_request(
                    kind=form.kind.data, name=form.name.data, message=form.message.data, email=form.email.data,
                    mobile=form.mobile.data, case_code=form.case_code.data,
                    donation_reference=form.donation_reference.data, contested_decision=form.contested_decision.data,
                    notified_on=form.notified_on.data, language=current_language(),
                )
                services.send_confirmation(item, _status_url(item))
        except services.SupportError as error:
            form.message.errors.append(error_message(error.code))
        else:
            _grant(item.tracking_number)
            flash(_("Your request was received. Its tracking number is %(tracking)s.",
                    tracking=item.tracking_number), "success")
            return redirect(url_for("support.request_status", tracking=item.tracking_number))
    return render_template("support/new.html", form=form, deadlines=services.deadlines(),
                           window=rules.GRIEVANCE_FILING_WINDOW_DAYS, members=rules.COMMITTEE_MIN_MEMBERS)


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit("10 per minute; 60 per hour", methods=["POST"])
@public
def status_lookup():
    form = StatusLookupForm()
    if request.method == "GET" and request.args.get("tracking"):
        form.tracking.data = request.args["tracking"][:20]
    if form.validate_on_submit():
        item = services.find_for_requester(form.tracking.data, form.contact.data)
        if item is not None:
            _grant(item.tracking_number)
            return redirect(url_for("support.request_status", tracking=item.tracking_number))
        # One message for a wrong number and a wrong contact: the form reveals nothing about other people's requests.
        form.contact.errors.append(_("No request matches this tracking number and contact."))
    return render_template("support/lookup.html", form=form)


@bp.route("/requests/<tracking>")
@public
def request_status(tracking):
    item = _granted_request(tracking)
    if item is None:
        return redirect(url_for("support.status_lookup", tracking=tracking))
    return render_template("support/status.html", item=item, form=RateForm())


@bp.route("/requests/<tracking>/rate", methods=["POST"])
@public
def rate(tracking):
    item = _granted_request(tracking)
    if item is None:
        return redirect(url_for("support.status_lookup", tracking=tracking))
    form = RateForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.rate(item, int(form.rating.data))
            flash(_("Thank you for rating our service."), "success")
        except services.SupportError as error:
            flash(error_message(error.code), "danger")
        return redirect(url_for("support.request_status", tracking=tracking))
    return render_template("support/status.html", item=item, form=form), 400


@bp.route("/report")
@public
def service_report():
    calendar = "hijri" if request.args.get("calendar") == "hijri" else "gregorian"
    key = request.args.get("month")
    if calendar == "hijri" and request.args.get("hy") and request.args.get("hm"):
        key = f"{request.args['hy']}-{request.args['hm']}"
    today = riyadh_today(utcnow())
    earliest = services.first_request_day() or today
    try:
        month = parse_month(key, calendar, today, earliest)
    except OutsideTheData:
        abort(404)
    return render_template("support/report.html", month=month, report=services.monthly_report(month),
                           has_previous=month.has_previous(earliest), has_next=month.has_next(today),
                           calendar=calendar, titles=month_titles(month), percent=percent, duration=duration,
                           hijri_months=hijri_month_names(), kinds=list(Kind), decisions=list(rules.Decision))


# --- Staff -----------------------------------------------------------------------------------------------------


@bp.route("/queue")
@roles_required(Role.REVIEWER)
def queue():
    kind, status = request.args.get("kind"), request.args.get("status")
    overdue = request.args.get("overdue") == "1"
    mine = current_user if request.args.get("mine") == "1" else None
    page = db.paginate(services.queue(kind=kind, status=status, overdue=overdue, mine=mine), per_page=30,
                       error_out=False)
    return render_template("support/queue.html", page=page, counts=services.open_counts(), kinds=list(Kind),
                           statuses=list(Status), filters={"kind": kind, "status": status, "overdue": overdue,
                                                           "mine": mine is not None})


def _staff_request(tracking):
    item = services.by_tracking(tracking)
    if item is None:
        abort(404)
    return item


@bp.route("/queue/<tracking>")
@roles_required(*STAFF)
def staff_request(tracking):
    item = _staff_request(tracking)
    assign_form = AssignForm()
    assign_form.assignee.choices = [SelectChoice(user.id, user.display_name) for user in services.queue_staff()]
    if item.assignee_id:
        assign_form.assignee.data = item.assignee_id
    return render_template(
        "support/staff_request.html", item=item, assign_form=assign_form, reply_form=ReplyForm(),
        action_form=ActionForm(), vote_form=VoteForm(), votes=services.current_votes(item) if item.is_grievance
        else [], is_member=services.is_member(current_user), blocker=services.decision_blocker(item)
        if item.is_grievance else None, can_work=current_user.role in (Role.REVIEWER, Role.ADMIN),
        blocker_message=error_message(services.decision_blocker(item)) if item.is_grievance else None,
    )


def _run(tracking, action, success_message):
    """Load the request, run one service call, commit once, and go back to the request's page."""
    item = _staff_request(tracking)
    try:
        with unit_of_work():
            action(item)
        flash(success_message, "success")
    except services.SupportError as error:
        flash(error_message(error.code), "danger")
    return redirect(url_for("support.staff_request", tracking=tracking))


@bp.route("/queue/<tracking>/assign", methods=["POST"])
@roles_required(Role.REVIEWER)
def assign(tracking):
    form = AssignForm()
    form.assignee.choices = [SelectChoice(user.id, user.display_name) for user in services.queue_staff()]
    if not form.validate_on_submit():
        flash(_("Choose a reviewer from the list."), "danger")
        return redirect(url_for("support.staff_request", tracking=tracking))
    assignee = db.get_or_404(User, form.assignee.data)
    return _run(tracking, lambda item: services.assign(item, assignee, actor=current_user),
                _("The request is assigned to %(name)s.", name=assignee.display_name))


@bp.route("/queue/<tracking>/reply", methods=["POST"])
@roles_required(Role.REVIEWER)
def reply(tracking):
    form = ReplyForm()
    if not form.validate_on_submit():
        flash(form.body.errors[0] if form.body.errors else _("Write the reply."), "danger")
        return redirect(url_for("support.staff_request", tracking=tracking))

    def send(item):
        answer = services.reply(item, form.body.data, actor=current_user)
        services.send_reply_mail(item, answer, _status_url(item))

    return _run(tracking, send, _("Your reply was sent to the requester."))


@bp.route("/queue/<tracking>/resolve", methods=["POST"])
@roles_required(Role.REVIEWER)
def resolve(tracking):
    if not ActionForm().validate_on_submit():
        abort(400)
    return _run(tracking, lambda item: services.resolve(item, actor=current_user), _("The request is resolved."))


@bp.route("/queue/<tracking>/vote", methods=["POST"])
@roles_required(*COMMITTEE_ROLES)
def vote(tracking):
    form = VoteForm()
    if not form.validate_on_submit():
        flash(_("Choose your vote."), "danger")
        return redirect(url_for("support.staff_request", tracking=tracking))
    return _run(tracking, lambda item: services.vote(item, current_user, form.vote.data, form.note.data),
                _("Your vote is recorded."))


@bp.route("/queue/<tracking>/decide", methods=["POST"])
@roles_required(Role.REVIEWER)
def decide(tracking):
    if not ActionForm().validate_on_submit():
        abort(400)

    def record_decision(item):
        services.decide(item, actor=current_user)
        services.send_decision_mail(item, _status_url(item))

    return _run(tracking, record_decision, _("The committee's decision is recorded."))


@bp.route("/committee")
@roles_required(*STAFF)
def committee():
    form = MemberForm()
    form.user.choices = [SelectChoice(user.id, user.display_name) for user in services.eligible_members()]
    pending = db.session.scalars(services.queue(kind=Kind.GRIEVANCE.value)).all()
    return render_template("support/committee.html", members=services.committee(), form=form,
                           action_form=ActionForm(), pending=pending, minimum=rules.COMMITTEE_MIN_MEMBERS)


@bp.route("/committee/members", methods=["POST"])
@roles_required()
def add_member():
    form = MemberForm()
    form.user.choices = [SelectChoice(user.id, user.display_name) for user in services.eligible_members()]
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.add_member(db.get_or_404(User, form.user.data), actor=current_user)
            flash(_("Added to the committee."), "success")
        except services.SupportError as error:
            flash(error_message(error.code), "danger")
    else:
        flash(_("Choose a staff member from the list."), "danger")
    return redirect(url_for("support.committee"))


@bp.route("/committee/members/<int:member_id>/remove", methods=["POST"])
@roles_required()
def remove_member(member_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    with unit_of_work():
        services.remove_member(db.get_or_404(CommitteeMember, member_id), actor=current_user)
    flash(_("Removed from the committee."), "info")
    return redirect(url_for("support.committee"))
