"""Locale choice, text direction and the formatting filters (money, numbers, dates) used by templates.

Formatting happens only here, at the edge: the rest of the code handles integer halalas and UTC datetimes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale
from babel.numbers import format_decimal
from flask import current_app, request
from flask_babel import get_locale
from hijridate import Gregorian
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from jood.core.timezone import display_zone

LANGUAGE_COOKIE = "lang"

# Dates are written with Saudi Arabic (ar_SA) month names; every number in both languages uses Latin digits with a
# comma between thousands and a point before decimals, as Saudi banks and platforms show them (docs/design.md).
_FORMAT_LOCALE = {"ar": "ar_SA", "en": "en"}
NBSP = "\u00a0"
LRM = "\u200e"
# Unicode isolates, for plain text (PDF, e-mail): First Strong Isolate, Left-to-Right Isolate, Pop Directional Isolate.
FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"


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


def isolate(text: str, direction: str | None = None) -> str:
    """Plain text wrapped in Unicode isolates, for the PDFs and e-mails: 'ltr' for codes and hashes, 'rtl' for an
    Arabic amount, else by the first strong character."""
    start = {"ltr": LRI, "rtl": RLI}.get(direction or "", FSI)
    return f"{start}{text}{PDI}" if text else ""


def code_html(value) -> Markup:
    """A case code, receipt number or tracking number: one left-to-right unit that never breaks across lines."""
    if value is None or value == "":
        return Markup("")
    return Markup('<bdi class="ref" dir="ltr">{}</bdi>').format(value)


def hash_html(value) -> Markup:
    """A hash: left to right, allowed to wrap anywhere so that it never widens a phone screen."""
    if not value:
        return Markup("")
    return Markup('<bdi class="hash" dir="ltr">{}</bdi>').format(value)


_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")


def written_html(text, language: str | None = None) -> Markup:
    """The `written` filter, for text people typed (names, outcomes, messages): isolated in a <bdi>, and on a page in
    another language marked lang="ar" dir="rtl" when it is Arabic, so screen readers and shaping get it right."""
    if not text:
        return Markup("")
    language = language or current_language()
    if language != "ar" and _ARABIC_LETTERS.search(str(text)):
        return Markup('<span lang="ar" dir="rtl">{}</span>').format(text)
    return Markup('<bdi>{}</bdi>').format(text)


def format_number(value, language: str | None = None) -> str:
    """Latin digits in both languages (1,250; 2.5), like the amounts."""
    if value is None:
        return ""
    return format_decimal(value, "#,##0.###", locale="en")


def plural_count(value) -> int:
    """The count that picks a plural form: the number itself when whole; a fraction (2.5 days) takes the form used
    for large numbers, which is Arabic's 'other' form ('2.5 يوم') and English's plural."""
    if float(value).is_integer():
        return int(value)
    return 100


def to_riyadh(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(display_zone())


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


def dates_html(value: datetime | date | None, language: str | None = None) -> Markup:
    """The `dates` filter: both calendars in a <bdi dir="auto">."""
    text = format_dates(value, language)
    return Markup('<bdi class="date" dir="auto">{}</bdi>').format(text) if text else Markup("")


def format_datetime(value: datetime | None, language: str | None = None) -> str:
    """A moment in Riyadh time with both calendars: '15 جمادى الآخرة 1448 هـ (25 نوفمبر 2026)، 12:30 ص'."""
    if value is None:
        return ""
    language = language or current_language()
    separator = "، " if language == "ar" else ", "
    return f"{format_dates(value, language)}{separator}{format_time(value, language)}"


def datetime_html(value: datetime | str | None, language: str | None = None) -> Markup:
    """The `datetime` filter, also for the ledger's ISO UTC strings ('2026-03-01T09:30:00Z'): Riyadh time, both
    calendars, in a <time> element whose machine-readable value keeps the offset."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    text = format_datetime(value, language)
    if not text:
        return Markup("")
    return Markup('<time class="date" datetime="{}"><bdi dir="auto">{}</bdi></time>').format(
        to_riyadh(value).isoformat(timespec="minutes"), text)


def format_time(value: datetime | None, language: str | None = None) -> str:
    from babel.dates import format_time as babel_time

    if value is None:
        return ""
    language = language or current_language()
    return babel_time(to_riyadh(value), format="short", locale=_FORMAT_LOCALE.get(language, language))


def register_filters(app) -> None:
    from jood.money import format_money, money_html

    app.jinja_env.filters.update(
        money=money_html,
        money_text=format_money,
        number=format_number,
        dates=dates_html,
        dates_text=format_dates,
        datetime=datetime_html,
        code=code_html,
        hash=hash_html,
        written=written_html,
        hijri=hijri_date,
        time=format_time,
    )

    from jood.regions import city_name

    app.jinja_env.globals.update(plural_count=plural_count, city_name=city_name)

    @app.context_processor
    def inject_language():
        language = current_language()
        return {"lang": language, "direction": text_direction(language)}
