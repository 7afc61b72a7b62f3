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


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def same_origin(origin: str | None, referer: str | None, host_url: str) -> bool:
    """Whether the browser says a POST comes from a page of this site (OWASP's "verifying origin with standard
    headers"): its Origin header when it sent one, else its Referer. "null", another host, another scheme or neither
    header: False. Browsers send Origin on every form POST; a page cannot forge either header."""
    claimed = origin if origin and origin != "null" else referer
    if not claimed:
        return False
    scheme, netloc = _origin(claimed)
    return bool(scheme and netloc) and (scheme, netloc) == _origin(host_url)
