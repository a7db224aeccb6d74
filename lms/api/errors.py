"""The API's error objects: ``{"error": {"code", "message", "fields"}}`` for every error under /api/.

``code`` is a stable machine-readable word, ``message`` is in the caller's language (the learner's
locale, else Accept-Language), ``fields`` maps a field path (``rows.3.email``) to its messages.
Core's error handlers hand every error under ``/api/`` to :func:`render_error`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from lms.core.errors import Conflict, DomainError, NotAllowed

log = logging.getLogger(__name__)

#: code and message for each HTTP status the API answers with (when nothing more precise is known).
STATUS_ERRORS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _l("The request could not be understood.")),
    401: ("unauthorized", _l("Send a valid API key (Authorization: Bearer …) or sign in.")),
    403: ("forbidden", _l("You do not have access to this resource.")),
    404: ("not_found", _l("We could not find that resource.")),
    405: ("method_not_allowed", _l("This method is not allowed on this resource.")),
    409: ("conflict", _l("This changed in the meantime. Fetch it again and retry.")),
    410: ("gone", _l("This is no longer available.")),
    413: ("payload_too_large", _l("The request body is too large.")),
    415: ("unsupported_media_type", _l("Send the request body as JSON (Content-Type: application/json).")),
    422: ("validation_failed", _l("Some of what you sent is not valid.")),
    429: ("rate_limited", _l("Too many requests. Wait until the time given in Retry-After and try again.")),
    500: ("internal_error", _l("Something went wrong on our side. Please try again in a moment.")),
    503: ("unavailable", _l("The service is temporarily unavailable. Please try again shortly.")),
}


class ApiError(HTTPException):
    """An error the API answers on purpose, with its code, message and field errors."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Mapping[str, list[str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.message = message
        self.fields = dict(fields or {})
        self.extra_headers = dict(headers or {})


def error_body(code: str, message: str, fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": dict(fields or {})}}


def render_error(error: Exception) -> Response:
    """Turn any exception raised under /api/ into an error object."""
    status, code, message, fields, headers = _describe(error)
    response = jsonify(error_body(code, message, fields))
    response.status_code = status
    for name, value in headers.items():
        response.headers[name] = value
    return response


def _describe(error: Exception) -> tuple[int, str, str, dict[str, list[str]], dict[str, str]]:
    if isinstance(error, ApiError):
        return error.code or 400, error.error_code, error.message, error.fields, error.extra_headers
    if isinstance(error, DomainError):
        return _domain_error(error)
    if isinstance(error, HTTPException):
        status = error.code or 500
        code, message = STATUS_ERRORS.get(status, STATUS_ERRORS[500 if status >= 500 else 400])
        headers = {k: v for k, v in error.get_headers() if k.lower() not in {"content-type", "content-length"}}
        if status == 400 and (error.description or "").startswith("The CSRF"):
            return 400, "csrf_failed", _("Send the X-CSRFToken header with writes made with a session cookie."), {}, {}
        data = getattr(error, "data", None) or {}
        if status == 422 and "messages" in data:
            return 422, code, str(message), validation_fields(data["messages"]), headers
        if status == 400 and isinstance(data.get("messages"), dict) and data["messages"].get("json"):
            return 400, "invalid_json", _("The request body is not valid JSON."), {}, headers
        return status, code, str(message), {}, headers
    code, message = STATUS_ERRORS[500]
    return 500, code, str(message), {}, {}


def _domain_error(error: DomainError) -> tuple[int, str, str, dict[str, list[str]], dict[str, str]]:
    if isinstance(error, Conflict):
        status, default_code = 409, "conflict"
    elif isinstance(error, NotAllowed):
        status, default_code = 403, "forbidden"
    else:
        status, default_code = 422, "rejected"
    code = error.code if error.code != type(error).__name__ else default_code
    fields = {error.field: [error.message]} if error.field else {}
    return status, code, error.message, fields, {}


# --- field errors from request validation ---------------------------------------------------------


def validation_fields(messages: Mapping[str, Any]) -> dict[str, list[str]]:
    """Flatten webargs/marshmallow messages (``{"json": {"rows": {3: {"email": [...]}}}}``) to paths."""
    flat: dict[str, list[str]] = {}

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, [*path, str(key)])
        elif isinstance(node, list | tuple) and all(isinstance(item, str) for item in node):
            flat.setdefault(".".join(path) or "_body", []).extend(translate_field_message(m) for m in node)
        elif isinstance(node, list | tuple):
            for index, item in enumerate(node):
                walk(item, [*path, str(index)])
        else:
            flat.setdefault(".".join(path) or "_body", []).append(translate_field_message(str(node)))

    for location, node in messages.items():
        # The location (json, query, headers) is implied by the field; "_schema" means the whole body.
        walk(node, [] if location in {"json", "query", "querystring", "headers", "path", "view_args"} else [location])
    return {(key.replace("._schema", "") or "_body"): value for key, value in flat.items()}


_RANGE = re.compile(r"^Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$")
_MIN = re.compile(r"^Must be greater than or equal to (?P<min>\S+)\.$")
_MAX = re.compile(r"^Must be less than or equal to (?P<max>\S+)\.$")
_LENGTH = re.compile(r"^Length must be between (?P<min>\d+) and (?P<max>\d+)\.$")
_LONGER = re.compile(r"^Longer than maximum length (?P<max>\d+)\.$")
_SHORTER = re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$")
_ONE_OF = re.compile(r"^Must be one of: (?P<choices>.*)\.$")


def translate_field_message(message: str) -> str:
    """marshmallow writes its messages in English; give the common ones in the caller's language."""
    fixed = {
        "Missing data for required field.": _l("This field is required."),
        "Field may not be null.": _l("This field may not be empty."),
        "Unknown field.": _l("This field is not expected here."),
        "Not a valid integer.": _l("Enter a whole number."),
        "Not a valid number.": _l("Enter a number."),
        "Not a valid string.": _l("Enter text."),
        "Not a valid boolean.": _l("Enter true or false."),
        "Not a valid list.": _l("Send a list."),
        "Not a valid mapping type.": _l("Send an object."),
        "Invalid input type.": _l("Send an object."),
        "Not a valid email address.": _l("Enter a valid e-mail address."),
        "Not a valid datetime.": _l("Enter a date and time in ISO 8601 format."),
        "Not a valid date.": _l("Enter a date in ISO 8601 format (YYYY-MM-DD)."),
        "Invalid value.": _l("This value is not valid."),
    }
    if message in fixed:
        return str(fixed[message])
    for pattern, text in (
        (_RANGE, _l("Enter a value from %(min)s to %(max)s.")),
        (_MIN, _l("Enter a value of at least %(min)s.")),
        (_MAX, _l("Enter a value of at most %(max)s.")),
        (_LENGTH, _l("Enter from %(min)s to %(max)s characters or items.")),
        (_LONGER, _l("Enter at most %(max)s characters or items.")),
        (_SHORTER, _l("Enter at least %(min)s characters or items.")),
        (_ONE_OF, _l("Choose one of: %(choices)s.")),
    ):
        match = pattern.match(message)
        if match:
            return str(text) % match.groupdict()
    return message
