"""WTForms' own messages (its validators') in the request's language, from catalogs loaded once per process.

Flask-WTF loads the wtforms catalog from disk on every request that builds a form (``flask_wtf.i18n``, kept on
``request.wtforms_translations``): a tenth of a millisecond to a millisecond of every checkout. The catalog never
changes while the process runs, so it is loaded once per locale and handed to Flask-WTF where it looks for it.
"""

from __future__ import annotations

from functools import lru_cache

from babel import support
from flask import request
from flask_babel import get_locale
from wtforms.i18n import messages_path


@lru_cache(maxsize=8)
def wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


def provide_wtforms_catalog() -> None:
    """before_request: a dictionary lookup, where Flask-WTF would read a file."""
    request.wtforms_translations = wtforms_catalog(str(get_locale()))
