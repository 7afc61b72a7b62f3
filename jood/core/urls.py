"""Redirect targets taken from a request (`?next=`) may only be paths of this site."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import url_for


def is_local_path(target: str | None) -> bool:
    """True for "/cases?page=2"; False for anything a browser could resolve to another host.

    Browsers drop tabs and newlines from URLs, treat "\\" as "/", and read "//x" or "/\\x" as the host x; they
    also follow a percent-decoded form after some server rewrote it. So: one leading "/", no control character or
    backslash anywhere, no scheme or host, and the same still holds once percent-escapes are undone.
    """
    if not target or not isinstance(target, str):
        return False
    for form in (target, unquote(target), unquote(unquote(target))):
        if any(ord(char) < 32 or ord(char) == 127 for char in form) or "\\" in form:
            return False
        if not form.startswith("/") or form.startswith("//"):
            return False
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    return target if is_local_path(target) else url_for(default_endpoint)
