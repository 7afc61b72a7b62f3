"""Every value shown to staff is a label in their language, never a raw code."""

from types import SimpleNamespace

import pytest
from wtforms.validators import ValidationError

from jood.cases.forms import _valid_national_id
from jood.extensions import db
from tests.cases.conftest import national_id
from tests.conftest import login


def test_the_case_file_shows_labels_not_codes(client, staff, new_case):
    case = new_case(staff.charity, staff.researcher)
    db.session.commit()
    login(client, staff.researcher)
    page = client.get(f"/workspace/cases/{case.code}").get_data(as_text=True)
    assert "سعودي" in page and "<dd>SA</dd>" not in page
    assert "فُتحت الحالة" in page and "case.created" not in page


def test_upload_and_submit_buttons_have_different_labels(client, staff, new_case):
    case = new_case(staff.charity, staff.researcher)
    db.session.commit()
    login(client, staff.researcher)
    page = client.get(f"/workspace/cases/{case.code}").get_data(as_text=True)
    assert "رفع الملف" in page and "إرسال للمراجعة" in page


def test_a_ten_digit_id_with_a_wrong_check_digit_is_told_so(app):
    good = national_id(7)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with app.test_request_context():
        with pytest.raises(ValidationError) as error:
            _valid_national_id(None, SimpleNamespace(data=bad))
        assert "رقم التحقق" in str(error.value)
        with pytest.raises(ValidationError) as error:
            _valid_national_id(None, SimpleNamespace(data="12345"))
        assert "10" in str(error.value) and "رقم التحقق" not in str(error.value)
        _valid_national_id(None, SimpleNamespace(data=good))


def test_the_disbursement_decision_field_has_a_label(app):
    from jood.disbursements.forms import DecisionForm

    with app.test_request_context(headers={"Accept-Language": "ar"}):
        assert str(DecisionForm(meta={"csrf": False}).action.label.text) == "القرار"
