"""The one base of every error a rule raises on purpose: a refusal the person can act on, never a bug.

``DomainError`` is deliberately not a ``ValueError``: views catch ``DomainError`` (or one subclass), so a
``ValueError`` or ``KeyError`` from a programming mistake in a money path reaches Flask, which logs it and answers
500, instead of passing for a polite 400. Flask-free: the translated messages live in each feature's message table,
attached to its error class with ``messages_for`` (the table's strings are lazy, so they translate when shown).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar


class DomainError(Exception):
    """A rule refused the request. ``code`` is stable (tests, logs, the API); ``field`` is where a form shows the
    message; ``params`` fill the message's named placeholders."""

    messages: ClassVar[Mapping[str, Any]] = {}
    fallback: ClassVar[str | None] = None  # the code whose message is shown for a code missing from the table

    def shown_params(self) -> Mapping[str, Any]:
        """The params as the message shows them (a subclass formats an amount here, at the edge)."""
        return self.params

    def __init__(self, code: str | None = None, field: str | None = None, **params) -> None:
        code = code or re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()  # CheckoutLocked: checkout_locked
        super().__init__(code)
        self.code, self.field, self.params = code, field, params

    @property
    def message(self) -> str:
        """The message in the current language (the code itself when no table knows it: visible, never silent)."""
        template = self.messages.get(self.code)
        if template is None and self.fallback is not None:
            template = self.messages.get(self.fallback)
        text = str(template) if template is not None else self.code
        if "%(" in text:
            try:
                return text % self.shown_params()
            except (KeyError, TypeError):
                return str(self.messages.get(self.fallback, text)) if self.fallback else text
        return text


def messages_for(error_class: type[DomainError], table: Mapping[str, Any], *, fallback: str | None = None):
    """Give ``error_class`` its table of translated messages (code -> lazy string); returns the table."""
    error_class.messages = table
    error_class.fallback = fallback
    return table
