"""Disbursing a funded case: request with evidence (the charity), approve or return (a platform finance officer who
is not the requester), outcome, follow-ups, renewal; and the donor's view of what their gifts did.

Every write flushes; the view or CLI command that called it commits once. Approval holds the ledger head first
(the ledger's lock order), then the case row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from jood.audit.services import record
from jood.auth.roles import Role
from jood.cache import refresh
from jood.cases.models import Case, CaseStatus, Track
from jood.cases.workflow import transition
from jood.core.db import utcnow
from jood.core.errors import DomainError
from jood.core.unit import after_commit
from jood.disbursements import storage
from jood.disbursements.models import CaseRenewal, Disbursement, DisbursementDocument, DisbursementStatus, FollowUp
from jood.disbursements.states import INITIAL, next_state
from jood.disbursements.states import DisbursementEvent as E
from jood.extensions import db
from jood.ledger import services as ledger
from jood.text import find_private_data
from jood.transparency import stats

FOLLOW_UP_MONTHS = (6, 12)
FOLLOW_UP_GRACE = timedelta(days=14)  # a follow-up may be recorded up to two weeks before it is due
MONTH = timedelta(days=30)
FINANCE_ROLES = frozenset({Role.FINANCE.value, Role.ADMIN.value})
D = DisbursementStatus


class DisbursementError(DomainError):
    """A request we refuse; ``code`` picks the translated message, ``field`` where to show it."""

    def shown_params(self):
        from jood.money import format_money

        return {**self.params, **({"held": format_money(self.params["held"])} if "held" in self.params else {})}


@dataclass
class RequestDetails:
    amount: int  # halalas
    payee_name: str
    outcome_text: str
    payee_phone: str = ""
    contract_reference: str = ""
    period_start: date | None = None
    period_end: date | None = None
    note: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)  # (original name, bytes)


# --- who may act -----------------------------------------------------------------------------------------------


def is_case_staff(user, case: Case) -> bool:
    return bool(user and user.is_authenticated and user.is_charity_staff and user.charity_id == case.charity_id)


def may_see_documents(user, disbursement: Disbursement) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.role in (Role.FINANCE.value, Role.ADMIN.value, Role.AUDITOR.value):
        return True
    return user.is_charity_staff and user.charity_id == disbursement.charity_id


# --- requesting ------------------------------------------------------------------------------------------------


def current_for(case: Case) -> Disbursement | None:
    return db.session.scalar(select(Disbursement).where(Disbursement.case_id == case.id)
                             .order_by(Disbursement.id.desc()).limit(1))


def _check(case: Case, details: RequestDetails, *, need_files: bool) -> None:
    if details.amount <= 0:
        raise DisbursementError("amount_positive", "amount")
    held = case.raised_amount - case.disbursed_amount
    if details.amount > held:
        raise DisbursementError("amount_over_held", "amount", held=held)
    if not details.payee_name.strip():
        raise DisbursementError("payee_required", "payee_name")
    if case.track == Track.RENT:
        if not (details.period_start and details.period_end):
            raise DisbursementError("period_required", "period_start")
        if details.period_end <= details.period_start:
            raise DisbursementError("period_reversed", "period_end")
    elif not details.contract_reference.strip():
        raise DisbursementError("contract_required", "contract_reference")
    outcome = details.outcome_text.strip()
    if not outcome:
        raise DisbursementError("outcome_required", "outcome_text")
    if find_private_data(outcome, [details.payee_name]):
        raise DisbursementError("outcome_private", "outcome_text")
    if need_files and not details.files:
        raise DisbursementError("evidence_required", "documents")
    for _name, data in details.files:
        try:
            storage.check(data)
        except storage.UploadError as error:
            raise DisbursementError(f"upload_{error.code}", "documents") from error


def _store_files(disbursement: Disbursement, files, actor) -> None:
    for name, data in files:
        stored = storage.save(name, data)
        disbursement.documents.append(DisbursementDocument(
            original_name=stored.original_name, stored_name=stored.stored_name, content_type=stored.content_type,
            size=stored.size, sha256=stored.sha256, uploaded_by_id=actor.id))


def _apply(disbursement: Disbursement, details: RequestDetails) -> None:
    disbursement.amount = details.amount
    disbursement.payee_name = details.payee_name.strip()[:200]
    disbursement.payee_phone = details.payee_phone.strip()[:30]
    disbursement.contract_reference = details.contract_reference.strip()[:80]
    disbursement.period_start, disbursement.period_end = details.period_start, details.period_end
    disbursement.outcome_text = details.outcome_text.strip()[:200]
    disbursement.note = details.note.strip()


def request_disbursement(case: Case, details: RequestDetails, *, actor) -> Disbursement:
    """The charity asks for a funded case's money to be paid out, with the contract and evidence."""
    if not is_case_staff(actor, case):
        raise DisbursementError("not_your_case")
    if case.status != CaseStatus.FUNDED:
        raise DisbursementError("case_not_funded")
    existing = current_for(case)
    if existing is not None and existing.status != D.RETURNED:
        raise DisbursementError("already_requested")
    _check(case, details, need_files=True)
    disbursement = Disbursement(case_id=case.id, charity_id=case.charity_id, kind=case.track,
                                requested_by_id=actor.id, status=INITIAL.value)
    _apply(disbursement, details)
    db.session.add(disbursement)
    _store_files(disbursement, details.files, actor)
    db.session.flush()
    record("disbursement.requested", "case", case.code, actor=actor, to_state=INITIAL.value)
    return disbursement


def resubmit(disbursement: Disbursement, details: RequestDetails, *, actor) -> Disbursement:
    """A returned request, corrected and sent again (the evidence already given is kept)."""
    case = disbursement.case
    if not is_case_staff(actor, case):
        raise DisbursementError("not_your_case")
    if next_state(disbursement.status, E.RESUBMIT) is None:
        raise DisbursementError("not_returned")
    _check(case, details, need_files=not disbursement.documents)
    _apply(disbursement, details)
    _store_files(disbursement, details.files, actor)
    disbursement.requested_by_id, disbursement.requested_at = actor.id, utcnow()
    _move(disbursement, E.RESUBMIT, "disbursement.resubmitted", actor=actor)
    db.session.flush()
    return disbursement


# --- deciding --------------------------------------------------------------------------------------------------


def _move(disbursement: Disbursement, event: E, action: str, *, actor, reason: str | None = None) -> None:
    """The one place a disbursement's status changes: by the table, with its audit entry."""
    old, new = disbursement.status, next_state(disbursement.status, event)
    disbursement.status = new.value
    record(action, "case", disbursement.case.code, actor=actor, from_state=old, to_state=new.value, reason=reason)


def _check_checker(disbursement: Disbursement, actor, event: E) -> None:
    if actor.role not in FINANCE_ROLES:
        raise DisbursementError("not_finance")
    if actor.id == disbursement.requested_by_id:
        raise DisbursementError("same_person")
    if next_state(disbursement.status, event) is None:
        raise DisbursementError("not_requested")


def return_disbursement(disbursement: Disbursement, reason: str, *, actor) -> None:
    _check_checker(disbursement, actor, E.RETURN)
    if not reason.strip():
        raise DisbursementError("reason_required", "reason")
    disbursement.return_reason = reason.strip()
    disbursement.decided_by_id, disbursement.decided_at = actor.id, utcnow()
    _move(disbursement, E.RETURN, "disbursement.returned", actor=actor, reason=reason.strip())
    db.session.flush()


def approve(disbursement: Disbursement, *, actor, outcome_text: str | None = None) -> Disbursement:
    """Pay out: zakat money first (the case is eligible for it), then other money, each as a ledger disbursement;
    what the case holds beyond the payment goes to its track's pool; the case becomes disbursed, then closed with
    its public outcome. Donors are e-mailed once this has committed."""
    _check_checker(disbursement, actor, E.APPROVE)
    if not disbursement.documents:
        raise DisbursementError("evidence_required")
    ledger.lock_head()
    case = ledger.lock_case(disbursement.case_id)
    if case.status != CaseStatus.FUNDED:
        raise DisbursementError("case_not_funded")
    outcome = (outcome_text or disbursement.outcome_text).strip()
    if not outcome or find_private_data(outcome, [disbursement.payee_name]):
        raise DisbursementError("outcome_private" if outcome else "outcome_required", "outcome_text")
    zakat_held, other_held = ledger.case_held(case, True), ledger.case_held(case, False)
    if disbursement.amount > zakat_held + other_held:
        raise DisbursementError("amount_over_held", "amount", held=zakat_held + other_held)
    zakat_part = min(disbursement.amount, zakat_held)
    other_part = disbursement.amount - zakat_part
    memo = f"disbursement {disbursement.id} for {case.code}"
    if zakat_part:
        ledger.record_disbursement(case, zakat_part, zakat=True, memo=memo)
    if other_part:
        ledger.record_disbursement(case, other_part, zakat=False, memo=memo)
    surplus = zakat_held + other_held - disbursement.amount
    if surplus:
        ledger.move_case_money_to_pool(case, kind="surplus", memo=f"{case.code}: left after the disbursement")
    now = utcnow()
    disbursement.decided_by_id, disbursement.decided_at = actor.id, now
    disbursement.zakat_amount, disbursement.other_amount, disbursement.surplus_amount = zakat_part, other_part, surplus
    disbursement.outcome_text = outcome[:200]
    transition(case, CaseStatus.DISBURSED, actor=actor, reason=f"disbursement {disbursement.id}")
    transition(case, CaseStatus.CLOSED, actor=actor, reason=outcome[:200])
    stats.record_disbursement(case, zakat_amount=zakat_part, other_amount=other_part, moment=now)
    _move(disbursement, E.APPROVE, "disbursement.approved", actor=actor)
    db.session.flush()
    _tell_donors_after_commit(case, outcome)
    return disbursement


# --- after the payment -----------------------------------------------------------------------------------------


def follow_up_due(case: Case, months: int, now=None) -> bool:
    if case.disbursed_at is None:
        return False
    return (now or utcnow()) >= case.disbursed_at + months * MONTH - FOLLOW_UP_GRACE


def record_follow_up(case: Case, months: int, housed: bool, note: str, *, actor) -> FollowUp:
    if not is_case_staff(actor, case):
        raise DisbursementError("not_your_case")
    if months not in FOLLOW_UP_MONTHS:
        raise DisbursementError("months_unknown", "months")
    if case.status not in (CaseStatus.DISBURSED, CaseStatus.CLOSED):
        raise DisbursementError("not_disbursed")
    if not follow_up_due(case, months):
        raise DisbursementError("follow_up_not_due", "months", months=months)
    if db.session.scalar(select(FollowUp.id).where(FollowUp.case_id == case.id, FollowUp.months == months)):
        raise DisbursementError("follow_up_done", "months", months=months)
    if find_private_data(note or "", []):
        raise DisbursementError("note_private", "note")
    now = utcnow()
    follow_up = FollowUp(case_id=case.id, months=months, housed=housed, note=(note or "").strip()[:300],
                         recorded_by_id=actor.id, recorded_at=now)
    db.session.add(follow_up)
    stats.record_follow_up(case, housed=housed, moment=now)
    refresh(f"case:{case.code}")  # the case page tells how the family is doing
    record("disbursement.follow_up", "case", case.code, actor=actor, to_state="housed" if housed else "not_housed",
           reason=f"{months} months")
    db.session.flush()
    return follow_up


def _next_case_code() -> str:
    try:  # the cases feature's counter, once merged
        from jood.cases.services import next_case_code
    except ImportError:
        next_case_code = None
    if next_case_code is not None:
        return next_case_code()
    from jood.transparency.stats import hijri_month_of, today

    prefix = f"JE-{hijri_month_of(today())[0]}-"
    count = db.session.scalar(select(func.count()).select_from(Case).where(Case.code.like(f"{prefix}%"))) or 0
    for number in range(count + 1, count + 1000):
        code = f"{prefix}{number:05d}"
        if db.session.scalar(select(Case.id).where(Case.code == code)) is None:
            return code
    raise RuntimeError("no free case code")


def renew(case: Case, *, actor) -> Case:
    """A closed rent case continues as a new draft for the next year, linked to it; the charity then updates and
    submits it through the usual review (the applicant's private file is re-verified there)."""
    if not is_case_staff(actor, case):
        raise DisbursementError("not_your_case")
    if case.track != Track.RENT or case.status != CaseStatus.CLOSED:
        raise DisbursementError("not_renewable")
    if db.session.scalar(select(CaseRenewal.id).where(CaseRenewal.previous_case_id == case.id)):
        raise DisbursementError("already_renewed")
    new = Case(code=_next_case_code(), charity_id=case.charity_id, track=case.track, status=CaseStatus.DRAFT.value,
               region=case.region, city=case.city, family_size=case.family_size, public_summary=case.public_summary,
               target_amount=case.target_amount, zakat_eligible=case.zakat_eligible,
               priority_policy=case.priority_policy, priority_total=case.priority_total,
               priority_breakdown=dict(case.priority_breakdown or {}), need_level=case.need_level,
               monthly_income=case.monthly_income, applicant_age=case.applicant_age)
    db.session.add(new)
    db.session.flush()
    db.session.add(CaseRenewal(case_id=new.id, previous_case_id=case.id, created_by_id=actor.id))
    record("case.renewed", "case", new.code, actor=actor, reason=f"renewal of {case.code}")
    db.session.flush()
    return new


# --- telling donors ----------------------------------------------------------------------------------------------


def _case_donations(case: Case):
    from jood.donations.models import Donation, DonationLine
    from jood.payments.models import Payment

    return db.session.scalars(
        select(Donation).join(DonationLine).join(Payment)
        .where(DonationLine.case_id == case.id, Payment.status == "paid")
    ).unique().all()


def outcome_mail(donation, case: Case, outcome: str) -> tuple[str, str, str]:
    from flask import has_request_context, url_for

    # Outside a request (a test, a script) there is no host to build an absolute link from.
    link = (url_for("donations.verify", reference=donation.reference, _external=True) if has_request_context()
            else f"/r/{donation.reference}")
    with force_locale(donation.language or "ar"):
        subject = _("The case you gave to (%(code)s) is complete", code=case.code)
        body = "\n".join([
            _("Thank you: the money for case %(code)s has been paid out and the family is helped.", code=case.code),
            _("Outcome: %(outcome)s", outcome=outcome),
            _("See it on your receipt: %(url)s", url=link),
        ])
    return donation.email, subject, body


def _tell_donors_after_commit(case: Case, outcome: str) -> None:
    messages = [outcome_mail(donation, case, outcome) for donation in _case_donations(case) if donation.email]

    def send_all():
        from jood.mail import send_mail

        for to, subject, body in messages:
            send_mail(to, subject, body)

    if messages:
        after_commit(send_all)


# --- reading -----------------------------------------------------------------------------------------------------


def case_outcome(case: Case) -> dict:
    """The public outcome of a case: its approved disbursement's text and date, follow-ups and renewal links."""
    approved = db.session.scalar(select(Disbursement).where(
        Disbursement.case_id == case.id, Disbursement.status == D.APPROVED.value).limit(1))
    follow_ups = db.session.scalars(select(FollowUp).where(FollowUp.case_id == case.id)
                                    .order_by(FollowUp.months)).all() if approved else []
    renewal = db.session.execute(select(CaseRenewal).where(
        (CaseRenewal.case_id == case.id) | (CaseRenewal.previous_case_id == case.id))).scalars().all()
    return {
        "disbursement": approved,
        "outcome": approved.outcome_text if approved else None,
        "disbursed_at": case.disbursed_at,
        "follow_ups": follow_ups,
        "renewed_as": next((r.case for r in renewal if r.previous_case_id == case.id), None),
        "renewal_of": next((r.previous_case for r in renewal if r.case_id == case.id), None),
    }


def donation_outcomes(donation) -> list[tuple[Case, dict]]:
    return [(line.case, case_outcome(line.case)) for line in donation.lines
            if line.case is not None and line.case.status in (CaseStatus.DISBURSED, CaseStatus.CLOSED)]


@dataclass
class DonorSummary:
    total_given: int
    families_helped: int
    donations: list
    outcomes: list  # (case, outcome text)
    years: list[int]


def donor_summary(user) -> DonorSummary:
    from jood.donations.models import Donation
    from jood.payments.models import Payment

    donations = db.session.scalars(select(Donation).join(Payment).where(
        Donation.user_id == user.id, Payment.status == "paid").order_by(Donation.paid_at.desc())).all()
    helped: dict[int, Case] = {}
    for donation in donations:
        for line in donation.lines:
            if line.case is not None and line.to_case and line.case.status in (CaseStatus.DISBURSED,
                                                                                CaseStatus.CLOSED):
                helped[line.case.id] = line.case
    outcomes = []
    if helped:
        rows = db.session.execute(select(Disbursement.case_id, Disbursement.outcome_text).where(
            Disbursement.case_id.in_(list(helped)), Disbursement.status == D.APPROVED.value)).all()
        texts = dict(rows)
        outcomes = [(case, texts.get(case.id)) for case in helped.values()]
    years = sorted({stats.riyadh_day(d.paid_at).year for d in donations if d.paid_at}, reverse=True)
    return DonorSummary(sum(d.amount for d in donations), len(helped), donations, outcomes, years)


def statement_rows(user, year: int) -> list:
    """The donor's paid donations in a Gregorian year (Riyadh time), oldest first, for the annual statement."""
    summary = donor_summary(user)
    return sorted((d for d in summary.donations if d.paid_at and stats.riyadh_day(d.paid_at).year == year),
                  key=lambda d: d.paid_at)


def queue(statuses=(D.REQUESTED,)) -> list[Disbursement]:
    return db.session.scalars(select(Disbursement).where(Disbursement.status.in_([s.value for s in statuses]))
                              .order_by(Disbursement.requested_at)).all()


def charity_overview(charity_id: int) -> dict:
    """The charity's funded cases (to request), its requests, and closed cases due for a follow-up or renewal."""
    funded = db.session.scalars(select(Case).where(Case.charity_id == charity_id,
                                                   Case.status == CaseStatus.FUNDED.value)
                                .order_by(Case.funded_at)).all()
    requests = db.session.scalars(select(Disbursement).where(Disbursement.charity_id == charity_id)
                                  .order_by(Disbursement.requested_at.desc()).limit(100)).all()
    closed = db.session.scalars(select(Case).where(Case.charity_id == charity_id,
                                                   Case.status == CaseStatus.CLOSED.value)
                                .order_by(Case.closed_at.desc()).limit(100)).all()
    done = defaultdict(set)
    if closed:
        for case_id, months in db.session.execute(select(FollowUp.case_id, FollowUp.months)
                                                  .where(FollowUp.case_id.in_([c.id for c in closed]))):
            done[case_id].add(months)
    renewed = set(db.session.scalars(select(CaseRenewal.previous_case_id).where(
        CaseRenewal.previous_case_id.in_([c.id for c in closed])))) if closed else set()
    return {"funded": funded, "requests": requests, "closed": closed, "follow_ups_done": done, "renewed": renewed}
