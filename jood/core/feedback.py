"""Telling the person why a rule refused: next to the form field the refusal names, else as a flash message."""

from __future__ import annotations

from flask import flash

from jood.core.errors import DomainError


def show_error(error: DomainError, form=None, category: str = "danger") -> None:
    message = error.message
    if form is not None and error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, message]
    else:
        flash(message, category)
