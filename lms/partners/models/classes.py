"""Instructor-led classes: schedule (meetings), prices, staff and attendance."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.security import PartnerOwnedMixin
from lms.core.time import utcnow
from lms.extensions import db


class ClassStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class ClassFormat(enum.StrEnum):
    VIRTUAL = "virtual"
    IN_PERSON = "in_person"


class TrainingClass(PartnerOwnedMixin, TimestampMixin, db.Model):
    """An instructor-led class a partner delivers for one course version."""

    __tablename__ = "training_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"), index=True)
    status: Mapped[ClassStatus] = mapped_column(enum_column(ClassStatus, 16), default=ClassStatus.DRAFT)
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    capacity: Mapped[int] = mapped_column(default=20)
    format: Mapped[ClassFormat] = mapped_column(
        enum_column(ClassFormat, 16), default=ClassFormat.VIRTUAL, server_default="virtual"
    )
    #: Shown only to learners holding a confirmed seat.
    meeting_url: Mapped[str | None] = mapped_column(sa.String(500))
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    city: Mapped[str | None] = mapped_column(sa.String(120))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    #: Other partners may reserve or sell seats of this class (split set by the partner agreement).
    resale_allowed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    #: A learner may cancel (and is refunded) until this many hours before the first meeting.
    cancellation_cutoff_hours: Mapped[int] = mapped_column(default=72, server_default="72")
    #: A seat may pass to another learner until this many hours before the first meeting.
    transfer_cutoff_hours: Mapped[int] = mapped_column(default=24, server_default="24")
    #: First meeting start and last meeting end, kept in step with the meetings (schedule filters sort on them).
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    ends_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]

    staff: Mapped[list[ClassStaff]] = relationship(back_populates="training_class", cascade="all, delete-orphan")
    meetings: Mapped[list[ClassMeeting]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan", order_by="ClassMeeting.starts_at"
    )
    prices: Mapped[list[ClassPrice]] = relationship(
        back_populates="training_class", cascade="all, delete-orphan", lazy="selectin", order_by="ClassPrice.currency"
    )

    __table_args__ = (
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.Index("ix_training_classes_status_starts_at", "status", "starts_at"),
    )

    def price(self, currency: str) -> ClassPrice | None:
        return next((p for p in self.prices if p.currency == currency), None)

    @property
    def currencies(self) -> list[str]:
        return [p.currency for p in self.prices]

    def __repr__(self) -> str:
        return f"<TrainingClass {self.id} partner={self.partner_id} {self.status}>"


class ClassMeeting(db.Model):
    """One session of a class (start and end in UTC; shown in the viewer's time zone)."""

    __tablename__ = "class_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    title: Mapped[str | None] = mapped_column(sa.String(200))

    training_class: Mapped[TrainingClass] = relationship(back_populates="meetings")

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)


class ClassPrice(db.Model):
    """The price of one seat in one currency (integer minor units), per price tier."""

    __tablename__ = "class_prices"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    list_amount: Mapped[int]
    academic_amount: Mapped[int | None]
    association_amount: Mapped[int | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="prices")

    __table_args__ = (
        sa.UniqueConstraint("class_id", "currency"),
        sa.CheckConstraint("list_amount >= 0", name="list_amount_not_negative"),
    )


class ClassStaffRole(enum.StrEnum):
    INSTRUCTOR = "instructor"
    PROCTOR = "proctor"


class ClassStaff(db.Model):
    """Who teaches or proctors a class (proctors see only the attempts of their classes)."""

    __tablename__ = "class_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[ClassStaffRole] = mapped_column(enum_column(ClassStaffRole, 16))

    training_class: Mapped[TrainingClass] = relationship(back_populates="staff")
    user = relationship("User", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("class_id", "user_id", "role"),)


class Attendance(db.Model):
    """Whether one learner attended one meeting, as the instructor recorded it."""

    __tablename__ = "class_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("class_meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    present: Mapped[bool]
    recorded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("meeting_id", "user_id"),)
