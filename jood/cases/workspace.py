"""The charity workspace: a researcher's or manager's own charity's cases, intake, visit, verification, submission."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from jood.audit.models import AuditEntry
from jood.auth.access import roles_required
from jood.auth.roles import Role
from jood.cases import identity, services, storage
from jood.cases.access import own_case_or_404, private_case_or_404
from jood.cases.blueprint import bp
from jood.cases.forms import (
    CaseForm,
    DocumentForm,
    MemberForm,
    NoteForm,
    PublishForm,
    ReasonForm,
    RegistryForm,
    VisitForm,
)
from jood.cases.messages import error_message
from jood.cases.models import Case, CaseDocument, FamilyMember
from jood.cases.services import CaseError
from jood.core.feedback import show_error
from jood.core.unit import unit_of_work
from jood.extensions import db
from jood.text import has_markup

STAFF = (Role.RESEARCHER, Role.CHARITY_MANAGER)
READERS = (Role.RESEARCHER, Role.CHARITY_MANAGER, Role.REVIEWER, Role.AUDITOR)


@bp.route("/workspace")
@roles_required(*STAFF)
def workspace():
    if not current_user.is_charity_staff:  # admins land on the review queue
        return redirect(url_for("cases.review_queue"))
    cases = db.session.scalars(
        select(Case).where(Case.charity_id == current_user.charity_id).order_by(Case.updated_at.desc())
    ).all()
    return render_template("cases/workspace.html", cases=cases, charity=current_user.charity)


@bp.route("/workspace/cases/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new_case():
    if not current_user.is_charity_staff:
        return redirect(url_for("cases.review_queue"))
    form = CaseForm()
    if not current_user.charity.is_approved:
        flash(error_message(CaseError("charity_not_approved")), "danger")
    elif form.validate_on_submit():
        if not form.national_id.data:
            form.national_id.errors.append(_("Enter the national ID."))
        else:
            try:
                with unit_of_work():
                    case = services.create_case(current_user.charity, current_user, form.cleaned())
            except CaseError as error:
                show_error(error, form)
            else:
                flash(_("Draft %(code)s saved. Add the family members and documents.", code=case.code), "success")
                return redirect(url_for("cases.case_file", code=case.code))
    return render_template("cases/edit.html", form=form, case=None), 400 if form.errors else 200


@bp.route("/workspace/cases/<code>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_case(code: str):
    case = own_case_or_404(code)
    if request.method == "GET":
        form = CaseForm(obj=case.applicant)
        for name in services.CASE_FIELDS:
            form[name].data = getattr(case, name)
        form.suspended_periods.data = "\n".join(f"{a} to {b}" for a, b in case.applicant.suspended_periods)
        form.national_id.data = ""
    else:
        form = CaseForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.update_case(case, current_user, form.cleaned())
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("The case was saved."), "success")
            return redirect(url_for("cases.case_file", code=case.code))
    return render_template("cases/edit.html", form=form, case=case), 400 if form.errors else 200


def render_case_file(case: Case, status: int = 200, **forms):
    history = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "case", AuditEntry.object_id == case.code)
        .order_by(AuditEntry.id)
    ).all()
    defaults = {
        "member_form": MemberForm(formdata=None), "document_form": DocumentForm(formdata=None),
        "note_form": NoteForm(formdata=None), "reason_form": ReasonForm(formdata=None),
        "publish_form": PublishForm(formdata=None), "registry_form": RegistryForm(formdata=None),
    }
    defaults.update(forms)
    national_id = identity.decrypt_national_id(case.applicant.national_id_encrypted) if case.applicant else None
    return render_template(
        "cases/file.html", case=case, history=history, national_id=national_id,
        same_family=services.other_cases_of_family(case), summary_warning=(
            error_message(CaseError("summary_markup")) if has_markup(case.public_summary) else None),
        **defaults,
    ), status


@bp.route("/workspace/cases/<code>")
@roles_required(*READERS)
def case_file(code: str):
    return render_case_file(private_case_or_404(code))


@bp.route("/workspace/cases/<code>/members", methods=["POST"])
@roles_required(*STAFF)
def add_member(code: str):
    case = own_case_or_404(code)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.add_member(case, current_user, form.cleaned())
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("Family member added."), "success")
            return redirect(url_for("cases.case_file", code=case.code, _anchor="family"))
    return render_case_file(case, 400, member_form=form)


@bp.route("/workspace/cases/<code>/members/<int:member_id>/delete", methods=["POST"])
@roles_required(*STAFF)
def remove_member(code: str, member_id: int):
    case = own_case_or_404(code)
    member = db.session.get(FamilyMember, member_id)
    if member is None or member.case_id != case.id:
        abort(404)
    try:
        with unit_of_work():
            services.remove_member(case, current_user, member)
    except CaseError as error:
        show_error(error)
    return redirect(url_for("cases.case_file", code=case.code, _anchor="family"))


@bp.route("/workspace/cases/<code>/documents", methods=["POST"])
@roles_required(*STAFF)
def upload_document(code: str):
    case = own_case_or_404(code)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.add_document(case, current_user, form.file.data, form.kind.data)
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("Document uploaded."), "success")
            return redirect(url_for("cases.case_file", code=case.code, _anchor="documents"))
    return render_case_file(case, 400, document_form=form)


@bp.route("/workspace/cases/<code>/documents/<int:document_id>")
@roles_required(*READERS)
def document(code: str, document_id: int):
    case = private_case_or_404(code)
    doc = db.session.get(CaseDocument, document_id)
    if doc is None or doc.case_id != case.id:
        abort(404)
    try:
        path = storage.stored_path("cases", doc.stored_name)
    except FileNotFoundError:
        abort(404)
    if not path.exists():
        abort(404)
    response = send_file(path, mimetype=doc.content_type, as_attachment=doc.content_type == "application/pdf",
                         download_name=f"{case.code}-{doc.id}.{path.suffix.lstrip('.')}", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/workspace/cases/<code>/visit", methods=["GET", "POST"])
@roles_required(Role.RESEARCHER)
def record_visit(code: str):
    case = own_case_or_404(code)
    form = VisitForm()
    if form.validate_on_submit():
        photos = [photo for photo in (form.photos.data or []) if getattr(photo, "filename", "")]
        try:
            with unit_of_work():
                services.record_visit(case, current_user, visited_on=form.visited_on.data, findings=form.findings.data,
                                      recommendation=form.recommendation.data, photos=photos)
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("The field visit was recorded."), "success")
            return redirect(url_for("cases.case_file", code=case.code, _anchor="visits"))
    return render_template("cases/visit.html", form=form, case=case), 400 if form.errors else 200


@bp.route("/workspace/cases/<code>/verify", methods=["POST"])
@roles_required(*STAFF)
def verify(code: str):
    case = own_case_or_404(code)
    try:
        with unit_of_work():
            failed = services.run_verification(case, current_user)
    except CaseError as error:
        show_error(error)
    else:
        if failed:
            flash(CaseError("not_eligible", reasons=failed).message, "warning")
        else:
            flash(_("Electronic verification passed: the family meets every eligibility rule."), "success")
    return redirect(url_for("cases.case_file", code=case.code, _anchor="verification"))


@bp.route("/workspace/cases/<code>/submit", methods=["POST"])
@roles_required(*STAFF)
def submit(code: str):
    case = own_case_or_404(code)
    try:
        with unit_of_work():
            services.submit_case(case, current_user)
    except CaseError as error:
        show_error(error)
    else:
        flash(_("Case %(code)s was submitted for review.", code=case.code), "success")
    return redirect(url_for("cases.case_file", code=case.code))


@bp.route("/workspace/cases/<code>/withdraw", methods=["POST"])
@roles_required(*STAFF)
def withdraw(code: str):
    case = own_case_or_404(code)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.withdraw_case(case, current_user, form.reason.data)
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("The case was cancelled."), "info")
            return redirect(url_for("cases.case_file", code=case.code))
    return render_case_file(case, 400, reason_form=form)


@bp.route("/workspace/cases/<code>/situation", methods=["POST"])
@roles_required(*STAFF)
def situation(code: str):
    case = own_case_or_404(code)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                services.note_situation_change(case, current_user, form.note.data)
        except CaseError as error:
            show_error(error, form)
        else:
            flash(_("The update was recorded."), "success")
            return redirect(url_for("cases.case_file", code=case.code))
    return render_case_file(case, 400, note_form=form)
