"""Exam vouchers: the attempts a candidate may take. Granting is idempotent per origin."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.exams.models import ExamVoucher, VoucherStatus
from lms.exams.services.blueprints import blueprint_for
from lms.extensions import db

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud to a proctor without doubt
DEFAULT_VALIDITY_DAYS = 365


def new_code() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"EXV-{body[:4]}-{body[4:8]}-{body[8:]}"


def grant(
    *,
    user_id: int,
    track_id: int,
    origin_ref: str,
    count: int = 1,
    partner_id: int | None = None,
    expires_at: datetime | None = None,
    actor_id: int | None = None,
) -> list[ExamVoucher]:
    """Give ``count`` vouchers for one origin; granting the same origin again adds nothing."""
    if expires_at is None:
        blueprint = blueprint_for(track_id)
        days = blueprint.voucher_validity_days if blueprint is not None else DEFAULT_VALIDITY_DAYS
        expires_at = utcnow() + timedelta(days=days)
    existing = {
        v.origin_index: v
        for v in db.session.execute(sa.select(ExamVoucher).where(ExamVoucher.origin_ref == origin_ref)).scalars()
    }
    vouchers = []
    for index in range(1, count + 1):
        voucher = existing.get(index)
        if voucher is None:
            voucher = ExamVoucher(
                code=new_code(),
                user_id=user_id,
                track_id=track_id,
                origin_ref=origin_ref,
                origin_index=index,
                partner_id=partner_id,
                expires_at=expires_at,
            )
            db.session.add(voucher)
        vouchers.append(voucher)
    if len(existing) < count:
        db.session.flush()
        audit.record(
            "exams.vouchers_granted",
            actor_id=actor_id,
            subject_type="User",
            subject_id=user_id,
            partner_id=partner_id,
            details={"track_id": track_id, "origin": origin_ref, "count": count - len(existing)},
        )
    return vouchers


def vouchers_of(user_id: int, track_id: int | None = None) -> list[ExamVoucher]:
    stmt = sa.select(ExamVoucher).where(ExamVoucher.user_id == user_id)
    if track_id is not None:
        stmt = stmt.where(ExamVoucher.track_id == track_id)
    return list(db.session.execute(stmt.order_by(ExamVoucher.expires_at, ExamVoucher.id)).scalars())


def usable_voucher(user_id: int, track_id: int, now: datetime | None = None) -> ExamVoucher | None:
    """The voucher an attempt would use: the one that expires first."""
    now = now or utcnow()
    for voucher in vouchers_of(user_id, track_id):
        if voucher.usable(now):
            return voucher
    return None


def use(voucher: ExamVoucher, now: datetime) -> None:
    if not voucher.usable(now):
        raise DomainError(_("This exam voucher is no longer valid."))
    voucher.status = VoucherStatus.USED
    voucher.used_at = now


def void(voucher: ExamVoucher, reason: str, *, actor_id: int | None) -> None:
    if voucher.status != VoucherStatus.AVAILABLE:
        raise DomainError(_("Only an unused voucher can be voided."))
    voucher.status = VoucherStatus.VOID
    db.session.flush()
    audit.record("exams.voucher_voided", actor_id=actor_id, subject=voucher, details={"reason": reason})


def expire_vouchers(now: datetime | None = None) -> int:
    now = now or utcnow()
    result = db.session.execute(
        sa.update(ExamVoucher)
        .where(ExamVoucher.status == VoucherStatus.AVAILABLE, ExamVoucher.expires_at <= now)
        .values(status=VoucherStatus.EXPIRED)
    )
    return result.rowcount or 0
