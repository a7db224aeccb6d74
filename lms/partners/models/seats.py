"""Seats, holds, allotments, resale listings and the waiting list.

Availability is computed, never stored: capacity − confirmed seats − unexpired public holds −
unredeemed allotments (see ``lms.partners.services.seats``).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import enum_column
from lms.core.security import PartnerOwnedMixin
from lms.core.time import utcnow
from lms.extensions import db


class SeatStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Seat(PartnerOwnedMixin, db.Model):
    """A confirmed place in a class. ``partner_id`` is the delivering partner (the class owner).

    A seat bought by a reselling partner may be unassigned (``user_id`` empty) until that partner
    gives it to one of its learners; the learner then gets an enrolment.
    """

    __tablename__ = "seats"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    status: Mapped[SeatStatus] = mapped_column(enum_column(SeatStatus, 16), default=SeatStatus.CONFIRMED)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: The partner that sold the seat when it is not the delivering partner.
    reseller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    order_line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order_lines.id"), index=True)
    allotment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("allotments.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("enrolments.id"))
    #: What created the seat: "order-line:12", "cohort-member:7", "voucher:3"…
    origin_ref: Mapped[str | None] = mapped_column(sa.String(80))
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(300))

    user = relationship("User", lazy="joined")
    reseller = relationship("Organisation", foreign_keys=[reseller_id], lazy="joined")
    training_class = relationship("TrainingClass", lazy="joined")

    __table_args__ = (sa.Index("ix_seats_class_id_status", "class_id", "status"),)


class HoldStatus(enum.StrEnum):
    ACTIVE = "active"
    CONVERTED = "converted"  # became confirmed seats
    RELEASED = "released"  # given back before it expired (order cancelled, offer declined)


class SeatHold(db.Model):
    """Seats set aside for a checkout or a waiting-list offer until ``expires_at``.

    An expired hold simply stops counting; nothing has to run for the seats to come back.
    """

    __tablename__ = "seat_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    quantity: Mapped[int]
    expires_at: Mapped[datetime]
    status: Mapped[HoldStatus] = mapped_column(enum_column(HoldStatus, 16), default=HoldStatus.ACTIVE)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: A hold on seats of an allotment counts against the allotment, not the public pool.
    allotment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("allotments.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.Index("ix_seat_holds_class_status_expiry", "class_id", "status", "expires_at"),
    )


class AllotmentStatus(enum.StrEnum):
    ACTIVE = "active"
    RELEASED = "released"


class Allotment(PartnerOwnedMixin, db.Model):
    """A block of seats a reselling partner (``partner_id``) reserved in another partner's class.

    Unredeemed seats block public sale until ``release_at``; then they return automatically.
    """

    __tablename__ = "allotments"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    #: The class owner, so it can list the allotments in its classes.
    delivering_partner_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    quantity: Mapped[int]
    release_at: Mapped[datetime]
    status: Mapped[AllotmentStatus] = mapped_column(enum_column(AllotmentStatus, 16), default=AllotmentStatus.ACTIVE)
    released_at: Mapped[datetime | None]
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    training_class = relationship("TrainingClass", lazy="joined")
    partner = relationship("Organisation", foreign_keys="Allotment.partner_id", lazy="joined")

    __table_args__ = (sa.CheckConstraint("quantity > 0", name="quantity_positive"),)


class ResaleListing(PartnerOwnedMixin, db.Model):
    """A reselling partner shows another partner's class on its storefront (it sells it as reseller)."""

    __tablename__ = "resale_listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("partner_id", "class_id"),)


class WaitlistStatus(enum.StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    LEFT = "left"


class WaitlistEntry(db.Model):
    """A learner waiting for a seat; when one frees, the first gets a time-limited offer (a hold)."""

    __tablename__ = "waitlist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[WaitlistStatus] = mapped_column(enum_column(WaitlistStatus, 16), default=WaitlistStatus.WAITING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    offered_at: Mapped[datetime | None]
    offer_expires_at: Mapped[datetime | None]
    hold_id: Mapped[int | None] = mapped_column(sa.ForeignKey("seat_holds.id"))

    user = relationship("User", lazy="joined")
    training_class = relationship("TrainingClass", lazy="joined")
