"""Security headers on every response."""

from urllib.parse import urlsplit

from flask import current_app


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
