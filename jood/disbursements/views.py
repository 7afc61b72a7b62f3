"""Disbursement pages: the charity's requests, the finance officer's queue, evidence, follow-ups, renewals; and
the donor's page of what their gifts did, with the annual statement."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from jood.auth.access import roles_required, signed_in
from jood.auth.roles import CHARITY_STAFF, Role
from jood.cases.models import Case
from jood.core.errors import messages_for
from jood.core.feedback import show_error
from jood.core.unit import unit_of_work
from jood.disbursements import services, storage
from jood.disbursements.forms import ConfirmForm, DecisionForm, DisbursementForm, FollowUpForm
from jood.disbursements.models import Disbursement, DisbursementDocument
from jood.extensions import db
from jood.money import AmountError, parse_amount_sar

bp = Blueprint("disbursements", __name__)

ERRORS = messages_for(services.DisbursementError, {
    "not_your_case": _l("Only the case's charity can do this."),
    "case_not_funded": _l("Only a funded case can be paid out."),
    "already_requested": _l("This case already has a disbursement request."),
    "amount_positive": _l("Enter an amount more than zero."),
    "amount_over_held": _l("The case holds only %(held)s."),
    "payee_required": _l("Enter who is paid."),
    "period_required": _l("Enter the lease period."),
    "period_reversed": _l("The lease must end after it starts."),
    "contract_required": _l("Enter the purchase contract number."),
    "outcome_required": _l("Write the public outcome."),
    "outcome_private": _l("The public outcome must not contain names, numbers or e-mail addresses."),
    "evidence_required": _l("Attach at least one evidence document."),
    "upload_empty": _l("One of the files is empty."),
    "upload_too_large": _l("One of the files is too large."),
    "upload_bad_type": _l("Only PDF, JPEG and PNG files are accepted."),
    "upload_bad_image": _l("This image cannot be read or is too large in pixels (at most 40 megapixels)."),
    "not_finance": _l("Only a platform finance officer can decide."),
    "same_person": _l("You sent this request: another finance officer must decide it."),
    "not_requested": _l("This request is not waiting for a decision."),
    "not_returned": _l("Only a returned request can be sent again."),
    "reason_required": _l("Give the reasons for returning it."),
    "months_unknown": _l("Choose six or twelve months."),
    "not_disbursed": _l("This case has not been paid out."),
    "follow_up_not_due": _l("The %(months)s-month follow-up is not due yet."),
    "follow_up_done": _l("The %(months)s-month follow-up is already recorded."),
    "note_private": _l("The note must not contain names, numbers or e-mail addresses."),
    "not_renewable": _l("Only a closed rent case can be renewed."),
    "already_renewed": _l("This case has already been renewed."),
    "amount_not_a_number": _l("Enter the amount as a number, for example 18000."),
})


def _case_of_staff(code: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.code == code))
    if case is None or not services.is_case_staff(current_user, case):
        abort(404)  # another charity's case does not exist for this user
    return case


def _details(form: DisbursementForm) -> services.RequestDetails:
    try:
        amount = parse_amount_sar(form.amount.data or "")
    except AmountError:
        raise services.DisbursementError("amount_not_a_number", "amount") from None
    files = [storage.read(upload) for upload in request.files.getlist(form.documents.name) if upload.filename]
    return services.RequestDetails(
        amount=amount, payee_name=form.payee_name.data or "", outcome_text=form.outcome_text.data or "",
        payee_phone=form.payee_phone.data or "", contract_reference=form.contract_reference.data or "",
        period_start=form.period_start.data, period_end=form.period_end.data, note=form.note.data or "",
        files=files)


def _prefill(form: DisbursementForm, case: Case, current: Disbursement | None) -> None:
    if current is not None and current.status == "returned":
        for name in ("payee_name", "payee_phone", "contract_reference", "period_start", "period_end",
                     "outcome_text", "note"):
            getattr(form, name).data = getattr(current, name)
        amount = current.amount
    else:
        amount = case.raised_amount - case.disbursed_amount
    whole, cents = divmod(amount, 100)
    form.amount.data = f"{whole}.{cents:02d}"


# --- the charity -----------------------------------------------------------------------------------------------


@bp.route("/charity/disbursements")
@roles_required(*CHARITY_STAFF)
def workspace():
    if not current_user.is_charity_staff:  # an admin passes every tier but belongs to no charity
        return redirect(url_for("disbursements.finance_queue"))
    overview = services.charity_overview(current_user.charity_id)
    return render_template("disbursements/workspace.html", overview=overview, due=services.follow_up_due,
                           form=ConfirmForm())


@bp.route("/charity/cases/<code>/disbursement", methods=["GET", "POST"])
@roles_required(*CHARITY_STAFF)
def request_form(code):
    case = _case_of_staff(code)
    current = services.current_for(case)
    form = DisbursementForm()
    if request.method == "GET":
        _prefill(form, case, current)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                details = _details(form)
                if current is not None and current.status == "returned":
                    services.resubmit(current, details, actor=current_user)
                else:
                    services.request_disbursement(case, details, actor=current_user)
        except services.DisbursementError as error:
            show_error(error, form)
        else:
            flash(_("The disbursement request for %(code)s was sent to the platform's finance officers.",
                    code=case.code), "info")
            return redirect(url_for("disbursements.workspace"))
    status = 400 if request.method == "POST" else 200
    return render_template("disbursements/request.html", case=case, form=form, current=current), status


@bp.route("/charity/cases/<code>/follow-up", methods=["GET", "POST"])
@roles_required(*CHARITY_STAFF)
def follow_up(code):
    case = _case_of_staff(code)
    form = FollowUpForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.record_follow_up(case, int(form.months.data), form.housed.data == "yes", form.note.data or "",
                                          actor=current_user)
        except services.DisbursementError as error:
            show_error(error, form)
        else:
            flash(_("Follow-up recorded for %(code)s.", code=case.code), "info")
            return redirect(url_for("disbursements.workspace"))
    status = 400 if request.method == "POST" else 200
    return render_template("disbursements/follow_up.html", case=case, form=form), status


@bp.route("/charity/cases/<code>/renew", methods=["POST"])
@roles_required(*CHARITY_STAFF)
def renew(code):
    case = _case_of_staff(code)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        with unit_of_work():
            new = services.renew(case, actor=current_user)
    except services.DisbursementError as error:
        flash(error.message, "danger")
    else:
        flash(_("Case %(new)s was created as the renewal of %(old)s. Update it and submit it for review.",
                new=new.code, old=case.code), "info")
    return redirect(url_for("disbursements.workspace"))


# --- the platform's finance officers -----------------------------------------------------------------------------


@bp.route("/finance/disbursements")
@roles_required(Role.FINANCE, Role.AUDITOR)
def finance_queue():
    return render_template("disbursements/queue.html", waiting=services.queue(),
                           recent=services.queue((services.D.APPROVED, services.D.RETURNED))[-50:])


@bp.route("/finance/disbursements/<int:disbursement_id>", methods=["GET", "POST"])
@roles_required(Role.FINANCE, Role.AUDITOR)
def decide(disbursement_id):
    disbursement = db.session.get(Disbursement, disbursement_id) or abort(404)
    form = DecisionForm()
    if request.method == "GET":
        form.outcome_text.data = disbursement.outcome_text
    if request.method == "POST":
        if current_user.role == Role.AUDITOR:
            abort(403)
        if form.validate_on_submit():
            try:
                with unit_of_work():
                    if form.action.data == "approve":
                        services.approve(disbursement, actor=current_user, outcome_text=form.outcome_text.data)
                        message = _("Paid out: case %(code)s is closed.", code=disbursement.case.code)
                    else:
                        services.return_disbursement(disbursement, form.reason.data or "", actor=current_user)
                        message = _("Returned to the charity.")
            except services.DisbursementError as error:
                show_error(error, form)
            else:
                flash(message, "info")
                return redirect(url_for("disbursements.finance_queue"))
    status = 400 if request.method == "POST" else 200
    return render_template("disbursements/decide.html", d=disbursement, form=form,
                           may_decide=current_user.role != Role.AUDITOR), status


@bp.route("/disbursements/documents/<int:document_id>")
@signed_in
def document(document_id):
    doc = db.session.get(DisbursementDocument, document_id)
    if doc is None or not services.may_see_documents(current_user, doc.disbursement):
        abort(404)
    try:
        path = storage.path_of(doc.stored_name)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=doc.content_type, download_name=doc.original_name, as_attachment=False)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- the donor -----------------------------------------------------------------------------------------------------


@bp.route("/account/impact")
@signed_in
def my_impact():
    return render_template("disbursements/my_impact.html", summary=services.donor_summary(current_user))


@bp.route("/account/statement/<int:year>.pdf")
@signed_in
def statement(year):
    from jood.disbursements.statement import statement_pdf

    if not 2000 <= year <= 2200:
        abort(404)
    body = statement_pdf(current_user, year, services.statement_rows(current_user, year))
    return body, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": f'inline; filename="jood-statement-{year}.pdf"',
                       "Cache-Control": "private, no-store"}


@bp.app_context_processor
def outcome_helpers():
    """For the partials other features include: the case page and the receipt verify page."""
    return {"case_outcome": services.case_outcome, "donation_outcomes": services.donation_outcomes}
