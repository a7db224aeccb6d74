"""Accommodations: extra time (minutes or a multiplier) and other adjustments, approved by staff."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit
from lms.core.errors import DomainError
from lms.core.mail import send_mail
from lms.core.time import utcnow
from lms.exams.models import Accommodation, AccommodationScope, AccommodationStatus
from lms.extensions import db

MAX_EXTRA_MINUTES = 480


def request_accommodation(
    *,
    user_id: int,
    track_id: int | None,
    extra_minutes: int,
    time_percent: int,
    other_adjustments: str,
    reason: str,
    scope: AccommodationScope,
    valid_until: date | None,
) -> Accommodation:
    reason = (reason or "").strip()
    other_adjustments = (other_adjustments or "").strip()
    if not reason:
        raise DomainError(_("Tell us why you need this accommodation."), field="reason")
    if not 0 <= extra_minutes <= MAX_EXTRA_MINUTES:
        raise DomainError(
            _("Extra time must be between 0 and %(count)d minutes.", count=MAX_EXTRA_MINUTES), field="extra_minutes"
        )
    if not 100 <= time_percent <= 400:
        raise DomainError(_("The time multiplier must be between 100% and 400%."), field="time_percent")
    if extra_minutes == 0 and time_percent == 100 and not other_adjustments:
        raise DomainError(_("Ask for extra time or describe another adjustment."), field="extra_minutes")
    if scope == AccommodationScope.UNTIL_DATE:
        if valid_until is None or valid_until <= utcnow().date():
            raise DomainError(_("Give a date in the future until which it applies."), field="valid_until")
    else:
        valid_until = None
    accommodation = Accommodation(
        user_id=user_id,
        track_id=track_id,
        extra_minutes=extra_minutes,
        time_percent=time_percent,
        other_adjustments=other_adjustments,
        reason=reason,
        scope=scope,
        valid_until=valid_until,
    )
    db.session.add(accommodation)
    db.session.flush()
    audit.record("exams.accommodation_requested", actor_id=user_id, subject=accommodation)
    return accommodation


def decide(accommodation: Accommodation, approve: bool, note: str, *, actor_id: int, locale: str = "en") -> None:
    note = (note or "").strip()
    if accommodation.status != AccommodationStatus.REQUESTED:
        raise DomainError(_("This request has already been decided."))
    if not approve and not note:
        raise DomainError(_("Say why the request is declined."), field="note")
    accommodation.status = AccommodationStatus.APPROVED if approve else AccommodationStatus.REJECTED
    accommodation.decided_by_id = actor_id
    accommodation.decided_at = utcnow()
    accommodation.decision_note = note
    db.session.flush()
    audit.record(
        "exams.accommodation_approved" if approve else "exams.accommodation_rejected",
        actor_id=actor_id,
        subject=accommodation,
        details={"note": note},
    )
    from lms.accounts.models import User

    user = db.session.get(User, accommodation.user_id)
    if user is not None:
        send_mail(
            user.email,
            "accommodation_decided",
            user.locale,
            name=user.display_name,
            approved=approve,
            note=note,
        )


def applicable(user_id: int, track_id: int, now: datetime | None = None) -> Accommodation | None:
    """The approved accommodation that gives this candidate the most time on this exam now."""
    today = (now or utcnow()).date()
    rows = db.session.execute(
        sa.select(Accommodation).where(
            Accommodation.user_id == user_id,
            Accommodation.status == AccommodationStatus.APPROVED,
            sa.or_(Accommodation.track_id.is_(None), Accommodation.track_id == track_id),
        )
    ).scalars()
    valid = [
        a
        for a in rows
        if a.scope == AccommodationScope.ONE_EXAM or (a.valid_until is not None and a.valid_until >= today)
    ]
    if not valid:
        return None
    return max(valid, key=lambda a: (a.extended_seconds(3600), a.id))


def consume(accommodation: Accommodation) -> None:
    """A one-exam accommodation is used by the attempt it applied to."""
    if accommodation.scope == AccommodationScope.ONE_EXAM:
        accommodation.status = AccommodationStatus.USED


def requests_of(user_id: int) -> list[Accommodation]:
    return list(
        db.session.execute(
            sa.select(Accommodation).where(Accommodation.user_id == user_id).order_by(Accommodation.id.desc())
        ).scalars()
    )


def pending_requests() -> list[Accommodation]:
    return list(
        db.session.execute(
            sa.select(Accommodation)
            .where(Accommodation.status == AccommodationStatus.REQUESTED)
            .order_by(Accommodation.created_at)
        ).scalars()
    )
