"""The OpenAPI document and the browsable API reference, both public."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template

from lms.api.events import EVENTS
from lms.api.framework import API_PREFIX, openapi_document
from lms.api.idempotency import HEADER as IDEMPOTENCY_HEADER
from lms.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from lms.api.reference import build_reference, inline_code
from lms.api.scopes import SCOPE_LABELS
from lms.api.services.webhooks import BACKOFF_SECONDS, MAX_ATTEMPTS
from lms.api.signing import SIGNATURE_HEADER, TOLERANCE_SECONDS
from lms.core.security import public

bp = Blueprint("api_docs", __name__, url_prefix=API_PREFIX, template_folder="templates")


@bp.route("/openapi.json")
@public
def openapi_json() -> Response:
    return current_app.response_class(
        json.dumps(openapi_document(), indent=2, ensure_ascii=False), mimetype="application/json"
    )


@bp.route("/docs")
@public
def docs() -> str:
    document = openapi_document()
    return render_template(
        "api/docs.html",
        document=document,
        sections=build_reference(document),
        code=inline_code,
        events=list(EVENTS.values()),
        scope_labels=SCOPE_LABELS,
        idempotency_header=IDEMPOTENCY_HEADER,
        signature_header=SIGNATURE_HEADER,
        tolerance=TOLERANCE_SECONDS,
        default_limit=DEFAULT_LIMIT,
        max_limit=MAX_LIMIT,
        backoff=BACKOFF_SECONDS,
        max_attempts=MAX_ATTEMPTS,
        rate_limit=current_app.config["API_RATE_LIMIT"],
        public_rate_limit=current_app.config["API_PUBLIC_RATE_LIMIT"],
    )
