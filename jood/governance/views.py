"""Governance: the case pipeline and its exceptions, and the searchable, exportable audit log."""

from __future__ import annotations

import tempfile

from flask import Blueprint, render_template, request, send_file

from jood.auth.access import roles_required
from jood.auth.roles import Role
from jood.core import replica
from jood.core.db import reads_from_replica, utcnow
from jood.extensions import db
from jood.governance import (
    checks,  # noqa: F401 - registers the cross-feature exception checks
    pipeline,
    services,
)
from jood.governance.exceptions import run_checks
from jood.governance.forms import AuditSearchForm

bp = Blueprint("governance", __name__, url_prefix="/governance")

GOVERNANCE = (Role.REVIEWER, Role.FINANCE, Role.AUDITOR)  # admins pass every tier


@bp.route("/")
@roles_required(*GOVERNANCE)
@reads_from_replica
def dashboard():
    now = utcnow()
    return render_template(
        "governance/dashboard.html", view=services.pipeline_view(now), checks=run_checks(now),
        stages=[key for key, _start, _end in pipeline.STAGES], thresholds=pipeline, replica=_replica_state(),
    )


def _replica_state():
    """None (no replica), "away" (not answering: the page read the primary), or its ReplicaLag."""
    if not replica.configured():
        return None
    if not replica.usable():
        return "away"
    return replica.lag() or replica.ReplicaLag(False, 0, 0.0, None)


def _search_form() -> tuple[AuditSearchForm, services.AuditFilters]:
    form = AuditSearchForm(request.args)
    if request.args and not form.validate():
        return form, services.AuditFilters(invalid=True)  # invalid input shows its errors and no rows
    return form, services.AuditFilters(
        actor=form.actor.data or None, object_type=form.object_type.data or None,
        object_id=form.object_id.data or None, action=form.action.data or None,
        date_from=form.date_from.data, date_to=form.date_to.data,
    )


@bp.route("/audit")
@roles_required(*GOVERNANCE)
@reads_from_replica
def audit_log():
    form, filters = _search_form()
    page = db.paginate(services.audit_query(filters), per_page=50, error_out=False)
    query_args = {key: value for key, value in request.args.items() if key not in ("page", "submit") and value}
    return render_template("governance/audit.html", form=form, page=page, query_args=query_args,
                           emails=services.actor_emails(page.items), object_types=services.object_types())


@bp.route("/audit.csv")
@roles_required(*GOVERNANCE)
@reads_from_replica
def audit_csv():
    form, filters = _search_form()
    # Written to a spooled file (memory, then disk beyond a few MB) while the session is at hand, then sent.
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - send_file closes it
    for chunk in services.audit_csv(filters):
        spool.write(chunk.encode("utf-8"))
    spool.seek(0)
    response = send_file(spool, mimetype="text/csv", as_attachment=True,
                         download_name=f"jood-audit-{utcnow():%Y%m%d-%H%M}.csv", conditional=False)
    response.headers["Cache-Control"] = "no-store"
    return response
