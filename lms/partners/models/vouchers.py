"""Voucher codes partners hand to enterprise clients, and cohorts enrolled from a CSV."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import enum_column
from lms.core.security import PartnerOwnedMixin
from lms.core.time import utcnow
from lms.extensions import db


class VoucherKind(enum.StrEnum):
    SEAT = "seat"  # a discount (up to a free seat) on a class or an eLearning course
    EXAM = "exam"  # an exam attempt for a certification


class VoucherBatch(PartnerOwnedMixin, db.Model):
    """One generation run: the terms every code of the batch shares."""

    __tablename__ = "voucher_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[VoucherKind] = mapped_column(enum_column(VoucherKind, 16))
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_classes.id"))
    course_version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_versions.id"))
    track_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certification_tracks.id"))
    #: Discount in basis points (10 000 = the seat is free).
    discount_bp: Mapped[int] = mapped_column(default=10000)
    expires_at: Mapped[datetime | None]
    #: Set when the codes are seats a partner bought (prepaid eLearning seats of that order line).
    #: No foreign key: orders already reference vouchers, and a cycle of keys cannot be created in order.
    order_line_id: Mapped[int | None] = mapped_column(index=True)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    client = relationship("Organisation", foreign_keys=[client_id], lazy="joined")
    vouchers: Mapped[list[Voucher]] = relationship(back_populates="batch", order_by="Voucher.id")

    __table_args__ = (sa.CheckConstraint("discount_bp BETWEEN 0 AND 10000", name="discount_in_range"),)


class Voucher(PartnerOwnedMixin, db.Model):
    __tablename__ = "vouchers"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("voucher_batches.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    #: Only this person may redeem it, when set.
    assigned_email: Mapped[str | None] = mapped_column(sa.String(254))
    #: 1 = single use; more = multi-use with a cap.
    max_uses: Mapped[int] = mapped_column(default=1)
    used_count: Mapped[int] = mapped_column(default=0)
    revoked_at: Mapped[datetime | None]

    batch: Mapped[VoucherBatch] = relationship(back_populates="vouchers", lazy="selectin")

    __table_args__ = (
        sa.CheckConstraint("max_uses > 0", name="max_uses_positive"),
        sa.CheckConstraint("used_count <= max_uses", name="within_cap"),
    )


class VoucherRedemption(db.Model):
    __tablename__ = "voucher_redemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(sa.ForeignKey("vouchers.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id"))
    redeemed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    redeemed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")

    __table_args__ = (sa.UniqueConstraint("voucher_id", "user_id"),)


class Cohort(PartnerOwnedMixin, db.Model):
    """A group of learners a partner runs for an enterprise client."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    client = relationship("Organisation", foreign_keys=[client_id], lazy="joined")


class ImportStatus(enum.StrEnum):
    PREVIEWED = "previewed"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


class CohortImport(PartnerOwnedMixin, db.Model):
    """An uploaded CSV: checked rows (the dry run), then the import's progress and outcome."""

    __tablename__ = "cohort_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    file_hash: Mapped[str] = mapped_column(sa.String(64))
    #: Parsed, validated rows: [{"line": 2, "email": …, "class_id": …, "course_version_id": …, "errors": […]}]
    rows: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus, 16), default=ImportStatus.PREVIEWED)
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    created_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    #: Errors met while importing (a class that filled up meanwhile…): [{"line": 5, "message": …}]
    run_errors: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class CohortMember(db.Model):
    """One learner of a cohort on one course or class; ``row_key`` makes re-imports create nothing twice."""

    __tablename__ = "cohort_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    row_key: Mapped[str] = mapped_column(sa.String(64))
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_classes.id"))
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"))
    seat_id: Mapped[int | None] = mapped_column(sa.ForeignKey("seats.id"))
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolments.id"))
    import_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort_imports.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("cohort_id", "row_key"),)
