"""Money at the edge (jood/money.py): what a donor types, and what the API publishes."""

import pytest

from jood.core.errors import DomainError
from jood.money import AmountError, format_sar, parse_amount_sar


@pytest.mark.parametrize(
    ("text", "halalas"),
    [
        ("100", 10000),
        ("١٠٠", 10000),
        ("۱۰۰", 10000),
        ("1,250.50", 125050),
        ("١٬٢٥٠٫٥٠", 125050),
        ("١٢٥٠٫٥", 125050),
        ("1250.5", 125050),
        ("  250  ", 25000),
        ("\u200f٢٥٠\u200f", 25000),
        ("0.01", 1),
        ("٠٫٠١", 1),
        ("007", 700),
        ("1,000,000", 100000000),
        ("10000000", 1000000000),
        ("10,000,000.00", 1000000000),
        ("۲۵۰.۷۵", 25075),
    ],
)
def test_parse_amount_sar_accepts(text, halalas):
    assert parse_amount_sar(text) == halalas


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("\u200f", "required"),
        ("abc", "not_a_number"),
        ("12abc", "not_a_number"),
        ("1 250", "not_a_number"),
        ("12,50", "not_a_number"),
        ("1,2500", "not_a_number"),
        (",250", "not_a_number"),
        ("1.2.3", "not_a_number"),
        ("100.", "not_a_number"),
        (".5", "not_a_number"),
        ("+5", "not_a_number"),
        ("1e3", "not_a_number"),
        ("--5", "not_a_number"),
        ("١٠٠ ريال", "not_a_number"),
        ("NaN", "not_a_number"),
        ("-5", "not_positive"),
        ("−5", "not_positive"),  # U+2212 MINUS SIGN, as typed on some keyboards
        ("0", "not_positive"),
        ("0.00", "not_positive"),
        ("٠", "not_positive"),
        ("0.001", "fractional_halala"),
        ("1.500", "fractional_halala"),
        ("10.999", "fractional_halala"),
        ("10000001", "too_large"),
        ("10000000.01", "too_large"),
        ("9" * 5000, "too_large"),
    ],
)
def test_parse_amount_sar_refuses(text, code):
    with pytest.raises(AmountError) as info:
        parse_amount_sar(text)
    assert info.value.code == code
    assert isinstance(info.value, DomainError) and not isinstance(info.value, ValueError)


def test_parse_amount_sar_refuses_non_text():
    with pytest.raises(AmountError) as info:
        parse_amount_sar(100)  # type: ignore[arg-type]
    assert info.value.code == "not_a_number"


@pytest.mark.parametrize(
    ("halalas", "text"),
    [(125000, "1250.00"), (125050, "1250.50"), (1, "0.01"), (0, "0.00"), (-250, "-2.50"), (1000000000, "10000000.00")],
)
def test_format_sar(halalas, text):
    assert format_sar(halalas) == text


def test_format_sar_round_trips_and_refuses_floats():
    assert parse_amount_sar(format_sar(987654)) == 987654
    with pytest.raises(TypeError):
        format_sar(12.5)  # type: ignore[arg-type]
