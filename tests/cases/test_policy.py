"""The active points policy (an audited admin setting), cases keeping their own policy, and re-scoring published
cases under a new policy: a preview of every case's before and after, then an explicit, audited confirmation."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from jood.audit.models import AuditEntry
from jood.auth.roles import Role
from jood.cases import services
from jood.cases.models import Case
from jood.cases.services import CaseError
from jood.extensions import db
from jood.settings import services as settings
from jood.settings.services import SettingsError
from tests.conftest import login, post_form

V1 = "moh-points-v1"
REG = "moh-regulation-2"


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER)


def activate(policy: str, admin) -> None:
    settings.set_active_policy(policy, actor=admin, reason="اعتماد اللائحة التنفيذية")
    db.session.commit()


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def years_ago(years: int) -> date:
    today = services.riyadh_today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


# --- the setting ------------------------------------------------------------------------------------------------------


def test_the_code_default_applies_until_an_admin_chooses(admin):
    assert settings.active_policy() == V1
    activate(REG, admin)
    assert settings.active_policy() == REG
    [entry] = audit("settings.priority_policy")
    assert (entry.actor_id, entry.from_state, entry.to_state) == (admin.id, V1, REG)
    assert entry.reason == "اعتماد اللائحة التنفيذية"
    activate(V1, admin)
    assert settings.active_policy() == V1
    assert [h.policy for h in settings.policy_history()] == [V1, REG]


@pytest.mark.parametrize(
    ("policy", "reason", "code"),
    [("moh-points-v9", "سبب كافٍ", "unknown_policy"), (V1, "سبب كافٍ", "policy_unchanged"),
     (REG, "قصير", "reason_required"), (REG, "    ", "reason_required")],
)
def test_bad_changes_are_refused_and_change_nothing(admin, policy, reason, code):
    with pytest.raises(SettingsError) as error:
        settings.set_active_policy(policy, actor=admin, reason=reason)
    assert error.value.code == code
    db.session.rollback()
    assert settings.active_policy() == V1 and audit("settings.priority_policy") == []


# --- a case keeps the policy it was scored under ----------------------------------------------------------------------


def test_new_cases_take_the_active_policy_and_keep_it(staff, new_case, admin):
    old = new_case(staff.charity, staff.researcher)
    assert old.priority_policy == V1
    activate(REG, admin)
    new = new_case(staff.charity, staff.researcher)
    assert new.priority_policy == REG
    # Editing the old case re-computes its points, under its own policy.
    services.add_member(old, staff.researcher, {"relation": "son", "full_name": "ابن ثالث", "age": 3,
                                                "marital_status": "single", "has_condition": False})
    db.session.commit()
    assert old.priority_policy == V1 and old.priority_breakdown["income"] == 3  # 2,500 SAR under v1
    assert new.priority_breakdown["income"] == 20  # 2,500 SAR, ordinary unit, under the regulation


@pytest.mark.parametrize(("housing_type", "income_points"), [("ordinary_unit", 20), ("housing_complex", 10)])
def test_the_case_housing_type_decides_the_regulations_income_points(staff, new_case, admin, housing_type,
                                                                       income_points):
    activate(REG, admin)
    case = new_case(staff.charity, staff.researcher, housing_type=housing_type)
    assert case.applicant.housing_type == housing_type
    assert case.priority_breakdown["income"] == income_points


def test_the_home_ownership_window_follows_the_case_policy(staff, new_case, admin):
    under_v1 = new_case(staff.charity, staff.researcher, home_owned_until=years_ago(2))
    assert services.run_verification(under_v1, staff.researcher) == ["owns_home"]  # five-year window
    activate(REG, admin)
    under_reg = new_case(staff.charity, staff.researcher, home_owned_until=years_ago(2))
    assert services.run_verification(under_reg, staff.researcher) == []  # one-year window
    recent = new_case(staff.charity, staff.researcher, home_owned_until=years_ago(0))
    assert services.run_verification(recent, staff.researcher) == ["owns_home"]


# --- re-scoring published cases -------------------------------------------------------------------------------------


@pytest.fixture
def two_published(staff, new_case, reviewer):
    """Under v1: `rich` leads (larger family, 4,500 SAR); under the regulation `poor` (2,000 SAR) overtakes it."""
    rich = new_case(staff.charity, staff.researcher, "published", reviewer, members=5, monthly_income=4_500_00)
    poor = new_case(staff.charity, staff.researcher, "published", reviewer, members=3, monthly_income=2_000_00)
    return rich, poor


def test_the_preview_shows_before_and_after_and_changes_nothing(two_published, admin):
    rich, poor = two_published
    before = {case.code: (case.priority_policy, case.priority_total) for case in two_published}
    assert rich.priority_total > poor.priority_total
    activate(REG, admin)
    rows = services.rescore_preview(REG)
    by_code = {row.case.code: row for row in rows}
    assert set(by_code) == {rich.code, poor.code}
    assert (by_code[rich.code].before_rank, by_code[poor.code].before_rank) == (1, 2)
    assert (by_code[rich.code].after_rank, by_code[poor.code].after_rank) == (2, 1)
    assert by_code[poor.code].after_total == by_code[poor.code].before_total + 17  # income 3 -> 20
    assert by_code[rich.code].after_total == by_code[rich.code].before_total  # 4,500 SAR: 1 point under both
    assert all(row.applies and row.before_policy == V1 and row.policy == REG for row in rows)
    db.session.expire_all()
    assert {case.code: (case.priority_policy, case.priority_total) for case in two_published} == before
    assert audit("case.rescored") == []


def test_confirming_rescores_each_case_with_an_audit_entry(two_published, admin):
    rich, poor = two_published
    activate(REG, admin)
    rows = services.rescore_preview(REG)
    services.rescore_published(REG, admin, fingerprint=services.preview_fingerprint(rows))
    db.session.commit()
    db.session.expire_all()
    assert {rich.priority_policy, poor.priority_policy} == {REG}
    assert poor.priority_breakdown["income"] == 20
    entries = {entry.object_id: entry for entry in audit("case.rescored")}
    row = next(r for r in rows if r.case.code == poor.code)
    assert entries[poor.code].from_state == f"{V1}:{row.before_total}"
    assert entries[poor.code].to_state == f"{REG}:{row.after_total}"
    assert entries[poor.code].reason == "rank 2 -> 1" and entries[poor.code].actor_id == admin.id
    [summary] = audit("cases.rescored")
    assert summary.to_state == REG and summary.reason.startswith("2 of 2")
    assert services.rescore_preview(REG) == []
    with pytest.raises(CaseError, match="nothing_to_rescore"):
        services.rescore_published(REG, admin, fingerprint="")


def test_a_stale_or_forged_confirmation_changes_nothing(two_published, admin, staff, new_case, reviewer):
    activate(REG, admin)
    fingerprint = services.preview_fingerprint(services.rescore_preview(REG))
    # Another case under the old policy is published after the preview: the admin did not see it.
    late = new_case(staff.charity, staff.researcher, "published", reviewer)
    late.priority_policy = V1
    db.session.commit()
    for forged in (fingerprint, "0" * 64, ""):
        with pytest.raises(CaseError, match="preview_changed"):
            services.rescore_published(REG, admin, fingerprint=forged)
        db.session.rollback()
    assert {case.priority_policy for case in db.session.scalars(select(Case))} == {V1}
    assert audit("case.rescored") == []


def test_a_case_the_new_rules_would_refuse_is_listed_and_kept(staff, new_case, reviewer, admin):
    activate(REG, admin)
    # Eligible under the regulation (sold three years ago), not under v1's five-year window.
    case = new_case(staff.charity, staff.researcher, "published", reviewer, home_owned_until=years_ago(3))
    assert case.priority_policy == REG
    activate(V1, admin)
    [row] = services.rescore_preview(V1)
    assert row.reasons == ("owns_home",) and not row.applies
    services.rescore_published(V1, admin, fingerprint=services.preview_fingerprint([row]))
    db.session.commit()
    db.session.expire_all()
    assert case.priority_policy == REG
    assert audit("case.rescored") == []
    assert case.code in audit("cases.rescored")[0].reason


# --- the admin pages --------------------------------------------------------------------------------------------------


def _fingerprint(page: str) -> str:
    return re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]{64})"', page)[1]


def test_admin_changes_the_policy_from_the_page(client, admin):
    login(client, admin)
    page = client.get("/admin/priority-policy").get_data(as_text=True)
    assert V1 in page and REG in page
    response = post_form(client, "/admin/priority-policy", {"policy": REG, "reason": "بدء العمل باللائحة"},
                         token_page="/admin/priority-policy")
    assert response.status_code == 302
    assert settings.active_policy() == REG
    assert REG in client.get("/admin/priority-policy").get_data(as_text=True)


@pytest.mark.parametrize("data", [{"policy": "moh-points-v9", "reason": "سبب كافٍ"}, {"policy": REG, "reason": ""},
                                  {"policy": V1, "reason": "سبب كافٍ"}])
def test_bad_policy_changes_get_a_translated_error(client, admin, data):
    login(client, admin)
    response = post_form(client, "/admin/priority-policy", data, token_page="/admin/priority-policy")
    assert response.status_code == 400
    assert 'class="field__error"' in response.get_data(as_text=True)
    assert settings.active_policy() == V1 and audit("settings.priority_policy") == []


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.FINANCE, Role.AUDITOR, Role.CHARITY_MANAGER, Role.DONOR])
def test_only_an_admin_may_change_or_rescore(client, make_user, role):
    login(client, make_user(role))
    token_page = "/"
    assert post_form(client, "/admin/priority-policy", {"policy": REG, "reason": "محاولة"},
                     token_page=token_page).status_code == 403
    assert post_form(client, "/admin/priority-policy/rescore", {"fingerprint": "x", "confirm": "y"},
                     token_page=token_page).status_code == 403
    assert settings.active_policy() == V1


def test_rescore_preview_then_confirm_from_the_pages(client, admin, two_published):
    rich, poor = two_published
    activate(REG, admin)
    login(client, admin)
    assert 'data-testid="rescore-link"' in client.get("/admin/priority-policy").get_data(as_text=True)
    page = client.get("/admin/priority-policy/rescore").get_data(as_text=True)
    assert page.count('data-testid="rescore-row"') == 2 and rich.code in page and poor.code in page
    fingerprint = _fingerprint(page)
    # Without the confirmation box nothing happens.
    response = post_form(client, "/admin/priority-policy/rescore", {"fingerprint": fingerprint},
                         token_page="/admin/priority-policy/rescore")
    assert response.status_code == 400
    db.session.expire_all()
    assert rich.priority_policy == V1
    response = post_form(client, "/admin/priority-policy/rescore", {"fingerprint": fingerprint, "confirm": "y"},
                         token_page="/admin/priority-policy/rescore")
    assert response.status_code == 302
    db.session.expire_all()
    assert {rich.priority_policy, poor.priority_policy} == {REG}
    assert len(audit("case.rescored")) == 2
    page = client.get("/admin/priority-policy/rescore").get_data(as_text=True)
    assert 'data-testid="rescore-row"' not in page and 'data-testid="rescore-confirm"' not in page
    assert 'data-testid="rescore-link"' not in client.get("/admin/priority-policy").get_data(as_text=True)


def test_a_stale_preview_page_is_refused_and_shown_again(client, admin, two_published, staff, new_case, reviewer):
    activate(REG, admin)
    login(client, admin)
    fingerprint = _fingerprint(client.get("/admin/priority-policy/rescore").get_data(as_text=True))
    late = new_case(staff.charity, staff.researcher, "published", reviewer)
    late.priority_policy = V1  # published after the preview, under the old policy
    db.session.commit()
    response = post_form(client, "/admin/priority-policy/rescore", {"fingerprint": fingerprint, "confirm": "y"},
                         token_page="/admin/priority-policy/rescore")
    assert response.status_code == 400
    assert response.get_data(as_text=True).count('data-testid="rescore-row"') == 3
    assert audit("case.rescored") == []


def test_the_case_file_shows_its_policy(client, staff, new_case):
    case = new_case(staff.charity, staff.researcher)
    login(client, staff.researcher)
    page = client.get(f"/workspace/cases/{case.code}").get_data(as_text=True)
    assert re.search(r'data-testid="case-policy">[^<]*<bdi>moh-points-v1</bdi>', page)
