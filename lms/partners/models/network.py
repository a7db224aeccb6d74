"""The network itself: applications, branding, invitations, agreements, member rosters."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.security import PartnerOwnedMixin, Role
from lms.core.time import utcnow
from lms.extensions import db


class PartnerBranding(PartnerOwnedMixin, TimestampMixin, db.Model):
    """How a partner appears on its storefront, courseware pages and certificates.

    Images are stored (re-encoded PNG) through ``lms.core.storage`` under the given keys.
    """

    __tablename__ = "partner_brandings"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    primary_colour: Mapped[str] = mapped_column(sa.String(7), default="#3538CD")
    secondary_colour: Mapped[str] = mapped_column(sa.String(7), default="#0E7C86")
    logo_key: Mapped[str | None] = mapped_column(sa.String(255))
    signatory_name: Mapped[str | None] = mapped_column(sa.String(200))
    signatory_title: Mapped[str | None] = mapped_column(sa.String(200))
    signature_key: Mapped[str | None] = mapped_column(sa.String(255))
    #: A line under the name on the storefront, per language ({"en": "…", "ar": "…"}).
    taglines: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    #: Languages the partner teaches and markets in (launch e-mails are written in each).
    languages: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))

    __table_args__ = (sa.UniqueConstraint("partner_id"),)


class ApplicationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class PartnerApplication(TimestampMixin, db.Model):
    """An organisation asking to join the network; staff approve or reject it with a reason."""

    __tablename__ = "partner_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Created with status "applied" when the application is sent.
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    applicant_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    motivation: Mapped[str] = mapped_column(sa.Text)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    expected_learners: Mapped[int | None]
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus, 16), default=ApplicationStatus.PENDING
    )
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)

    organisation = relationship("Organisation", lazy="joined")
    applicant = relationship("User", foreign_keys=[applicant_id], lazy="joined")


#: Roles a partner administrator may invite people into.
INVITABLE_ROLES = (Role.PARTNER_ADMIN, Role.PARTNER_MANAGER, Role.INSTRUCTOR, Role.PROCTOR)


class PartnerInvitation(PartnerOwnedMixin, db.Model):
    """An e-mailed invitation to join a partner in a role; the link carries a token we store hashed."""

    __tablename__ = "partner_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[Role] = mapped_column(enum_column(Role, 32))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]

    organisation = relationship("Organisation", foreign_keys="PartnerInvitation.partner_id", lazy="joined")


class PartnerAgreement(PartnerOwnedMixin, db.Model):
    """Revenue shares agreed with a partner, in basis points (10 000 = 100 %); a new row per change.

    *Own sale*: the partner sells a seat of its own class (partner / body). *Resale*: another
    partner sells a seat of this partner's class (delivering partner / reseller / body).
    """

    __tablename__ = "partner_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[datetime] = mapped_column(default=utcnow)
    own_partner_bp: Mapped[int]
    own_body_bp: Mapped[int]
    resale_delivering_bp: Mapped[int]
    resale_reseller_bp: Mapped[int]
    resale_body_bp: Mapped[int]
    #: Earnings stay pending this many days (refunds are possible), then become available.
    refund_window_days: Mapped[int] = mapped_column(default=14)
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("own_partner_bp + own_body_bp = 10000", name="own_shares_complete"),
        sa.CheckConstraint(
            "resale_delivering_bp + resale_reseller_bp + resale_body_bp = 10000", name="resale_shares_complete"
        ),
        sa.CheckConstraint(
            "own_partner_bp >= 0 AND own_body_bp >= 0 AND resale_delivering_bp >= 0 "
            "AND resale_reseller_bp >= 0 AND resale_body_bp >= 0",
            name="shares_not_negative",
        ),
    )


class PartnerMember(PartnerOwnedMixin, db.Model):
    """A confirmed member of an association (or student of an academic partner).

    Either a roster line the partner uploaded (``email``) or a member code it handed out
    (``code``, claimed by a learner). Confirmed membership unlocks that partner kind's price.
    """

    __tablename__ = "partner_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    code: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    valid_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]

    __table_args__ = (sa.UniqueConstraint("partner_id", "email"),)


class CalendarToken(db.Model):
    """The secret in a learner's private calendar-feed URL (stored hashed; replaceable)."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExamPass(db.Model):
    """A passed exam of a learner trained by a partner (from ``signals.exam_passed``), for pass rates."""

    __tablename__ = "partner_exam_passes"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(unique=True)
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"))
    passed_at: Mapped[datetime] = mapped_column(default=utcnow)
