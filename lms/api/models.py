"""API keys, idempotency records, webhook endpoints and their deliveries."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.security import PartnerOwnedMixin
from lms.core.time import utcnow
from lms.extensions import db


class ApiKey(PartnerOwnedMixin, TimestampMixin, db.Model):
    """A partner's credential for the API. Only a hash of the secret is kept; the key is shown once.

    The full key reads ``lms_<key_id>_<secret>``: ``key_id`` finds the row, the secret is compared
    (constant time) with ``secret_hash``.
    """

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    key_id: Mapped[str] = mapped_column(sa.String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64))
    scopes: Mapped[list[Any]] = mapped_column(default=list)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]

    @property
    def prefix(self) -> str:
        """What the partner sees in lists to recognise a key (never the secret)."""
        return f"lms_{self.key_id}_…"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired()


class IdempotencyRecord(db.Model):
    """The stored answer to a POST sent with an ``Idempotency-Key``, replayed for the same key."""

    __tablename__ = "api_idempotency_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who sent it: ``key:<api key id>`` or ``user:<user id>`` (keys are per caller).
    caller: Mapped[str] = mapped_column(sa.String(40))
    idempotency_key: Mapped[str] = mapped_column(sa.String(255))
    #: SHA-256 of method, path and the canonical request body.
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    status_code: Mapped[int]
    response_body: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (sa.UniqueConstraint("caller", "idempotency_key"),)


class WebhookEndpoint(PartnerOwnedMixin, TimestampMixin, db.Model):
    """A partner's URL that receives signed event notifications."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.String(200), default="")
    events: Mapped[list[Any]] = mapped_column(default=list)
    #: The signing secret, encrypted with a key derived from the application secret (shown once).
    secret_encrypted: Mapped[str] = mapped_column(sa.Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="endpoint", cascade="all, delete-orphan", passive_deletes=True
    )


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt failed; can be replayed


class WebhookDelivery(PartnerOwnedMixin, db.Model):
    """One event sent to one endpoint, attempted until it succeeds or runs out of attempts."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True)
    #: The event's id: the same for every endpoint and for replays (receivers use it to drop duplicates).
    event_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    event_type: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[DeliveryStatus] = mapped_column(enum_column(DeliveryStatus, 16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_status_code: Mapped[int | None]
    delivered_at: Mapped[datetime | None]
    replay_of_id: Mapped[int | None] = mapped_column(sa.ForeignKey("webhook_deliveries.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        back_populates="delivery", order_by="WebhookAttempt.id", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)


class WebhookAttempt(db.Model):
    """One HTTP attempt of a delivery: when, how it answered, how long it took, when the next is due."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    attempted_at: Mapped[datetime]
    status_code: Mapped[int | None]
    duration_ms: Mapped[int]
    error: Mapped[str | None] = mapped_column(sa.String(300))
    response_excerpt: Mapped[str | None] = mapped_column(sa.String(500))
    #: When the next attempt was scheduled after this one (None: no more attempts).
    next_attempt_at: Mapped[datetime | None]

    delivery: Mapped[WebhookDelivery] = relationship(back_populates="attempt_log")
