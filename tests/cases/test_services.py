from datetime import date

import pytest
from sqlalchemy import select, text

from jood.auth.roles import Role
from jood.cases import identity, services
from jood.cases.models import CaseApplicant, EligibilityResult
from jood.cases.services import CaseError
from jood.charities.models import CharityStatus
from jood.extensions import db
from jood.priority import score
from tests.cases.conftest import PNG, intake, national_id, upload


def test_case_codes_are_hijri_and_sequential(staff, new_case):
    first = new_case(staff.charity, staff.researcher)
    second = new_case(staff.charity, staff.researcher)
    year = services.hijri_year(services.riyadh_today())
    assert (first.code, second.code) == (f"JE-{year}-00001", f"JE-{year}-00002")


def test_code_counter_skips_codes_already_taken(staff, new_case, make_case):
    year = services.hijri_year(services.riyadh_today())
    make_case(code=f"JE-{year}-00001")
    assert new_case(staff.charity, staff.researcher).code == f"JE-{year}-00002"


def test_national_id_is_stored_encrypted_with_a_keyed_hash(staff, new_case):
    case = new_case(staff.charity, staff.researcher, seed=7)
    raw = db.session.execute(text("SELECT national_id_encrypted, national_id_hash FROM case_applicants")).one()
    assert national_id(7) not in raw[0] and national_id(7) != raw[1]
    assert identity.decrypt_national_id(case.applicant.national_id_encrypted) == national_id(7)
    assert len(raw[1]) == 64


def test_keys_are_derived_apart_and_follow_the_configured_secret(app):
    token = identity.fernet_for("secret-a").encrypt(b"1000000008")
    assert identity.fernet_for("secret-a").decrypt(token) == b"1000000008"
    assert identity.hash_with("secret-a", "1") != identity.hash_with("secret-b", "1")
    enc = identity._derive("secret-a", identity.ENCRYPTION_INFO)
    mac = identity._derive("secret-a", identity.HASH_INFO)
    assert enc != mac and b"secret-a" not in enc
    app.config["NATIONAL_ID_KEY"] = "separate-key"
    try:
        assert identity.national_id_hash("1") == identity.hash_with("separate-key", "1")
    finally:
        app.config["NATIONAL_ID_KEY"] = None
    assert identity.national_id_hash("1") == identity.hash_with("test-secret-key", "1")


def test_points_and_tie_break_inputs_are_stored(staff, new_case):
    case = new_case(staff.charity, staff.researcher, members=4, birth_date=date(1970, 1, 1))
    facts = services.applicant_facts(case)
    expected = score(facts)
    assert case.family_size == 5 and facts.family_size == 5
    assert case.priority_total == expected.total and case.priority_breakdown == expected.breakdown
    assert case.priority_breakdown["family_size"] == 15 and case.priority_breakdown["income"] == 3
    assert case.monthly_income == 2500 and case.applicant_age == facts.age >= 56
    assert case.need_level in ("highest", "high", "medium")


def test_income_in_halalas_is_rounded_up_for_points(staff, new_case):
    case = new_case(staff.charity, staff.researcher, monthly_income=3_000_50)
    assert case.monthly_income == 3001 and case.priority_breakdown["income"] == 2


def test_the_same_family_cannot_have_two_open_cases_across_charities(staff, new_case, make_charity, make_user):
    other = make_charity()
    other_researcher = make_user(Role.RESEARCHER, charity=other)
    first = new_case(staff.charity, staff.researcher, seed=42)
    with pytest.raises(CaseError) as error:
        services.create_case(other, other_researcher, intake(42))
    assert (error.value.code, error.value.field) == ("duplicate_open_case", "national_id")
    db.session.rollback()
    services.withdraw_case(first, staff.researcher, "الأسرة انتقلت إلى جمعية أخرى")
    db.session.commit()
    second = services.create_case(other, other_researcher, intake(42))
    db.session.commit()
    assert services.other_cases_of_family(second) == [first]


def test_staff_of_a_pending_or_suspended_charity_cannot_post(make_charity, make_user):
    for status in (CharityStatus.PENDING, CharityStatus.SUSPENDED):
        charity = make_charity(status=status)
        researcher = make_user(Role.RESEARCHER, charity=charity)
        with pytest.raises(CaseError) as error:
            services.create_case(charity, researcher, intake(1))
        assert error.value.code == "charity_not_approved"
        db.session.rollback()


def test_staff_cannot_post_for_another_charity(staff, make_charity):
    with pytest.raises(CaseError) as error:
        services.create_case(make_charity(), staff.researcher, intake(1))
    assert error.value.code == "not_your_charity"


@pytest.mark.parametrize(("missing", "code"), [("visit", "visit_required"), ("document", "basis_document_required")])
def test_submission_needs_the_visit_and_the_basis_document(staff, new_case, missing, code):
    case = new_case(staff.charity, staff.researcher)
    if missing != "document":
        services.add_document(case, staff.researcher, upload(), "lease")
    if missing != "visit":
        services.record_visit(case, staff.researcher, visited_on=date(2026, 1, 1), findings="زيارة ميدانية كاملة "
                              "للمنزل", recommendation="support")
    with pytest.raises(CaseError) as error:
        services.submit_case(case, staff.researcher)
    assert error.value.code == code
    assert case.status == "draft"


@pytest.mark.parametrize("summary", [
    "أسرة محمد تحتاج إلى سداد الإيجار المتأخر منذ سنة كاملة",  # the applicant's first name
    "للتواصل 0551234567 أسرة تحتاج إلى سداد الإيجار المتأخر",  # a phone number
])
def test_a_summary_with_private_data_is_refused(staff, new_case, summary):
    case = new_case(staff.charity, staff.researcher)
    with pytest.raises(CaseError) as error:
        services.update_case(case, staff.researcher, intake(999, public_summary=summary,
                                                             national_id=None))
    assert (error.value.code, error.value.field) == ("summary_private", "public_summary")


def test_a_family_members_name_in_the_summary_is_caught_on_submission(staff, new_case, make_user):
    case = new_case(staff.charity, staff.researcher, stage="draft",
                    public_summary="أسرة تحتاج إلى مساعدة عاجلة، والابن فيصل مريض ويحتاج إلى رعاية.")
    services.add_document(case, staff.researcher, upload(), "lease")
    services.record_visit(case, staff.researcher, visited_on=date(2026, 1, 1), findings="زيارة ميدانية كاملة",
                          recommendation="support")
    with pytest.raises(CaseError):  # adding the member named in the summary is refused at once
        services.add_member(case, staff.researcher, {"relation": "son", "full_name": "فيصل محمد", "age": 9,
                                                     "marital_status": "single", "has_condition": True})


def test_an_ineligible_family_cannot_be_submitted_and_results_keep_their_source(staff, new_case):
    case = new_case(staff.charity, staff.researcher, nationality="YE", assets_value=6_000_000_00)
    services.add_document(case, staff.researcher, upload(), "lease")
    services.record_visit(case, staff.researcher, visited_on=date(2026, 1, 1), findings="زيارة ميدانية كاملة",
                          recommendation="support")
    with pytest.raises(CaseError) as error:
        services.submit_case(case, staff.researcher)
    assert error.value.code == "not_eligible" and error.value.details["reasons"] == ["nationality", "assets"]
    db.session.commit()
    results = {r.rule: (r.passed, r.source) for r in db.session.scalars(select(EligibilityResult))}
    assert results["nationality"] == (False, "applicant_file") and results["residence"] == (True, "applicant_file")


def test_review_and_publish(staff, new_case, make_user):
    reviewer = make_user(Role.REVIEWER)
    case = new_case(staff.charity, staff.researcher, stage="under_review", reviewer=reviewer)
    with pytest.raises(CaseError) as error:
        services.publish_case(case, reviewer, confirmed_no_private_data=False)
    assert error.value.code == "confirm_required"
    with pytest.raises(CaseError) as error:
        services.publish_case(case, reviewer, confirmed_no_private_data=True)
    assert error.value.code == "registry_checks_required"
    with pytest.raises(CaseError) as error:
        services.publish_case(case, staff.manager, confirmed_no_private_data=True)
    assert error.value.code == "reviewer_from_charity"
    clear = {name: {"outcome": "clear", "evidence": "لا يوجد سجل في النظام"} for name in services.REGISTRIES}
    services.record_registry_checks(case, reviewer, clear)
    services.publish_case(case, reviewer, confirmed_no_private_data=True)
    db.session.commit()
    assert case.status == "published" and case.published_at and case.reviewer_id == reviewer.id
    assert case.field_verified_at and case.electronic_verified_at


def test_a_registry_finding_fails_eligibility_with_the_registry_as_source(staff, new_case, make_user):
    reviewer = make_user(Role.REVIEWER)
    case = new_case(staff.charity, staff.researcher, stage="under_review", reviewer=reviewer)
    answers = {name: {"outcome": "clear", "evidence": "لا يوجد سجل في النظام"} for name in services.REGISTRIES}
    answers["property_ownership"] = {"outcome": "found", "evidence": "صك باسم المتقدم مسجل عام ٢٠٢٥"}
    services.record_registry_checks(case, reviewer, answers)
    owns = db.session.scalar(select(EligibilityResult).where(EligibilityResult.rule == "owns_home"))
    assert owns.passed is False and owns.source == "registry:property_ownership:reviewer_attestation"
    with pytest.raises(CaseError) as error:
        services.publish_case(case, reviewer, confirmed_no_private_data=True)
    assert error.value.code == "not_eligible"


def test_attestation_needs_evidence(staff, new_case, make_user):
    reviewer = make_user(Role.REVIEWER)
    case = new_case(staff.charity, staff.researcher, stage="under_review", reviewer=reviewer)
    with pytest.raises(CaseError) as error:
        services.record_registry_checks(case, reviewer, {name: {"outcome": "clear", "evidence": "ok"}
                                                         for name in services.REGISTRIES})
    assert error.value.code == "registry_evidence_required"


@pytest.mark.parametrize(("content", "code"), [
    (b"GIF89a....", "upload_bad_type"), (b"", "upload_empty"), (b"%PDF-" + b"0" * 600, "upload_too_large")])
def test_uploads_are_checked_by_content_and_size(app, staff, new_case, content, code):
    case = new_case(staff.charity, staff.researcher)
    app.config["MAX_UPLOAD_BYTES"] = 500
    try:
        with pytest.raises(CaseError) as error:
            services.add_document(case, staff.researcher, upload(content, "looks-fine.pdf"), "lease")
    finally:
        app.config["MAX_UPLOAD_BYTES"] = 5 * 1024 * 1024
    assert error.value.code == code


def test_a_png_named_pdf_is_stored_as_png_under_a_random_name(app, staff, new_case):
    from pathlib import Path

    case = new_case(staff.charity, staff.researcher)
    document = services.add_document(case, staff.researcher, upload(PNG, "../../evil.pdf"), "family_card")
    assert document.content_type == "image/png" and document.stored_name.endswith(".png")
    assert "evil" not in document.stored_name
    kept = (Path(app.config["UPLOAD_FOLDER"]) / "cases" / document.stored_name).read_bytes()
    assert kept.startswith(b"\x89PNG") and document.size == len(kept)  # re-encoded without metadata


def test_every_transition_is_audited(staff, new_case, make_user):
    from jood.audit.models import AuditEntry

    reviewer = make_user(Role.REVIEWER)
    case = new_case(staff.charity, staff.researcher, stage="published", reviewer=reviewer)
    services.change_status(case, reviewer, services.S.SUSPENDED, "شكوى قيد التحقق")
    db.session.commit()
    moves = db.session.execute(select(AuditEntry.from_state, AuditEntry.to_state, AuditEntry.actor_id)
                               .where(AuditEntry.action == "case.transition").order_by(AuditEntry.id)).all()
    assert moves == [("draft", "submitted", staff.researcher.id), ("submitted", "under_review", reviewer.id),
                     ("under_review", "published", reviewer.id), ("published", "suspended", reviewer.id)]
    assert case.status_reason == "شكوى قيد التحقق"


def test_applicant_rows_hold_the_private_fields(staff, new_case):
    new_case(staff.charity, staff.researcher)
    applicant = db.session.scalar(select(CaseApplicant))
    assert applicant.full_name == "محمد عبدالله القحطاني" and applicant.phone == "0551234567"


@pytest.mark.parametrize(("field", "text", "code"), [
    ("public_title", "أسرة محمد في صبيا تحتاج إيجار سنة", "title_private"),
    ("public_title", "أسرة 0551234567 تحتاج إيجار", "title_private"),
    ("public_title_en", "Call 0551234567 for the family", "title_private"),
    ("public_summary_en", "Write to family@example.org about the rent they owe", "summary_private"),
])
def test_the_public_title_and_english_texts_are_checked_like_the_summary(staff, new_case, field, text, code):
    case = new_case(staff.charity, staff.researcher)
    with pytest.raises(CaseError) as error:
        services.update_case(case, staff.researcher, intake(999, national_id=None, **{field: text}))
    assert (error.value.code, error.value.field) == (code, field)


def test_a_clean_public_title_is_stored_and_searchable(staff, new_case):
    case = new_case(staff.charity, staff.researcher)
    services.update_case(case, staff.researcher, intake(999, national_id=None,
                                                         public_title="أسرة من سبعة أفراد في صبيا تحتاج إيجار سنة"))
    assert case.public_title == "أسرة من سبعة أفراد في صبيا تحتاج إيجار سنة"
    assert "صبيا" in case.search_text


def test_a_case_is_submitted_only_with_a_public_title(staff, new_case):
    case = new_case(staff.charity, staff.researcher, public_title="")
    services.add_document(case, staff.researcher, upload(), "lease")
    services.record_visit(case, staff.researcher, visited_on=date(2026, 1, 1), findings="زيارة ميدانية كاملة",
                          recommendation="support")
    with pytest.raises(CaseError) as error:
        services.submit_case(case, staff.researcher)
    assert (error.value.code, error.value.field) == ("title_required", "public_title")
    assert case.status == "draft"
