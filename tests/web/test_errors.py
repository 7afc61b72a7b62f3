"""Refusals and bugs are told apart: a DomainError is a 400 with its message; anything else a logged 500."""

import pytest

from jood.cases.services import CaseError
from jood.core.errors import DomainError
from jood.donations import services as giving
from jood.donations.services import DonationError
from jood.ledger.core import LedgerError
from jood.money import AmountError
from jood.payments.services import CheckoutLocked
from tests.conftest import donation_count, start_case_gift


def test_every_domain_error_is_a_domain_error_and_none_is_a_value_error():
    from jood.charities.services import CharityError
    from jood.core.uploads import UploadError
    from jood.disbursements.services import DisbursementError
    from jood.payments.gateway import UnknownMethod
    from jood.settings.services import SettingsError
    from jood.support.services import SupportError
    from jood.transparency.stats import PeriodError

    for kind in (AmountError, CaseError, CharityError, CheckoutLocked, DisbursementError, DonationError, LedgerError,
                 PeriodError, SettingsError, SupportError, UnknownMethod, UploadError):
        assert issubclass(kind, DomainError) and not issubclass(kind, ValueError), kind


def test_a_domain_error_carries_a_code_a_field_and_a_translated_message(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        error = DonationError("over_remaining", case="JE-1")
        assert (error.code, error.field, error.params) == ("over_remaining", "amount", {"case": "JE-1"})
        assert error.message == "This case now needs less than the amount you chose. Choose a smaller amount."
        assert CheckoutLocked().code == "checkout_locked"  # a code from the class name when none is given
        assert DomainError("no_table_knows_me").message == "no_table_knows_me"  # visible, never an empty message


def test_a_domain_error_no_view_caught_is_a_400_with_its_message(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        response = app.make_response(app.handle_user_exception(CaseError("not_editable")))
    assert response.status_code == 400
    assert "This case can no longer be edited." in response.get_data(as_text=True)


def test_a_bug_in_a_money_path_is_a_logged_500_not_a_polite_400(app, client, make_case, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a programming error")

    logged = []
    log_exception = app.log_exception  # what Flask calls to log an unhandled exception, with its traceback
    monkeypatch.setattr(app, "log_exception", lambda exc_info: logged.append(exc_info[1]) or log_exception(exc_info))
    monkeypatch.setattr(giving, "create_donation", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production: Flask answers, and logs
    response = start_case_gift(client, make_case(), "100")
    assert response.status_code == 500
    assert [str(error) for error in logged] == ["a programming error"]
    assert donation_count() == 0


def test_while_testing_the_bug_reaches_the_test_itself(client, make_case, monkeypatch):
    monkeypatch.setattr(giving, "create_donation", lambda *a, **k: (_ for _ in ()).throw(KeyError("bug")))
    with pytest.raises(KeyError):
        start_case_gift(client, make_case(), "100")
