"""Every write of the cases feature: intake, verification, submission and review.

Each function checks the rule it owns, changes rows and flushes; the view or CLI command that called it commits
once (or rolls back on a `CaseError`). Status changes go through `jood.cases.workflow.transition` only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from hijridate import Gregorian
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from jood.audit.services import record
from jood.cache import SITE, refresh
from jood.cases import identity, storage
from jood.cases.messages import TRACK_LABELS, in_language
from jood.cases.models import (
    REGISTRIES,
    Case,
    CaseApplicant,
    CaseCodeCounter,
    CaseDocument,
    CaseStatus,
    CaseVisit,
    EligibilityResult,
    FamilyMember,
    RegistryCheck,
)
from jood.cases.registries import AttestationError, adapter_for
from jood.cases.workflow import transition
from jood.core.db import utcnow
from jood.core.errors import DomainError
from jood.core.timezone import display_zone
from jood.core.timezone import local_today as riyadh_today
from jood.extensions import db
from jood.priority import (
    NEEDIEST_FIRST,
    POLICIES,
    Applicant,
    check_eligibility,
    need_level,
    neediest_key,
    precedence_years,
    score,
)
from jood.regions import REGIONS
from jood.settings.services import active_policy
from jood.text import find_private_data, has_markup, normalize_arabic

S = CaseStatus
# A family may have one case at a time on the whole platform: anything not finished counts as open.
CLOSED_STATUSES = frozenset({S.REJECTED, S.CANCELLED, S.CLOSED})
EDITABLE_STATUSES = frozenset({S.DRAFT, S.RETURNED})
# Fields of the `cases` row; everything else in the intake form belongs to the private applicant file.
CASE_FIELDS = ("track", "region", "city", "target_amount", "amount_basis", "public_summary", "zakat_eligible",
               "public_title", "public_title_en", "public_summary_en")
# The public texts a charity writes: each is checked for names, long digit runs and e-mail addresses.
PUBLIC_TEXTS = ("public_title", "public_summary", "public_title_en", "public_summary_en")
OPTIONAL_TEXTS = frozenset({"public_title", "public_title_en", "public_summary_en"})
APPLICANT_FIELDS = (
    "full_name", "phone", "address", "applicant_role", "nationality", "birth_date", "divorce_date", "monthly_income",
    "assets_value", "domestic_workers", "owns_suitable_home", "prior_housing_support", "resides_in_ksa",
    "incurable_condition", "development_centre", "prior_land_grant_application", "application_completed_on",
    "suspended_periods", "amount_basis_note", "home_owned_until", "housing_type",
)
# Applicant fields added after the first release: callers that do not give them get these values.
APPLICANT_DEFAULTS = {"home_owned_until": None, "housing_type": "ordinary_unit"}
BASIS_DOCUMENTS = frozenset({"lease", "price_quote"})
# Words a donor may search a track by, beside its Arabic name (messages.TRACK_LABELS).
TRACK_SEARCH_WORDS = {"rent": "إيجار rent", "ownership": "ownership"}
MIN_SUMMARY = 20


class CaseError(DomainError):
    """A rule refused the change; `code` picks the translated message, `field` where to show it."""

    @property
    def details(self) -> dict:
        return self.params

    @property
    def message(self) -> str:
        from jood.cases.messages import error_message

        return error_message(self)


# --- dates and codes ----------------------------------------------------------------------------------------------


def whole_years(since: date, today: date) -> int:
    return max(0, today.year - since.year - ((today.month, today.day) < (since.month, since.day)))


def hijri_year(day: date) -> int:
    return Gregorian(day.year, day.month, day.day).to_hijri().year


def next_case_code(today: date | None = None) -> str:
    """JE-<Hijri year>-<5-digit sequence>. The counter row is bumped with one UPDATE, which holds the row lock until
    the caller commits (PostgreSQL) or the database write lock (SQLite), so two intakes never draw the same number;
    a missing year row is inserted in a savepoint and a racing insert is retried."""
    year = hijri_year(today or riyadh_today())
    for _ in range(1000):
        bumped = db.session.execute(
            update(CaseCodeCounter)
            .where(CaseCodeCounter.year == year)
            .values(last_value=CaseCodeCounter.last_value + 1)
            .execution_options(synchronize_session=False)
        )
        if bumped.rowcount == 0:
            try:
                with db.session.begin_nested():
                    db.session.add(CaseCodeCounter(year=year, last_value=0))
            except IntegrityError:
                pass  # another transaction created the row first: bump it
            continue
        value = db.session.scalar(select(CaseCodeCounter.last_value).where(CaseCodeCounter.year == year))
        code = f"JE-{year}-{value:05d}"
        if db.session.scalar(select(Case.id).where(Case.code == code)) is None:  # codes imported by hand
            return code
    raise RuntimeError("no free case code")


# --- facts, eligibility and points --------------------------------------------------------------------------------


def _sar_up(halalas: int) -> int:
    """Whole riyals, rounded up: the points tables and the assets limit are in SAR and must never favour a case."""
    return math.ceil(halalas / 100)


def _registry_found(case: Case, registry: str) -> bool:
    checks = [check for check in case.registry_checks if check.registry == registry]
    return bool(checks) and checks[-1].outcome == "found"


def applicant_facts(case: Case, today: date | None = None) -> Applicant:
    """The plain `jood.priority.Applicant` the regulation's rules and the points read, built from the private file.

    A registry's "found" answer overrides the family's own declaration (owning a home, prior support)."""
    today = today or riyadh_today()
    a = case.applicant
    suspended = [(date.fromisoformat(began), date.fromisoformat(resumed)) for began, resumed in a.suspended_periods]
    return Applicant(
        applicant_role=a.applicant_role,
        nationality=a.nationality,
        age=whole_years(a.birth_date, today),
        family_size=1 + len(case.members),
        monthly_income=_sar_up(a.monthly_income),
        domestic_workers=a.domestic_workers,
        precedence_years=precedence_years(a.application_completed_on, suspended, today),
        prior_land_grant_application=a.prior_land_grant_application,
        owns_suitable_home=a.owns_suitable_home or _registry_found(case, "property_ownership"),
        prior_housing_support=a.prior_housing_support or _registry_found(case, "housing_support"),
        assets_value=_sar_up(a.assets_value),
        resides_in_ksa=a.resides_in_ksa,
        incurable_condition=a.incurable_condition or any(member.has_condition for member in case.members),
        development_centre=a.development_centre,
        years_since_divorce=whole_years(a.divorce_date, today) if a.divorce_date else None,
        years_since_home_owned=whole_years(a.home_owned_until, today) if a.home_owned_until else None,
        housing_type=a.housing_type,
    )


def refresh_points(case: Case, today: date | None = None) -> Applicant:
    """Store the case's points under its own policy (the one it was first scored under, until an admin re-scores
    it), with the breakdown and the tie-break inputs."""
    facts = applicant_facts(case, today)
    points = score(facts, case.priority_policy or active_policy())
    case.family_size = facts.family_size
    case.priority_policy = points.policy
    case.priority_total = points.total
    case.priority_breakdown = dict(points.breakdown)
    case.need_level = need_level(points.total, points.policy)
    case.monthly_income = facts.monthly_income
    case.applicant_age = facts.age
    return facts


def _track_words(track: str) -> str:
    """The track's Arabic name and the other words a donor may search it by."""
    if track not in TRACK_LABELS:
        return ""
    return f"{in_language(TRACK_LABELS[track], 'ar')} {TRACK_SEARCH_WORDS[track]}"


def refresh_search_text(case: Case) -> None:
    region = REGIONS.get(case.region, (case.region, case.region))
    parts = [case.code, case.city, *region, _track_words(case.track), case.public_title or "",
             case.public_summary]
    case.search_text = normalize_arabic(" ".join(parts))


def _fact_source(case: Case, rule: str) -> str:
    registry = {"owns_home": "property_ownership", "prior_support": "housing_support"}.get(rule)
    if registry:
        checks = [check for check in case.registry_checks if check.registry == registry]
        if checks:
            return f"registry:{registry}:{checks[-1].adapter}"
    return "applicant_file"


def run_verification(case: Case, actor) -> list[str]:
    """Electronic verification: run every eligibility rule, store each result with its source, refresh points."""
    facts = refresh_points(case)
    failed = check_eligibility(facts, case.priority_policy)
    db.session.execute(delete(EligibilityResult).where(EligibilityResult.case_id == case.id))
    db.session.expire(case, ["eligibility_results"])
    from jood.eligibility import REASON_CODES

    for rule in REASON_CODES:
        db.session.add(EligibilityResult(case_id=case.id, rule=rule, passed=rule not in failed,
                                         source=_fact_source(case, rule), checked_by_id=getattr(actor, "id", None)))
    case.eligible = not failed
    case.electronic_verified_at = utcnow()
    record("case.verified", "case", case.code, actor=actor, reason=",".join(failed) or None)
    db.session.flush()
    return failed


# --- intake -------------------------------------------------------------------------------------------------------


def _family_names(case: Case) -> list[str]:
    names = [case.applicant.full_name] if case.applicant else []
    return names + [member.full_name for member in case.members]


def _check_summary(case: Case) -> None:
    """Before submission and publication: a title donors read first, a summary long enough, both public-safe.
    (A draft may lack the title; cases published before titles existed show their code instead.)"""
    if not (case.public_title or "").strip():
        raise CaseError("title_required", "public_title")
    summary = (case.public_summary or "").strip()
    if len(summary) < MIN_SUMMARY:
        raise CaseError("summary_too_short", "public_summary")
    _check_public_texts(case)


def _check_public_texts(case: Case) -> None:
    """Titles and summaries are shown to everyone: plain text (markup would reach donors as raw code) and nothing
    that identifies the family."""
    names = _family_names(case)
    for name in PUBLIC_TEXTS:
        text = (getattr(case, name) or "").strip()
        kind = "title" if "title" in name else "summary"
        if has_markup(text):
            raise CaseError(f"{kind}_markup", name)
        problems = find_private_data(text, names) if text else []
        if problems:
            raise CaseError(f"{kind}_private", name, problems=problems)


def open_cases_with_hash(national_id_hash: str, exclude_case_id: int | None = None) -> list[Case]:
    query = (
        select(Case)
        .join(CaseApplicant, CaseApplicant.case_id == Case.id)
        .where(CaseApplicant.national_id_hash == national_id_hash, Case.status.not_in(list(CLOSED_STATUSES)))
    )
    if exclude_case_id is not None:
        query = query.where(Case.id != exclude_case_id)
    return list(db.session.scalars(query))


def other_cases_of_family(case: Case) -> list[Case]:
    """Every other case (any charity, any status) filed for the same national ID: the reviewer is warned."""
    if case.applicant is None:
        return []
    return list(db.session.scalars(
        select(Case).join(CaseApplicant, CaseApplicant.case_id == Case.id)
        .where(CaseApplicant.national_id_hash == case.applicant.national_id_hash, Case.id != case.id)
        .order_by(Case.created_at)
    ))


def _require_staff_of(case_or_charity_id: int, actor) -> None:
    if getattr(actor, "charity_id", None) != case_or_charity_id:
        raise CaseError("not_your_charity")


def _require_approved(charity) -> None:
    if not charity.is_approved:
        raise CaseError("charity_not_approved")


def _set_national_id(case: Case, applicant: CaseApplicant, national_id: str) -> None:
    digest = identity.national_id_hash(national_id)
    if open_cases_with_hash(digest, exclude_case_id=case.id):
        raise CaseError("duplicate_open_case", "national_id")
    applicant.national_id_hash = digest
    applicant.national_id_encrypted = identity.encrypt_national_id(national_id)


def _case_field(data: dict, name: str):
    """A case field from the intake data; the public title and the English texts may be left out."""
    return data.get(name, "") if name in OPTIONAL_TEXTS else data[name]


def create_case(charity, actor, data: dict) -> Case:
    """Open a draft for a family. `data` holds the cleaned intake fields (amounts in halalas, dates as dates)."""
    _require_staff_of(charity.id, actor)
    _require_approved(charity)
    case = Case(code=next_case_code(), charity=charity, status=S.DRAFT.value, family_size=1,
                created_by_id=actor.id, priority_policy=active_policy(),
                **{name: _case_field(data, name) for name in CASE_FIELDS})
    applicant = CaseApplicant(**_applicant_values(data))
    with db.session.no_autoflush:
        _set_national_id(case, applicant, data["national_id"])
    case.applicant = applicant
    db.session.add(case)
    db.session.flush()
    _after_edit(case, actor, "case.created")
    return case


def update_case(case: Case, actor, data: dict) -> Case:
    _require_editable(case, actor)
    for name in CASE_FIELDS:
        setattr(case, name, _case_field(data, name))
    for name, value in _applicant_values(data).items():
        setattr(case.applicant, name, value)
    if data.get("national_id"):
        _set_national_id(case, case.applicant, data["national_id"])
    _after_edit(case, actor, "case.updated")
    return case


def _applicant_values(data: dict) -> dict:
    return {name: data[name] if name in data else APPLICANT_DEFAULTS[name] for name in APPLICANT_FIELDS}


def _require_editable(case: Case, actor) -> None:
    _require_staff_of(case.charity_id, actor)
    if case.status not in EDITABLE_STATUSES:
        raise CaseError("not_editable")


def _after_edit(case: Case, actor, action: str) -> None:
    _check_public_texts(case)
    refresh_points(case)
    refresh_search_text(case)
    case.situation_updated_at = utcnow()
    record(action, "case", case.code, actor=actor)
    db.session.flush()


def add_member(case: Case, actor, data: dict) -> FamilyMember:
    _require_editable(case, actor)
    member = FamilyMember(**data)
    case.members.append(member)
    db.session.flush()
    _after_edit(case, actor, "case.member_added")
    return member


def remove_member(case: Case, actor, member: FamilyMember) -> None:
    _require_editable(case, actor)
    if member.case_id != case.id:
        raise CaseError("not_found")
    case.members.remove(member)
    db.session.delete(member)
    db.session.flush()
    _after_edit(case, actor, "case.member_removed")


def add_document(case: Case, actor, upload, kind: str, visit: CaseVisit | None = None) -> CaseDocument:
    _require_staff_of(case.charity_id, actor)
    if visit is None and case.status not in EDITABLE_STATUSES:
        raise CaseError("not_editable")
    try:
        stored = storage.save_upload(upload, "cases")
    except storage.UploadError as error:
        raise CaseError(f"upload_{error.code}", "file") from error
    document = CaseDocument(
        case_id=case.id, visit=visit, kind=kind, original_name=(getattr(upload, "filename", "") or "file")[:200],
        stored_name=stored.stored_name, content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    record("case.document_added", "case", case.code, actor=actor, reason=kind)
    db.session.flush()
    return document


def record_visit(case: Case, actor, *, visited_on: date, findings: str, recommendation: str, photos=()) -> CaseVisit:
    """Field verification by a researcher of the case's own charity."""
    _require_staff_of(case.charity_id, actor)
    if case.status not in EDITABLE_STATUSES:
        raise CaseError("not_editable")
    if visited_on > riyadh_today():
        raise CaseError("visit_in_future", "visited_on")
    visit = CaseVisit(case_id=case.id, researcher_id=actor.id, visited_on=visited_on, findings=findings.strip(),
                      recommendation=recommendation)
    db.session.add(visit)
    db.session.flush()
    for photo in photos:
        add_document(case, actor, photo, "visit_photo", visit=visit)
    case.field_verified_at = datetime.combine(visited_on, time(12), tzinfo=display_zone()).astimezone(UTC)
    record("case.visit_recorded", "case", case.code, actor=actor, reason=recommendation)
    db.session.flush()
    return visit


def note_situation_change(case: Case, actor, note: str) -> None:
    """The charity reports a change in the family's situation (it must within 15 days); the case page shows when."""
    _require_staff_of(case.charity_id, actor)
    if not note.strip():
        raise CaseError("note_required", "note")
    case.situation_updated_at = utcnow()
    record("case.situation_updated", "case", case.code, actor=actor, reason=note.strip())
    db.session.flush()


# --- submission and review ----------------------------------------------------------------------------------------


def submit_case(case: Case, actor) -> Case:
    _require_editable(case, actor)
    _require_approved(case.charity)
    if not case.visits:
        raise CaseError("visit_required")
    if not any(document.kind in BASIS_DOCUMENTS for document in case.documents):
        raise CaseError("basis_document_required")
    _check_summary(case)
    if open_cases_with_hash(case.applicant.national_id_hash, exclude_case_id=case.id):
        raise CaseError("duplicate_open_case")
    failed = run_verification(case, actor)
    if failed:
        raise CaseError("not_eligible", reasons=failed)
    case.status_reason = None
    transition(case, S.SUBMITTED, actor=actor)
    db.session.flush()
    return case


def _require_platform_reviewer(case: Case, actor) -> None:
    # Publishing is a second pair of eyes: nobody from the case's own charity (nor any charity) may do it.
    if getattr(actor, "charity_id", None) is not None:
        raise CaseError("reviewer_from_charity")


def take_for_review(case: Case, actor) -> Case:
    _require_platform_reviewer(case, actor)
    case.reviewer_id = actor.id
    transition(case, S.UNDER_REVIEW, actor=actor)
    db.session.flush()
    return case


def record_registry_checks(case: Case, actor, answers: dict[str, dict], evidence_file=None) -> list[RegistryCheck]:
    """Ask each registry's adapter (today: the reviewer's attestation) and keep its answer with the evidence."""
    _require_platform_reviewer(case, actor)
    if case.status != S.UNDER_REVIEW:
        raise CaseError("not_under_review")
    document = None
    if evidence_file is not None and getattr(evidence_file, "filename", ""):
        try:
            stored = storage.save_upload(evidence_file, "cases")
        except storage.UploadError as error:
            raise CaseError(f"upload_{error.code}", "evidence_file") from error
        document = CaseDocument(case_id=case.id, kind="other", original_name=evidence_file.filename[:200],
                                stored_name=stored.stored_name, content_type=stored.content_type, size=stored.size,
                                sha256=stored.sha256, uploaded_by_id=actor.id)
        db.session.add(document)
        db.session.flush()
    checks = []
    for registry in REGISTRIES:
        try:
            answer = adapter_for(registry).check(case, registry, actor=actor, **answers.get(registry, {}))
        except AttestationError as error:
            raise CaseError(f"registry_{error.code}", registry) from error
        check = RegistryCheck(case_id=case.id, registry=registry, adapter=answer.adapter, outcome=answer.outcome,
                              evidence=answer.evidence, document_id=document.id if document else None,
                              checked_by_id=actor.id)
        case.registry_checks.append(check)
        checks.append(check)
        record("case.registry_checked", "case", case.code, actor=actor, reason=f"{registry}={answer.outcome}")
    db.session.flush()
    run_verification(case, actor)
    return checks


def publish_case(case: Case, actor, *, confirmed_no_private_data: bool) -> Case:
    _require_platform_reviewer(case, actor)
    if case.status != S.UNDER_REVIEW:
        raise CaseError("not_under_review")
    _require_approved(case.charity)
    if not confirmed_no_private_data:
        raise CaseError("confirm_required", "confirm_no_private_data")
    _check_summary(case)
    done = {check.registry for check in case.registry_checks}
    if set(REGISTRIES) - done:
        raise CaseError("registry_checks_required")
    failed = run_verification(case, actor)
    if failed:
        raise CaseError("not_eligible", reasons=failed)
    case.reviewer_id = actor.id
    case.status_reason = None
    refresh_search_text(case)
    transition(case, S.PUBLISHED, actor=actor)
    db.session.flush()
    return case


def change_status(case: Case, actor, to_status: CaseStatus, reason: str | None) -> Case:
    """Return, reject, suspend, reinstate or cancel, with the reason the workflow requires."""
    from jood.cases.workflow import TransitionError

    try:
        transition(case, to_status, actor=actor, reason=(reason or "").strip() or None)
    except TransitionError as error:
        raise CaseError(error.code, "reason" if error.code == "reason_required" else None) from error
    if reason and reason.strip():
        case.status_reason = reason.strip()
    if CaseStatus(to_status) == S.CANCELLED:
        _after_cancellation(case)
    db.session.flush()
    return case


def _after_cancellation(case: Case) -> None:
    """A cancelled case's money goes to its track's pool, and its donors are told, in the same unit of work."""
    from jood.donations.services import tell_donors_of_cancelled_case
    from jood.ledger.services import move_case_money_to_pool

    move_case_money_to_pool(case, memo=f"case {case.code} cancelled")
    tell_donors_of_cancelled_case(case)


def withdraw_case(case: Case, actor, reason: str) -> Case:
    """The charity cancels its own draft or returned case."""
    _require_editable(case, actor)
    return change_status(case, actor, S.CANCELLED, reason)


# --- re-scoring under another policy ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rescore:
    """One published case before and after re-scoring under `policy`; ranks are places in the neediest order."""

    case: Case
    before_policy: str
    before_total: int
    before_level: str
    before_rank: int
    policy: str
    after_total: int
    after_level: str
    after_rank: int
    #: Reasons the family fails the new policy's eligibility rules; such a case is not re-scored (a reviewer looks).
    reasons: tuple[str, ...]

    @property
    def applies(self) -> bool:
        return not self.reasons


def _neediest_key(total: int, case: Case) -> tuple:
    """The catalog's order (``priority.NEEDIEST_FIRST``) with `total` as the case's points."""
    return neediest_key({**{name: getattr(case, name) for name, _ in NEEDIEST_FIRST}, "priority_total": total})


def rescore_preview(policy: str, today: date | None = None) -> list[Rescore]:
    """What re-scoring every published case not yet under `policy` would do, changing nothing.

    Ranks are over all published cases: before, everyone as stored; after, the re-scored ones with their new totals
    (a case that would fail the new rules keeps its old total and place)."""
    if policy not in POLICIES:
        raise CaseError("unknown_policy", "policy")
    today = today or riyadh_today()
    published = list(db.session.scalars(
        select(Case).where(Case.status == S.PUBLISHED.value).order_by(Case.id)
        .options(selectinload(Case.applicant), selectinload(Case.members), selectinload(Case.registry_checks))
    ))
    changes = {}
    for case in published:
        if case.priority_policy == policy:
            continue
        facts = applicant_facts(case, today)
        points = score(facts, policy)
        changes[case.id] = (points.total, tuple(check_eligibility(facts, policy)))
    before = {case.id: rank for rank, case in enumerate(
        sorted(published, key=lambda c: _neediest_key(c.priority_total, c)), start=1)}

    def new_total(case: Case) -> int:
        total, reasons = changes.get(case.id, (case.priority_total, ()))
        return case.priority_total if reasons else total

    after = {case.id: rank for rank, case in enumerate(
        sorted(published, key=lambda c: _neediest_key(new_total(c), c)), start=1)}
    rows = []
    for case in published:
        if case.id not in changes:
            continue
        total, reasons = changes[case.id]
        rows.append(Rescore(case=case, before_policy=case.priority_policy, before_total=case.priority_total,
                            before_level=case.need_level, before_rank=before[case.id], policy=policy,
                            after_total=total, after_level=need_level(total, policy), after_rank=after[case.id],
                            reasons=reasons))
    return sorted(rows, key=lambda row: row.after_rank)


def preview_fingerprint(rows: list[Rescore]) -> str:
    """A digest of exactly what the admin saw; confirming a different picture is refused."""
    seen = [[row.case.code, row.before_policy, row.before_total, row.policy, row.after_total, row.before_rank,
             row.after_rank, list(row.reasons)] for row in rows]
    return hashlib.sha256(json.dumps(seen, separators=(",", ":")).encode()).hexdigest()


def rescore_published(policy: str, actor, *, fingerprint: str, today: date | None = None) -> list[Rescore]:
    """Re-score the published cases of the preview under `policy`, each change audited with its before and after.

    The preview is computed again and must match `fingerprint` (what the admin confirmed), else nothing changes."""
    rows = rescore_preview(policy, today)
    if not rows:
        raise CaseError("nothing_to_rescore")
    if not hmac.compare_digest(preview_fingerprint(rows), fingerprint or ""):
        raise CaseError("preview_changed")
    applied = [row for row in rows if row.applies]
    for row in applied:
        row.case.priority_policy = policy
        refresh_points(row.case, today)
        record("case.rescored", "case", row.case.code, actor=actor,
               from_state=f"{row.before_policy}:{row.before_total}", to_state=f"{policy}:{row.case.priority_total}",
               reason=f"rank {row.before_rank} -> {row.after_rank}")
    record("cases.rescored", "setting", "priority.active_policy", actor=actor, to_state=policy,
           reason=f"{len(applied)} of {len(rows)} published cases re-scored; "
                  f"kept: {', '.join(row.case.code for row in rows if not row.applies) or 'none'}")
    refresh(SITE)  # points and places change on every case page, the catalog and the home page
    db.session.flush()
    return rows
