"""Saudi national ID and iqama validation, including numbers typed with Arabic-Indic digits."""

from __future__ import annotations

import random

import pytest

from jood.national_id import (
    clean_national_id,
    is_citizen_id,
    is_resident_id,
    is_valid_national_id,
    normalize_digits,
)

CITIZEN_IDS = ["1000000008", "1234567897", "1012345672", "1987654322", "1111111116"]
RESIDENT_IDS = ["2000000006", "2345678904", "2123456788", "2999999994"]


def luhn_valid(number: str) -> bool:
    """Independent oracle: the textbook Luhn check, walking from the right."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit // 10 + digit % 10
    return total % 10 == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("0123456789", "0123456789"),
        ("رقم ١٢٣ و ۴۵۶", "رقم 123 و 456"),
        ("", ""),
        ("abc", "abc"),
        ("١٢٣abc۴", "123abc4"),
    ],
)
def test_normalize_digits(text, expected):
    assert normalize_digits(text) == expected


@pytest.mark.parametrize("number", CITIZEN_IDS + RESIDENT_IDS)
def test_valid_numbers(number):
    assert luhn_valid(number)
    assert is_valid_national_id(number)
    assert clean_national_id(number) == number


@pytest.mark.parametrize("number", CITIZEN_IDS)
def test_citizen_ids(number):
    assert is_citizen_id(number)
    assert not is_resident_id(number)


@pytest.mark.parametrize("number", RESIDENT_IDS)
def test_resident_ids_are_valid_but_not_citizen_ids(number):
    assert is_resident_id(number)
    assert not is_citizen_id(number)


@pytest.mark.parametrize(
    "number",
    [
        "1000000009",  # wrong check digit
        "1234567890",
        "1234567879",  # last two digits swapped
        "2000000007",
        "3000000004",  # first digit must be 1 or 2 (checksum is fine)
        "0000000000",
        "5234567893",
        "123456789",  # nine digits
        "12345678970",  # eleven digits
        "",
        "          ",
        "12345 67897",
        "1234-567897",
        "1a34567897",
        "+1234567897",
        "١٢٣٤٥٦٧٨٩٠",  # Arabic-Indic, wrong check digit
    ],
)
def test_invalid_numbers(number):
    assert not is_valid_national_id(number)
    assert clean_national_id(number) is None
    assert not is_citizen_id(number)
    assert not is_resident_id(number)


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("١٢٣٤٥٦٧٨٩٧", "1234567897"),  # Arabic-Indic
        ("۲۰۰۰۰۰۰۰۰۶", "2000000006"),  # Eastern Arabic-Indic
        ("١٢٣٤5678٩٧", "1234567897"),  # mixed
        (" 1234567897\n", "1234567897"),  # pasted with whitespace around
    ],
)
def test_typed_forms_are_cleaned(typed, cleaned):
    assert is_valid_national_id(typed)
    assert clean_national_id(typed) == cleaned


def test_arabic_indic_citizen_and_resident():
    assert is_citizen_id("١٢٣٤٥٦٧٨٩٧")
    assert is_resident_id("۲۰۰۰۰۰۰۰۰۶")


@pytest.mark.parametrize("value", [None, 1234567897, 1234567897.0, b"1234567897", ["1234567897"]])
def test_non_strings_are_invalid(value):
    assert not is_valid_national_id(value)
    assert clean_national_id(value) is None
    assert not is_citizen_id(value)


def test_other_scripts_digits_are_not_accepted():
    devanagari = "१२३४५६७८९७"  # str.isdigit() is true for these, but they are not ID digits
    fullwidth = "１２３４５６７８９７"
    assert not is_valid_national_id(devanagari)
    assert not is_valid_national_id(fullwidth)


def test_every_single_digit_typo_is_caught():
    number = "1234567897"
    for index in range(1, 10):
        for digit in "0123456789":
            if digit != number[index]:
                typo = number[:index] + digit + number[index + 1 :]
                assert not is_valid_national_id(typo), typo


def test_checksum_agrees_with_textbook_luhn():
    generator = random.Random(1441)  # fixed seed: the same numbers every run
    for _ in range(2_000):
        number = generator.choice("12") + "".join(generator.choice("0123456789") for _ in range(9))
        assert is_valid_national_id(number) == luhn_valid(number), number
