"""The public case card's HTML, rendered once per state of what it shows and then remembered.

A catalog page shows twelve cards and the home page and the campaign pages a few more; rendering one costs about 150
µs of template calls and escapes (labels, money, plurals, two links), the same for every visitor. So each worker
keeps the cards it rendered, keyed by everything a card shows: the language, the case's values the card reads
(`CARD_FIELDS`: its money raised, donors and status among them), the days since publication, the give link's
arguments and the URL root. A change to any of them is a new key, so a remembered card can never be stale and
nothing has to invalidate it; entries of old states just age out of a bounded LRU.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app, request

from jood.core.db import utcnow
from jood.i18n import current_language

# Every attribute of the case that templates/cases/_card.html reads (tests/cases/test_card_memo.py checks the
# template against this list). Public columns only.
CARD_FIELDS = ("id", "code", "track", "status", "need_level", "region", "city", "family_size", "public_title",
               "public_title_en", "target_amount", "raised_amount", "donor_count", "published_at")
MAX_CARDS = 4096  # both languages of every published case, with room for their previous states


class CardMemo:
    """A small thread-safe LRU of rendered cards (Markup), one per app."""

    def __init__(self, max_items: int = MAX_CARDS):
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_items

    def get(self, key: tuple):
        with self._lock:
            html = self._items.get(key)
            if html is not None:
                self._items.move_to_end(key)
            return html

    def put(self, key: tuple, html) -> None:
        with self._lock:
            self._items[key] = html
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def memo() -> CardMemo:
    return current_app.extensions.setdefault("jood_case_cards", CardMemo())


def days_since(moment) -> int | None:
    return (utcnow() - moment).days if moment else None


def card_key(case, give_args: dict | None, days: int | None) -> tuple:
    return (current_language(), request.script_root, days, tuple(sorted((give_args or {}).items())),
            *(getattr(case, name) for name in CARD_FIELDS))


def remembered_card(case, give_args=None, *, caller):
    """`{% call(days) remembered_card(case, give_args) %}…the card…{% endcall %}`: the card rendered by `caller`
    once per key (`card_key`), then served from the worker's memo. The days since publication are computed once and
    handed to the card, so that its text and its key always agree."""
    days = days_since(case.published_at)
    key = card_key(case, give_args, days)
    cards = memo()
    html = cards.get(key)
    if html is None:
        html = caller(days)
        cards.put(key, html)
    return html
