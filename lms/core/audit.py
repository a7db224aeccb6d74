"""The append-only audit trail: one table, each row chained to the previous row's hash.

:func:`record` is the only writer. It holds the audit lock until the surrounding transaction
commits, so rows are chained in commit order on both databases. ``flask --app lms audit verify``
recomputes the chain and reports the first row that does not match.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.orm import Mapped, mapped_column

from lms.core.db import advisory_lock
from lms.core.time import utcnow
from lms.extensions import db

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    subject_type: Mapped[str | None] = mapped_column(sa.String(60))
    subject_id: Mapped[str | None] = mapped_column(sa.String(80))
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    __table_args__ = (sa.Index("ix_audit_events_subject", "subject_type", "subject_id"),)


def _digest(event: AuditEvent) -> str:
    payload = json.dumps(
        {
            "prev": event.prev_hash,
            "at": event.occurred_at.isoformat(),
            "actor": event.actor_id,
            "action": event.action,
            "subject": [event.subject_type, event.subject_id],
            "partner": event.partner_id,
            "ip": event.ip_address,
            "details": event.details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _event(
    action: str,
    *,
    actor_id: int | None = None,
    subject: Any = None,
    subject_type: str | None = None,
    subject_id: Any = None,
    partner_id: int | None = None,
    details: dict[str, Any] | None = None,
    occurred_at: datetime,
    ip_address: str | None,
) -> AuditEvent:
    if subject is not None:
        subject_type = subject_type or type(subject).__name__
        subject_id = subject_id if subject_id is not None else getattr(subject, "id", None)
    return AuditEvent(
        occurred_at=occurred_at,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        partner_id=partner_id,
        ip_address=ip_address,
        details=json.loads(json.dumps(details or {}, default=str)),
    )


def record(
    action: str,
    *,
    actor_id: int | None = None,
    subject: Any = None,
    subject_type: str | None = None,
    subject_id: Any = None,
    partner_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event (flushes, never commits). ``subject`` may be a model instance."""
    return record_many(
        [
            {
                "action": action,
                "actor_id": actor_id,
                "subject": subject,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "partner_id": partner_id,
                "details": details,
            }
        ]
    )[0]


def record_many(entries: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events in order (each a dict of :func:`record`'s arguments), chained one to the
    next: one lock, one read of the chain's end and one flush, however many events."""
    if not entries:
        return []
    occurred_at = utcnow().replace(microsecond=0)
    ip_address = request.remote_addr if has_request_context() else None
    events = [_event(**entry, occurred_at=occurred_at, ip_address=ip_address) for entry in entries]
    advisory_lock("lms.audit")
    prev = db.session.execute(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar_one_or_none()
    for event in events:
        event.prev_hash = prev or GENESIS_HASH
        event.hash = prev = _digest(event)
    db.session.add_all(events)
    db.session.flush()
    return events


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 1000) -> ChainReport:
    """Recompute every hash in id order; stop at the first row that breaks the chain."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = (
            db.session.execute(
                sa.select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch_size)
            )
            .scalars()
            .all()
        )
        if not rows:
            return ChainReport(checked=checked, broken_at=None)
        for event in rows:
            if event.prev_hash != expected_prev:
                return ChainReport(checked, event.id, "previous hash does not match")
            if _digest(event) != event.hash:
                return ChainReport(checked, event.id, "row content does not match its hash")
            expected_prev = event.hash
            checked += 1
            last_id = event.id
        db.session.expunge_all()
