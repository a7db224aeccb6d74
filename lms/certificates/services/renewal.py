"""Renewal by continuing-education credits (where the certification allows it).

The holder declares learning activities; staff of the body approve or reject them; once the
approved credits reach what the certification requires, and the certificate is inside its renewal
window (or expired), the holder renews: a new certificate with a new validity period and the
original award date, the old one superseded. Renewal by recertification exam goes through the
ordinary pass → issue path (see ``issuing.issue_for_decision``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.certificates.models import (
    Certificate,
    CertificateStatus,
    CertificationPolicy,
    ClaimStatus,
    ContinuingEducationClaim,
    IssueKind,
)
from lms.certificates.services.issuing import (
    RENEWABLE,
    AlreadyIssued,
    holder_language,
    issue_certificate,
    renewal_window_days,
    renewed_expiry,
)
from lms.core import audit
from lms.core.db import lock_row
from lms.core.errors import Conflict, DomainError
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack
from lms.extensions import db

MAX_CLAIM_CREDITS = 100


def policy_for(track_id: int) -> CertificationPolicy | None:
    return db.session.execute(
        sa.select(CertificationPolicy).where(CertificationPolicy.track_id == track_id)
    ).scalar_one_or_none()


def set_policy(*, track_id: int, ce_credits_required: int | None, renewal_window_days: int, actor_id: int) -> None:
    if ce_credits_required is not None and not 1 <= ce_credits_required <= 1000:
        raise DomainError(_("Enter a number of credits between 1 and 1000."), field="ce_credits_required")
    if not 7 <= renewal_window_days <= 365:
        raise DomainError(_("Enter a renewal window between 7 and 365 days."), field="renewal_window_days")
    policy = policy_for(track_id)
    if policy is None:
        policy = CertificationPolicy(track_id=track_id)
        db.session.add(policy)
    policy.ce_credits_required = ce_credits_required
    policy.renewal_window_days = renewal_window_days
    db.session.flush()
    audit.record(
        "certification.policy_changed",
        actor_id=actor_id,
        subject=policy,
        details={"track_id": track_id, "ce_credits": ce_credits_required, "window_days": renewal_window_days},
    )


@dataclass(frozen=True)
class RenewalState:
    credits_required: int | None
    approved: int
    pending: int
    window_open: bool
    window_opens_on: date | None

    @property
    def allowed(self) -> bool:
        return self.credits_required is not None

    @property
    def can_renew(self) -> bool:
        return self.allowed and self.window_open and self.approved >= (self.credits_required or 0)


def _unused_claims(certificate: Certificate, status: ClaimStatus) -> sa.Select:
    return sa.select(ContinuingEducationClaim).where(
        ContinuingEducationClaim.certificate_id == certificate.id,
        ContinuingEducationClaim.status == status,
        ContinuingEducationClaim.used_for_id.is_(None),
    )


def renewal_state(certificate: Certificate) -> RenewalState:
    policy = policy_for(certificate.track_id)
    window = renewal_window_days(certificate.track_id)
    opens = certificate.expires_at - timedelta(days=window)
    approved = sum(c.credits for c in db.session.execute(_unused_claims(certificate, ClaimStatus.APPROVED)).scalars())
    pending = sum(c.credits for c in db.session.execute(_unused_claims(certificate, ClaimStatus.PENDING)).scalars())
    return RenewalState(
        credits_required=policy.ce_credits_required if policy else None,
        approved=approved,
        pending=pending,
        window_open=certificate.effective_status() in RENEWABLE and utcnow() >= opens,
        window_opens_on=opens.date(),
    )


def claims_of(certificate: Certificate) -> list[ContinuingEducationClaim]:
    return list(
        db.session.execute(
            sa.select(ContinuingEducationClaim)
            .where(ContinuingEducationClaim.certificate_id == certificate.id)
            .order_by(ContinuingEducationClaim.completed_on.desc(), ContinuingEducationClaim.id.desc())
        ).scalars()
    )


def submit_claim(
    certificate: Certificate, user: User, *, activity: str, provider: str | None, credits: int, completed_on: date
) -> ContinuingEducationClaim:
    if certificate.user_id != user.id:
        raise DomainError(_("This certificate is not yours."))
    if certificate.effective_status() not in RENEWABLE:
        raise Conflict(_("Only an active or expired certificate can be renewed."))
    if policy_for(certificate.track_id) is None or policy_for(certificate.track_id).ce_credits_required is None:
        raise DomainError(_("This certification is renewed by passing the recertification exam."))
    activity = (activity or "").strip()
    if not activity:
        raise DomainError(_("Describe the activity."), field="activity")
    if len(activity) > 200:
        raise DomainError(_("Keep the description under %(count)d characters.", count=200), field="activity")
    if not 1 <= credits <= MAX_CLAIM_CREDITS:
        raise DomainError(_("Enter between 1 and %(count)d credits.", count=MAX_CLAIM_CREDITS), field="credits")
    if completed_on > utcnow().date():
        raise DomainError(_("The activity must be completed already."), field="completed_on")
    if completed_on < certificate.issued_at.date():
        raise DomainError(_("Only activities completed since this certificate was issued count."), field="completed_on")
    claim = ContinuingEducationClaim(
        certificate_id=certificate.id,
        user_id=user.id,
        activity=activity,
        provider=(provider or "").strip()[:200] or None,
        credits=credits,
        completed_on=completed_on,
    )
    db.session.add(claim)
    db.session.flush()
    audit.record(
        "certificate.ce_claimed",
        actor_id=user.id,
        subject=claim,
        partner_id=certificate.partner_id,
        details={"certificate": certificate.number, "credits": credits},
    )
    return claim


def review_claim(claim_id: int, *, approve: bool, note: str | None, actor_id: int) -> ContinuingEducationClaim:
    claim = lock_row(ContinuingEducationClaim, claim_id)
    if claim is None:
        raise DomainError(_("This claim does not exist."))
    if claim.status != ClaimStatus.PENDING:
        raise Conflict(_("This claim was already reviewed."))
    note = (note or "").strip()
    if not approve and not note:
        raise DomainError(_("Give a reason."), field="note")
    claim.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    claim.reviewed_by_id = actor_id
    claim.reviewed_at = utcnow()
    claim.review_note = note[:500] or None
    audit.record(
        f"certificate.ce_{claim.status.value}",
        actor_id=actor_id,
        subject=claim,
        details={"credits": claim.credits, "note": claim.review_note},
    )
    db.session.flush()
    return claim


def renew_with_credits(certificate_id: int, user: User) -> Certificate:
    certificate = lock_row(Certificate, certificate_id)
    if certificate is None or certificate.user_id != user.id:
        raise DomainError(_("This certificate is not yours."))
    if certificate.status not in (CertificateStatus.ACTIVE, CertificateStatus.EXPIRED):
        raise Conflict(_("Only an active or expired certificate can be renewed."))
    state = renewal_state(certificate)
    if not state.allowed:
        raise DomainError(_("This certification is renewed by passing the recertification exam."))
    if not state.window_open:
        raise Conflict(_("Renewal opens on %(date)s.", date=format_date(state.window_opens_on)))
    if state.approved < (state.credits_required or 0):
        raise Conflict(
            _(
                "You need %(required)d approved credits to renew; you have %(approved)d.",
                required=state.credits_required or 0,
                approved=state.approved,
            )
        )
    track = db.session.get(CertificationTrack, certificate.track_id)
    try:
        renewed = issue_certificate(
            user=user,
            track=track,
            partner_id=certificate.partner_id,
            source_ref=f"renewal:{certificate.id}",
            kind=IssueKind.RENEWAL,
            language=certificate.language if certificate.language else holder_language(user),
            bilingual=certificate.bilingual,
            actor_id=user.id,
            awarded_at=certificate.awarded_at,
            expires_at=renewed_expiry(certificate, track),
            replaces=certificate,
            reason="renewal by continuing-education credits",
        )
    except AlreadyIssued as won:
        return won.certificate
    for claim in db.session.execute(_unused_claims(certificate, ClaimStatus.APPROVED)).scalars():
        claim.used_for_id = renewed.id
    db.session.flush()
    return renewed
