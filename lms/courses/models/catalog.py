from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.extensions import db


def text_in(texts: dict[str, str] | None, locale: str, fallback: str = "en") -> str:
    """The text for ``locale``, else the fallback language's, else any — never empty if one exists."""
    if not texts:
        return ""
    return texts.get(locale) or texts.get(fallback) or next(iter(texts.values()), "")


class CertificationTrack(TimestampMixin, db.Model):
    """A certification (AI+ Developer, AI+ Executive…): what an exam certifies and a certificate names."""

    __tablename__ = "certification_tracks"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short code used in certificate numbers (AIC-DEV-2026-0004817).
    code: Mapped[str] = mapped_column(sa.String(8), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    names: Mapped[dict[str, Any]] = mapped_column(default=dict)
    summaries: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: How long a certificate stays valid before it must be renewed.
    validity_months: Mapped[int] = mapped_column(default=24)
    scheme_version: Mapped[str] = mapped_column(sa.String(20), default="2026.1")
    #: Whether a passed exam also needs a completed course before a certificate is issued.
    requires_course_completion: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    courses: Mapped[list[Course]] = relationship(back_populates="track", order_by="Course.code")

    def name(self, locale: str = "en") -> str:
        return text_in(self.names, locale)

    def summary(self, locale: str = "en") -> str:
        return text_in(self.summaries, locale)


class DeliveryMode(enum.StrEnum):
    ELEARNING = "elearning"
    INSTRUCTOR_LED = "instructor_led"


class Course(TimestampMixin, db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(sa.ForeignKey("certification_tracks.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    #: The language every lesson exists in; other languages fall back to it.
    primary_language: Mapped[str] = mapped_column(sa.String(8), default="en")
    is_active: Mapped[bool] = mapped_column(default=True)

    track: Mapped[CertificationTrack] = relationship(back_populates="courses")
    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", order_by="CourseVersion.number", cascade="all, delete-orphan"
    )
    #: Courses a learner must have completed before this course's content opens (hard prerequisites).
    prerequisites: Mapped[list[Course]] = relationship(
        secondary="course_prerequisites",
        primaryjoin="Course.id == CoursePrerequisite.course_id",
        secondaryjoin="Course.id == CoursePrerequisite.required_course_id",
        order_by="Course.code",
        lazy="selectin",
    )

    @property
    def current_version(self) -> CourseVersion | None:
        published = [v for v in self.versions if v.status == CourseVersionStatus.PUBLISHED]
        return published[-1] if published else None

    @property
    def latest_version(self) -> CourseVersion | None:
        return self.versions[-1] if self.versions else None


class CoursePrerequisite(db.Model):
    """``course_id`` opens only after ``required_course_id`` is completed (or staff override it)."""

    __tablename__ = "course_prerequisites"

    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True)
    required_course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    __table_args__ = (sa.CheckConstraint("course_id <> required_course_id", name="not_self"),)


class PrerequisiteOverride(TimestampMixin, db.Model):
    """Staff let one learner into a course without its prerequisites (logged with a reason)."""

    __tablename__ = "prerequisite_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    revoked_at: Mapped[datetime | None]


class CourseVersionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class CourseVersion(TimestampMixin, db.Model):
    """One edition of a course. Enrolments stay on the version they started."""

    __tablename__ = "course_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[CourseVersionStatus] = mapped_column(
        enum_column(CourseVersionStatus, 16), default=CourseVersionStatus.DRAFT
    )
    titles: Mapped[dict[str, Any]] = mapped_column(default=dict)
    descriptions: Mapped[dict[str, Any]] = mapped_column(default=dict)
    level: Mapped[str] = mapped_column(sa.String(20), default="foundation")
    duration_hours: Mapped[int] = mapped_column(default=8)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    delivery_modes: Mapped[list[Any]] = mapped_column(default=list)
    #: Days of access an eLearning seat gives from the day it starts.
    access_days: Mapped[int] = mapped_column(default=365)
    published_at: Mapped[datetime | None]
    #: Share of held class meetings (percent) a learner of an instructor-led class must attend.
    attendance_threshold: Mapped[int] = mapped_column(default=80, server_default="80")

    course: Mapped[Course] = relationship(back_populates="versions")
    prices: Mapped[list[CoursePrice]] = relationship(
        back_populates="course_version", cascade="all, delete-orphan", lazy="selectin"
    )
    modules: Mapped[list[CourseModule]] = relationship(  # noqa: F821 (defined in courseware)
        back_populates="course_version", order_by="CourseModule.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("course_id", "number"),
        sa.CheckConstraint("attendance_threshold BETWEEN 0 AND 100", name="attendance_threshold_percent"),
    )

    def title(self, locale: str = "en") -> str:
        return text_in(self.titles, locale, self.course.primary_language)

    def description(self, locale: str = "en") -> str:
        return text_in(self.descriptions, locale, self.course.primary_language)

    def price(self, currency: str) -> CoursePrice | None:
        return next((p for p in self.prices if p.currency == currency), None)

    @property
    def is_editable(self) -> bool:
        """Only a draft changes; a published version is what enrolled learners see."""
        return self.status == CourseVersionStatus.DRAFT

    @property
    def lessons(self) -> list[Lesson]:  # noqa: F821
        return [lesson for module in self.modules for lesson in module.lessons]


class CoursePrice(db.Model):
    """Prices of a seat in one currency, in integer minor units."""

    __tablename__ = "course_prices"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"), index=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    list_amount: Mapped[int]
    academic_amount: Mapped[int | None]
    association_amount: Mapped[int | None]

    course_version: Mapped[CourseVersion] = relationship(back_populates="prices")

    __table_args__ = (
        sa.UniqueConstraint("course_version_id", "currency"),
        sa.CheckConstraint("list_amount >= 0", name="list_amount_not_negative"),
    )


class EnrolmentStatus(enum.StrEnum):
    PENDING = "pending"  # a seat is reserved but the course has not started (e.g. a future class)
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    TRANSFERRED = "transferred"


#: States in which an enrolment counts as the learner's one enrolment on that course version.
LIVE_ENROLMENT_STATES = (EnrolmentStatus.PENDING, EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED)


class EnrolmentSource(enum.StrEnum):
    PURCHASE = "purchase"
    VOUCHER = "voucher"
    PARTNER = "partner"
    COHORT = "cohort"
    STAFF = "staff"


_live_states_sql = "status IN ('pending', 'active', 'completed')"


class Enrolment(TimestampMixin, db.Model):
    __tablename__ = "enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(enum_column(EnrolmentStatus, 16), default=EnrolmentStatus.ACTIVE)
    source: Mapped[EnrolmentSource] = mapped_column(enum_column(EnrolmentSource, 16))
    #: The partner delivering the training (named on the certificate), if any.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: The partner that sold the seat when it resold another partner's class.
    reseller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    #: What created it: an order line, a voucher, a cohort import row ("order-line:42").
    origin_ref: Mapped[str | None] = mapped_column(sa.String(80))
    started_at: Mapped[datetime | None]
    access_expires_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    #: Class meetings attended and held so far (sent by partners through ``attendance_recorded``).
    meetings_attended: Mapped[int] = mapped_column(default=0, server_default="0")
    meetings_held: Mapped[int] = mapped_column(default=0, server_default="0")

    # Inner join: the version always exists, and an outer join could not be locked FOR UPDATE.
    course_version: Mapped[CourseVersion] = relationship(lazy="joined", innerjoin=True)
    #: The learner (read only: accounts owns users).
    learner: Mapped[Any] = relationship("User", viewonly=True, lazy="select")

    @property
    def is_instructor_led(self) -> bool:
        return self.class_id is not None

    @property
    def attendance_percent(self) -> int | None:
        if not self.meetings_held:
            return None
        return self.meetings_attended * 100 // self.meetings_held

    __table_args__ = (
        sa.Index(
            "uq_enrolments_one_live_per_version",
            "user_id",
            "course_version_id",
            unique=True,
            sqlite_where=sa.text(_live_states_sql),
            postgresql_where=sa.text(_live_states_sql),
        ),
    )
