"""API keys: created by a partner administrator (the key is shown once), revoked, listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.api.auth import format_key, hash_secret, new_key_id, new_secret
from lms.api.models import ApiKey
from lms.api.scopes import parse_scopes
from lms.core import audit
from lms.core.errors import DomainError
from lms.core.security import scoped
from lms.core.time import utcnow
from lms.extensions import db

MAX_ACTIVE_KEYS = 50


@dataclass(frozen=True)
class CreatedKey:
    api_key: ApiKey
    #: The full key, shown once to the administrator and never stored.
    token: str


def create_api_key(
    *,
    partner_id: int,
    name: str,
    scopes: list[str],
    actor_id: int | None,
    expires_at: datetime | None = None,
    key_id: str | None = None,
    secret: str | None = None,
) -> CreatedKey:
    """Create a key for ``partner_id``. ``key_id``/``secret`` are given only by the demo seeder."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the key a name, such as the system that will use it."), field="name")
    try:
        chosen = parse_scopes(scopes)
    except ValueError as exc:
        raise DomainError(_("Choose scopes from the list."), field="scopes") from exc
    if not chosen:
        raise DomainError(_("Choose at least one scope."), field="scopes")
    if expires_at is not None and expires_at <= utcnow():
        raise DomainError(_("Choose an expiry date in the future."), field="expires_at")
    active = db.session.execute(
        sa.select(sa.func.count()).select_from(scoped(ApiKey, partner_id).where(ApiKey.revoked_at.is_(None)).subquery())
    ).scalar_one()
    if active >= MAX_ACTIVE_KEYS:
        raise DomainError(_("You have %(count)d active keys. Revoke the ones you no longer use first.", count=active))
    key_id = key_id or new_key_id()
    secret = secret or new_secret()
    api_key = ApiKey(
        partner_id=partner_id,
        name=name[:120],
        key_id=key_id,
        secret_hash=hash_secret(secret),
        scopes=[s.value for s in chosen],
        created_by_id=actor_id,
        expires_at=expires_at,
    )
    db.session.add(api_key)
    db.session.flush()
    audit.record(
        "api_key.created",
        actor_id=actor_id,
        subject=api_key,
        partner_id=partner_id,
        details={"name": api_key.name, "key_id": key_id, "scopes": api_key.scopes, "expires_at": expires_at},
    )
    return CreatedKey(api_key, format_key(key_id, secret))


def revoke_api_key(api_key: ApiKey, *, actor_id: int | None) -> None:
    if api_key.revoked_at is not None:
        return
    api_key.revoked_at = utcnow()
    api_key.revoked_by_id = actor_id
    audit.record(
        "api_key.revoked",
        actor_id=actor_id,
        subject=api_key,
        partner_id=api_key.partner_id,
        details={"key_id": api_key.key_id},
    )


def keys_of(partner_id: int) -> list[ApiKey]:
    """The partner's keys, usable ones first, newest first."""
    rows = db.session.execute(scoped(ApiKey, partner_id).order_by(ApiKey.id.desc())).scalars()
    return sorted(rows, key=lambda k: not k.is_usable)
