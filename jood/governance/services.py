"""Governance reads: the case pipeline, the built-in exception checks, and the audit-log search."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import distinct, false, func, select

from jood.audit.models import AuditEntry
from jood.auth.models import User
from jood.cases.models import Case, CaseStatus
from jood.charities.models import Charity
from jood.core.timezone import display_zone
from jood.extensions import db
from jood.governance import pipeline
from jood.governance.exceptions import ExceptionRow, register_check
from jood.money import format_money

CASE_PAGE = "cases.case_page"


# --- The pipeline ----------------------------------------------------------------------------------------------


def returned_counts() -> dict[int, int]:
    """Per charity, how many distinct cases were ever returned for corrections (from the audit log)."""
    rows = db.session.execute(
        select(Case.charity_id, func.count(distinct(Case.id)))
        .join(AuditEntry, (AuditEntry.object_type == "case") & (AuditEntry.object_id == Case.code))
        .where(AuditEntry.to_state == CaseStatus.RETURNED.value)
        .group_by(Case.charity_id)
    )
    return {charity_id: count for charity_id, count in rows}


def case_times() -> list[pipeline.CaseTimes]:
    rows = db.session.execute(
        select(Case.charity_id, Case.status, Case.submitted_at, Case.published_at, Case.funded_at, Case.disbursed_at)
    )
    return [pipeline.CaseTimes(*row) for row in rows]


@dataclass(frozen=True)
class PipelineView:
    overall: pipeline.PipelineFigures
    charities: list[tuple[Charity, pipeline.PipelineFigures]]  # the ones that stand out first


def pipeline_view(now: datetime) -> PipelineView:
    cases = case_times()
    returned = returned_counts()
    overall = pipeline.figures(cases, sum(returned.values()), now)
    per_charity = pipeline.by_charity(cases, returned, now)
    charities = {charity.id: charity for charity in db.session.scalars(
        select(Charity).where(Charity.id.in_(per_charity.keys())))}
    rows = sorted(
        ((charities[charity_id], figures) for charity_id, figures in per_charity.items()),
        key=lambda row: (not row[1].stands_out, row[0].name_ar),
    )
    return PipelineView(overall, rows)


# --- Built-in exception checks ---------------------------------------------------------------------------------


def _case_row(code: str, detail: str) -> ExceptionRow:
    return ExceptionRow(label=code, detail=detail, endpoint=CASE_PAGE, values={"code": code})


@register_check("case_over_target", _l("Cases that raised more than their target"))
def cases_over_target(now: datetime) -> list[ExceptionRow]:
    cases = db.session.scalars(select(Case).where(Case.raised_amount > Case.target_amount).order_by(Case.code))
    return [_case_row(case.code, _("raised %(raised)s of a %(target)s target", raised=format_money(case.raised_amount),
                                   target=format_money(case.target_amount))) for case in cases]


@register_check("case_not_updated", _l("Published cases not updated in %(n)s days", n=pipeline.STALE_UPDATE_DAYS))
def cases_not_updated(now: datetime) -> list[ExceptionRow]:
    limit = now - timedelta(days=pipeline.STALE_UPDATE_DAYS)
    cases = db.session.scalars(
        select(Case).where(Case.status == CaseStatus.PUBLISHED.value, Case.situation_updated_at < limit)
        .order_by(Case.situation_updated_at)
    )
    return [_case_row(case.code, ngettext("last updated %(num)s day ago", "last updated %(num)s days ago",
                                                (now - case.situation_updated_at).days))
            for case in cases]


# --- The audit log ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    actor: str | None = None  # part of the actor's e-mail
    object_type: str | None = None
    object_id: str | None = None
    action: str | None = None  # an action or its prefix, e.g. "support." or "case.transition"
    date_from: date | None = None  # Riyadh days, inclusive
    date_to: date | None = None
    invalid: bool = False  # the search form had errors: match nothing


def _riyadh_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(), display_zone())


def audit_query(filters: AuditFilters):
    query = (
        select(AuditEntry)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    )
    if filters.invalid:
        return query.where(false())
    if filters.actor:
        query = query.where(func.lower(User.email).contains(filters.actor.strip().lower(), autoescape=True))
    if filters.object_type:
        query = query.where(AuditEntry.object_type == filters.object_type.strip())
    if filters.object_id:
        query = query.where(AuditEntry.object_id == filters.object_id.strip())
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action.strip(), autoescape=True))
    if filters.date_from:
        query = query.where(AuditEntry.created_at >= _riyadh_midnight_utc(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEntry.created_at < _riyadh_midnight_utc(filters.date_to + timedelta(days=1)))
    return query


def actor_emails(entries: list[AuditEntry]) -> dict[int, str]:
    ids = {entry.actor_id for entry in entries if entry.actor_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())


def object_types() -> list[str]:
    return list(db.session.scalars(select(distinct(AuditEntry.object_type)).order_by(AuditEntry.object_type)))


CSV_HEADER = ("id", "created_at_utc", "actor_email", "action", "object_type", "object_id", "from_state", "to_state",
              "reason")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text as a spreadsheet shows it, never run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def audit_csv(filters: AuditFilters, batch: int = 1000) -> Iterator[str]:
    """The filtered log as CSV, streamed in batches so a large export never sits in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    yield "\ufeff" + buffer.getvalue()  # BOM: spreadsheet programs then read the Arabic as UTF-8
    result = db.session.execute(audit_query(filters).add_columns(User.email).execution_options(yield_per=batch))
    for entry, email in result:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(value) for value in (
            entry.id, entry.created_at.isoformat(), email, entry.action, entry.object_type, entry.object_id,
            entry.from_state, entry.to_state, entry.reason,
        )])
        yield buffer.getvalue()
