"""Resale between partners: allotments (blocks held until a release date) and storefront listings.

Partner B sells seats of partner A's class in three ways: it reserves an allotment (seats set
aside for B until the release date, then back to public sale), it buys seats outright (an order
whose seats B assigns to its learners later), or it lists the class on its storefront (learners
buy there and B is the reseller). Every paid seat posts A / B / body shares to the ledger.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Organisation, OrganisationStatus, User
from lms.core import audit
from lms.core.errors import Conflict, DomainError, NotAllowed
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import Allotment, AllotmentStatus, ClassStatus, Order, ResaleListing, Seat, TrainingClass
from lms.partners.services import orders, seats


def _check_resellable(partner: Organisation, training_class: TrainingClass) -> None:
    if partner.status != OrganisationStatus.ACTIVE:
        raise NotAllowed(_("Your partnership is not active."))
    if training_class.partner_id == partner.id:
        raise DomainError(_("This is your own class: sell its seats directly."))
    if not training_class.resale_allowed:
        raise NotAllowed(_("The partner delivering this class does not allow resale."))
    if training_class.status != ClassStatus.PUBLISHED:
        raise Conflict(_("This class is not open for booking."))


def reserve_allotment(
    partner: Organisation, training_class: TrainingClass, *, quantity: int, release_at: datetime, actor_id: int
) -> Allotment:
    """Block ``quantity`` seats for this partner until ``release_at`` (under the class lock)."""
    _check_resellable(partner, training_class)
    if not 1 <= quantity <= 500:
        raise DomainError(_("Reserve between 1 and 500 seats."), field="quantity")
    now = utcnow()
    if release_at <= now:
        raise DomainError(_("The release date must be in the future."), field="release_on")
    if training_class.starts_at is not None and release_at > training_class.starts_at:
        raise DomainError(_("Unused seats must be released before the class starts."), field="release_on")
    seats.lock_class(training_class.id)
    left = seats.availability(training_class.id, now).available
    if left < quantity:
        raise seats.SoldOut(_("Only %(count)d seats are left in this class.", count=left), field="quantity")
    allotment = Allotment(
        partner_id=partner.id,
        class_id=training_class.id,
        delivering_partner_id=training_class.partner_id,
        quantity=quantity,
        release_at=release_at,
        created_by=actor_id,
        created_at=now,
    )
    db.session.add(allotment)
    list_class(partner, training_class, actor_id=actor_id)
    db.session.flush()
    audit.record(
        "allotment.reserved",
        actor_id=actor_id,
        subject=allotment,
        partner_id=partner.id,
        details={"class_id": training_class.id, "quantity": quantity, "release_at": release_at.isoformat()},
    )
    return allotment


def release_allotment(allotment: Allotment, *, actor_id: int) -> int:
    """Give the unused seats back now. Returns how many returned to public sale."""
    if allotment.status != AllotmentStatus.ACTIVE:
        raise Conflict(_("This allotment was already released."))
    training_class = seats.lock_class(allotment.class_id)
    unused = seats.allotment_remaining(allotment)
    allotment.status = AllotmentStatus.RELEASED
    allotment.released_at = utcnow()
    db.session.flush()
    audit.record(
        "allotment.released",
        actor_id=actor_id,
        subject=allotment,
        partner_id=allotment.partner_id,
        details={"unused": unused},
    )
    seats.offer_next(training_class)
    return unused


def buy_seats(
    partner: Organisation,
    training_class: TrainingClass,
    *,
    quantity: int,
    buyer: User,
    currency: str | None = None,
    allotment: Allotment | None = None,
) -> Order:
    """Start an order for seats the partner will assign to its own learners (from its allotment if given)."""
    _check_resellable(partner, training_class)
    return orders.start_class_order(
        buyer, training_class.id, quantity=quantity, currency=currency, buyer_partner_id=partner.id, allotment=allotment
    )


def list_class(partner: Organisation, training_class: TrainingClass, *, actor_id: int) -> ResaleListing:
    _check_resellable(partner, training_class)
    listing = db.session.execute(
        sa.select(ResaleListing).where(
            ResaleListing.partner_id == partner.id, ResaleListing.class_id == training_class.id
        )
    ).scalar_one_or_none()
    if listing is None:
        listing = ResaleListing(partner_id=partner.id, class_id=training_class.id)
        db.session.add(listing)
        db.session.flush()
        audit.record("resale.listed", actor_id=actor_id, subject=listing, partner_id=partner.id)
    return listing


def unlist_class(listing: ResaleListing, *, actor_id: int) -> None:
    audit.record("resale.unlisted", actor_id=actor_id, subject=listing, partner_id=listing.partner_id)
    db.session.delete(listing)
    db.session.flush()


def resold_seat_or_404(seat_id: int, partner_id: int | None) -> Seat:
    """A seat this partner resold (its own learners only); any other seat is a 404."""
    from flask import abort

    seat = db.session.get(Seat, seat_id)
    if seat is None or partner_id is None or seat.reseller_id != partner_id:
        abort(404)
    return seat
