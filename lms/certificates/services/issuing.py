"""Issuing: passing decisions become certificates, exactly once each; re-issue; PDFs per language.

Exactly once is the database's job, not hope: a certificate's ``source_ref`` ("exam-attempt:42",
"reissue:17", "staff:<form nonce>") is UNIQUE. A task that runs twice, or two that run at once,
meet the constraint; the loser finds the winner's certificate and returns it.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import Organisation, User
from lms.certificates.credentials import build_credential, sign_credential, verification_url
from lms.certificates.models import (
    Certificate,
    CertificateDocument,
    CertificateStatus,
    CertificateTemplate,
    CertificationPolicy,
    DecisionState,
    IssueKind,
    PassingDecision,
    SigningKey,
)
from lms.certificates.numbering import make_number, new_credential_id, new_token, status_position
from lms.certificates.rendering import (
    CERTIFICATE_LANGUAGES,
    Parties,
    parties_for,
    render_certificate,
    template_for_track,
)
from lms.core import audit, signals
from lms.core.db import lock_row
from lms.core.errors import Conflict, DomainError
from lms.core.mail import send_mail, send_mails
from lms.core.storage import get_storage
from lms.core.time import as_utc, utcnow
from lms.courses.models import CertificationTrack, Enrolment
from lms.courses.services import exam_eligibility
from lms.extensions import db

log = logging.getLogger(__name__)

DEFAULT_RENEWAL_WINDOW_DAYS = 90
#: States from which a certificate can be renewed (a suspended or revoked one cannot).
RENEWABLE = (CertificateStatus.ACTIVE, CertificateStatus.EXPIRED)


class AlreadyIssued(Exception):
    """The decision already produced a certificate (another run won); carries that certificate."""

    def __init__(self, certificate: Certificate) -> None:
        super().__init__(certificate.number)
        self.certificate = certificate


# --- passing decisions --------------------------------------------------------------------------


def decision_ref(attempt_id: int) -> str:
    return f"exam-attempt:{attempt_id}"


def find_decision(source_ref: str) -> PassingDecision | None:
    return db.session.execute(
        sa.select(PassingDecision).where(PassingDecision.source_ref == source_ref)
    ).scalar_one_or_none()


def record_pass(
    *, source_ref: str, user_id: int, track_id: int, partner_id: int | None, decided_at: datetime | None
) -> PassingDecision:
    """Remember a final pass (get-or-create on its unique reference; safe to call twice)."""
    existing = find_decision(source_ref)
    if existing is not None:
        return existing
    decision = PassingDecision(
        source_ref=source_ref,
        user_id=user_id,
        track_id=track_id,
        partner_id=partner_id,
        decided_at=as_utc(decided_at) if decided_at else utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(decision)
    except IntegrityError:
        found = find_decision(source_ref)
        if found is None:
            raise
        return found
    return decision


def issue_for_decision(decision_id: int) -> Certificate | None:
    """Issue the certificate a passing decision earns; returns None while the course is incomplete."""
    decision = lock_row(PassingDecision, decision_id)
    if decision is None:
        return None
    if decision.certificate_id is not None:
        return db.session.get(Certificate, decision.certificate_id)
    existing = certificate_by_source(decision.source_ref)
    if existing is not None:
        if not existing.documents:
            # A bulk run died after creating the row, before its PDF: finish what it started.
            user = db.session.get(User, existing.user_id, options=[lazyload(User.memberships)])
            store_document(existing, existing.language, existing.bilingual)
            announce_issued([IssuedNotice(existing, user.email, user.locale, user.display_name)])
        mark_issued(decision, existing)
        return existing
    track = db.session.get(CertificationTrack, decision.track_id)
    user = db.session.get(User, decision.user_id, options=[lazyload(User.memberships)])
    if track is None or user is None:
        raise DomainError(_("This certification or learner no longer exists."))
    partner_id = decision.partner_id
    if track.requires_course_completion:
        eligibility = exam_eligibility(user.id, track.id)
        if not eligibility.eligible:
            decision.state = DecisionState.WAITING_FOR_COURSE
            decision.last_error = None
            db.session.flush()
            return None
        if partner_id is None and eligibility.enrolment_id:
            enrolment = db.session.get(Enrolment, eligibility.enrolment_id)
            partner_id = enrolment.partner_id if enrolment else None
    predecessor = renewable_certificate(user.id, track.id)
    try:
        certificate = issue_certificate(
            user=user,
            track=track,
            partner_id=partner_id,
            source_ref=decision.source_ref,
            kind=IssueKind.RENEWAL if predecessor else IssueKind.ORIGINAL,
            language=holder_language(user),
            replaces=predecessor,
            awarded_at=predecessor.awarded_at if predecessor else decision.decided_at,
            expires_at=renewed_expiry(predecessor, track) if predecessor else None,
            reason="renewal by recertification exam" if predecessor else None,
        )
    except AlreadyIssued as won:
        certificate = won.certificate
    mark_issued(decision, certificate)
    return certificate


def mark_issued(decision: PassingDecision, certificate: Certificate) -> None:
    decision.certificate_id = certificate.id
    decision.state = DecisionState.ISSUED
    decision.last_error = None
    db.session.flush()


def holder_language(user: User) -> str:
    return user.locale if user.locale in CERTIFICATE_LANGUAGES else "en"


def certificate_by_source(source_ref: str) -> Certificate | None:
    return db.session.execute(sa.select(Certificate).where(Certificate.source_ref == source_ref)).scalar_one_or_none()


def renewable_certificate(user_id: int, track_id: int) -> Certificate | None:
    """The holder's current certificate of this certification that a new pass would renew."""
    return db.session.execute(
        sa.select(Certificate)
        .where(
            Certificate.user_id == user_id,
            Certificate.track_id == track_id,
            Certificate.status.in_(RENEWABLE),
        )
        .order_by(Certificate.expires_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def renewal_window_days(track_id: int) -> int:
    policy = db.session.execute(
        sa.select(CertificationPolicy).where(CertificationPolicy.track_id == track_id)
    ).scalar_one_or_none()
    return policy.renewal_window_days if policy else DEFAULT_RENEWAL_WINDOW_DAYS


def renewed_expiry(predecessor: Certificate, track: CertificationTrack, now: datetime | None = None) -> datetime:
    """A renewal inside the renewal window continues from the old expiry (no time lost); earlier or
    later, the new validity period starts now."""
    now = now or utcnow()
    window_opens = predecessor.expires_at - timedelta(days=renewal_window_days(track.id))
    start = predecessor.expires_at if window_opens <= now < predecessor.expires_at else now
    return start + relativedelta(months=track.validity_months)


# --- the certificate itself ---------------------------------------------------------------------


def issue_certificate(
    *,
    user: User,
    track: CertificationTrack,
    partner_id: int | None,
    source_ref: str,
    kind: IssueKind = IssueKind.ORIGINAL,
    language: str = "en",
    bilingual: bool = False,
    actor_id: int | None = None,
    issued_at: datetime | None = None,
    awarded_at: datetime | None = None,
    expires_at: datetime | None = None,
    replaces: Certificate | None = None,
    holder_name: str | None = None,
    holder_name_latin: str | None = None,
    reason: str | None = None,
) -> Certificate:
    """Create, sign, render and store one certificate (flushes; the caller commits).

    Raises :class:`AlreadyIssued` when ``source_ref`` already has a certificate.
    """
    if language not in CERTIFICATE_LANGUAGES:
        raise DomainError(_("Choose one of the offered languages."), field="language")
    partner = db.session.get(Organisation, partner_id) if partner_id else None
    parties = parties_for(partner.id if partner else None)
    certificate = new_certificate(
        user=user,
        track=track,
        partner=partner,
        parties=parties,
        source_ref=source_ref,
        kind=kind,
        language=language,
        bilingual=bilingual,
        actor_id=actor_id,
        issued_at=issued_at,
        awarded_at=awarded_at,
        expires_at=expires_at,
        replaces=replaces,
        holder_name=holder_name,
        holder_name_latin=holder_name_latin,
    )
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        winner = certificate_by_source(source_ref)
        if winner is None:
            raise
        raise AlreadyIssued(winner) from None
    set_committed_value(certificate, "documents", [])  # new: nothing to load
    template = template_for_track(track.id, track.code)
    seal(certificate, template, body_name=parties.body_name, holder_email=user.email)
    db.session.flush()
    store_document(certificate, certificate.language, certificate.bilingual, template, parties=parties, fresh=True)
    if replaces is not None:
        _supersede(replaces, certificate, actor_id=actor_id, reason=reason or kind.value)
    # The audit lock is held until commit: take it last, after the slow rendering.
    announce_issued(
        [
            IssuedNotice(
                certificate,
                email=user.email,
                locale=user.locale,
                display_name=user.display_name,
                actor_id=actor_id,
                replaces=replaces.number if replaces else None,
                reason=reason,
            )
        ]
    )
    return certificate


@dataclass(frozen=True)
class IssuedNotice:
    """Who hears of a new certificate, as plain values (a batch has no user rows at hand)."""

    certificate: Certificate
    email: str
    locale: str
    display_name: str
    actor_id: int | None = None
    replaces: str | None = None
    reason: str | None = None


def announce_issued(notices: list[IssuedNotice]) -> None:
    """Audit events (one append for all), the issued signal and the holder's e-mail, per certificate."""
    audit.record_many(
        [
            {
                "action": f"certificate.{'issued' if n.certificate.kind == IssueKind.ORIGINAL else n.certificate.kind}",
                "actor_id": n.actor_id,
                "subject": n.certificate,
                "partner_id": n.certificate.partner_id,
                "details": {
                    "number": n.certificate.number,
                    "source": n.certificate.source_ref,
                    "user_id": n.certificate.user_id,
                    "track": n.certificate.certification_code,
                    "language": n.certificate.language,
                    "replaces": n.replaces,
                    "reason": n.reason,
                },
            }
            for n in notices
        ]
    )
    base = current_app.config["BASE_URL"].rstrip("/")
    messages = []
    for notice in notices:
        certificate = notice.certificate
        signals.certificate_issued.send(
            certificate_id=certificate.id, user_id=certificate.user_id, partner_id=certificate.partner_id
        )
        context = {
            "display_name": notice.display_name,
            "certification": certificate.certification_name(notice.locale),
            "number": certificate.number,
            "url": f"{base}/my/certificates",
            "verify_url": verification_url(certificate),
            "renewal": certificate.kind == IssueKind.RENEWAL,
        }
        messages.append((notice.email, "certificate_issued", notice.locale, context))
    if len(messages) == 1:
        send_mail(*messages[0][:3], **messages[0][3])
    else:
        send_mails(messages)


def new_certificate(
    *,
    user: User,
    track: CertificationTrack,
    partner: Organisation | None,
    parties: Parties,
    source_ref: str,
    kind: IssueKind = IssueKind.ORIGINAL,
    language: str = "en",
    bilingual: bool = False,
    actor_id: int | None = None,
    issued_at: datetime | None = None,
    awarded_at: datetime | None = None,
    expires_at: datetime | None = None,
    replaces: Certificate | None = None,
    holder_name: str | None = None,
    holder_name_latin: str | None = None,
) -> Certificate:
    """The row of a new certificate (not added to the session; no number before it has an id)."""
    now = issued_at or utcnow()
    branding = parties.partner_branding
    latin = holder_name_latin if holder_name_latin is not None else user.legal_name_latin
    return Certificate(
        token=new_token(),
        credential_id=new_credential_id(),
        source_ref=source_ref,
        kind=kind,
        user_id=user.id,
        track_id=track.id,
        partner_id=partner.id if partner else None,
        holder_name=(holder_name or user.printed_name).strip(),
        holder_name_latin=(latin or "").strip() or None,
        certification_code=track.code,
        certification_names=dict(track.names or {}),
        scheme_version=track.scheme_version,
        partner_name=(branding.display_name if branding else None) or (partner.name if partner else None),
        issued_at=now,
        awarded_at=awarded_at or now,
        expires_at=expires_at or now + relativedelta(months=track.validity_months),
        language=language,
        bilingual=bilingual and language != "en",
        status=CertificateStatus.ACTIVE,
        status_changed_at=now,
        replaces_id=replaces.id if replaces else None,
        issued_by_id=actor_id,
    )


def seal(
    certificate: Certificate,
    template: CertificateTemplate,
    *,
    body_name: str,
    holder_email: str,
    key: SigningKey | None = None,
) -> None:
    """Number, status-list position, design and signed credential of a certificate that has its id."""
    certificate.number = make_number(certificate.certification_code, certificate.issued_at.year, certificate.id)
    certificate.status_list, certificate.status_index = status_position(certificate.id)
    certificate.template_id = template.id
    credential = build_credential(certificate, body_name=body_name, holder_email=holder_email)
    certificate.credential_jwt, certificate.key_id = sign_credential(credential, key)


def _supersede(old: Certificate, new: Certificate, *, actor_id: int | None, reason: str) -> None:
    old.status = CertificateStatus.SUPERSEDED
    old.superseded_by_id = new.id
    old.status_reason = reason
    old.status_changed_at = utcnow()
    audit.record(
        "certificate.superseded",
        actor_id=actor_id,
        subject=old,
        partner_id=old.partner_id,
        details={"number": old.number, "by": new.number, "reason": reason},
    )
    signals.certificate_status_changed.send(
        certificate_id=old.id, status=CertificateStatus.SUPERSEDED.value, reason=reason
    )


def active_certificate(user_id: int, track_id: int) -> Certificate | None:
    now = utcnow()
    return db.session.execute(
        sa.select(Certificate).where(
            Certificate.user_id == user_id,
            Certificate.track_id == track_id,
            Certificate.status == CertificateStatus.ACTIVE,
            Certificate.expires_at > now,
        )
    ).scalar_one_or_none()


def staff_issue(
    *,
    user: User,
    track: CertificationTrack,
    partner_id: int | None,
    language: str,
    bilingual: bool,
    reason: str,
    actor_id: int,
    nonce: str,
) -> Certificate:
    """A certificate issued by staff (e.g. a pass recorded outside the platform), with a reason.

    The form's one-time nonce is the source reference: submitting the form twice issues once.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    if not nonce or len(nonce) > 64:
        raise DomainError(_("This form has expired. Reload the page and try again."))
    source_ref = f"staff:{nonce}"
    existing = certificate_by_source(source_ref)
    if existing is not None:
        return existing
    if active_certificate(user.id, track.id) is not None:
        raise Conflict(
            _("This learner already holds an active certificate for this certification. Re-issue it instead."),
            field="email",
        )
    try:
        return issue_certificate(
            user=user,
            track=track,
            partner_id=partner_id,
            source_ref=source_ref,
            language=language,
            bilingual=bilingual,
            actor_id=actor_id,
            reason=reason,
        )
    except AlreadyIssued as won:
        return won.certificate


def reissue(
    certificate_id: int,
    *,
    reason: str,
    actor_id: int | None,
    holder_name: str | None = None,
    holder_name_latin: str | None = None,
) -> Certificate:
    """Replace a certificate (e.g. a name correction): same award and expiry, new number and token;
    the old one becomes superseded and points to the new one."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    old = lock_row(Certificate, certificate_id)
    if old is None:
        raise DomainError(_("This certificate does not exist."))
    if old.status not in RENEWABLE:
        raise Conflict(_("Only an active or expired certificate can be re-issued."))
    name = (holder_name or "").strip() or None
    if name is not None and len(name) > 200:
        raise DomainError(_("The name is too long."), field="holder_name")
    user = db.session.get(User, old.user_id)
    track = db.session.get(CertificationTrack, old.track_id)
    try:
        return issue_certificate(
            user=user,
            track=track,
            partner_id=old.partner_id,
            source_ref=f"reissue:{old.id}",
            kind=IssueKind.REISSUE,
            language=old.language,
            bilingual=old.bilingual,
            actor_id=actor_id,
            awarded_at=old.awarded_at,
            expires_at=old.expires_at,
            replaces=old,
            holder_name=name,
            holder_name_latin=holder_name_latin,
            reason=reason,
        )
    except AlreadyIssued as won:
        return won.certificate


# --- documents (one PDF per language) -------------------------------------------------------------


def document_key(certificate: Certificate, language: str, bilingual: bool, sha256: str) -> str:
    suffix = f"{language}-bilingual" if bilingual else language
    return f"certificates/{certificate.issued_at.year}/{certificate.number}/{suffix}-{sha256[:16]}.pdf"


def store_document(
    certificate: Certificate,
    language: str,
    bilingual: bool,
    template: CertificateTemplate | None = None,
    *,
    parties: Parties | None = None,
    fresh: bool = False,
) -> CertificateDocument:
    """Render and store one language's PDF (once: an existing document is returned unchanged).

    ``fresh``: the certificate was created in this transaction, so nobody else can be adding its
    documents (no savepoint needed).
    """
    bilingual = bilingual and language != "en"
    existing = certificate.document(language, bilingual)
    if existing is not None:
        return existing
    template = template or db.session.get(CertificateTemplate, certificate.template_id)
    if template is None:
        template = template_for_track(certificate.track_id, certificate.certification_code)
    rendered = render_certificate(certificate, language, bilingual, template, parties)
    if rendered.missing_glyphs:
        log.error(
            "certificate %s (%s) printed missing glyphs: %s", certificate.number, language, rendered.missing_glyphs
        )
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    key = document_key(certificate, language, bilingual, digest)
    get_storage().save(key, rendered.pdf, "application/pdf")
    document = CertificateDocument(
        certificate_id=certificate.id,
        language=language,
        bilingual=bilingual,
        storage_key=key,
        sha256=digest,
        size=len(rendered.pdf),
    )
    if fresh:
        certificate.documents.append(document)
        db.session.flush()
        return document
    try:
        with db.session.begin_nested():
            certificate.documents.append(document)
    except IntegrityError:
        # Someone rendered the same language at the same moment: theirs is the stored one.
        db.session.expire(certificate, ["documents"])
        found = certificate.document(language, bilingual)
        if found is None:
            raise
        return found
    return document


def document_for(certificate: Certificate, language: str, bilingual: bool = False) -> CertificateDocument:
    """The stored PDF in this language, rendered now if it does not exist yet (same number, token)."""
    if language not in CERTIFICATE_LANGUAGES:
        raise DomainError(_("Choose one of the offered languages."), field="language")
    return store_document(certificate, language, bilingual)


def document_bytes(document: CertificateDocument) -> bytes:
    return get_storage().load(document.storage_key)
