"""The formatting and translation shortcuts (jood.i18n) give what Babel and Flask-Babel give, once per value."""

from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from flask import render_template_string
from flask_babel import force_locale

from jood import i18n, money


def test_templates_translate_in_the_request_language_and_obey_force_locale(app):
    template = "{{ _('Thank you for your gift.') }}|{{ ngettext('%(num)s donor', '%(num)s donors', 3) }}"
    # A fresh app context each time: the test's own one would carry the first request's locale in `g`.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(template) == "Thank you for your gift.|3 donors"
        with force_locale("ar"):
            arabic = render_template_string(template)
        assert arabic.startswith("شكرًا لتبرعك.") and "3" in arabic
        assert render_template_string(template) == "Thank you for your gift.|3 donors"  # the request's language again
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "ar"}):
        assert render_template_string(template) == arabic


def test_numbers_dates_and_times_are_formatted_as_babel_formats_them():
    for value in (0, 7, -1250, 10**9, 2.5, 1.2346, Decimal("12345.6785"), Decimal("2.50")):
        assert i18n.format_number(value) == format_decimal(value, "#,##0.###", locale="en")
    day = date(2026, 3, 1)
    assert i18n.gregorian_date(day, "ar") == format_date(day, format="long", locale="ar_SA")
    assert i18n.gregorian_date(day, "en") == format_date(day, format="long", locale="en")
    assert i18n.hijri_date(day, "ar") == i18n.hijri_date(day, "ar") != i18n.hijri_date(day, "en")
    moment = datetime(2026, 3, 1, 21, 5, 59, tzinfo=UTC)
    for language, locale in (("ar", "ar_SA"), ("en", "en")):
        assert i18n.format_time(moment, language) == format_time(i18n.to_riyadh(moment), format="short",
                                                                 locale=locale)
    assert i18n.text_direction("ar") == "rtl" and i18n.text_direction("en") == "ltr"


def test_markup_filters_escape_what_they_wrap():
    assert i18n.code_html("<JE-1>") == '<bdi class="ref" dir="ltr">&lt;JE-1&gt;</bdi>'
    assert i18n.written_html("أم <سعد>", "en") == '<span lang="ar" dir="rtl">أم &lt;سعد&gt;</span>'
    assert str(money.money_html(25_500_00, "ar")) == '<bdi class="money" dir="rtl">25,500\u00a0ر.س</bdi>'
