"""The one money format, isolated values in HTML and plain text, and Arabic's six plural forms."""

import pytest
from flask_babel import force_locale, ngettext

from jood.i18n import code_html, dates_html, format_number, hash_html, isolate, plural_count
from jood.money import money_html

# 0, 1, 2, 3, 11 and 100 pick the six Arabic forms: zero, one, two, few, many, other.
COUNTS = (0, 1, 2, 3, 11, 100)


def test_money_html_is_isolated_in_the_page_direction(app):
    with app.test_request_context():
        assert str(money_html(2550000, "ar")) == '<bdi class="money" dir="rtl">25,500\u00a0ر.س</bdi>'
        assert str(money_html(2550000, "en")) == '<bdi class="money" dir="ltr">SAR\u00a025,500</bdi>'
        assert str(money_html(None, "ar")) == ""


def test_codes_hashes_and_dates_are_isolated_and_escaped(app):
    with app.test_request_context():
        assert str(code_html("JE-1448-00014")) == '<bdi class="ref" dir="ltr">JE-1448-00014</bdi>'
        assert str(code_html("<x>")) == '<bdi class="ref" dir="ltr">&lt;x&gt;</bdi>'
        assert str(hash_html("ab" * 32)).startswith('<bdi class="hash" dir="ltr">abab')
        from datetime import date
        assert str(dates_html(date(2026, 2, 18), "ar")).startswith('<bdi class="date" dir="auto">1 رمضان 1447 هـ')


def test_plain_text_isolates_for_pdfs_and_mail():
    assert isolate("JE-1", "ltr") == "\u2066JE-1\u2069"
    assert isolate("25,500 ر.س", "rtl") == "\u206725,500 ر.س\u2069"
    assert isolate("x") == "\u2068x\u2069"
    assert isolate("") == ""


def test_numbers_use_latin_digits_in_both_languages():
    assert format_number(25500, "ar") == "25,500"
    assert format_number(2.5, "ar") == "2.5"
    assert format_number(1250, "en") == "1,250"


def test_fractions_take_the_other_plural_form():
    assert plural_count(3.0) == 3
    assert plural_count(2.5) == 100


@pytest.mark.parametrize(
    ("singular", "plural", "expected"),
    [
        ("%(num)s donor", "%(num)s donors",
         ["لا متبرعين بعد", "متبرع واحد", "متبرعان", "3 متبرعين", "11 متبرعًا", "100 متبرع"]),
        ("Family of %(num)s", "Family of %(num)s",
         ["أسرة", "فرد واحد", "أسرة من فردين", "أسرة من 3 أفراد", "أسرة من 11 فردًا", "أسرة من 100 فرد"]),
        ("Published %(num)s day ago", "Published %(num)s days ago",
         ["نُشرت اليوم", "نُشرت منذ يوم", "نُشرت منذ يومين", "نُشرت منذ 3 أيام", "نُشرت منذ 11 يومًا",
          "نُشرت منذ 100 يوم"]),
        ("%(num)s public case", "%(num)s public cases",
         ["لا حالات منشورة", "حالة منشورة واحدة", "حالتان منشورتان", "3 حالات منشورة", "11 حالة منشورة",
          "100 حالة منشورة"]),
        ("After %(num)s month: the family is still housed there.",
         "After %(num)s months: the family is still housed there.",
         ["بعد أقل من شهر: ما زالت الأسرة تسكن فيه.", "بعد شهر: ما زالت الأسرة تسكن فيه.",
          "بعد شهرين: ما زالت الأسرة تسكن فيه.", "بعد 3 أشهر: ما زالت الأسرة تسكن فيه.",
          "بعد 11 شهرًا: ما زالت الأسرة تسكن فيه.", "بعد 100 شهر: ما زالت الأسرة تسكن فيه."]),
        ("%(num)s open request,", "%(num)s open requests,",
         ["لا طلبات مفتوحة،", "طلب مفتوح واحد،", "طلبان مفتوحان،", "3 طلبات مفتوحة،", "11 طلبًا مفتوحًا،",
          "100 طلب مفتوح،"]),
        ("%(num)s case found", "%(num)s cases found",
         ["لم نجد أي حالة", "وجدنا حالة واحدة", "وجدنا حالتين", "وجدنا 3 حالات", "وجدنا 11 حالة", "وجدنا 100 حالة"]),
    ],
)
def test_arabic_plural_forms_at_0_1_2_3_11_100(app, singular, plural, expected):
    with app.test_request_context(), force_locale("ar"):
        assert [ngettext(singular, plural, n) for n in COUNTS] == expected


def test_english_plurals(app):
    with app.test_request_context(), force_locale("en"):
        assert [ngettext("%(num)s donor", "%(num)s donors", n) for n in (0, 1, 2)] == ["0 donors", "1 donor",
                                                                                      "2 donors"]


def test_every_arabic_plural_has_its_six_forms():
    from babel.messages.pofile import read_po

    with open("translations/ar/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="ar")
    plurals = [message for message in catalog if message.id and isinstance(message.id, tuple)]
    assert len(plurals) >= 25
    assert [m.id for m in plurals if len(m.string) != 6 or not all(m.string)] == []


def test_the_case_card_counts_in_arabic(client, make_case):
    make_case(family_size=3)
    page = client.get("/cases").get_data(as_text=True)
    assert "أسرة من 3 أفراد" in page
    assert "لا متبرعين بعد" in page
    assert "أسرة من 3 أفراد" in page


def test_typed_text_is_isolated_and_arabic_is_marked_on_english_pages(app):
    from jood.i18n import written_html

    with app.test_request_context():
        assert str(written_html("أبو خالد", "en")) == '<span lang="ar" dir="rtl">أبو خالد</span>'
        assert str(written_html("Abu Khalid", "en")) == "<bdi>Abu Khalid</bdi>"
        assert str(written_html("Abu Khalid", "ar")) == "<bdi>Abu Khalid</bdi>"
        assert str(written_html("<b>", "ar")) == "<bdi>&lt;b&gt;</bdi>"
        assert str(written_html("", "ar")) == ""


def test_recent_gifts_in_english_say_a_doer_of_good_and_mark_arabic_names(client, make_case, donate):
    case = make_case()
    donate(case, 100_00, browser=False, name="أبو خالد")
    donate(case, 50_00, browser=False)
    page = client.get(f"/cases/{case.code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span lang="ar" dir="rtl">أبو خالد</span>' in page
    assert "A doer of good" in page and "فاعل خير" not in page
