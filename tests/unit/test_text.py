"""Arabic search normalisation and the private-data check for public case summaries."""

from __future__ import annotations

import pytest

from jood.text import PRIVATE_DATA_CODES, find_private_data, normalize_arabic

# --- normalize_arabic -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Diacritics: fathatan, dammatan, kasratan, fatha, damma, kasra, shadda, sukun, superscript alef.
        ("مُحَمَّدٌ", "محمد"),
        ("كِتَابًا", "كتابا"),
        ("بَيْتٍ", "بيت"),
        ("رَحْمٰن", "رحمن"),
        ("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670", ""),
        # Tatweel.
        ("جـــود", "جود"),
        # Alef forms.
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("ٱلرحمن", "الرحمن"),
        # Taa marbuta and alef maqsura.
        ("فاطمة", "فاطمه"),
        ("مكة المكرمة", "مكه المكرمه"),
        ("مصطفى", "مصطفي"),
        ("ليلى", "ليلي"),
        # Latin is lower-cased, digits are kept.
        ("Jood ESKAN", "jood eskan"),
        ("حالة رقم 12", "حاله رقم 12"),
        # Whitespace is collapsed and trimmed.
        ("  أسرة \t\n  محتاجة  ", "اسره محتاجه"),
        ("", ""),
        ("   ", ""),
        # Letters that are not unified stay as they are.
        ("ؤ ئ ء", "ؤ ئ ء"),
    ],
)
def test_normalize_arabic(text, expected):
    assert normalize_arabic(text) == expected


@pytest.mark.parametrize("spelling", ["أَحْمَد", "احمد", "أحمد", "إحمد", "آحمد", "أحـمـد", "ٱحمد"])
def test_spellings_of_one_name_share_a_search_key(spelling):
    assert normalize_arabic(spelling) == "احمد"


def test_decomposed_madda_and_hamza_are_unified():
    assert normalize_arabic("\u0627\u0653\u0645\u0646\u0629") == "امنه"  # alef + combining madda
    assert normalize_arabic("\u0627\u0654\u062d\u0645\u062f") == "احمد"  # alef + combining hamza above
    assert normalize_arabic("\u0627\u0655\u064a\u0645\u0627\u0646") == "ايمان"  # alef + combining hamza below


def test_presentation_forms_from_pdfs_become_letters():
    assert normalize_arabic("\ufefb") == "لا"  # lam-alef ligature
    assert normalize_arabic("\ufe8d\ufedf\ufe92\ufef4\ufe96") == "البيت"  # isolated/initial/medial/final forms


def test_normalize_is_idempotent():
    once = normalize_arabic("  إِسْكَانُ الأُسَرِ الأَشَدِّ حَاجَةً  ")
    assert once == "اسكان الاسر الاشد حاجه"
    assert normalize_arabic(once) == once


# --- find_private_data ----------------------------------------------------------------------------------------------

CLEAN = "أسرة مكونة من ستة أفراد تسكن في شقة مستأجرة، والأب مريض ولا يعمل منذ عامين."


def test_codes_are_documented():
    assert PRIVATE_DATA_CODES == ("digits", "name", "email")


def test_a_clean_summary_has_no_problems():
    assert find_private_data(CLEAN, ["محمد عبدالله الحربي", "فاطمة"]) == []


def test_no_names_given():
    assert find_private_data(CLEAN, []) == []


@pytest.mark.parametrize(
    "summary",
    [
        "هوية الأب 1234567897",
        "الجوال 0551234567",
        "الجوال ٠٥٥١٢٣٤٥٦٧",  # Arabic-Indic
        "الجوال ۰۵۵۱۲۳۴۵۶۷",  # Eastern Arabic-Indic
        "الجوال 055 123 4567",
        "الجوال 055-123-4567",
        "الجوال 055 - 123 - 4567",
        "اتصل على +966 55 123 4567",
        "الخط الساخن 80008001",
        "رقم 1234567",  # exactly seven digits
        "1 2 3 4 5 6 7",
        "١٢٣-٤٥٦٧",
        "الجوال ٠٥٥ ١٢٣ ٤٥٦٧",
        "１２３４５６７",  # full-width digits
    ],
)
def test_long_digit_runs_are_flagged(summary):
    assert find_private_data(summary, []) == ["digits"]


@pytest.mark.parametrize(
    "summary",
    [
        "الإيجار السنوي 18000 ريال",
        "رقم 123456",  # six digits
        "الدخل ١٬٥٠٠ ريال والإيجار 24,000 ريال",
        "عدد الأفراد 6 والأطفال 4 منذ 2019",
        "المبلغ 1,500,000 ريال",
        "من 2019 حتى 2024",
        "12345 و 67",
        "1234    567",  # too much space between the parts to be one number
    ],
)
def test_short_numbers_are_not_flagged(summary):
    assert find_private_data(summary, []) == []


@pytest.mark.parametrize(
    "summary",
    [
        "للتواصل: family.help@example.com",
        "البريد ali_99@mail.gov.sa",
        "راسلونا على a+b@x.io.",
        "بريد x@domain.co",
        "مراسلة ＡＬＩ＠ＭＡＩＬ．ＣＯＭ",  # full-width letters
    ],
)
def test_email_addresses_are_flagged(summary):
    assert find_private_data(summary, []) == ["email"]


@pytest.mark.parametrize("summary", ["تواصل عبر @jood_eskan", "a@b", "مبلغ 5 @ 10 ريال", "user@localhost"])
def test_things_that_are_not_emails(summary):
    assert "email" not in find_private_data(summary, [])


@pytest.mark.parametrize(
    ("summary", "names"),
    [
        ("تعيش أم أحمد مع أطفالها", ["أحمد"]),
        ("تعيش أم احمد مع أطفالها", ["أحمد"]),  # spelling without hamza
        ("الابن أَحْمَد طالب", ["احمد"]),  # diacritics
        ("الأم فاطمه ربة منزل", ["فاطمة علي"]),  # taa marbuta vs haa
        ("الأب خالد مريض", ["خالد بن سعد الشمري"]),  # one part of a full name
        ("الأسرة من عائلة الشمري", ["خالد بن سعد الشمري"]),
        ("أخت ليلى تدرس", ["ليلى"]),
        ("زوجها وخالد ابنها", ["خالد"]),  # joined conjunction
        ("ذهبت لفاطمة", ["فاطمة"]),  # joined preposition
        ("Mother MARIAM works", ["Mariam"]),
        ("الأب عبد الله عاطل عن العمل", ["عبدالله الحربي"]),  # written apart in the summary
        ("الأب عبدالله عاطل عن العمل", ["عبد الله الحربي"]),  # written joined in the summary
        ("الابن عبدالرحمن", ["عبد الرحمن"]),
        ("الأم، نورة، مريضة", ["نورة"]),  # punctuation is a word boundary
    ],
)
def test_family_names_are_flagged(summary, names):
    assert find_private_data(summary, names) == ["name"]


@pytest.mark.parametrize(
    ("summary", "names"),
    [
        ("أحمدي الأصل", ["أحمد"]),  # not a whole word
        ("المحمدية حي", ["محمد"]),
        ("أسرة من علي آباد", ["عل"]),  # too short to mean anything
        ("الابن بن عم الأب", ["خالد بن سعد"]),  # "بن" is a particle, and two letters
        ("ابنة الأسرة مريضة وأبو الأطفال متوفى", ["نورة بنت أبو بكر"]),
        ("بسم الله الرحمن الرحيم، الحمد لله", ["عبد الرحمن بن عبد الله"]),  # divine names alone are not names
        ("رزقهم الله بطفلة", ["عبدالله"]),
        ("الحمد لله", ["الله"]),
        ("أسرة محتاجة", ["", "   "]),
    ],
)
def test_name_matching_is_not_overeager(summary, names):
    assert find_private_data(summary, names) == []


def test_every_problem_is_reported_once_in_order():
    summary = "الأب خالد 0551234567 وخالد الابن، البريد khalid@example.com والهوية 1234567897"
    assert find_private_data(summary, ["خالد"]) == ["digits", "name", "email"]


def test_names_are_matched_literally_not_as_patterns():
    assert find_private_data("الأسرة في حاجة", ["(.*)"]) == []
    assert find_private_data("اسم غريب axbbb هنا", ["a.b+"]) == []  # "." and "+" are not regex operators here
    assert find_private_data("اسم غريب a.b+ هنا", ["a.b+"]) == ["name"]
