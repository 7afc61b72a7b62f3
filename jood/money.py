"""Money at the edge, in one place: reading a typed SAR amount into halalas, and writing halalas for people and for
the API. Everything between handles integer halalas only (jood/ledger/core.py keeps the ledger's own limits).
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from jood.core.errors import DomainError, messages_for
from jood.i18n import LRM, NBSP, current_language, text_direction
from jood.ledger.core import MAX_AMOUNT_SAR


class AmountError(DomainError):
    """A typed-in amount could not be accepted; ``code`` picks the translated message shown to the donor."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code, "amount")
        self.args = (message or code,)


AMOUNT_ERRORS = messages_for(AmountError, {
    "required": _l("Enter an amount."),
    "not_a_number": _l("Enter the amount as a number, for example 100 or ١٠٠."),
    "not_positive": _l("The amount must be more than zero."),
    "fractional_halala": _l("Use at most two decimals (halalas)."),
    "too_large": _l("That amount is too large."),
    "below_minimum": _l("The smallest gift is 5 SAR."),
}, fallback="not_a_number")


# --- reading -----------------------------------------------------------------------------------------------------

_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS |= {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS |= {0x066B: ".", 0x066C: ","}  # ARABIC DECIMAL SEPARATOR, ARABIC THOUSANDS SEPARATOR
# Direction marks arrive when Arabic text is copied and pasted; they are invisible, so they are dropped.
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"))
_NUMBER_RE = re.compile(r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_MINUS = ("-", "\u2212")


def parse_amount_sar(text: str, *, maximum_sar: int = MAX_AMOUNT_SAR) -> int:
    """Read a typed SAR amount into halalas, accepting the digits and separators Arabic keyboards produce; at most
    `maximum_sar` (one gift's ceiling by default; a campaign's goal may be larger).

    Thousands separators must be in the right places ("1,250"), so "12,50" is refused rather than guessed.
    More than two decimals is refused even when they are zeros: "1.500" may mean 1500 to a German reader.
    """
    if not isinstance(text, str):
        raise AmountError("not_a_number", "amount must be text")
    cleaned = text.translate(_INVISIBLE).strip().translate(_DIGITS)
    if not cleaned:
        raise AmountError("required", "an amount is required")
    negative = cleaned.startswith(_MINUS)
    match = _NUMBER_RE.fullmatch(cleaned[1:].strip() if negative else cleaned)
    if match is None:
        raise AmountError("not_a_number", f"not an amount: {text!r}")
    if negative:
        raise AmountError("not_positive", "the amount must be more than zero")
    whole = match["whole"].replace(",", "").lstrip("0") or "0"
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise AmountError("fractional_halala", "at most two decimals (halalas)")
    if len(whole) > len(str(maximum_sar)):
        raise AmountError("too_large", f"at most {maximum_sar} SAR")
    halalas = int(whole) * 100 + int(frac.ljust(2, "0"))
    if halalas == 0:
        raise AmountError("not_positive", "the amount must be more than zero")
    if halalas > maximum_sar * 100:
        raise AmountError("too_large", f"at most {maximum_sar} SAR")
    return halalas


# --- writing -----------------------------------------------------------------------------------------------------


def format_sar(halalas: int) -> str:
    """Halalas as a plain SAR decimal string ("1250.00"), the form the JSON API publishes."""
    if isinstance(halalas, bool) or not isinstance(halalas, int):
        raise TypeError(f"halalas must be an int, got {type(halalas).__name__}")
    sign = "-" if halalas < 0 else ""
    whole, frac = divmod(abs(halalas), 100)
    return f"{sign}{whole}.{frac:02d}"


def _amount_digits(halalas: int) -> str:
    """25_500_00 -> '25,500'; 25_500_50 -> '25,500.50' (no decimals when the amount is whole)."""
    riyals, rest = divmod(abs(int(halalas)), 100)
    return f"{riyals:,}" + (f".{rest:02d}" if rest else "")


def format_money(halalas: int | None, language: str | None = None) -> str:
    """One money format, in plain text (PDF, e-mail, flash messages): 25500_00 -> '25,500 ر.س' in Arabic,
    'SAR 25,500' in English; Latin digits, decimals only when there are halalas. The number and its currency are
    held together by a no-break space. A negative Arabic amount starts with a left-to-right mark so that its minus
    stays just before the first digit, as CLDR's Arabic data writes it ('‎-25,500 ر.س')."""
    if halalas is None:
        return ""
    language = language or current_language()
    digits = _amount_digits(halalas)
    negative = int(halalas) < 0
    if language == "ar":
        return f"{LRM + '-' if negative else ''}{digits}{NBSP}ر.س"
    return f"SAR{NBSP}{'-' if negative else ''}{digits}"


def money_html(halalas: int | None, language: str | None = None) -> Markup:
    """The `money` filter: the amount isolated in a <bdi> in the page's direction, so that it never mixes with the
    words around it (and 'ر.س' never comes loose from its number)."""
    if halalas is None:
        return Markup("")
    language = language or current_language()
    # An f-string, not Markup.format (several times slower): only digits, a currency and a direction go in.
    return Markup(f'<bdi class="money" dir="{text_direction(language)}">{format_money(halalas, language)}</bdi>')  # noqa: S704
