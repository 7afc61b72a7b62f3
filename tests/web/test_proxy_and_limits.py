"""The real client behind a load balancer, and rate limits no donor shares with another (issue 11, items 1-2)."""

import pytest

from jood import create_app
from jood.donations import views as giving
from jood.extensions import db
from tests.conftest import csrf_token, donation_count

A, B = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def proxied_app(app, tmp_path):
    """The production shape: one trusted proxy (the load balancer) in front, on the suite's database."""
    behind = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret-key", "TRUSTED_PROXY_HOPS": 1,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_OUTBOX": str(tmp_path),
        "RATELIMIT_STORAGE_URI": "memory://", "VISITOR_COUNTING": False, "UPLOAD_FOLDER": str(tmp_path),
    })
    yield behind
    with behind.app_context():
        db.session.remove()
        db.engines[None].dispose()


def _failed_logins(client, count: int, forwarded_for=None, start: int = 0) -> list[int]:
    statuses = []
    for n in range(start, start + count):
        headers = {"X-Forwarded-For": forwarded_for(n) if callable(forwarded_for) else forwarded_for} \
            if forwarded_for else {}
        token = csrf_token(client)
        # A different account each time: only the per-address limit (10 a minute) is at work.
        response = client.post("/login", data={"csrf_token": token, "email": f"nobody{n}@example.org",
                                               "password": "wrong-password"}, headers=headers)
        statuses.append(response.status_code)
    return statuses


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_limit(proxied_app):
    client = proxied_app.test_client()
    assert _failed_logins(client, 11, A)[-1] == 429
    assert _failed_logins(client, 1, B, start=20) == [200]  # another donor behind the same balancer


def test_behind_one_trusted_proxy_the_app_sees_the_forwarded_address(proxied_app):
    seen = {}

    def probe(environ, start_response):
        seen["addr"] = environ["REMOTE_ADDR"]
        start_response("204 No Content", [])
        return [b""]

    proxied_app.wsgi_app.app = probe  # ProxyFix is the outermost layer: whatever it wraps sees the client
    proxied_app.test_client().get("/", headers={"X-Forwarded-For": f"10.9.9.9, {A}"})
    assert seen["addr"] == A  # the one hop it trusts is the balancer's own entry, the last one


def test_without_trusted_proxies_a_forged_forwarded_for_changes_nothing(client):
    statuses = _failed_logins(client, 11, forwarded_for=lambda n: f"192.0.2.{n}")
    assert statuses[:10] == [200] * 10 and statuses[10] == 429  # all counted against the real peer


def _pool_gift(client, amount: str, addr: str):
    environ = {"REMOTE_ADDR": addr}
    token = csrf_token(client, "/give")
    return client.post("/give", data={"csrf_token": token, "amount": amount, "pool": "rent", "action": "pay",
                                      "anonymous": "y"}, environ_base=environ)


def test_invalid_pool_gifts_from_many_addresses_never_block_another_donor(client):
    for n in range(65):  # more than the old shared budget (60 a minute), each from its own address
        assert _pool_gift(client, "abc", f"192.0.2.{n}").status_code == 400  # the form, with its error
    assert _pool_gift(client, "50", A).status_code == 303
    assert donation_count() == 1


def test_many_donors_may_give_to_one_case_in_the_same_minute(client, make_case):
    case = make_case(target_amount=100_000_00)
    for n in range(70):  # above the old shared per-case budget of 60 a minute
        token = csrf_token(client, f"/cases/{case.code}/donate")
        response = client.post(f"/cases/{case.code}/donate", data={
            "csrf_token": token, "amount": "5", "action": "pay", "anonymous": "y"},
            environ_base={"REMOTE_ADDR": f"10.0.{n // 200}.{n % 200}"})
        assert response.status_code == 303, n
    assert donation_count() == 70


def test_one_client_is_limited_on_one_case_without_touching_others(client, make_case):
    case = make_case()
    statuses = [client.post(f"/cases/{case.code}/donate", data={
        "csrf_token": csrf_token(client, f"/cases/{case.code}/donate"), "amount": "5", "action": "pay",
        "anonymous": "y", "email": f"d{n}@example.org"}, environ_base={"REMOTE_ADDR": A}).status_code
        for n in range(11)]
    assert statuses[:10] == [303] * 10 and statuses[10] == 429
    other = client.post(f"/cases/{case.code}/donate", data={
        "csrf_token": csrf_token(client, f"/cases/{case.code}/donate"), "amount": "5", "action": "pay",
        "anonymous": "y"}, environ_base={"REMOTE_ADDR": B})
    assert other.status_code == 303


def test_no_checkout_limit_is_keyed_by_a_case_or_a_pool_alone(app):
    with app.test_request_context("/cases/JE-1/donate", method="POST", data={"pool": "rent"},
                                  environ_base={"REMOTE_ADDR": A}):
        from flask import request

        request.view_args = {"code": "JE-1"}
        assert giving._client_target_key().endswith(A)
        assert giving._donor_key() == f"ip:{A}"
