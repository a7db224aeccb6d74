"""Reminders before expiry: 90, 30 and 7 days, each sent once per certificate.

A UNIQUE (certificate, threshold) row is written with the e-mail, so the periodic task can run
as often as it likes, on as many workers as there are. A certificate first seen inside a smaller
window (e.g. issued with 20 days left, or after downtime) gets one e-mail, not three: the larger
thresholds are recorded as skipped.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from babel.dates import format_date
from flask import current_app
from sqlalchemy.exc import IntegrityError

from lms.accounts.models import User
from lms.certificates.models import Certificate, CertificateStatus, ExpiryReminder
from lms.core.mail import send_mail
from lms.core.time import utcnow
from lms.extensions import db

THRESHOLDS = (90, 30, 7)


def due_threshold(days_left: float) -> int | None:
    """The smallest threshold the remaining time falls within, if any."""
    inside = [t for t in THRESHOLDS if days_left <= t]
    return min(inside) if inside else None


def send_expiry_reminders(limit: int = 2000) -> int:
    now = utcnow()
    horizon = now + timedelta(days=max(THRESHOLDS))
    certificates = (
        db.session.execute(
            sa.select(Certificate)
            .where(
                Certificate.status == CertificateStatus.ACTIVE,
                Certificate.expires_at > now,
                Certificate.expires_at <= horizon,
            )
            .order_by(Certificate.expires_at)
            .limit(limit)
        )
        .scalars()
        .all()
    )
    if not certificates:
        return 0
    recorded: dict[int, set[int]] = {}
    for certificate_id, threshold in db.session.execute(
        sa.select(ExpiryReminder.certificate_id, ExpiryReminder.threshold_days).where(
            ExpiryReminder.certificate_id.in_([c.id for c in certificates])
        )
    ):
        recorded.setdefault(certificate_id, set()).add(threshold)
    sent = 0
    base = current_app.config["BASE_URL"].rstrip("/")
    for certificate in certificates:
        days_left = (certificate.expires_at - now).total_seconds() / 86400
        threshold = due_threshold(days_left)
        done = recorded.get(certificate.id, set())
        if threshold is None or threshold in done:
            continue
        skipped = [t for t in THRESHOLDS if t > threshold and t not in done]
        try:
            with db.session.begin_nested():
                db.session.add(ExpiryReminder(certificate_id=certificate.id, threshold_days=threshold, mailed=True))
                for other in skipped:
                    db.session.add(ExpiryReminder(certificate_id=certificate.id, threshold_days=other, mailed=False))
        except IntegrityError:
            continue  # another worker sent it at the same moment
        user = db.session.get(User, certificate.user_id)
        if user is None:
            continue
        send_mail(
            user.email,
            "certificate_expiry",
            user.locale,
            display_name=user.display_name,
            certification=certificate.certification_name(user.locale),
            number=certificate.number,
            days=max(1, int(days_left)),
            expires_on=format_date(certificate.expires_at.date(), "long", locale=user.locale),
            url=f"{base}/my/certificates#certificate-{certificate.id}",
        )
        sent += 1
    return sent
