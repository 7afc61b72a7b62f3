"""Saudi national ID and iqama numbers: cheap local checks before anything is looked up or stored.

A valid checksum does not prove the number belongs to the person; it only catches typos and swapped digits at the
form, where they are cheap to fix. People type these numbers on Arabic keyboards, so Arabic-Indic digits are
accepted and normalised first.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "CITIZEN_PREFIX",
    "RESIDENT_PREFIX",
    "clean_national_id",
    "is_citizen_id",
    "is_resident_id",
    "is_valid_national_id",
    "normalize_digits",
]

#: The first digit says who holds the number: a citizen's national ID or a resident's iqama.
CITIZEN_PREFIX: Final = "1"
RESIDENT_PREFIX: Final = "2"

# Arabic-Indic (U+0660..U+0669, used in Arabic) and Eastern Arabic-Indic (U+06F0..U+06F9, used in Persian and Urdu).
_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# [0-9], not \d: \d would also accept digits from other scripts that int() reads but the checksum was not meant for.
_ID_SHAPE: Final = re.compile(r"[12][0-9]{9}")


def normalize_digits(text: str) -> str:
    """Replace Arabic-Indic and Eastern Arabic-Indic digits with ASCII digits; leave everything else alone."""
    return text.translate(_DIGITS)


def _checksum_ok(digits: str) -> bool:
    """Luhn check as Saudi IDs use it: double the digits at even (0-based) positions, sum all digits, mod 10."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9  # the sum of the two digits of 10..18
        total += value
    return total % 10 == 0


def clean_national_id(value: object) -> str | None:
    """Return the ID as ten ASCII digits when valid, else None; surrounding whitespace is forgiven.

    Forms should store this cleaned value so the same person is never stored under two spellings.
    """
    if not isinstance(value, str):
        return None
    digits = normalize_digits(value).strip()
    if not _ID_SHAPE.fullmatch(digits) or not _checksum_ok(digits):
        return None
    return digits


def is_valid_national_id(value: object) -> bool:
    """Return True for a well-formed citizen ID or iqama number (ten digits, first 1 or 2, correct check digit)."""
    return clean_national_id(value) is not None


def is_citizen_id(value: object) -> bool:
    """Return True for a valid Saudi citizen's national ID (first digit 1)."""
    cleaned = clean_national_id(value)
    return cleaned is not None and cleaned.startswith(CITIZEN_PREFIX)


def is_resident_id(value: object) -> bool:
    """Return True for a valid resident's iqama number (first digit 2)."""
    cleaned = clean_national_id(value)
    return cleaned is not None and cleaned.startswith(RESIDENT_PREFIX)
