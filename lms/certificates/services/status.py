"""Status changes: suspend, reinstate, revoke (staff, always with a reason) and expiry (the clock).

Every change is audited and announced with ``signals.certificate_status_changed``; the status
lists published for the credentials read the current status, so a revocation shows there at once.
"""

from __future__ import annotations

import enum

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.certificates.credentials import verification_url
from lms.certificates.models import Certificate, CertificateStatus
from lms.core import audit, signals
from lms.core.db import lock_row
from lms.core.errors import Conflict, DomainError
from lms.core.mail import send_mail
from lms.core.time import utcnow
from lms.extensions import db

MAX_REASON_LENGTH = 500


class StatusAction(enum.StrEnum):
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"


#: action → (states it applies to, resulting state)
TRANSITIONS: dict[StatusAction, tuple[frozenset[CertificateStatus], CertificateStatus]] = {
    StatusAction.SUSPEND: (frozenset({CertificateStatus.ACTIVE}), CertificateStatus.SUSPENDED),
    StatusAction.REINSTATE: (frozenset({CertificateStatus.SUSPENDED}), CertificateStatus.ACTIVE),
    StatusAction.REVOKE: (
        frozenset({CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED, CertificateStatus.EXPIRED}),
        CertificateStatus.REVOKED,
    ),
}


def allowed_actions(certificate: Certificate) -> list[StatusAction]:
    current = certificate.effective_status()
    return [action for action, (sources, _target) in TRANSITIONS.items() if current in sources]


def change_status(certificate_id: int, action: StatusAction, *, reason: str, actor_id: int | None) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_("Keep the reason under %(count)d characters.", count=MAX_REASON_LENGTH), field="reason")
    certificate = lock_row(Certificate, certificate_id)
    if certificate is None:
        raise DomainError(_("This certificate does not exist."))
    sources, target = TRANSITIONS[action]
    current = certificate.effective_status()
    if current not in sources:
        raise Conflict(_("This certificate's current status does not allow that."))
    if action == StatusAction.REINSTATE and certificate.expires_at <= utcnow():
        target = CertificateStatus.EXPIRED
    previous = certificate.status
    certificate.status = target
    certificate.status_reason = reason
    certificate.status_changed_at = utcnow()
    audit.record(
        f"certificate.{action.value}",
        actor_id=actor_id,
        subject=certificate,
        partner_id=certificate.partner_id,
        details={"number": certificate.number, "from": previous.value, "to": target.value, "reason": reason},
    )
    signals.certificate_status_changed.send(certificate_id=certificate.id, status=target.value, reason=reason)
    user = db.session.get(User, certificate.user_id)
    if user is not None:
        send_mail(
            user.email,
            "certificate_status",
            user.locale,
            display_name=user.display_name,
            certification=certificate.certification_name(user.locale),
            number=certificate.number,
            status=target.value,
            reason=reason,
            verify_url=verification_url(certificate),
            url=f"{current_app.config['BASE_URL'].rstrip('/')}/my/certificates",
        )
    db.session.flush()
    return certificate


def expire_due(limit: int = 1000) -> int:
    """Write down the expiry of active certificates whose validity has ended (the clock's change)."""
    now = utcnow()
    ids = list(
        db.session.execute(
            sa.select(Certificate.id)
            .where(Certificate.status == CertificateStatus.ACTIVE, Certificate.expires_at <= now)
            .order_by(Certificate.id)
            .limit(limit)
        ).scalars()
    )
    for certificate_id in ids:
        certificate = lock_row(Certificate, certificate_id)
        if certificate is None or certificate.status != CertificateStatus.ACTIVE:
            continue
        certificate.status = CertificateStatus.EXPIRED
        certificate.status_reason = "validity period ended"
        certificate.status_changed_at = now
        audit.record(
            "certificate.expired",
            subject=certificate,
            partner_id=certificate.partner_id,
            details={"number": certificate.number},
        )
        signals.certificate_status_changed.send(
            certificate_id=certificate.id, status=CertificateStatus.EXPIRED.value, reason="validity period ended"
        )
    db.session.flush()
    return len(ids)
