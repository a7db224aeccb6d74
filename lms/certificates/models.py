"""Certificates, their stored PDFs, the passing decisions they come from, signing keys, templates,
bulk-issue jobs, expiry reminders and continuing-education claims."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.time import utcnow
from lms.extensions import db


class CertificateStatus(enum.StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class IssueKind(enum.StrEnum):
    ORIGINAL = "original"  # first award after a passing decision (or a staff award)
    REISSUE = "reissue"  # a correction: same award, new number, the old one superseded
    RENEWAL = "renewal"  # recertification: new validity period, original award date kept


class Certificate(TimestampMixin, db.Model):
    """One issued certificate. Its PDFs (one per language) are :class:`CertificateDocument` rows."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Human-readable, with a check digit (AIC-DEV-2026-0004817). Set right after the insert (it
    #: is derived from the id), inside the same transaction, so nobody ever sees it empty.
    number: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    #: The unguessable key of the public verification page (144 random bits), separate from the number.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The credential's id (``urn:uuid:…``).
    credential_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: What this certificate was issued for: "exam-attempt:42", "reissue:17", "staff:<nonce>"…
    #: Unique, so a decision can never produce two certificates, whatever runs twice.
    source_ref: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[IssueKind] = mapped_column(enum_column(IssueKind, 16), default=IssueKind.ORIGINAL)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    #: The partner that delivered the training (co-brands the certificate), if any.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)

    # What was certified, as it stood at issue: a later rename of the track or the holder does
    # not change a certificate (a name correction is a re-issue).
    holder_name: Mapped[str] = mapped_column(sa.String(200))
    holder_name_latin: Mapped[str | None] = mapped_column(sa.String(200))
    certification_code: Mapped[str] = mapped_column(sa.String(8))
    certification_names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    scheme_version: Mapped[str] = mapped_column(sa.String(20))
    partner_name: Mapped[str | None] = mapped_column(sa.String(200))

    issued_at: Mapped[datetime]
    #: The date the certification was first awarded; kept across re-issues and renewals.
    awarded_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    #: The language the learner chose at issue (the first PDF); other languages render on request.
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    bilingual: Mapped[bool] = mapped_column(default=False)

    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus, 16), default=CertificateStatus.ACTIVE, index=True
    )
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    status_changed_at: Mapped[datetime | None]
    replaces_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"), index=True)
    superseded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    #: The template version the certificate was designed with (every language renders with it).
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificate_templates.id"))
    #: The signed Open Badges 3.0 credential (VC-JWT) and the id of the key that signed it.
    credential_jwt: Mapped[str | None] = mapped_column(sa.Text)
    key_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: Position in the Bitstring Status Lists (revocation and suspension use the same position).
    status_list: Mapped[int | None]
    status_index: Mapped[int | None]

    documents: Mapped[list[CertificateDocument]] = relationship(
        back_populates="certificate", order_by="CertificateDocument.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("status_list", "status_index"),
        sa.Index("ix_certificates_user_track", "user_id", "track_id"),
    )

    def certification_name(self, locale: str = "en") -> str:
        names = self.certification_names or {}
        return names.get(locale) or names.get("en") or next(iter(names.values()), self.certification_code)

    def effective_status(self, now: datetime | None = None) -> CertificateStatus:
        """The status a verifier sees: an active certificate past its expiry is expired, even
        before the periodic task has written that down."""
        if self.status == CertificateStatus.ACTIVE and self.expires_at <= (now or utcnow()):
            return CertificateStatus.EXPIRED
        return self.status

    def document(self, language: str, bilingual: bool = False) -> CertificateDocument | None:
        return next((d for d in self.documents if d.language == language and d.bilingual == bilingual), None)

    @property
    def primary_document(self) -> CertificateDocument | None:
        return self.document(self.language, self.bilingual) or (self.documents[0] if self.documents else None)

    def __repr__(self) -> str:
        return f"<Certificate {self.id} {self.number} {self.status}>"


class CertificateDocument(db.Model):
    """One rendered PDF of a certificate in one language (or bilingual). Written once, never changed."""

    __tablename__ = "certificate_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(sa.String(8))
    bilingual: Mapped[bool] = mapped_column(default=False)
    storage_key: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="documents")

    __table_args__ = (sa.UniqueConstraint("certificate_id", "language", "bilingual"),)


class DecisionState(enum.StrEnum):
    PENDING = "pending"  # recorded, certificate not issued yet
    WAITING_FOR_COURSE = "waiting_for_course"  # the certification requires a completed course first
    ISSUED = "issued"
    FAILED = "failed"  # the last attempt to issue raised; it is retried by the sweeper or a bulk run


class PassingDecision(TimestampMixin, db.Model):
    """A final pass we were told about (``signals.exam_passed``): what a certificate is issued for.

    Recorded in the same transaction as the pass itself, so a pass is never lost between the
    exam's commit and the issuing task.
    """

    __tablename__ = "passing_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "exam-attempt:<id>" (or "demo:…", "bench:…"): unique, the decision's identity.
    source_ref: Mapped[str] = mapped_column(sa.String(80), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    decided_at: Mapped[datetime]
    state: Mapped[DecisionState] = mapped_column(
        enum_column(DecisionState, 24), default=DecisionState.PENDING, index=True
    )
    certificate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))
    last_error: Mapped[str | None] = mapped_column(sa.String(500))
    attempts: Mapped[int] = mapped_column(default=0)


class KeyStatus(enum.StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"


class SigningKey(db.Model):
    """An Ed25519 key of the issuer's did:web. Retired keys stay published so old credentials verify.

    The private half is generated on first use and stored encrypted with a key derived from the
    deployment's SECRET_KEY (AES-GCM); it never leaves the database in clear and is never committed.
    """

    __tablename__ = "certificate_signing_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The JWK thumbprint (RFC 7638): the fragment of the verification method in the DID document.
    kid: Mapped[str] = mapped_column(sa.String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(sa.String(16), default="EdDSA")
    public_jwk: Mapped[dict[str, Any]] = mapped_column(default=dict)
    private_key_encrypted: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[KeyStatus] = mapped_column(enum_column(KeyStatus, 16), default=KeyStatus.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    __table_args__ = (
        sa.Index(
            "uq_certificate_signing_keys_one_active",
            "status",
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        ),
    )


class CertificateTemplate(db.Model):
    """One version of a certificate design (HTML body + CSS), for one certification or the default.

    Versions are immutable: editing saves a new version, and a certificate keeps the version it was
    issued with, so a template change never changes an issued certificate.
    """

    __tablename__ = "certificate_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "default" or "track:<id>".
    scope: Mapped[str] = mapped_column(sa.String(32))
    version: Mapped[int]
    html: Mapped[str] = mapped_column(sa.Text)
    css: Mapped[str] = mapped_column(sa.Text)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("scope", "version"),)


class CertificationPolicy(TimestampMixin, db.Model):
    """Certificate rules of one certification: renewal by continuing-education credits."""

    __tablename__ = "certification_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), unique=True)
    #: Credits needed to renew without a recertification exam; None: renewal needs the exam.
    ce_credits_required: Mapped[int | None]
    #: How many days before expiry a renewal may start (and reminders begin).
    renewal_window_days: Mapped[int] = mapped_column(default=90)


class JobStatus(enum.StrEnum):
    RUNNING = "running"
    DONE = "done"


class BulkIssueJob(db.Model):
    """Issuing for a whole class: its decisions are :class:`BulkIssueItem` rows, issued in batches."""

    __tablename__ = "certificate_bulk_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The partner that asked (None when staff did): partner admins see only their own jobs.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    total: Mapped[int] = mapped_column(default=0)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, 16), default=JobStatus.RUNNING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class BulkIssueItem(db.Model):
    __tablename__ = "certificate_bulk_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_bulk_jobs.id", ondelete="CASCADE"))
    decision_id: Mapped[int] = mapped_column(sa.ForeignKey("passing_decisions.id"), index=True)

    __table_args__ = (sa.UniqueConstraint("job_id", "decision_id"),)


class ExpiryReminder(db.Model):
    """A reminder sent (or deliberately skipped) for one certificate and threshold: sent once."""

    __tablename__ = "certificate_expiry_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id", ondelete="CASCADE"))
    threshold_days: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: False when a smaller threshold was already due (no three e-mails at once).
    mailed: Mapped[bool] = mapped_column(default=True)

    __table_args__ = (sa.UniqueConstraint("certificate_id", "threshold_days"),)


class ClaimStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ContinuingEducationClaim(TimestampMixin, db.Model):
    """A learning activity a holder declares towards renewal; staff of the body approve it."""

    __tablename__ = "certificate_ce_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    activity: Mapped[str] = mapped_column(sa.String(200))
    provider: Mapped[str | None] = mapped_column(sa.String(200))
    credits: Mapped[int]
    completed_on: Mapped[date]
    status: Mapped[ClaimStatus] = mapped_column(enum_column(ClaimStatus, 16), default=ClaimStatus.PENDING)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    review_note: Mapped[str | None] = mapped_column(sa.String(500))
    #: The renewal that used this credit (a credit counts towards one renewal only).
    used_for_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))

    __table_args__ = (sa.CheckConstraint("credits > 0 AND credits <= 100", name="credits_in_range"),)
