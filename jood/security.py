"""Security headers on every response, and input refused at the edge before any view or query sees it."""

import re
from urllib.parse import urlsplit

from flask import current_app, request
from werkzeug.exceptions import BadRequest, NotFound

# NUL and the other C0 controls (and DEL) have no place in a URL or a form field; PostgreSQL refuses NUL in text,
# which would otherwise surface as a false "service unavailable". Form fields keep tab and newlines (text areas).
CONTROL_IN_URL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_FIELD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ControlCharacters(BadRequest):
    """A query parameter or form field holds a control character (answered with a translated 400)."""


def refuse_control_characters():
    if CONTROL_IN_URL.search(request.path):
        raise NotFound()  # no page of this site has such a name
    if any(CONTROL_IN_URL.search(key) or CONTROL_IN_URL.search(value) for key, value in request.args.items(multi=True)):
        raise ControlCharacters()
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        for key, value in request.form.items(multi=True):
            if CONTROL_IN_URL.search(key) or CONTROL_IN_FIELD.search(value):
                raise ControlCharacters()
        for upload in request.files.values():
            if upload.filename and CONTROL_IN_URL.search(upload.filename):
                raise ControlCharacters()
    if request.is_json:
        body = request.get_json(silent=True)
        if body is not None and _json_has_control(body):
            raise ControlCharacters()
    return None


def _json_has_control(value) -> bool:
    if isinstance(value, str):
        return bool(CONTROL_IN_FIELD.search(value))
    if isinstance(value, dict):
        return any(_json_has_control(k) or _json_has_control(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_control(item) for item in value)
    return False


def content_security_policy() -> str:
    form_targets = "'self'"
    if current_app.config.get("STRIPE_SECRET_KEY"):
        form_targets += " https://checkout.stripe.com"  # the hosted Checkout page the donor is sent to
    if current_app.config.get("MOYASAR_SECRET_KEY"):
        # Moyasar's hosted invoice page, and its API, where a monthly gift's card form posts the card directly.
        api = urlsplit(current_app.config["MOYASAR_API_BASE"])
        for origin in dict.fromkeys((current_app.config["MOYASAR_CHECKOUT_ORIGIN"], f"{api.scheme}://{api.netloc}")):
            form_targets += f" {origin}"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            f"form-action {form_targets}",
        ]
    )


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["SESSION_COOKIE_SECURE"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
