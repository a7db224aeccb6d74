"""Seats without overselling.

availability = capacity − confirmed seats − unexpired public holds − unredeemed allotments

The formula lives in :func:`availability_columns` (SQL, used by the single-class check and by the
schedule's filter alike). Every change that lowers availability first takes the class lock
(:func:`lock_class`: ``SELECT … FOR UPDATE`` on PostgreSQL, the write lock on SQLite), then
computes, then writes, in one short transaction. Holds expire by time: an expired hold simply stops
counting; the periodic task only tidies up and hands freed seats to the waiting list.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from lms.accounts.models import User
from lms.core import audit, signals
from lms.core.errors import Conflict, DomainError, NotAllowed
from lms.core.mail import send_mail
from lms.core.time import utcnow
from lms.courses import services as courses
from lms.courses.models import EnrolmentSource, EnrolmentStatus
from lms.extensions import db
from lms.partners.models import (
    Allotment,
    AllotmentStatus,
    ClassStatus,
    HoldStatus,
    Seat,
    SeatHold,
    SeatStatus,
    TrainingClass,
    WaitlistEntry,
    WaitlistStatus,
)


class SoldOut(Conflict):
    """Not enough seats left; the message says how many there are."""


@dataclass(frozen=True)
class Availability:
    capacity: int
    confirmed: int
    held: int
    allotted: int

    @property
    def committed(self) -> int:
        return self.confirmed + self.held + self.allotted

    @property
    def available(self) -> int:
        return max(0, self.capacity - self.committed)


# --- the formula -------------------------------------------------------------------------------


def _allotment_confirmed() -> sa.ScalarSelect:
    """Seats of one allotment already redeemed (confirmed)."""
    return (
        sa.select(sa.func.count(Seat.id))
        .where(Seat.allotment_id == Allotment.id, Seat.status == SeatStatus.CONFIRMED)
        .correlate(Allotment)
        .scalar_subquery()
    )


def _allotment_held(now: datetime) -> sa.ScalarSelect:
    """Seats of one allotment being redeemed right now (the reseller is in checkout)."""
    return (
        sa.select(sa.func.coalesce(sa.func.sum(SeatHold.quantity), 0))
        .where(
            SeatHold.allotment_id == Allotment.id,
            SeatHold.status == HoldStatus.ACTIVE,
            SeatHold.expires_at > now,
        )
        .correlate(Allotment)
        .scalar_subquery()
    )


def _blocking_allotment(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(Allotment.status == AllotmentStatus.ACTIVE, Allotment.release_at > now)


def availability_columns(now: datetime, class_id: sa.ColumnElement | None = None) -> tuple:
    """(confirmed, held, allotted) as scalar subqueries correlated with ``class_id`` (TrainingClass.id).

    An allotment blocks its seats not yet confirmed (those in a reseller's checkout included); a hold
    on an allotment that stopped blocking (released meanwhile) counts as an ordinary hold.
    """
    class_id = TrainingClass.id if class_id is None else class_id
    confirmed = (
        sa.select(sa.func.count(Seat.id))
        .where(Seat.class_id == class_id, Seat.status == SeatStatus.CONFIRMED)
        .scalar_subquery()
    )
    blocking_ids = sa.select(Allotment.id).where(_blocking_allotment(now))
    held = (
        sa.select(sa.func.coalesce(sa.func.sum(SeatHold.quantity), 0))
        .where(
            SeatHold.class_id == class_id,
            SeatHold.status == HoldStatus.ACTIVE,
            SeatHold.expires_at > now,
            sa.or_(SeatHold.allotment_id.is_(None), SeatHold.allotment_id.not_in(blocking_ids)),
        )
        .scalar_subquery()
    )
    remaining = Allotment.quantity - _allotment_confirmed()
    allotted = (
        sa.select(sa.func.coalesce(sa.func.sum(sa.case((remaining > 0, remaining), else_=0)), 0))
        .where(Allotment.class_id == class_id, _blocking_allotment(now))
        .scalar_subquery()
    )
    return confirmed, held, allotted


def available_expression(now: datetime) -> sa.ColumnElement[int]:
    """Seats available in TrainingClass, as SQL (the schedule filters and sorts on it)."""
    confirmed, held, allotted = availability_columns(now)
    return TrainingClass.capacity - confirmed - held - allotted


@functools.cache
def _availability_statements() -> tuple[sa.Select, sa.Select]:
    """The availability queries, built once per process (constructing them costs more than running them)."""
    from lms.core.db import UTCDateTime

    now = sa.bindparam("now", type_=UTCDateTime())
    confirmed, held, allotted = availability_columns(now)
    one = sa.select(TrainingClass.capacity, confirmed, held, allotted).where(
        TrainingClass.id == sa.bindparam("class_id")
    )
    many = sa.select(TrainingClass.id, TrainingClass.capacity, confirmed, held, allotted).where(
        TrainingClass.id.in_(sa.bindparam("class_ids", expanding=True))
    )
    return one, many


@dataclass(frozen=True)
class BookingSnapshot:
    """One lock-free read of what a checkout needs to know first (see :func:`booking_snapshot`)."""

    status: ClassStatus
    seats: Availability
    #: The learner has an unexpired waiting-list offer in this class (a held seat of their own).
    has_offer: bool


@functools.cache
def _snapshot_statement() -> sa.Select:
    from lms.core.db import UTCDateTime

    now = sa.bindparam("now", type_=UTCDateTime())
    confirmed, held, allotted = availability_columns(now)
    offer = sa.exists(
        sa.select(SeatHold.id)
        .join(WaitlistEntry, WaitlistEntry.hold_id == SeatHold.id)
        .where(
            SeatHold.class_id == TrainingClass.id,
            SeatHold.user_id == sa.bindparam("user_id"),
            SeatHold.status == HoldStatus.ACTIVE,
            SeatHold.expires_at > now,
            SeatHold.order_id.is_(None),
            WaitlistEntry.status == WaitlistStatus.OFFERED,
        )
    )
    return sa.select(TrainingClass.status, TrainingClass.capacity, confirmed, held, allotted, offer).where(
        TrainingClass.id == sa.bindparam("class_id")
    )


def booking_snapshot(class_id: int, user_id: int | None, now: datetime) -> BookingSnapshot | None:
    """Status, start, availability and the learner's offer in one query, without any lock.

    Checkout reads it first so that a full (or closed) class refuses at once: no ORM objects, no
    class lock, and on SQLite no write lock. Whatever it lets through is decided again under the lock.
    """
    row = db.session.execute(_snapshot_statement(), {"class_id": class_id, "user_id": user_id or 0, "now": now}).first()
    if row is None:
        return None
    seats = Availability(int(row[1]), int(row[2]), int(row[3]), int(row[4]))
    return BookingSnapshot(status=ClassStatus(row[0]), seats=seats, has_offer=bool(row[5]))


def sold_out_error(left: int) -> SoldOut:
    if left == 0:
        message = _("This class is full. Join the waiting list to be offered the next free seat.")
    else:
        message = _("Only %(count)d seats are left in this class.", count=left)
    return SoldOut(message, field="quantity", code="sold_out")


def availability(class_id: int, now: datetime | None = None) -> Availability:
    one, _many = _availability_statements()
    row = db.session.execute(one, {"class_id": class_id, "now": now or utcnow()}).one()
    return Availability(int(row[0]), int(row[1]), int(row[2]), int(row[3]))


def availability_map(class_ids: list[int], now: datetime | None = None) -> dict[int, Availability]:
    if not class_ids:
        return {}
    _one, many = _availability_statements()
    rows = db.session.execute(many, {"class_ids": list(class_ids), "now": now or utcnow()}).all()
    return {r[0]: Availability(int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows}


def allotment_remaining(allotment: Allotment, now: datetime | None = None) -> int:
    now = now or utcnow()
    if allotment.status != AllotmentStatus.ACTIVE or allotment.release_at <= now:
        return 0
    used = db.session.execute(
        sa.select(_allotment_confirmed() + _allotment_held(now)).where(Allotment.id == allotment.id)
    ).scalar_one()
    return max(0, allotment.quantity - int(used))


def lock_class(class_id: int, *, exclusive: bool = False) -> TrainingClass:
    """Hold the class's lock until commit; every availability-lowering change starts here.

    PostgreSQL: ``FOR NO KEY UPDATE`` — availability decisions on one class queue behind each other,
    while rows that merely reference the class (a seat being confirmed from a valid hold) do not
    wait. ``exclusive`` (``FOR UPDATE``) also waits for those, for changes to the class itself
    (cancelling it). SQLite: the database write lock (``lock_row``'s rule).
    """
    from lms.core.db import ensure_write_lock

    ensure_write_lock()
    # The prices are not part of any availability decision: reloaded on access, not with the lock.
    stmt = sa.select(TrainingClass).where(TrainingClass.id == class_id).options(lazyload(TrainingClass.prices))
    if db.session.get_bind().dialect.name != "sqlite":
        stmt = stmt.with_for_update() if exclusive else stmt.with_for_update(key_share=True)
    training_class = db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()
    if training_class is None:
        raise DomainError(_("This class does not exist."))
    return training_class


def _check_bookable(training_class: TrainingClass, now: datetime) -> None:
    if training_class.status != ClassStatus.PUBLISHED:
        raise Conflict(_("This class is not open for booking."))
    if training_class.starts_at is not None and training_class.starts_at <= now:
        raise Conflict(_("This class has already started."))


# --- holds -------------------------------------------------------------------------------------


def hold_minutes() -> int:
    return int(current_app.config.get("SEAT_HOLD_MINUTES", 15))


def hold_seats(
    class_id: int,
    quantity: int,
    *,
    user_id: int | None,
    order_id: int | None = None,
    allotment: Allotment | None = None,
    expires_at: datetime | None = None,
    locked_class: TrainingClass | None = None,
) -> SeatHold:
    """Set seats aside (under the class lock), or raise :class:`SoldOut` with what is left.

    ``locked_class``: the caller already holds the class lock (and checked for a full class).
    """
    if quantity < 1:
        raise DomainError(_("Choose at least one seat."), field="quantity")
    now = utcnow()
    if locked_class is None and allotment is None:
        refuse_if_sold_out(class_id, quantity, now)
    training_class = locked_class or lock_class(class_id)
    _check_bookable(training_class, now)
    if allotment is not None:
        if allotment.class_id != class_id:
            raise DomainError(_("This allotment belongs to another class."))
        left = allotment_remaining(allotment, now)
        if left < quantity:
            raise SoldOut(
                _("Your allotment has %(count)d unused seats left.", count=left), field="quantity", code="sold_out"
            )
    else:
        refuse_if_sold_out(class_id, quantity, now)
    hold = SeatHold(
        class_id=class_id,
        quantity=quantity,
        expires_at=expires_at or now + timedelta(minutes=hold_minutes()),
        order_id=order_id,
        user_id=user_id,
        allotment_id=allotment.id if allotment is not None else None,
        created_at=now,
    )
    db.session.add(hold)
    db.session.flush()
    return hold


def refuse_if_sold_out(class_id: int, quantity: int, now: datetime | None = None) -> None:
    """Raise :class:`SoldOut` when fewer than ``quantity`` seats are free.

    Called before taking the lock too: a full class refuses at once without queueing for the lock
    (a stale read can only refuse too early, never sell a seat twice — selling happens under it).
    """
    left = availability(class_id, now or utcnow()).available
    if left < quantity:
        raise sold_out_error(left)


#: A hold with at least this much time left is converted into seats without the class lock: the
#: transaction ends long before the hold could lapse, and no other transaction can count it twice.
CONVERSION_MARGIN = timedelta(seconds=60)


def convertible_without_lock(hold: SeatHold, now: datetime) -> bool:
    return hold.status == HoldStatus.ACTIVE and hold.expires_at > now + CONVERSION_MARGIN


def still_valid(hold: SeatHold, training_class: TrainingClass) -> None:
    """Re-read the hold and its class from the database (a cancellation may have committed meanwhile)."""
    fresh_hold, fresh_class = db.session.execute(
        sa.select(SeatHold.status, TrainingClass.status)
        .join(TrainingClass, TrainingClass.id == SeatHold.class_id)
        .where(SeatHold.id == hold.id, TrainingClass.id == training_class.id)
    ).one()
    if fresh_hold != HoldStatus.ACTIVE or fresh_class != ClassStatus.PUBLISHED:
        raise Conflict(_("These seats are no longer held. Start again from the class page."))


def release_hold(hold: SeatHold) -> None:
    if hold.status == HoldStatus.ACTIVE:
        hold.status = HoldStatus.RELEASED


def secure_hold(hold: SeatHold, now: datetime | None = None) -> None:
    """Before converting a hold into seats (class lock held): if it lapsed, take the seats again if free."""
    now = now or utcnow()
    if hold.status == HoldStatus.ACTIVE and hold.expires_at > now:
        return
    if hold.status == HoldStatus.CONVERTED:
        raise Conflict(_("These seats were already confirmed."))
    if hold.allotment_id is not None:
        allotment = db.session.get(Allotment, hold.allotment_id)
        left = allotment_remaining(allotment, now) if allotment else 0
    else:
        left = availability(hold.class_id, now).available
    if left < hold.quantity:
        raise SoldOut(_("The time to pay for these seats ran out and they were taken meanwhile."), code="sold_out")
    hold.status = HoldStatus.ACTIVE
    hold.expires_at = now + timedelta(minutes=hold_minutes())


# --- seats -------------------------------------------------------------------------------------


def has_seat(class_id: int, user_id: int) -> bool:
    return (
        db.session.execute(
            sa.select(Seat.id).where(
                Seat.class_id == class_id, Seat.user_id == user_id, Seat.status == SeatStatus.CONFIRMED
            )
        ).first()
        is not None
    )


def _enrol(
    seat: Seat, training_class: TrainingClass, user_id: int, source: EnrolmentSource, actor_id: int | None
) -> None:
    enrolment = courses.enrol(
        user_id=user_id,
        course_version_id=training_class.course_version_id,
        source=source,
        partner_id=training_class.partner_id,
        reseller_id=seat.reseller_id,
        class_id=training_class.id,
        origin_ref=f"seat:{seat.id}",
        actor_id=actor_id,
    )
    seat.enrolment_id = enrolment.id


def create_seat(
    training_class: TrainingClass,
    *,
    user_id: int | None,
    source: EnrolmentSource,
    actor_id: int | None,
    reseller_id: int | None = None,
    order_line_id: int | None = None,
    allotment_id: int | None = None,
    origin_ref: str | None = None,
    now: datetime | None = None,
    defer_enrolment: bool = False,
) -> Seat:
    """A confirmed seat (the caller holds the class lock and has checked availability or a hold).

    ``defer_enrolment``: the caller finishes the seat later with :func:`finish_seat` (checkout does,
    so the audited part of its transaction comes last and stays short).
    """
    if user_id is not None and has_seat(training_class.id, user_id):
        raise Conflict(_("This learner already has a seat in this class."), code="already_seated")
    now = now or utcnow()
    seat = Seat(
        partner_id=training_class.partner_id,
        class_id=training_class.id,
        user_id=user_id,
        reseller_id=reseller_id,
        order_line_id=order_line_id,
        allotment_id=allotment_id,
        origin_ref=origin_ref,
        confirmed_at=now,
        assigned_at=now if user_id else None,
    )
    db.session.add(seat)
    db.session.flush()
    if not defer_enrolment:
        finish_seat(seat, training_class, source=source, actor_id=actor_id)
    return seat


def finish_seat(seat: Seat, training_class: TrainingClass, *, source: EnrolmentSource, actor_id: int | None) -> None:
    """Enrol the seat's learner (if assigned) and tell other domains the seat is confirmed."""
    if seat.user_id is not None:
        _enrol(seat, training_class, seat.user_id, source, actor_id)
    signals.seat_confirmed.send(
        seat_id=seat.id, class_id=training_class.id, partner_id=training_class.partner_id, user_id=seat.user_id
    )


def take_free_seat(
    class_id: int,
    *,
    user_id: int | None,
    source: EnrolmentSource,
    actor_id: int | None,
    reseller_id: int | None = None,
    origin_ref: str | None = None,
    allotment: Allotment | None = None,
) -> Seat:
    """Lock, check availability, and confirm one seat directly (cohort imports, free vouchers)."""
    now = utcnow()
    training_class = lock_class(class_id)
    _check_bookable(training_class, now)
    if allotment is not None:
        if allotment_remaining(allotment, now) < 1:
            raise SoldOut(_("Your allotment has no unused seats left."), code="sold_out")
    elif availability(class_id, now).available < 1:
        raise SoldOut(_("This class is full."), code="sold_out")
    return create_seat(
        training_class,
        user_id=user_id,
        source=source,
        actor_id=actor_id,
        reseller_id=reseller_id,
        allotment_id=allotment.id if allotment else None,
        origin_ref=origin_ref,
    )


def assign_seat(seat: Seat, user: User, *, actor_id: int | None) -> Seat:
    """Give an unassigned seat (bought by a reselling partner) to one of its learners."""
    if seat.status != SeatStatus.CONFIRMED:
        raise Conflict(_("This seat was cancelled."))
    if seat.user_id is not None:
        raise Conflict(_("This seat is already assigned."))
    training_class = lock_class(seat.class_id)
    if training_class.status != ClassStatus.PUBLISHED:
        raise Conflict(_("This class is not open any more."))
    if has_seat(seat.class_id, user.id):
        raise Conflict(_("%(name)s already has a seat in this class.", name=user.display_name), code="already_seated")
    seat.user_id = user.id
    seat.assigned_at = utcnow()
    _enrol(seat, training_class, user.id, EnrolmentSource.PARTNER, actor_id)
    audit.record(
        "seat.assigned",
        actor_id=actor_id,
        subject=seat,
        partner_id=seat.reseller_id or seat.partner_id,
        details={"user_id": user.id, "class_id": seat.class_id},
    )
    signals.seat_confirmed.send(seat_id=seat.id, class_id=seat.class_id, partner_id=seat.partner_id, user_id=user.id)
    return seat


def first_meeting_in(training_class: TrainingClass, now: datetime | None = None) -> timedelta | None:
    if training_class.starts_at is None:
        return None
    return training_class.starts_at - (now or utcnow())


def cancellation_deadline(training_class: TrainingClass) -> datetime | None:
    if training_class.starts_at is None:
        return None
    return training_class.starts_at - timedelta(hours=training_class.cancellation_cutoff_hours)


def transfer_deadline(training_class: TrainingClass) -> datetime | None:
    if training_class.starts_at is None:
        return None
    return training_class.starts_at - timedelta(hours=training_class.transfer_cutoff_hours)


def cancel_seat(
    seat: Seat, *, actor_id: int | None, reason: str, enforce_cutoff: bool = True, refund: bool = True
) -> None:
    """Cancel a seat: the enrolment ends, a paid seat is refunded, the place goes to the waiting list."""
    from lms.partners.services import orders as order_service

    if seat.status != SeatStatus.CONFIRMED:
        raise Conflict(_("This seat was already cancelled."))
    training_class = lock_class(seat.class_id)
    now = utcnow()
    deadline = cancellation_deadline(training_class)
    if enforce_cutoff and deadline is not None and now > deadline:
        raise NotAllowed(
            _(
                "Seats in this class can be cancelled until %(hours)d hours before the first meeting. "
                "You can still pass the seat to someone else.",
                hours=training_class.cancellation_cutoff_hours,
            )
        )
    _cancel(seat, training_class, actor_id=actor_id, reason=reason, now=now)
    if refund and seat.order_line_id is not None:
        order_service.refund_seat(seat, actor_id=actor_id, reason=reason)
    offer_next(training_class)


def _cancel(seat: Seat, training_class: TrainingClass, *, actor_id: int | None, reason: str, now: datetime) -> None:
    seat.status = SeatStatus.CANCELLED
    seat.cancelled_at = now
    seat.cancel_reason = (reason or "")[:300] or None
    if seat.enrolment_id is not None:
        courses.end_enrolment(seat.enrolment_id, EnrolmentStatus.CANCELLED, actor_id=actor_id, reason="seat cancelled")
    db.session.flush()
    audit.record(
        "seat.cancelled",
        actor_id=actor_id,
        subject=seat,
        partner_id=training_class.partner_id,
        details={"class_id": training_class.id, "user_id": seat.user_id, "reason": reason},
    )
    signals.seat_released.send(seat_id=seat.id, class_id=training_class.id, partner_id=training_class.partner_id)


def transfer_seat(seat: Seat, new_user: User, *, actor_id: int | None, enforce_cutoff: bool = True) -> Seat:
    """Pass a seat to another learner before the class's transfer cut-off."""
    if seat.status != SeatStatus.CONFIRMED or seat.user_id is None:
        raise Conflict(_("Only an assigned, confirmed seat can be passed on."))
    training_class = lock_class(seat.class_id)
    deadline = transfer_deadline(training_class)
    if enforce_cutoff and deadline is not None and utcnow() > deadline:
        raise NotAllowed(
            _(
                "Seats in this class can be passed on until %(hours)d hours before the first meeting.",
                hours=training_class.transfer_cutoff_hours,
            )
        )
    if new_user.id == seat.user_id:
        raise DomainError(_("Choose someone else."), field="email")
    if has_seat(seat.class_id, new_user.id):
        raise Conflict(_("%(name)s already has a seat in this class.", name=new_user.display_name), field="email")
    previous_user = seat.user_id
    if seat.enrolment_id is not None:
        courses.end_enrolment(
            seat.enrolment_id, EnrolmentStatus.TRANSFERRED, actor_id=actor_id, reason="seat transferred"
        )
    seat.user_id = new_user.id
    seat.assigned_at = utcnow()
    seat.enrolment_id = None
    _enrol(seat, training_class, new_user.id, EnrolmentSource.PARTNER, actor_id)
    audit.record(
        "seat.transferred",
        actor_id=actor_id,
        subject=seat,
        partner_id=training_class.partner_id,
        details={"from_user_id": previous_user, "to_user_id": new_user.id},
    )
    signals.seat_confirmed.send(
        seat_id=seat.id, class_id=seat.class_id, partner_id=training_class.partner_id, user_id=new_user.id
    )
    return seat


def cancel_all_seats(training_class: TrainingClass, *, actor_id: int | None, reason: str) -> int:
    """The class is cancelled (its lock is held): seats cancelled and refunded, holds and offers end."""
    from lms.partners.services import orders as order_service

    now = utcnow()
    seats = (
        db.session.execute(
            sa.select(Seat).where(Seat.class_id == training_class.id, Seat.status == SeatStatus.CONFIRMED)
        )
        .scalars()
        .all()
    )
    for seat in seats:
        _cancel(seat, training_class, actor_id=actor_id, reason=reason, now=now)
        if seat.order_line_id is not None:
            order_service.refund_seat(seat, actor_id=actor_id, reason=reason)
    order_service.cancel_open_orders_for_class(training_class.id, actor_id=actor_id)
    for hold in db.session.execute(
        sa.select(SeatHold).where(SeatHold.class_id == training_class.id, SeatHold.status == HoldStatus.ACTIVE)
    ).scalars():
        hold.status = HoldStatus.RELEASED
    for entry in db.session.execute(
        sa.select(WaitlistEntry).where(
            WaitlistEntry.class_id == training_class.id,
            WaitlistEntry.status.in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
        )
    ).scalars():
        entry.status = WaitlistStatus.EXPIRED
    for allotment in db.session.execute(
        sa.select(Allotment).where(Allotment.class_id == training_class.id, Allotment.status == AllotmentStatus.ACTIVE)
    ).scalars():
        allotment.status = AllotmentStatus.RELEASED
        allotment.released_at = now
    db.session.flush()
    return len(seats)


# --- waiting list ------------------------------------------------------------------------------


def offer_hours() -> int:
    return int(current_app.config.get("WAITLIST_OFFER_HOURS", 24))


def waiting_entry(class_id: int, user_id: int) -> WaitlistEntry | None:
    return db.session.execute(
        sa.select(WaitlistEntry).where(
            WaitlistEntry.class_id == class_id,
            WaitlistEntry.user_id == user_id,
            WaitlistEntry.status.in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
        )
    ).scalar_one_or_none()


def join_waitlist(class_id: int, user: User) -> WaitlistEntry:
    now = utcnow()
    training_class = lock_class(class_id)
    _check_bookable(training_class, now)
    if has_seat(class_id, user.id):
        raise Conflict(_("You already have a seat in this class."))
    existing = waiting_entry(class_id, user.id)
    if existing is not None:
        return existing
    if availability(class_id, now).available > 0:
        raise Conflict(_("Seats are available in this class: you can book one now."))
    entry = WaitlistEntry(class_id=class_id, user_id=user.id, created_at=now)
    db.session.add(entry)
    db.session.flush()
    audit.record("waitlist.joined", actor_id=user.id, subject=entry, partner_id=training_class.partner_id)
    return entry


def leave_waitlist(entry: WaitlistEntry, *, actor_id: int) -> None:
    training_class = lock_class(entry.class_id)
    if entry.status not in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        return
    if entry.hold_id is not None:
        hold = db.session.get(SeatHold, entry.hold_id)
        if hold is not None:
            release_hold(hold)
    entry.status = WaitlistStatus.LEFT
    db.session.flush()
    offer_next(training_class)


def offer_next(training_class: TrainingClass, now: datetime | None = None) -> int:
    """Offer each free seat to the next waiting learner as a hold (class lock held). Returns offers made."""
    now = now or utcnow()
    if training_class.status != ClassStatus.PUBLISHED or (training_class.starts_at and training_class.starts_at <= now):
        return 0
    free = availability(training_class.id, now).available
    if free <= 0:
        return 0
    waiting = (
        db.session.execute(
            sa.select(WaitlistEntry)
            .where(WaitlistEntry.class_id == training_class.id, WaitlistEntry.status == WaitlistStatus.WAITING)
            .order_by(WaitlistEntry.created_at, WaitlistEntry.id)
            .limit(free)
        )
        .scalars()
        .all()
    )
    expires = now + timedelta(hours=offer_hours())
    if training_class.starts_at is not None:
        expires = min(expires, training_class.starts_at)
    for entry in waiting:
        hold = SeatHold(
            class_id=training_class.id, quantity=1, expires_at=expires, user_id=entry.user_id, created_at=now
        )
        db.session.add(hold)
        db.session.flush()
        entry.status = WaitlistStatus.OFFERED
        entry.offered_at = now
        entry.offer_expires_at = expires
        entry.hold_id = hold.id
        user = entry.user
        send_mail(
            user.email,
            "waitlist_offer",
            user.locale,
            display_name=user.display_name,
            class_id=training_class.id,
            url=f"{current_app.config['BASE_URL']}/classes/{training_class.id}",
            hours=offer_hours(),
        )
        audit.record(
            "waitlist.offered", subject=entry, partner_id=training_class.partner_id, details={"hold_id": hold.id}
        )
    return len(waiting)


def offer_hold_for(class_id: int, user_id: int, now: datetime | None = None) -> SeatHold | None:
    """The unexpired waiting-list hold offered to this learner in this class, if any."""
    now = now or utcnow()
    return db.session.execute(
        sa.select(SeatHold)
        .join(WaitlistEntry, WaitlistEntry.hold_id == SeatHold.id)
        .where(
            SeatHold.class_id == class_id,
            SeatHold.user_id == user_id,
            SeatHold.status == HoldStatus.ACTIVE,
            SeatHold.expires_at > now,
            SeatHold.order_id.is_(None),
            WaitlistEntry.status == WaitlistStatus.OFFERED,
        )
    ).scalar_one_or_none()


def accept_offer(class_id: int, user_id: int) -> None:
    entry = waiting_entry(class_id, user_id)
    if entry is not None and entry.status == WaitlistStatus.OFFERED:
        entry.status = WaitlistStatus.ACCEPTED


# --- housekeeping ------------------------------------------------------------------------------


def release_expired(now: datetime | None = None) -> dict[str, int]:
    """Tidy up after time passed: lapsed checkouts and invoices, offers and allotments; then offer seats.

    Availability never depends on this running (expired holds and allotments stop counting by
    themselves); it records the outcome and gives freed seats to waiting learners.
    """
    from lms.partners.services import orders as order_service

    now = now or utcnow()
    touched: set[int] = set()
    counts = {"orders": 0, "offers": 0, "allotments": 0, "offered": 0}
    for order in order_service.lapsed_orders(now):
        touched |= order_service.expire_order(order, now=now)
        counts["orders"] += 1
    for entry in db.session.execute(
        sa.select(WaitlistEntry).where(
            WaitlistEntry.status == WaitlistStatus.OFFERED, WaitlistEntry.offer_expires_at <= now
        )
    ).scalars():
        hold = db.session.get(SeatHold, entry.hold_id) if entry.hold_id else None
        if hold is not None and hold.order_id is not None and hold.status != HoldStatus.RELEASED:
            continue  # the learner is paying for it: the order's own expiry decides
        entry.status = WaitlistStatus.EXPIRED
        if hold is not None:
            release_hold(hold)
        touched.add(entry.class_id)
        counts["offers"] += 1
    for allotment in db.session.execute(
        sa.select(Allotment).where(Allotment.status == AllotmentStatus.ACTIVE, Allotment.release_at <= now)
    ).scalars():
        allotment.status = AllotmentStatus.RELEASED
        allotment.released_at = now
        audit.record(
            "allotment.released",
            subject=allotment,
            partner_id=allotment.partner_id,
            details={"class_id": allotment.class_id, "unused": allotment.quantity},
        )
        touched.add(allotment.class_id)
        counts["allotments"] += 1
    # Holds that lapsed on their own free seats too.
    lapsed_classes = db.session.execute(
        sa.select(SeatHold.class_id).distinct().where(SeatHold.status == HoldStatus.ACTIVE, SeatHold.expires_at <= now)
    ).scalars()
    touched |= set(lapsed_classes)
    db.session.execute(
        sa.update(SeatHold)
        .where(SeatHold.status == HoldStatus.ACTIVE, SeatHold.expires_at <= now, SeatHold.order_id.is_(None))
        .values(status=HoldStatus.RELEASED)
    )
    db.session.flush()
    for class_id in sorted(touched):
        waiting = db.session.execute(
            sa.select(WaitlistEntry.id)
            .where(WaitlistEntry.class_id == class_id, WaitlistEntry.status == WaitlistStatus.WAITING)
            .limit(1)
        ).first()
        if waiting:
            counts["offered"] += offer_next(lock_class(class_id), now)
    return counts
