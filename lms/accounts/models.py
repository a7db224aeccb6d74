from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.security import PARTNER_ROLES, Role, roles_of
from lms.extensions import db


class OrganisationKind(enum.StrEnum):
    CERTIFICATION_BODY = "certification_body"
    TRAINING_PARTNER = "training_partner"
    ACADEMIC_PARTNER = "academic_partner"
    ASSOCIATION = "association"
    ENTERPRISE_CLIENT = "enterprise_client"


#: Organisations that deliver or resell training in the network (they own partner rows).
PARTNER_KINDS = frozenset(
    {OrganisationKind.TRAINING_PARTNER, OrganisationKind.ACADEMIC_PARTNER, OrganisationKind.ASSOCIATION}
)


class OrganisationStatus(enum.StrEnum):
    APPLIED = "applied"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    OFFBOARDED = "offboarded"


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased: the unique constraint then makes e-mail unique case-insensitively.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(120))
    # The name printed on certificates, in its own script, plus an optional Latin transliteration.
    legal_name: Mapped[str] = mapped_column(sa.String(200))
    legal_name_latin: Mapped[str | None] = mapped_column(sa.String(200))
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    email_verified_at: Mapped[datetime | None]
    # Raised on logout and password change: every session cookie carrying an older value dies.
    session_version: Mapped[int] = mapped_column(default=1)
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    # Flask-Login protocol. The id carries the session version so old cookies stop matching.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    @property
    def roles(self) -> frozenset[Role]:
        return roles_of(m for m in self.memberships if m.organisation.status == OrganisationStatus.ACTIVE)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def partner_memberships(self) -> list[Membership]:
        return [
            m
            for m in self.memberships
            if Role(m.role) in PARTNER_ROLES
            and m.organisation.kind in PARTNER_KINDS
            and m.organisation.status == OrganisationStatus.ACTIVE
        ]

    @property
    def printed_name(self) -> str:
        return self.legal_name or self.display_name

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, 32))
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    country: Mapped[str | None] = mapped_column(sa.String(2))
    city: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[OrganisationStatus] = mapped_column(
        enum_column(OrganisationStatus, 16), default=OrganisationStatus.ACTIVE
    )
    # An enterprise client belongs to the partner that created it.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation")
    parent: Mapped[Organisation | None] = relationship(remote_side=[id])

    @property
    def is_partner(self) -> bool:
        return self.kind in PARTNER_KINDS

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.slug}>"


class Membership(TimestampMixin, db.Model):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, 32))

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id", "role"),)


def _labels() -> tuple[dict[OrganisationKind, object], dict[OrganisationStatus, object]]:
    from flask_babel import lazy_gettext as _l

    kinds = {
        OrganisationKind.CERTIFICATION_BODY: _l("Certification body"),
        OrganisationKind.TRAINING_PARTNER: _l("Authorized training partner"),
        OrganisationKind.ACADEMIC_PARTNER: _l("Academic partner"),
        OrganisationKind.ASSOCIATION: _l("Association partner"),
        OrganisationKind.ENTERPRISE_CLIENT: _l("Enterprise client"),
    }
    statuses = {
        OrganisationStatus.APPLIED: _l("Applied"),
        OrganisationStatus.ACTIVE: _l("Active"),
        OrganisationStatus.REJECTED: _l("Rejected"),
        OrganisationStatus.SUSPENDED: _l("Suspended"),
        OrganisationStatus.OFFBOARDED: _l("Offboarded"),
    }
    return kinds, statuses


KIND_LABELS, STATUS_LABELS = _labels()
