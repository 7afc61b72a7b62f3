"""The public case card's HTML, rendered once per state of what it shows and then remembered.

A catalog page shows twelve cards and the home page and the campaign pages a few more; rendering one costs about 150
µs of template calls and escapes (labels, money, plurals, two links), the same for every visitor. So each worker
keeps the cards it rendered (jood.cache.FragmentMemo), keyed by everything a card shows: the language, the case's
values the card reads (`CARD_FIELDS`: its money raised, donors and status among them), the days since publication,
the give link's arguments and the URL root. A change to any of them is a new key, so a remembered card can never be
stale and nothing has to invalidate it (a gift to a case changes its raised amount and donor count, hence its key);
entries of old states just age out of the bounded LRU.
"""

from __future__ import annotations

from flask import request

from jood.cache import fragments
from jood.core.db import utcnow
from jood.i18n import current_language

# Every attribute of the case that templates/cases/_card.html reads, directly or through the model's derived
# figures (remaining_amount, accepts_donations); tests/cases/test_card_memo.py checks the template against it.
# Public columns only.
CARD_FIELDS = ("id", "code", "track", "status", "need_level", "region", "city", "family_size", "public_title",
               "public_title_en", "target_amount", "raised_amount", "donor_count", "published_at")


def days_since(moment) -> int | None:
    return (utcnow() - moment).days if moment else None


def card_key(case, give_args: dict | None, days: int | None) -> tuple:
    return ("case-card", current_language(), request.script_root, days, tuple(sorted((give_args or {}).items())),
            *(getattr(case, name) for name in CARD_FIELDS))


def remembered_card(case, give_args=None, *, caller):
    """`{% call(days) remembered_card(case, give_args) %}…the card…{% endcall %}`: the card rendered by `caller`
    once per key (`card_key`), then served from the worker's memo. The days since publication are computed once and
    handed to the card, so that its text and its key always agree."""
    days = days_since(case.published_at)
    return fragments().remembered(card_key(case, give_args, days), lambda: caller(days))
