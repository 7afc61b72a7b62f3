"""Walk every rule of the URL map, with every method, for every role: each view declares who may use it, and the
declaration holds. URL arguments are real objects built from the fixtures, so the walk reaches the views."""

import pytest
from sqlalchemy import select

from jood.auth.roles import READ_ONLY_MAY_POST, READ_ONLY_ROLES, Role
from jood.cases import services as cases
from jood.extensions import db
from jood.support import services as support
from tests.cases.conftest import new_case, upload  # noqa: F401 - shared fixture
from tests.conftest import csrf_token, login

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SKIPPED = {"static", "auth.logout"}  # logout ends the walk's session: tested on its own below


def _endpoints(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, app.view_functions[rule.endpoint]


def test_every_view_declares_its_access_tier(app):
    undeclared = [rule.rule for rule, view in _endpoints(app) if not hasattr(view, "allowed_roles")]
    assert undeclared == []


@pytest.fixture
def world(make_charity, make_user, make_case, new_case, donate):  # noqa: F811
    """One of everything a URL can name, all belonging to one charity whose staff take part in the walk."""
    charity = make_charity()
    researcher = make_user(Role.RESEARCHER, charity=charity)
    draft = new_case(charity, researcher)
    document = cases.add_document(draft, researcher, upload(), "lease")
    published = make_case(charity=charity, target_amount=5000_00, code="JE-1448-09999")
    donation = donate(published, "100", email="walker@example.org", is_gift="y", gift_recipient="أم سعد")
    item = support.file_request(kind="grievance", name="هدى", message="أعترض على القرار.", email="g@example.org",
                                contested_decision="رفض", notified_on=donation.created_at.date())
    member = support.add_member(make_user(Role.REVIEWER), actor=make_user(Role.ADMIN))
    campaign = _live_league(published)
    db.session.commit()
    values = {
        "code": draft.code, "slug": charity.slug, "charity_id": charity.id, "user_id": researcher.id,
        "document_id": document.id, "token": donation.receipt_token, "reference": donation.reference,
        "tracking": item.tracking_number, "member_id": member.id, "session_id": donation.payment.session_id,
        "recurring_id": 1, "disbursement_id": 1, "year": donation.created_at.year, "index": 0,
        "name": "apple-developer-merchantid-domain-association", "pool": "rent", "amount": 100,
        "region": "riyadh", "team_id": campaign.team_id, "event": "end",
    }
    # Rules whose arguments mean something else, or need a published case rather than a draft.
    by_rule = {
        "/language/<code>": {"code": "en"},
        "/cases/<code>": {"code": published.code}, "/cases/<code>/donate": {"code": published.code},
        "/cases/<code>/checkout": {"code": published.code}, "/cases/<code>/card.png": {"code": published.code},
        "/api/v1/cases/<code>": {"code": published.code},
        "/gifts/<token>": {"token": donation.gift_token}, "/gifts/<token>.pdf": {"token": donation.gift_token},
        "/basket/<int:index>/<action>": {"action": "remove"},
        "/review/<code>/<action>": {"action": "return"},
        "/charities/applications/<int:charity_id>/<action>": {"action": "approve"},
        "/reset/<token>": {"token": "not-a-token"},
        **{rule: {"slug": campaign.slug} for rule in CAMPAIGN_RULES},
        "/kiosk/<pool>": {"pool": "rent"},
    }
    return charity, values, by_rule


CAMPAIGN_RULES = ("/campaigns/<slug>", "/campaigns/<slug>/regions", "/campaigns/<slug>/regions/<region>",
                  "/campaigns/<slug>/teams/<int:team_id>", "/campaigns/<slug>/card.png",
                  "/api/v1/campaigns/<slug>", "/staff/campaigns/<slug>/edit", "/staff/campaigns/<slug>/targets",
                  "/staff/campaigns/<slug>/teams", "/staff/campaigns/<slug>/status/<event>")


def _live_league(case):
    """A live league with one team adopting `case`, for the campaign rules (`team_id` rides on the campaign)."""
    from datetime import timedelta

    from jood.campaigns import services as campaigns
    from jood.transparency.stats import today

    campaign = campaigns.save_campaign(None, {
        "slug": "walk-league", "kind": "league", "title_ar": "دوري", "start_date": today() - timedelta(days=1),
        "end_date": today() + timedelta(days=5), "goal_families": 3}, actor=None)
    campaigns.transition(campaign, "schedule")
    campaigns.transition(campaign, "launch")
    campaign.team_id = campaigns.add_team(campaign, name_ar="فريق", name_en="", kind="club",
                                          case_codes=[case.code], actor=None).id
    return campaign


def _url(rule, values, by_rule) -> str:
    arguments = {name: by_rule.get(rule.rule, {}).get(name, values.get(name)) for name in rule.arguments}
    missing = [name for name, value in arguments.items() if value is None]
    assert not missing, f"the walk has no value for {missing} of {rule.rule}: add one to the world fixture"
    return rule.build(arguments)[1]


def _expectation(role: Role | None, allowed, rule, method: str) -> str:
    if role in READ_ONLY_ROLES and method in WRITE_METHODS and rule.endpoint not in READ_ONLY_MAY_POST:
        return "forbidden"
    if allowed is None or (role is not None and role.value in allowed):
        return "open"
    return "sign in" if role is None else "forbidden"


@pytest.mark.parametrize("role", [None, *Role], ids=lambda role: role.value if role else "anonymous")
def test_each_role_gets_exactly_what_its_tier_allows_on_every_rule(app, client, make_user, world, role):
    charity, values, by_rule = world
    user = make_user(role, charity=charity if role in (Role.RESEARCHER, Role.CHARITY_MANAGER) else None) \
        if role else None
    if user:
        login(client, user)
    token = csrf_token(client, "/account" if user else "/login")
    walked, failures = 0, []
    for rule, view in sorted(_endpoints(app), key=lambda pair: (pair[0].rule, pair[0].endpoint)):
        if rule.endpoint in SKIPPED:
            continue
        path = _url(rule, values, by_rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method in WRITE_METHODS else None
            response = client.open(path, method=method, data=data)
            status, walked = response.status_code, walked + 1
            expected = _expectation(role, view.allowed_roles, rule, method)
            location = response.headers.get("Location", "")
            if status >= 500:
                failures.append(f"{method} {path}: {status}")
            elif expected == "forbidden" and status != 403:
                failures.append(f"{method} {path}: {role} must be refused (403), got {status}")
            elif expected == "sign in" and not (status == 302 and "/login" in location):
                failures.append(f"{method} {path}: anonymous must be sent to sign in, got {status} {location}")
            elif expected == "open" and (status == 403 or (status == 302 and "/login?" in location)):
                failures.append(f"{method} {path}: {role} may use this, got {status} {location}")
    assert failures == []
    assert walked >= len(list(app.url_map.iter_rules())) - len(SKIPPED)  # every rule, every method


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_sign_out(client, make_user, role, make_charity):
    charity = make_charity() if role in (Role.RESEARCHER, Role.CHARITY_MANAGER) else None
    login(client, make_user(role, charity=charity))
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # signed out


def test_the_auditor_cannot_join_the_committee_nor_vote(client, make_user, world):
    auditor, admin = make_user(Role.AUDITOR), make_user(Role.ADMIN)
    assert auditor not in support.eligible_members()
    with pytest.raises(support.SupportError):
        support.add_member(auditor, actor=admin)
    # An auditor who sat on the committee before this rule existed still cannot vote.
    db.session.add(support.CommitteeMember(user=auditor))
    db.session.commit()
    item = db.session.scalar(select(support.SupportRequest))
    with pytest.raises(support.SupportError):
        support.vote(item, auditor, "upheld")
    login(client, auditor)
    response = client.post(f"/support/queue/{item.tracking_number}/vote",
                           data={"csrf_token": csrf_token(client, "/account"), "vote": "upheld"})
    assert response.status_code == 403
    db.session.expire_all()
    assert item.votes == []
