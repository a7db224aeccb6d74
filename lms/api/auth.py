"""Who is calling: an API key sent as a bearer token, a signed-in learner's session, or no one.

A key reads ``lms_<key id>_<secret>``. The key id finds the row; the secret's SHA-256 is compared
in constant time with the stored hash (the secret itself is never stored). Revoked and expired keys
are refused with their own message only after the secret matched, so a guess learns nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from lms.api.errors import ApiError
from lms.api.models import ApiKey
from lms.api.scopes import Scope
from lms.core.db import ensure_write_lock
from lms.core.time import utcnow
from lms.extensions import db

KEY_PREFIX = "lms_"
KEY_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o/1/l: easy to read aloud
KEY_ID_LENGTH = 12
KEY_PATTERN = re.compile(r"^lms_(?P<key_id>[a-z0-9]{12})_(?P<secret>[A-Za-z0-9_-]{20,128})$")
#: How often ``last_used_at`` is written (a write per request would serialise a key's requests).
LAST_USED_PRECISION = timedelta(seconds=60)


def new_key_id() -> str:
    return "".join(secrets.choice(KEY_ID_ALPHABET) for _ in range(KEY_ID_LENGTH))


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def format_key(key_id: str, secret: str) -> str:
    return f"{KEY_PREFIX}{key_id}_{secret}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class Caller:
    """The authenticated party of one API request."""

    kind: str  # "key", "session" or "anonymous"
    api_key: ApiKey | None = None
    user_id: int | None = None
    partner_id: int | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def identity(self) -> str:
        """Whom rate limits and idempotency keys belong to."""
        if self.kind == "key" and self.api_key is not None:
            return f"key:{self.api_key.id}"
        if self.kind == "session":
            return f"user:{self.user_id}"
        return f"ip:{get_remote_address()}"


def _unauthorized(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": 'Bearer realm="lms"'})


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("invalid_api_key", _("Send the API key as: Authorization: Bearer <key>."))
    return token.strip()


def key_for_token(token: str) -> ApiKey:
    """The usable key this token names, or raise a 401 saying why not."""
    match = KEY_PATTERN.match(token)
    invalid = _unauthorized("invalid_api_key", _("This API key is not valid."))
    if match is None:
        raise invalid
    key = db.session.execute(sa.select(ApiKey).where(ApiKey.key_id == match["key_id"])).scalar_one_or_none()
    expected = key.secret_hash if key is not None else hash_secret("no such key")
    if not hmac.compare_digest(expected, hash_secret(match["secret"])) or key is None:
        raise invalid
    if key.revoked_at is not None:
        raise _unauthorized("api_key_revoked", _("This API key was revoked. Ask your administrator for a new one."))
    if key.is_expired():
        raise _unauthorized("api_key_expired", _("This API key has expired. Ask your administrator for a new one."))
    return key


def _touch(key: ApiKey) -> None:
    now = utcnow()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_PRECISION:
        ensure_write_lock()  # a GET that writes (SQLite: take the write lock before reading on)
        key = db.session.get(ApiKey, key.id) or key
        key.last_used_at = now


def authenticate(mode: str, scope: Scope | None) -> Caller:
    """Identify the caller for an endpoint whose ``mode`` is "key", "session" or "public"."""
    token = bearer_token()
    if mode == "session":
        if token is not None:
            raise ApiError(
                403, "session_required", _("This endpoint is for signed-in learners; API keys cannot use it.")
            )
        if not current_user.is_authenticated:
            raise _unauthorized("unauthorized", _("Sign in to use this endpoint."))
        return Caller("session", user_id=current_user.id)
    if token is None:
        if mode == "public":
            return Caller("anonymous")
        raise _unauthorized("unauthorized", _("Send your API key: Authorization: Bearer <key>."))
    key = key_for_token(token)
    if scope is not None and scope.value not in (key.scopes or []):
        raise ApiError(
            403,
            "insufficient_scope",
            _("This API key lacks the scope %(scope)s needed here.", scope=scope.value),
        )
    _touch(key)
    return Caller("key", api_key=key, partner_id=key.partner_id, scopes=frozenset(key.scopes or []))
