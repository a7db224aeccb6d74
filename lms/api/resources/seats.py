"""Seat holds and confirmations: hold seats in your own class or a class you resell, confirm, release, assign.

A hold is the partners domain's order for class seats: it sets the seats aside until it expires,
confirming it pays it (the seats, the ledger's three-way split and the webhooks follow as on the
web), releasing it cancels it. Confirmed seats are given to learners with ``/seats/{id}/assign``.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import abort, g
from flask_babel import gettext as _

from lms.accounts.models import Membership, Organisation, User
from lms.api.errors import ApiError
from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.schemas import NO_NUL, MoneySchema, UTCDateTime, money
from lms.api.scopes import Scope
from lms.core.i18n import LANGUAGES
from lms.core.security import Role, current_partner_id, get_scoped_or_404
from lms.extensions import db
from lms.partners.models import (
    Allotment,
    ClassStatus,
    LineKind,
    Order,
    OrderLine,
    OrderStatus,
    Seat,
    SeatStatus,
    TrainingClass,
)
from lms.partners.services import orders, payments, resale, seats
from lms.partners.services.learners import find_or_create_learner

blp = ResourceBlueprint(
    "seats",
    __name__,
    tag="Seats",
    description="Hold seats in your classes or classes you resell, confirm or release the hold, assign the seats.",
)

#: How an order's status reads as a hold.
HOLD_STATUS = {
    OrderStatus.OPEN: "held",
    OrderStatus.AWAITING_PAYMENT: "awaiting_payment",
    OrderStatus.PAID: "confirmed",
    OrderStatus.CANCELLED: "released",
    OrderStatus.EXPIRED: "expired",
    OrderStatus.REFUNDED: "refunded",
}


class HoldSeatSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in SeatStatus]})
    learner_id = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "Null until assigned."})


class HoldSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.String(required=True, metadata={"example": "ORD-2026-000042"})
    status = ma.fields.String(required=True, metadata={"enum": sorted(set(HOLD_STATUS.values()))})
    class_id = ma.fields.Integer(required=True)
    quantity = ma.fields.Integer(required=True)
    allotment_id = ma.fields.Integer(required=True, allow_none=True)
    resold = ma.fields.Boolean(required=True, metadata={"description": "Seats of another partner's class."})
    unit_price = ma.fields.Nested(MoneySchema, required=True)
    total = ma.fields.Nested(MoneySchema, required=True)
    expires_at = UTCDateTime(
        required=True, allow_none=True, metadata={"description": "When held seats return to sale unless confirmed."}
    )
    payment_method = ma.fields.String(required=True, allow_none=True)
    confirmed_at = UTCDateTime(required=True, allow_none=True)
    created_at = UTCDateTime(required=True)
    seats = ma.fields.List(ma.fields.Nested(HoldSeatSchema), required=True)


class HoldCreateSchema(ma.Schema):
    quantity = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=orders.MAX_SEATS_PER_ORDER))
    currency = ma.fields.String(
        validate=ma.validate.Regexp(r"^[A-Z]{3}$"), metadata={"description": "One of the class's price currencies."}
    )
    allotment_id = ma.fields.Integer(validate=ID_RANGE, metadata={"description": "Take the seats from your allotment."})


class ConfirmSchema(ma.Schema):
    payment_method = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(list(payments.CHECKOUT_PROVIDERS)),
        metadata={"description": "`invoice` keeps the seats held until the invoice is paid; `test` is the demo's."},
    )
    po_number = ma.fields.String(
        validate=[ma.validate.Length(max=80), NO_NUL], metadata={"description": "Your purchase order (invoice)."}
    )


class HoldListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(sorted(set(HOLD_STATUS.values()))))
    class_id = ma.fields.Integer(validate=ID_RANGE)


class AssignSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=254), NO_NUL])
    display_name = ma.fields.String(validate=[ma.validate.Length(max=120), NO_NUL])
    locale = ma.fields.String(validate=ma.validate.OneOf(list(LANGUAGES)))


class SeatSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    class_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in SeatStatus]})
    learner_id = ma.fields.Integer(required=True, allow_none=True)
    hold_id = ma.fields.Integer(required=True, allow_none=True)
    enrolment_id = ma.fields.Integer(required=True, allow_none=True)
    confirmed_at = UTCDateTime(required=True)
    assigned_at = UTCDateTime(required=True, allow_none=True)


def acting_user() -> User:
    """Whom the partner's orders name as buyer: the admin who created the key, else the partner's first admin."""
    partner_id = current_partner_id()
    user = None
    creator_id = g.api_caller.api_key.created_by_id
    if creator_id is not None:
        user = db.session.execute(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(User.id == creator_id, Membership.organisation_id == partner_id)
        ).scalar_one_or_none()
    if user is None:
        user = db.session.execute(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organisation_id == partner_id, Membership.role == Role.PARTNER_ADMIN)
            .order_by(Membership.id)
            .limit(1)
        ).scalar_one_or_none()
    if user is None:
        raise ApiError(
            409, "no_partner_admin", _("Your organisation needs a partner administrator to buy seats through the API.")
        )
    return user


def _class_line(order: Order) -> OrderLine:
    return next(line for line in order.lines if line.kind == LineKind.CLASS_SEAT)


def own_hold(hold_id: int) -> Order:
    """One of the partner's seat orders; anyone else's (or a learner's own checkout) is a 404."""
    order = db.session.execute(
        sa.select(Order).where(Order.id == hold_id, Order.buyer_partner_id == current_partner_id())
    ).scalar_one_or_none()
    if order is None or not any(line.kind == LineKind.CLASS_SEAT for line in order.lines):
        abort(404)
    return order


def hold_data(order: Order) -> dict[str, Any]:
    line = _class_line(order)
    seat_rows = db.session.execute(
        sa.select(Seat.id, Seat.status, Seat.user_id).where(Seat.order_line_id == line.id).order_by(Seat.id)
    ).all()
    return {
        "id": order.id,
        "number": order.number or "",
        "status": HOLD_STATUS[order.status],
        "class_id": line.class_id,
        "quantity": line.quantity,
        "allotment_id": line.allotment_id,
        "resold": line.reseller_id is not None,
        "unit_price": money(line.unit_amount, order.currency),
        "total": money(order.total_amount, order.currency),
        "expires_at": order.hold_expires_at
        if order.status in (OrderStatus.OPEN, OrderStatus.AWAITING_PAYMENT)
        else None,
        "payment_method": order.provider,
        "confirmed_at": order.paid_at,
        "created_at": order.created_at,
        "seats": [{"id": s.id, "status": s.status.value, "learner_id": s.user_id} for s in seat_rows],
    }


def _bookable_class(class_id: int) -> TrainingClass:
    """Your own class, or another partner's published class open to resale; anything else is a 404."""
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        abort(404)
    if training_class.partner_id != current_partner_id() and not (
        training_class.resale_allowed and training_class.status == ClassStatus.PUBLISHED
    ):
        abort(404)
    return training_class


@blp.route("/classes/<id:class_id>/holds", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(HoldCreateSchema)
@blp.response(201, HoldSchema)
def create_hold(body: dict[str, Any], class_id: int) -> dict[str, Any]:
    """Hold seats in a class

    Sets seats aside in one of your classes or in another partner's class open to resale (you are
    then its reseller), from your allotment if you name one. The seats are yours until
    `expires_at`: confirm the hold before then. A full class answers 409 `sold_out`. Send an
    `Idempotency-Key`: a retry then returns the same hold instead of holding seats twice.
    """
    training_class = _bookable_class(class_id)
    partner = db.session.get(Organisation, current_partner_id())
    allotment = None
    if body.get("allotment_id") is not None:
        allotment = get_scoped_or_404(Allotment, body["allotment_id"])
    buyer = acting_user()
    if training_class.partner_id == partner.id:
        order = orders.start_class_order(
            buyer,
            training_class.id,
            quantity=body["quantity"],
            currency=body.get("currency"),
            buyer_partner_id=partner.id,
            allotment=allotment,
        )
    else:
        order = resale.buy_seats(
            partner,
            training_class,
            quantity=body["quantity"],
            buyer=buyer,
            currency=body.get("currency"),
            allotment=allotment,
        )
    return hold_data(order)


@blp.route("/holds")
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(HoldListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(HoldSchema, "HoldPage"))
def list_holds(
    limit: int, cursor: str | None, status: str | None = None, class_id: int | None = None
) -> dict[str, Any]:
    """List your seat holds

    Every hold your organisation made (held, confirmed, released, expired), oldest first.
    """
    lines = sa.select(OrderLine.order_id).where(OrderLine.kind == LineKind.CLASS_SEAT)
    if class_id is not None:
        lines = lines.where(OrderLine.class_id == class_id)
    stmt = sa.select(Order).where(Order.buyer_partner_id == current_partner_id(), Order.id.in_(lines))
    if status is not None:
        stmt = stmt.where(Order.status.in_([s for s, label in HOLD_STATUS.items() if label == status]))
    page = paginate(stmt, (Order.id,), limit=limit, cursor=cursor, key_of=lambda o: (o.id,))
    return {"data": [hold_data(o) for o in page.items], "next_cursor": page.next_cursor}


@blp.route("/holds/<id:hold_id>")
@api_view(scope=Scope.SEATS_WRITE)
@blp.response(200, HoldSchema)
def get_hold(hold_id: int) -> dict[str, Any]:
    """Get a seat hold"""
    return hold_data(own_hold(hold_id))


@blp.route("/holds/<id:hold_id>/confirm", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(ConfirmSchema)
@blp.response(200, HoldSchema)
def confirm_hold(body: dict[str, Any], hold_id: int) -> dict[str, Any]:
    """Confirm a seat hold

    Pays for the held seats. With `test` (the demo) the seats are confirmed at once; with `invoice`
    they stay held until the invoice is paid (`awaiting_payment`). Confirmed seats post the
    delivering partner's, reseller's and certification body's shares to the ledger, and
    `seat.confirmed` webhooks follow. Assign each seat to a learner afterwards.
    """
    order = own_hold(hold_id)
    orders.pay(order, provider_code=body["payment_method"], actor=acting_user(), po_number=body.get("po_number"))
    return hold_data(order)


@blp.route("/holds/<id:hold_id>/release", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.response(200, HoldSchema)
def release_hold(hold_id: int) -> dict[str, Any]:
    """Release a seat hold

    Gives the held seats back before the hold expires (a hold awaiting an invoice too).
    Confirmed seats are not released here: they are cancelled and refunded as seats.
    """
    order = own_hold(hold_id)
    orders.cancel_order(order, actor_id=acting_user().id)
    return hold_data(order)


def own_seat(seat_id: int) -> Seat:
    """A seat your organisation bought through a hold (in your class or a class you resell)."""
    seat = db.session.execute(
        sa.select(Seat)
        .join(OrderLine, OrderLine.id == Seat.order_line_id)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Seat.id == seat_id, Order.buyer_partner_id == current_partner_id())
    ).scalar_one_or_none()
    if seat is None:
        abort(404)
    return seat


def seat_data(seat: Seat) -> dict[str, Any]:
    order_id = db.session.execute(
        sa.select(OrderLine.order_id).where(OrderLine.id == seat.order_line_id)
    ).scalar_one_or_none()
    return {
        "id": seat.id,
        "class_id": seat.class_id,
        "status": seat.status.value,
        "learner_id": seat.user_id,
        "hold_id": order_id,
        "enrolment_id": seat.enrolment_id,
        "confirmed_at": seat.confirmed_at,
        "assigned_at": seat.assigned_at,
    }


@blp.route("/seats/<id:seat_id>/assign", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(AssignSchema)
@blp.response(200, SeatSchema)
def assign_seat(body: dict[str, Any], seat_id: int) -> dict[str, Any]:
    """Assign a seat to a learner

    Gives a confirmed, unassigned seat to a learner by e-mail (an account is created, with a welcome
    e-mail, if needed); the learner is enrolled in the class's course.
    """
    seat = own_seat(seat_id)
    partner = db.session.get(Organisation, current_partner_id())
    learner, _created = find_or_create_learner(
        body["email"],
        display_name=body.get("display_name", ""),
        locale=body.get("locale", "en"),
        partner_name=partner.name,
    )
    seats.assign_seat(seat, learner, actor_id=acting_user().id)
    return seat_data(seat)
