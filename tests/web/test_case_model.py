import pytest
from sqlalchemy.exc import IntegrityError

from jood.extensions import db


def test_remaining_amount_is_target_minus_raised(make_case):
    case = make_case(target_amount=1000_00)
    case.raised_amount = 400_00
    assert case.remaining_amount == 600_00 and case.accepts_donations


def test_the_database_refuses_over_funding(make_case):
    case = make_case(target_amount=1000_00)
    case.raised_amount = 1000_01
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
