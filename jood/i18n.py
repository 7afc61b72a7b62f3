"""Locale choice, text direction and the formatting filters (money, numbers, dates) used by templates.

Formatting happens only here, at the edge: the rest of the code handles integer halalas and UTC datetimes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern
from flask import current_app, g, request
from flask_babel import _get_current_context, get_locale, get_translations
from hijridate import Gregorian
from markupsafe import Markup, escape
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


def _babel_state():
    """Flask-Babel's per-request namespace (locale, translations), or None outside an app context. Read from `g`
    in one step: Flask-Babel's own accessor goes through `g` three times (~3 µs), for every string on a page."""
    try:
        state = g._get_current_object().__dict__.get("_flask_babel")
    except RuntimeError:  # no app context
        return None
    return state if state is not None else _get_current_context()


def current_language() -> str:
    state = _babel_state()
    locale = getattr(state, "babel_locale", None) or get_locale()  # the selector runs once per request
    return locale.language if locale else "ar"


def current_translations():
    """The current locale's catalog, found once per request and locale. Flask-Babel looks it up again on every
    `_()` (three context lookups and the locale's identifier string, ~10 µs): 150 times for a catalog page.
    Remembered against the locale object itself, so that `force_locale` (which swaps that object) is obeyed."""
    state = _babel_state()
    if state is None:
        return get_translations()
    locale, memo = getattr(state, "babel_locale", None), getattr(state, "jood_translations", None)
    if memo is not None and locale is not None and memo[0] is locale:
        return memo[1]
    translations = get_translations()
    state.jood_translations = (state.babel_locale, translations)
    return translations


@lru_cache(maxsize=16)
def text_direction_of(language: str) -> str:
    return Locale.parse(language).text_direction


def text_direction(language: str | None = None) -> str:
    return text_direction_of(language or current_language())


def isolate(text: str, direction: str | None = None) -> str:
    """Plain text wrapped in Unicode isolates, for the PDFs and e-mails: 'ltr' for codes and hashes, 'rtl' for an
    Arabic amount, else by the first strong character."""
    start = {"ltr": LRI, "rtl": RLI}.get(direction or "", FSI)
    return f"{start}{text}{PDI}" if text else ""


# The filters below build their Markup with escape() and an f-string: Markup.format goes through a string
# Formatter, several times slower, and a catalog page calls them a hundred times.


def code_html(value) -> Markup:
    """A case code, receipt number or tracking number: one left-to-right unit that never breaks across lines."""
    if value is None or value == "":
        return Markup("")
    return Markup(f'<bdi class="ref" dir="ltr">{escape(value)}</bdi>')  # noqa: S704 - escaped


def hash_html(value) -> Markup:
    """A hash: left to right, allowed to wrap anywhere so that it never widens a phone screen."""
    if not value:
        return Markup("")
    return Markup(f'<bdi class="hash" dir="ltr">{escape(value)}</bdi>')  # noqa: S704 - escaped


_ARABIC_LETTERS = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")


def written_html(text, language: str | None = None) -> Markup:
    """The `written` filter, for text people typed (names, outcomes, messages): isolated in a <bdi>, and on a page in
    another language marked lang="ar" dir="rtl" when it is Arabic, so screen readers and shaping get it right."""
    if not text:
        return Markup("")
    language = language or current_language()
    if language != "ar" and _ARABIC_LETTERS.search(str(text)):
        return Markup(f'<span lang="ar" dir="rtl">{escape(text)}</span>')  # noqa: S704 - escaped
    return Markup(f"<bdi>{escape(text)}</bdi>")  # noqa: S704 - escaped


_NUMBER_PATTERN = parse_pattern("#,##0.###")
_NUMBER_LOCALE = Locale.parse("en")


def format_number(value, language: str | None = None) -> str:
    """Latin digits in both languages (1,250; 2.5), like the amounts. Whole numbers (counts, most of them) are
    written directly; others through Babel's pattern, parsed once."""
    if value is None:
        return ""
    if type(value) is int:
        return f"{value:,}"
    return _NUMBER_PATTERN.apply(value, _NUMBER_LOCALE)


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
    return _hijri_date(day, language or current_language())


@lru_cache(maxsize=4096)  # a page shows a few dozen days, the same ones for every reader
def _hijri_date(day: date, language: str) -> str:
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    if language == "ar":
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def gregorian_date(day: date, language: str | None = None) -> str:
    return _gregorian_date(day, language or current_language())


@lru_cache(maxsize=4096)
def _gregorian_date(day: date, language: str) -> str:
    from babel.dates import format_date

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
    return Markup(f'<bdi class="date" dir="auto">{escape(text)}</bdi>') if text else Markup("")  # noqa: S704


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
    if value is None:
        return ""
    return _short_time(to_riyadh(value).replace(second=0, microsecond=0), language or current_language())


@lru_cache(maxsize=4096)
def _short_time(moment: datetime, language: str) -> str:
    """The short time of a Riyadh moment, to the minute (the short format shows no seconds)."""
    from babel.dates import format_time as babel_time

    return babel_time(moment, format="short", locale=_FORMAT_LOCALE.get(language, language))


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

    # Templates translate through the remembered catalog (current_translations) instead of Flask-Babel's lookups.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def inject_language():
        language = current_language()
        return {"lang": language, "direction": text_direction_of(language)}
