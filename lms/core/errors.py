"""Error pages and JSON errors: one handler for every HTTP error, no traceback outside debug."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

MESSAGES = {
    400: _l("The request could not be understood. Please check what you entered and try again."),
    401: _l("Please sign in to continue."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page."),
    405: _l("That action is not available here."),
    409: _l("This changed in the meantime. Reload the page and try again."),
    410: _l("This is no longer available."),
    413: _l("The file is too large."),
    422: _l("Some of what you entered is not valid."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. Please try again in a moment."),
    503: _l("The service is temporarily unavailable. Please try again shortly."),
}


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.is_json:
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(code: int, message: str | None = None) -> tuple[Response | str, int]:
    text = message or str(MESSAGES.get(code, MESSAGES[500]))
    if wants_json():
        return jsonify({"error": {"code": code, "message": text}}), code
    return render_template("errors/error.html", code=code, message=text), code


#: ``app.extensions`` key of the renderers other packages register for a URL prefix (the partner API).
RENDERERS_KEY = "lms_error_renderers"
ErrorRenderer = Callable[[Exception], Response]


def register_error_renderer(app: Flask, path_prefix: str, renderer: ErrorRenderer) -> None:
    """Let a package answer every error under ``path_prefix`` itself (its own error objects)."""
    app.extensions.setdefault(RENDERERS_KEY, {})[path_prefix] = renderer


def _renderer_for_request() -> ErrorRenderer | None:
    for prefix, renderer in current_app.extensions.get(RENDERERS_KEY, {}).items():
        if request.path.startswith(prefix):
            return renderer
    return None


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> tuple[Response | str, int] | Response:
        renderer = _renderer_for_request()
        if renderer is not None:
            return renderer(error)
        code = error.code or 500
        # The CSRF error's description is written for developers; users get the plain message.
        message = None
        if code == 400 and getattr(error, "description", "").startswith("The CSRF"):
            message = str(_l("Your session expired or the form was already used. Reload the page and try again."))
        return error_response(code, message)

    @app.errorhandler(Exception)
    def _unhandled(error: Exception) -> tuple[Response | str, int] | Response:
        if isinstance(error, HTTPException):
            return _http_error(error)
        renderer = _renderer_for_request()
        if renderer is not None and isinstance(error, DomainError):
            return renderer(error)  # a refused action, not a failure
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.debug:
            raise error
        if renderer is not None:
            return renderer(error)
        return error_response(InternalServerError.code)


class DomainError(Exception):
    """A business rule refused an action; ``message`` is translated and safe to show the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code or type(self).__name__


class NotAllowed(DomainError):
    status_code = 403


class Conflict(DomainError):
    status_code = 409
