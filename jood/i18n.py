"""Locale choice, text direction and the formatting filters (money, numbers, dates) used by templates.

Formatting happens only here, at the edge: the rest of the code handles integer halalas and UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_decimal
from flask import current_app, request
from flask_babel import get_locale
from hijridate import Gregorian
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGE_COOKIE = "lang"
RIYADH = ZoneInfo("Asia/Riyadh")

# Saudi Arabic (ar_SA) in its default numbering: Western digits with Arabic separators, as in 1٬250٫00 ر.س.
_FORMAT_LOCALE = {"ar": "ar_SA", "en": "en"}


def select_locale() -> str:
    config = current_app.config
    return choose_language(request.cookies.get(LANGUAGE_COOKIE), request.headers.get("Accept-Language"),
                           tuple(config["LANGUAGES"]), config["BABEL_DEFAULT_LOCALE"])


@lru_cache(maxsize=256)
def choose_language(chosen: str | None, accept_language: str | None, languages: tuple[str, ...], default: str) -> str:
    """An explicit choice (cookie set by the language switch) wins, then Accept-Language, then the default (Arabic).
    Browsers send a handful of distinct headers, so the parsed answers are remembered."""
    if chosen in languages:
        return chosen
    return parse_accept_header(accept_language, LanguageAccept).best_match(languages) or default


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale else "ar"


def text_direction(language: str | None = None) -> str:
    return Locale.parse(language or current_language()).text_direction


def format_money(halalas: int | None, language: str | None = None) -> str:
    """1250_00 -> '‏1٬250٫00 ر.س.‏' in Arabic, 'SAR 1,250.00' in English."""
    if halalas is None:
        return ""
    language = language or current_language()
    amount = Decimal(int(halalas)) / 100
    if language == "ar":
        number = format_decimal(amount, "#,##0.00", locale="ar_SA", numbering_system="default")
        return f"{number} ر.س"
    return f"SAR {format_decimal(amount, '#,##0.00', locale='en')}"


def format_number(value, language: str | None = None) -> str:
    if value is None:
        return ""
    language = language or current_language()
    return format_decimal(value, locale=_FORMAT_LOCALE.get(language, language), numbering_system="default")


def to_riyadh(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(RIYADH)


def hijri_date(day: date, language: str | None = None) -> str:
    """The Umm al-Qura date, e.g. '15 جمادى الآخرة 1448 هـ'."""
    language = language or current_language()
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    if language == "ar":
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def gregorian_date(day: date, language: str | None = None) -> str:
    from babel.dates import format_date

    language = language or current_language()
    return format_date(day, format="long", locale=_FORMAT_LOCALE.get(language, language))


def format_dates(value: datetime | date | None, language: str | None = None) -> str:
    """Both calendars, as Saudi readers expect: 'Hijri (Gregorian)', in Riyadh time for datetimes."""
    if value is None:
        return ""
    day = to_riyadh(value).date() if isinstance(value, datetime) else value
    return f"{hijri_date(day, language)} ({gregorian_date(day, language)})"


def format_time(value: datetime | None, language: str | None = None) -> str:
    from babel.dates import format_time as babel_time

    if value is None:
        return ""
    language = language or current_language()
    return babel_time(to_riyadh(value), format="short", locale=_FORMAT_LOCALE.get(language, language))


def register_filters(app) -> None:
    app.jinja_env.filters.update(
        money=format_money,
        number=format_number,
        dates=format_dates,
        hijri=hijri_date,
        time=format_time,
    )

    @app.context_processor
    def inject_language():
        language = current_language()
        return {"lang": language, "direction": text_direction(language)}
