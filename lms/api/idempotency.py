"""``Idempotency-Key`` on POST: the first answer is stored and replayed for the same key.

* The same key with the same request returns the stored status and body (``Idempotent-Replayed: true``).
* The same key with a different method, path or body is refused (409, ``idempotency_key_reused``).
* Concurrent duplicates wait for each other on a lock named after the key, so one has the effect and
  the others replay it; a unique constraint on (caller, key) backs this up.
* Only successful answers are stored: an error changed nothing, so retrying with the same key is safe.
* Records are kept for :data:`RETENTION` and then purged by a periodic task.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Response, jsonify, make_response, request
from flask_babel import gettext as _

from lms.api.errors import ApiError
from lms.api.models import IdempotencyRecord
from lms.core.db import advisory_lock
from lms.core.time import utcnow
from lms.extensions import db

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
RETENTION = timedelta(hours=24)


def request_fingerprint() -> str:
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")) if raw else ""
    except ValueError:
        body = raw.decode("utf-8", "replace")
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode("latin-1"), body):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _header_value() -> str | None:
    value = request.headers.get(HEADER)
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_KEY_LENGTH or not value.isascii() or not value.isprintable():
        message = _("Send an Idempotency-Key of 1 to %(max)d printable ASCII characters.", max=MAX_KEY_LENGTH)
        raise ApiError(422, "invalid_idempotency_key", message, fields={HEADER: [message]})
    return value


def idempotent_call(caller_identity: str, call: Callable[[], object]) -> Response:
    """Run ``call`` (the view) once per (caller, Idempotency-Key); replay its stored answer after."""
    key = _header_value()
    if key is None:
        return make_response(call())
    advisory_lock(f"lms.api.idempotency:{caller_identity}:{key}")
    fingerprint = request_fingerprint()
    record = db.session.execute(
        sa.select(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller_identity, IdempotencyRecord.idempotency_key == key
        )
    ).scalar_one_or_none()
    if record is not None and record.created_at > utcnow() - RETENTION:
        if record.fingerprint != fingerprint:
            message = _("This Idempotency-Key was already used for a different request. Use a new key.")
            raise ApiError(409, "idempotency_key_reused", message, fields={HEADER: [message]})
        replay = jsonify(record.response_body)
        replay.status_code = record.status_code
        replay.headers[REPLAYED_HEADER] = "true"
        return replay
    if record is not None:  # expired but not purged yet: the key is free again
        db.session.delete(record)
        db.session.flush()
    response = make_response(call())
    if response.status_code < 400 and response.is_json:
        db.session.add(
            IdempotencyRecord(
                caller=caller_identity,
                idempotency_key=key,
                fingerprint=fingerprint,
                status_code=response.status_code,
                response_body=response.get_json(),
            )
        )
        db.session.flush()
    return response


def purge_expired() -> int:
    result = db.session.execute(sa.delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - RETENTION))
    return result.rowcount or 0
