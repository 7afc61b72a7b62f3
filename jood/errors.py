"""Error pages in both languages, and a 503 instead of a stack trace when the database is away.

A ``DomainError`` no view caught is a refusal the person can act on: 400 with its translated message. Any other
exception is a bug: Flask logs it with its traceback and the 500 page says so; nothing passes it off as a 400.
"""

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError

from jood.core.errors import DomainError
from jood.extensions import db
from jood.security import ControlCharacters


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/webhooks/")


def _render(status: int, title: str, message: str, template: str = "errors/error.html"):
    if _wants_json():
        return jsonify(error=title, message=message), status
    return render_template(template, status=status, title=title, message=message), status


def register_error_handlers(app) -> None:
    @app.errorhandler(400)
    def bad_request(error):
        return _render(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(DomainError)
    def refused(error: DomainError):
        db.session.rollback()
        return _render(400, _("Bad request"), error.message)

    @app.errorhandler(ControlCharacters)
    def control_characters(error):
        return _render(400, _("Bad request"), _("The request contains characters that are not allowed, such as a "
                                                 "null character. Remove them and try again."))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400,
            _("The form has expired"),
            _("The form's security token is missing or expired. Reload the page and try again."),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _render(403, _("Not allowed"), _("You do not have permission to open this page."))

    @app.errorhandler(404)
    def not_found(error):
        return _render(404, _("Page not found"), _("The page you asked for does not exist or has moved."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return _render(405, _("Not allowed"), _("This action is not available here."))

    @app.errorhandler(413)
    def too_large(error):
        return _render(413, _("File too large"), _("The upload is larger than the allowed size."))

    @app.errorhandler(429)
    def too_many(error):
        return _render(429, _("Too many attempts"), _("Too many attempts. Wait a little and try again."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        app.logger.error("Database error: %s", error)
        db.session.rollback()
        return _render(
            503,
            _("Service unavailable"), _("The service is briefly unavailable. Please try again in a minute."),
            template="errors/standalone.html",  # touches no database (no signed-in user lookup)
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _render(500, _("Something went wrong"), _("An unexpected error occurred. The team has been notified."))
