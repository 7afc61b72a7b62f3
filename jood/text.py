"""Arabic text helpers: a search normal form, and a check that public case summaries carry no private data.

Arabic is written with optional diacritics and several interchangeable letter forms, so "أحمد", "احمد" and "أَحْمَد"
must compare equal or search misses families. Case summaries are shown to donors, so before one is published we look
for what would identify the family: long digit runs (IDs, phone numbers), e-mail addresses and the family's names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

__all__ = ["PRIVATE_DATA_CODES", "find_private_data", "normalize_arabic"]

#: Problem codes of :func:`find_private_data`, in the order they are reported.
PRIVATE_DATA_CODES: Final[tuple[str, ...]] = ("digits", "name", "email")

# Tashkeel (fathatan..sukun, U+064B..U+0652), superscript alef (U+0670) and tatweel (U+0640) carry no meaning for
# search. Also drop the rarer combining marks U+0653..U+065F that survive NFC when they cannot compose.
_MARKS: Final = re.compile("[\u064b-\u065f\u0670\u0640]")
_LETTERS: Final = str.maketrans(
    {
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0622": "\u0627",  # آ → ا
        "\u0671": "\u0627",  # ٱ → ا
        "\u0629": "\u0647",  # ة → ه
        "\u0649": "\u064a",  # ى → ي
    }
)
_SPACE: Final = re.compile(r"\s+")

# 0-9, Arabic-Indic and Eastern Arabic-Indic digits.
_DIGIT: Final = "[0-9\u0660-\u0669\u06f0-\u06f9]"
# Seven or more digits, allowing a few spaces or dashes between them ("055 123 4567", "1-234-567-890").
_DIGIT_RUN: Final = re.compile(rf"{_DIGIT}(?:[\s\-\u2010-\u2015]{{0,3}}{_DIGIT}){{6,}}")
_EMAIL: Final = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# One-letter proclitics (and, so, with, for, like) are written joined to the next word: "وفاطمة" is "and Fatima".
_PROCLITIC: Final = "[وفبلك]?"
# Parts of a name that identify nobody on their own ("son of", "daughter of", "father of", "servant of", "God").
_NAME_PARTICLES: Final = frozenset({"بن", "بنت", "ابن", "ابو", "ابي", "ابا", "ام", "ال", "عبد", "الله"})
_MIN_NAME_PART: Final = 3


def normalize_arabic(text: str) -> str:
    """Return a search key: no diacritics or tatweel, one alef, ة→ه, ى→ي, lower-case Latin, single spaces.

    NFKC runs first so presentation forms pasted from PDFs (ligatures such as "ﻻ") and decomposed hamza or madda
    become ordinary letters before they are unified.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text)
    text = text.translate(_LETTERS).lower()
    return _SPACE.sub(" ", text).strip()


def _name_patterns(names: Iterable[str]) -> list[str]:
    """Normalised name parts worth looking for; "عبد الله" style compounds are kept whole."""
    patterns: list[str] = []
    for name in names:
        tokens = normalize_arabic(name).split()
        index = 0
        while index < len(tokens):
            part = tokens[index]
            if part == "عبد" and index + 1 < len(tokens):
                # "عبد الرحمن" is one name; alone, "الرحمن" would flag every summary that quotes the basmala.
                following = tokens[index + 1]
                patterns.append(rf"عبد\s?{re.escape(following)}")
                index += 2
                continue
            if part.startswith("عبد") and len(part) > len("عبد"):
                # Written joined ("عبدالله"), the same name is often written apart in the summary.
                patterns.append(rf"عبد\s?{re.escape(part[len('عبد') :])}")
            elif len(part) >= _MIN_NAME_PART and part not in _NAME_PARTICLES:
                patterns.append(re.escape(part))
            index += 1
    return patterns


def find_private_data(summary: str, names: Iterable[str]) -> list[str]:
    """Return problem codes for a public summary: "digits", "name", "email" (each at most once, in that order).

    ``names`` are the family's names as registered (full names are split into parts). Name matching is on the
    normalised text and on whole words, with an optional joined one-letter proclitic. The check is deliberately
    cautious: a false alarm costs a caseworker one edit, a miss exposes a family.
    """
    problems: list[str] = []
    if _DIGIT_RUN.search(unicodedata.normalize("NFKC", summary)):
        problems.append("digits")
    normalized = normalize_arabic(summary)
    patterns = _name_patterns(names)
    if patterns:
        word = rf"(?<!\w){_PROCLITIC}(?:{'|'.join(patterns)})(?!\w)"
        if re.search(word, normalized):
            problems.append("name")
    if _EMAIL.search(unicodedata.normalize("NFKC", summary)):
        problems.append("email")
    return problems


# A tag (<b>, </p>, <script, <!--) or a character reference (&amp;, &#60;): summaries are shown as plain text, so
# markup would appear to donors as raw code (it is always escaped, never rendered).
_MARKUP = re.compile(r"<\s*[/!?]?\s*[a-zA-Z][^>]*>|<!--|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")


def has_markup(text: str) -> bool:
    return bool(_MARKUP.search(text or ""))
