"""Disbursement helpers: fund a case through the real giving path, request and decide through the real forms."""

from __future__ import annotations

import io

import pytest

from jood.auth.roles import Role
from jood.extensions import db
from tests.conftest import login, post_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _tiny_png() -> bytes:
    """A real 2 x 2 PNG: uploads are decoded, so bytes that merely start like a PNG are refused."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (30, 120, 90)).save(out, "PNG")
    return out.getvalue()


PNG = _tiny_png()


@pytest.fixture
def funded(make_case, make_charity, donate):
    """A rent case of 1,000 SAR funded by a 400 SAR zakat gift and a 600 SAR gift, with its charity."""

    def do(target: int = 1000_00, **fields):
        charity = make_charity()
        case = make_case(target_amount=target, charity=charity, **fields)
        zakat_part = target * 2 // 5
        donate(case, f"{zakat_part // 100}.{zakat_part % 100:02d}", email="zakat-donor@example.org", zakat="y")
        rest = target - zakat_part
        donate(case, f"{rest // 100}.{rest % 100:02d}", email="donor@example.org")
        db.session.refresh(case)
        return case

    return do


def request_data(**overrides) -> dict:
    data = {
        "amount": "1000",
        "payee_name": "مالك العقار",
        "payee_phone": "0551234567",
        "contract_reference": "L-2026-77",
        "period_start": "2026-12-01",
        "period_end": "2027-11-30",
        "outcome_text": "سُدّد إيجار عام 1448هـ",
        "note": "",
        "documents": [(io.BytesIO(PDF), "lease.pdf")],
    }
    data.update(overrides)
    return data


def send_request(client, case, **overrides):
    url = f"/charity/cases/{case.code}/disbursement"
    return post_form(client, url, request_data(**overrides), token_page=url, content_type="multipart/form-data")


def decide(client, disbursement, action: str = "approve", **fields):
    url = f"/finance/disbursements/{disbursement.id}"
    return post_form(client, url, {"action": action, **fields}, token_page=url)


@pytest.fixture
def staff_client(app, make_user):
    """A client signed in as a researcher of `charity`."""

    def do(charity, role: Role = Role.RESEARCHER):
        client = app.test_client()
        user = make_user(role, charity=charity)
        login(client, user)
        return client, user

    return do


@pytest.fixture
def finance_client(app, make_user):
    def do():
        client = app.test_client()
        user = make_user(Role.FINANCE)
        login(client, user)
        return client, user

    return do
