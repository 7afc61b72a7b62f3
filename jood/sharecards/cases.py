"""A case's share card: its title, where it is, what it has raised, in the reader's language; kept on disk under a
key made of everything drawn, so a card is drawn once per state of its figures and drawn anew when they move."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from jood.money import format_money
from jood.regions import city_name, region_name
from jood.sharecards.render import render_card

# Bumped when the drawing changes, so cards drawn by an older version are not served again.
DRAWING_VERSION = "1"


def hashtag(language: str) -> str:
    with force_locale(language):
        return _("#JoodHousing")


def card_inputs(case, language: str) -> dict:
    """What `render_card` draws for `case`, as plain values."""
    from jood.cases.forms import TRACK_LABELS

    with force_locale(language):
        if language == "en" and case.public_title_en:
            title = case.public_title_en
        else:
            title = case.public_title or _("Case %(code)s", code=case.code)
        family = ngettext("Family of %(num)s", "Family of %(num)s", case.family_size)
        subtitle = " · ".join(part for part in (region_name(case.region, language),
                                                city_name(case.city, language)[0],
                                                str(TRACK_LABELS.get(case.track, case.track)), family) if part)
        figure = _("%(raised)s raised of %(target)s", raised=format_money(case.raised_amount, language),
                   target=format_money(case.target_amount, language))
        tag = _("#JoodHousing")
    progress = case.raised_amount / case.target_amount if case.target_amount else 0.0
    return {"title": title, "subtitle": subtitle, "progress": round(progress, 4), "figure": figure,
            "hashtag": tag, "language": language}


def card_version(case, language: str) -> str:
    """A short key of the drawn figures: it changes when the card would look different (it goes in og:image's URL, so
    that social networks fetch the new card rather than keep the old one)."""
    inputs = json.dumps([DRAWING_VERSION, card_inputs(case, language)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(inputs.encode()).hexdigest()[:16]


def _cache_dir() -> Path:
    return Path(current_app.config.get("SHARECARD_CACHE_DIR") or Path(current_app.instance_path) / "sharecards")


def case_card_png(case, language: str) -> bytes:
    """The PNG, from the disk cache when these figures were drawn before."""
    path = _cache_dir() / f"case-{case.code}-{language}-{card_version(case, language)}.png"
    if path.exists():
        return path.read_bytes()
    png = render_card(**card_inputs(case, language))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".png")
    with os.fdopen(handle, "wb") as file:
        file.write(png)
    os.replace(temporary, path)  # another worker drawing the same card at once writes the same bytes
    for old in path.parent.glob(f"case-{case.code}-{language}-*.png"):
        if old != path:
            old.unlink(missing_ok=True)  # the figures moved: the older card will not be asked for again
    return png
