"""Walk every route for every role: each view must declare who may see it, and the declaration must hold."""

import pytest

from jood.auth.roles import Role
from tests.conftest import login


def _endpoints(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, app.view_functions[rule.endpoint]


def test_every_view_declares_its_access_tier(app):
    undeclared = [rule.rule for rule, view in _endpoints(app) if not hasattr(view, "allowed_roles")]
    assert undeclared == []


def _simple_get_routes(app):
    """GET routes without URL arguments: the ones a role-walk can open blindly."""
    return [
        (rule.rule, view.allowed_roles)
        for rule, view in _endpoints(app)
        if "GET" in rule.methods and not rule.arguments
    ]


@pytest.mark.parametrize("role", [None, *Role])
def test_each_role_sees_exactly_what_its_tier_allows(app, client, make_user, role):
    user = make_user(role) if role else None
    if user:
        login(client, user)
    for path, allowed in _simple_get_routes(app):
        status = client.get(path).status_code
        if allowed is None or (user and role.value in allowed):
            assert status in (200, 302), f"{role} should open {path}, got {status}"
        elif user is None:
            assert status == 302, f"anonymous should be sent to sign in from {path}, got {status}"
        else:
            assert status == 403, f"{role} must not open {path}, got {status}"
