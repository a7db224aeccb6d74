"""Checkout: orders for class seats and eLearning seats, codes, payment, refunds.

An order is created with its seats held (class lines); a code may lower its price (partner
vouchers first, then whatever another domain answers through ``signals.checkout_code_lookup``);
the chosen provider either pays it at once or leaves it awaiting an invoice with the seats held
until the due date. Payment turns holds into seats and enrolments and posts each line's
three-way split to the ledger. Staff refund; refunds post reversals and send ``order_refunded``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from lms.accounts.models import Organisation, OrganisationStatus, User
from lms.core import audit, signals
from lms.core.dashboard import CheckoutCode
from lms.core.db import lock_row
from lms.core.errors import Conflict, DomainError, NotAllowed
from lms.core.mail import send_mail
from lms.core.money import split_largest_remainder
from lms.core.time import utcnow
from lms.courses import services as courses
from lms.courses.models import CourseVersion, CourseVersionStatus, DeliveryMode, EnrolmentSource, EnrolmentStatus
from lms.extensions import db
from lms.partners.models import (
    Allotment,
    AllotmentStatus,
    Channel,
    ClassStatus,
    HoldStatus,
    LineKind,
    Order,
    OrderLine,
    OrderStatus,
    Refund,
    ResaleListing,
    Seat,
    SeatHold,
    SeatStatus,
    TrainingClass,
    Voucher,
)
from lms.partners.services import ledger, network, payments, pricing, seats, vouchers

#: An abandoned eLearning checkout (no seats held) lapses after this long.
ELEARNING_CHECKOUT_HOURS = 24
MAX_SEATS_PER_ORDER = 50
#: Prepaid eLearning seats a partner buys at once (each becomes a single-use code).
MAX_PREPAID_SEATS = 500


def _number(order: Order) -> str:
    return f"ORD-{order.created_at:%Y}-{order.id:06d}"


def _active_partner(partner_id: int | None) -> Organisation | None:
    if partner_id is None:
        return None
    organisation = db.session.get(Organisation, partner_id)
    if organisation is None or not organisation.is_partner or organisation.status != OrganisationStatus.ACTIVE:
        return None
    return organisation


def resells(partner_id: int, training_class: TrainingClass) -> bool:
    """Does this partner sell seats of that (other partner's) class: a listing or an active allotment?"""
    if not training_class.resale_allowed or partner_id == training_class.partner_id:
        return False
    listed = db.session.execute(
        sa.select(ResaleListing.id).where(
            ResaleListing.partner_id == partner_id, ResaleListing.class_id == training_class.id
        )
    ).first()
    if listed:
        return True
    return (
        db.session.execute(
            sa.select(Allotment.id).where(
                Allotment.partner_id == partner_id,
                Allotment.class_id == training_class.id,
                Allotment.status == AllotmentStatus.ACTIVE,
            )
        ).first()
        is not None
    )


def _class_split(training_class: TrainingClass, reseller_id: int | None) -> tuple[int, int, int]:
    shares = network.shares_for(training_class.partner_id)
    if reseller_id is None:
        return shares.own_partner_bp, 0, shares.own_body_bp
    return shares.resale_delivering_bp, shares.resale_reseller_bp, shares.resale_body_bp


# --- starting a checkout -----------------------------------------------------------------------


def start_class_order(
    buyer: User,
    class_id: int,
    *,
    quantity: int = 1,
    currency: str | None = None,
    storefront_partner_id: int | None = None,
    buyer_partner_id: int | None = None,
    allotment: Allotment | None = None,
) -> Order:
    """Create an order for seats in a class and hold them (raises ``SoldOut`` when they are gone).

    A learner buys one seat for themselves. A partner (``buyer_partner_id``) buys seats for its own
    learners or clients; seats of another partner's class make it the reseller.
    """
    now = utcnow()
    buyer_id = buyer.id  # plain values survive SQLite's switch to a write transaction at the lock
    # One lock-free query first: a closed or full class answers at once, without loading anything
    # else and without queueing for the class lock (the decision is made again under the lock).
    snapshot = seats.booking_snapshot(class_id, buyer_id if buyer_partner_id is None else None, now)
    if snapshot is None or snapshot.status != ClassStatus.PUBLISHED:
        raise DomainError(_("This class is not open for booking."))
    if not 1 <= quantity <= MAX_SEATS_PER_ORDER:
        raise DomainError(_("Choose between 1 and %(max)d seats.", max=MAX_SEATS_PER_ORDER), field="quantity")
    if not snapshot.has_offer and allotment is None and snapshot.seats.available < quantity:
        raise seats.sold_out_error(snapshot.seats.available)
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise DomainError(_("This class is not open for booking."))
    offer = seats.offer_hold_for(class_id, buyer_id, now) if snapshot.has_offer else None
    reseller_id: int | None = None
    reason: dict[str, object]
    if buyer_partner_id is not None:
        if buyer_partner_id != training_class.partner_id:
            if not training_class.resale_allowed:
                raise NotAllowed(_("The partner delivering this class does not allow resale."))
            reseller_id = buyer_partner_id
        reason = {"rule": "partner_purchase", "partner_id": buyer_partner_id}
        assign_to_buyer = False
    else:
        if quantity != 1:
            raise DomainError(_("You can book one seat for yourself."), field="quantity")
        if seats.has_seat(class_id, buyer_id):
            raise Conflict(_("You already have a seat in this class."))
        storefront = _active_partner(storefront_partner_id)
        if (
            storefront is not None
            and storefront.id != training_class.partner_id
            and resells(storefront.id, training_class)
        ):
            reseller_id = storefront.id
            reason = {"rule": "storefront_resale", "partner_id": storefront.id}
        elif storefront is not None and storefront.id == training_class.partner_id:
            reason = {"rule": "storefront", "partner_id": storefront.id}
        else:
            storefront = None
            reason = {"rule": "class_of_partner", "partner_id": training_class.partner_id}
        storefront_partner_id = storefront.id if storefront else None
        assign_to_buyer = True
    if allotment is not None and (allotment.partner_id != buyer_partner_id or allotment.class_id != class_id):
        raise DomainError(_("This allotment belongs to another partner or class."))
    quote = pricing.quote_class(training_class, None if buyer_partner_id else buyer, currency)
    if quote is None:
        raise DomainError(_("This class has no price yet."))
    delivering_bp, reseller_bp, body_bp = _class_split(training_class, reseller_id)
    # Take the class lock before writing anything that references the class (then decide under it).
    locked_class = seats.lock_class(class_id)
    order = Order(
        buyer_user_id=buyer_id,
        buyer_partner_id=buyer_partner_id,
        storefront_partner_id=storefront_partner_id,
        currency=quote.currency,
        price_tier=quote.tier,
        tier_partner_id=quote.tier_partner_id,
        channel=Channel.PARTNER,
        channel_reason=reason,
        created_at=now,
    )
    order.lines.append(
        OrderLine(
            kind=LineKind.CLASS_SEAT,
            class_id=class_id,
            course_version_id=training_class.course_version_id,
            quantity=quantity,
            unit_list_amount=quote.unit_list,
            unit_amount=quote.unit_amount,
            delivering_partner_id=training_class.partner_id,
            reseller_id=reseller_id,
            allotment_id=allotment.id if allotment else None,
            split_delivering_bp=delivering_bp,
            split_reseller_bp=reseller_bp,
            split_body_bp=body_bp,
            assign_to_buyer=assign_to_buyer,
        )
    )
    # Amounts and expiry go into the INSERT itself: the class lock is held until commit.
    recompute(order)
    expires_at = offer.expires_at if offer is not None else now + timedelta(minutes=seats.hold_minutes())
    order.hold_expires_at = expires_at
    db.session.add(order)
    db.session.flush()
    order.number = _number(order)
    if offer is not None:
        offer.order_id = order.id
    else:
        seats.hold_seats(
            class_id,
            quantity,
            user_id=buyer_id,
            order_id=order.id,
            allotment=allotment,
            expires_at=expires_at,
            locked_class=locked_class,
        )
    return order


def start_elearning_order(
    buyer: User,
    course_version_id: int,
    *,
    currency: str | None = None,
    storefront_partner_id: int | None = None,
    buyer_partner_id: int | None = None,
    quantity: int = 1,
) -> Order:
    """An eLearning seat for the buyer, or (``buyer_partner_id``) prepaid seats a partner hands out as codes."""
    version = db.session.get(CourseVersion, course_version_id)
    if version is None or version.status != CourseVersionStatus.PUBLISHED:
        raise DomainError(_("This course is not open for enrolment."))
    if version.delivery_modes and DeliveryMode.ELEARNING.value not in version.delivery_modes:
        raise DomainError(_("This course is not offered as eLearning."))
    buying_partner = _active_partner(buyer_partner_id) if buyer_partner_id else None
    if buyer_partner_id and buying_partner is None:
        raise NotAllowed(_("Your partnership is not active."))
    if buying_partner is None:
        if quantity != 1:
            raise DomainError(_("You can book one seat for yourself."), field="quantity")
        if courses.live_enrolment(buyer.id, course_version_id) is not None:
            raise Conflict(_("You are already enrolled in this course."))
    elif not 1 <= quantity <= MAX_PREPAID_SEATS:
        raise DomainError(_("Choose between 1 and %(max)d seats.", max=MAX_PREPAID_SEATS), field="quantity")
    quote = pricing.quote_elearning(version, None if buying_partner else buyer, currency)
    if quote is None:
        raise DomainError(_("This course has no price yet."))
    seller = buying_partner or _active_partner(storefront_partner_id)
    if seller is not None:
        shares = network.shares_for(seller.id)
        split = (0, shares.resale_reseller_bp, 10000 - shares.resale_reseller_bp)
        rule = "partner_purchase" if buying_partner else "storefront_elearning"
        channel, reason = Channel.PARTNER, {"rule": rule, "partner_id": seller.id}
    else:
        split = (0, 0, 10000)
        channel, reason = Channel.DIRECT, {"rule": "network_catalog"}
    now = utcnow()
    order = Order(
        buyer_user_id=buyer.id,
        buyer_partner_id=buying_partner.id if buying_partner else None,
        storefront_partner_id=seller.id if seller and not buying_partner else None,
        currency=quote.currency,
        price_tier=quote.tier,
        tier_partner_id=quote.tier_partner_id,
        channel=channel,
        channel_reason=reason,
        hold_expires_at=now + timedelta(hours=ELEARNING_CHECKOUT_HOURS),
        created_at=now,
    )
    order.lines.append(
        OrderLine(
            kind=LineKind.ELEARNING_SEAT,
            course_version_id=version.id,
            quantity=quantity,
            unit_list_amount=quote.unit_list,
            unit_amount=quote.unit_amount,
            reseller_id=seller.id if seller else None,
            split_delivering_bp=split[0],
            split_reseller_bp=split[1],
            split_body_bp=split[2],
            # A partner's seats become single-use codes for its learners when the order is paid.
            assign_to_buyer=buying_partner is None,
        )
    )
    db.session.add(order)
    db.session.flush()
    order.number = _number(order)
    recompute(order)
    return order


# --- amounts and codes -------------------------------------------------------------------------


def _code_discounts(order: Order, bases: list[int]) -> list[int]:
    """Per line, what the applied code takes off (voucher: matching lines; other codes: all lines)."""
    discounts = [0] * len(order.lines)
    if order.voucher_id is not None:
        voucher = db.session.get(Voucher, order.voucher_id)
        for i, line in enumerate(order.lines):
            if voucher is not None and vouchers.applies_to(voucher, line):
                discounts[i] = bases[i] * voucher.batch.discount_bp // 10000
    elif order.code_source and order.channel_reason.get("code_discount"):
        terms = order.channel_reason["code_discount"]
        if terms.get("bp"):
            discounts = [base * int(terms["bp"]) // 10000 for base in bases]
        elif terms.get("amount") and sum(bases):
            fixed = min(int(terms["amount"]), sum(bases))
            discounts = split_largest_remainder(fixed, bases)
    return discounts


def recompute(order: Order) -> None:
    bases = [line.unit_amount * line.quantity for line in order.lines]
    discounts = _code_discounts(order, bases)
    for line, base, code_discount in zip(order.lines, bases, discounts, strict=True):
        line.discount_amount = line.unit_list_amount * line.quantity - base + code_discount
        line.net_amount = base - code_discount
    order.list_amount = sum(line.unit_list_amount * line.quantity for line in order.lines)
    order.discount_amount = sum(line.discount_amount for line in order.lines)
    order.net_amount = sum(line.net_amount for line in order.lines)
    order.tax_amount = 0  # prices are tax-inclusive for now; the field keeps net and tax apart
    order.total_amount = order.net_amount + order.tax_amount


def apply_code(order: Order, code: str, user: User) -> str:
    """Apply a code: a partner voucher first, then other domains' answers. Returns the label shown."""
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("This order can no longer be changed."))
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Enter a code."), field="code")
    voucher = vouchers.find(code)
    if voucher is not None:
        vouchers.check_for_order(voucher, order, user)
        order.voucher_id = voucher.id
        order.code, order.code_source, order.code_ref = code, "voucher", f"voucher:{voucher.id}"
        reason = dict(order.channel_reason or {})
        reason.update({"code": {"source": "voucher", "voucher_id": voucher.id, "partner_id": voucher.partner_id}})
        order.channel_reason = reason
        order.channel = Channel.PARTNER
        recompute(order)
        return _("Voucher %(code)s: %(percent)s %% off", code=code, percent=f"{voucher.batch.discount_bp / 100:g}")
    answer: CheckoutCode | None = None
    for _receiver, result in signals.checkout_code_lookup.send(
        code, order_id=order.id, user_id=user.id, currency=order.currency, net_amount=order.net_amount
    ):
        if isinstance(result, CheckoutCode):
            answer = result
            break
    if answer is None:
        raise DomainError(_("We do not know this code. Check it and try again."), field="code")
    order.voucher_id = None
    order.code, order.code_source, order.code_ref = code, answer.source, answer.ref
    reason = dict(order.channel_reason or {})
    reason["code"] = {"source": answer.source, "ref": answer.ref, **answer.attribution}
    reason["code_discount"] = {"bp": max(0, min(answer.discount_bp, 10000)), "amount": max(0, answer.discount_amount)}
    order.channel_reason = reason
    # A partner that sold the seat keeps the sale; otherwise the code's domain brought it.
    if order.channel != Channel.PARTNER:
        order.channel = Channel(answer.channel) if answer.channel in Channel._value2member_map_ else Channel.REFERRAL
    recompute(order)
    return answer.label


def remove_code(order: Order) -> None:
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("This order can no longer be changed."))
    reason = {k: v for k, v in (order.channel_reason or {}).items() if k not in ("code", "code_discount")}
    partner_sold = order.storefront_partner_id or order.buyer_partner_id
    if (
        order.voucher_id is not None
        and not partner_sold
        and all(line.kind != LineKind.CLASS_SEAT for line in order.lines)
    ):
        order.channel = Channel.DIRECT
    if order.channel == Channel.REFERRAL:
        order.channel = Channel.DIRECT
    order.channel_reason = reason
    order.voucher_id = None
    order.code = order.code_source = order.code_ref = None
    recompute(order)


# --- paying ------------------------------------------------------------------------------------


def order_holds(order: Order) -> list[SeatHold]:
    return list(db.session.execute(sa.select(SeatHold).where(SeatHold.order_id == order.id)).scalars())


def pay(order: Order, *, provider_code: str, actor: User, po_number: str | None = None) -> Order:
    """Pay with a provider: paid at once (test, free) or awaiting an invoice with seats held until due."""
    actor_id = actor.id  # a plain value: on SQLite taking the lock starts a new transaction
    lock_row(Order, order.id)
    if order.status == OrderStatus.PAID:
        return order
    if order.status != OrderStatus.OPEN:
        raise Conflict(_("This order can no longer be paid. Start again from the class page."))
    if order.total_amount == 0:
        provider_code = "free"
    provider = payments.provider(provider_code)
    if provider is None or (provider_code not in payments.CHECKOUT_PROVIDERS and provider_code != "free"):
        raise DomainError(_("Choose how you want to pay."), field="provider")
    po_number = (po_number or "").strip() or None
    if provider.needs_po_number and not po_number:
        raise DomainError(_("Enter your purchase order number."), field="po_number")
    if (
        order.hold_expires_at is not None
        and order.hold_expires_at <= utcnow()
        and not any(line.kind == LineKind.CLASS_SEAT for line in order.lines)
    ):
        raise Conflict(_("This checkout has expired. Start again from the course page."))
    outcome = provider.start(order, po_number=po_number)
    order.provider = provider.code
    order.provider_ref = outcome.reference
    order.po_number = po_number
    if outcome.paid:
        complete_payment(order, actor_id=actor_id)
        return order
    # Deferred payment: keep the seats until the due date (taking them again if the checkout lapsed).
    for hold in sorted(order_holds(order), key=lambda h: h.class_id):
        seats.lock_class(hold.class_id)
        seats.secure_hold(hold)
        hold.expires_at = outcome.due_at
    order.status = OrderStatus.AWAITING_PAYMENT
    order.due_at = outcome.due_at
    order.hold_expires_at = outcome.due_at
    audit.record(
        "order.invoiced",
        actor_id=actor_id,
        subject=order,
        partner_id=order.buyer_partner_id,
        details={"number": order.number, "total": order.total_amount, "currency": order.currency, "po": po_number},
    )
    buyer = order.buyer
    send_mail(
        buyer.email,
        "order_invoice",
        buyer.locale,
        display_name=buyer.display_name,
        number=order.number,
        amount=order.total_amount,
        currency=order.currency,
        po_number=po_number,
        due=outcome.due_at.date().isoformat() if outcome.due_at else "",
        url=f"{current_app.config['BASE_URL']}/orders/{order.id}",
    )
    return order


def complete_payment(
    order: Order, *, actor_id: int | None, reference: str | None = None, now: datetime | None = None
) -> Order:
    """Money received: holds become seats and enrolments, vouchers are used, the ledger is posted."""
    if order.status == OrderStatus.PAID:
        return order
    if order.status not in (OrderStatus.OPEN, OrderStatus.AWAITING_PAYMENT, OrderStatus.EXPIRED):
        raise Conflict(_("This order can no longer be paid."))
    now = now or utcnow()
    holds = {h.class_id: h for h in order_holds(order)}
    pending: list[tuple[seats.Seat, TrainingClass, EnrolmentSource]] = []
    # 1. Holds become seats. A hold with time to spare needs no class lock (seats only move from
    #    "held" to "confirmed"); a lapsed one takes the lock and is re-checked against availability.
    for line in sorted(order.lines, key=lambda item: item.class_id or 0):
        if line.kind != LineKind.CLASS_SEAT:
            continue
        hold = holds.get(line.class_id)
        if hold is None:
            raise Conflict(_("These seats are no longer held. Start again from the class page."))
        if seats.convertible_without_lock(hold, now):
            training_class = db.session.get(TrainingClass, line.class_id, options=[lazyload(TrainingClass.prices)])
            locked = False
        else:
            training_class = seats.lock_class(line.class_id)
            seats.secure_hold(hold, now)
            locked = True
        if training_class.status != ClassStatus.PUBLISHED:
            raise Conflict(_("This class is no longer open for booking."))
        source = EnrolmentSource.PURCHASE if line.assign_to_buyer else EnrolmentSource.PARTNER
        for _i in range(line.quantity):
            seat = seats.create_seat(
                training_class,
                user_id=order.buyer_user_id if line.assign_to_buyer else None,
                source=source,
                actor_id=actor_id,
                reseller_id=line.reseller_id,
                order_line_id=line.id,
                allotment_id=line.allotment_id,
                origin_ref=f"order-line:{line.id}",
                now=now,
                defer_enrolment=True,
            )
            pending.append((seat, training_class, source))
        if not locked:
            # The seat rows now reference the class; a cancellation that committed meanwhile shows here.
            seats.still_valid(hold, training_class)
        hold.status = HoldStatus.CONVERTED
        if line.assign_to_buyer:
            seats.accept_offer(line.class_id, order.buyer_user_id)
    # 2. The ledger (no audit lock taken yet: this part runs alongside other payments).
    for line in order.lines:
        window_partner = line.delivering_partner_id or line.reseller_id
        ledger.post_sale(line, refund_window_days=network.shares_for(window_partner).refund_window_days, posted_at=now)
    # 3. The order is paid: its status, the receivers of ``order_paid`` (they read and queue work for
    #    after commit) and the buyer's e-mail (queued), before the audit lock is taken.
    order.status = OrderStatus.PAID
    order.paid_at = now
    order.hold_expires_at = None
    if reference:
        order.provider_ref = reference
    db.session.flush()
    signals.order_paid.send(order_id=order.id)
    buyer = order.buyer
    send_mail(
        buyer.email,
        "order_paid",
        buyer.locale,
        display_name=buyer.display_name,
        number=order.number,
        amount=order.total_amount,
        currency=order.currency,
        url=f"{current_app.config['BASE_URL']}/orders/{order.id}",
    )
    # 4. Enrolments, voucher use and the audit trail last: the audit chain's lock, taken by the first
    #    record, is held until commit and serialises every payment from there on.
    for seat, training_class, source in pending:
        seats.finish_seat(seat, training_class, source=source, actor_id=actor_id)
    for line in order.lines:
        if line.kind == LineKind.ELEARNING_SEAT and not line.assign_to_buyer:
            vouchers.prepaid_codes(line, actor_id=actor_id)
        elif line.kind == LineKind.ELEARNING_SEAT:
            courses.enrol(
                user_id=order.buyer_user_id,
                course_version_id=line.course_version_id,
                source=EnrolmentSource.VOUCHER
                if order.voucher_id and line.net_amount == 0
                else EnrolmentSource.PURCHASE,
                reseller_id=line.reseller_id,
                origin_ref=f"order-line:{line.id}",
                actor_id=actor_id,
            )
    if order.voucher_id is not None:
        vouchers.use(
            db.session.get(Voucher, order.voucher_id), user_id=order.buyer_user_id, order_id=order.id, actor_id=actor_id
        )
    audit.record(
        "order.paid",
        actor_id=actor_id,
        subject=order,
        partner_id=order.buyer_partner_id,
        details={
            "number": order.number,
            "total": order.total_amount,
            "currency": order.currency,
            "provider": order.provider,
        },
    )
    return order


def mark_invoice_paid(order: Order, *, actor_id: int, reference: str | None = None) -> Order:
    """Staff record that an invoice was paid (a lapsed one too, if its seats are still free)."""
    lock_row(Order, order.id)
    if order.provider != "invoice":
        raise Conflict(_("Only invoice orders are marked paid by hand."))
    if order.status not in (OrderStatus.AWAITING_PAYMENT, OrderStatus.EXPIRED):
        raise Conflict(_("This order is not waiting for payment."))
    return complete_payment(order, actor_id=actor_id, reference=(reference or "").strip() or None)


def cancel_order(order: Order, *, actor_id: int | None) -> set[int]:
    lock_row(Order, order.id)
    if order.status not in (OrderStatus.OPEN, OrderStatus.AWAITING_PAYMENT):
        raise Conflict(_("This order cannot be cancelled any more."))
    touched = _close(order, OrderStatus.CANCELLED, utcnow())
    audit.record("order.cancelled", actor_id=actor_id, subject=order, partner_id=order.buyer_partner_id)
    for class_id in sorted(touched):
        seats.offer_next(seats.lock_class(class_id))
    return touched


def _close(order: Order, status: OrderStatus, now: datetime) -> set[int]:
    touched = set()
    for hold in order_holds(order):
        if hold.status == HoldStatus.ACTIVE:
            hold.status = HoldStatus.RELEASED
            touched.add(hold.class_id)
    order.status = status
    order.closed_at = now
    order.hold_expires_at = None
    return touched


def lapsed_orders(now: datetime) -> list[Order]:
    return list(
        db.session.execute(
            sa.select(Order).where(
                sa.or_(
                    sa.and_(Order.status == OrderStatus.OPEN, Order.hold_expires_at <= now),
                    sa.and_(Order.status == OrderStatus.AWAITING_PAYMENT, Order.due_at <= now),
                )
            )
        ).scalars()
    )


def expire_order(order: Order, *, now: datetime) -> set[int]:
    touched = _close(order, OrderStatus.EXPIRED, now)
    audit.record("order.expired", subject=order, partner_id=order.buyer_partner_id, details={"number": order.number})
    return touched


def cancel_open_orders_for_class(class_id: int, *, actor_id: int | None) -> None:
    orders = db.session.execute(
        sa.select(Order)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(OrderLine.class_id == class_id, Order.status.in_([OrderStatus.OPEN, OrderStatus.AWAITING_PAYMENT]))
    ).scalars()
    for order in orders:
        _close(order, OrderStatus.CANCELLED, utcnow())
        audit.record("order.cancelled", actor_id=actor_id, subject=order, details={"reason": "class cancelled"})


# --- refunds -----------------------------------------------------------------------------------


def refundable(line: OrderLine) -> tuple[int, int]:
    """(seats, amount) of a line not refunded yet."""
    return line.quantity - line.refunded_quantity, line.net_amount - line.refunded_amount


def _amount_for_seats(line: OrderLine, count: int) -> int:
    seats_left, amount_left = refundable(line)
    if count >= seats_left:
        return amount_left
    return line.net_amount * count // line.quantity


def refund(
    order: Order,
    *,
    line: OrderLine,
    seats_count: int,
    amount: int | None = None,
    reason: str,
    actor_id: int | None,
    cancel_seats: bool = True,
) -> Refund:
    """Refund seats of a line (their seats are cancelled) and/or an amount; posts the reversal."""
    lock_row(Order, order.id)
    if line.order_id != order.id:
        raise DomainError(_("This line belongs to another order."))
    if order.status not in (OrderStatus.PAID, OrderStatus.REFUNDED):
        raise Conflict(_("Only a paid order can be refunded."))
    if not (reason or "").strip():
        raise DomainError(_("Give a reason."), field="reason")
    seats_left, amount_left = refundable(line)
    if seats_count < 0 or seats_count > seats_left:
        raise DomainError(_("At most %(count)d seats of this line can be refunded.", count=seats_left), field="seats")
    if amount is None:
        amount = _amount_for_seats(line, seats_count)
    if amount < 0 or amount > amount_left:
        raise DomainError(
            _("At most %(amount)s can be refunded on this line.", amount=f"{amount_left / 100:.2f} {order.currency}"),
            field="amount",
        )
    if seats_count == 0 and amount == 0:
        raise DomainError(_("Choose seats or an amount to refund."), field="amount")
    if cancel_seats and seats_count and line.kind == LineKind.ELEARNING_SEAT and not line.assign_to_buyer:
        unused = len(vouchers.unused_prepaid_codes(line))
        if seats_count > unused:
            raise DomainError(_("Only %(count)d of these prepaid codes are still unused.", count=unused), field="seats")
    provider = payments.provider(order.provider or "test") or payments.PROVIDERS["test"]
    refunded_before = line.refunded_amount
    record = Refund(
        order_id=order.id,
        line_id=line.id,
        quantity=seats_count,
        amount=amount,
        currency=order.currency,
        reason=reason.strip(),
        actor_id=actor_id,
        provider_ref=provider.refund(order, amount) if amount else None,
    )
    db.session.add(record)
    db.session.flush()
    line.refunded_quantity += seats_count
    line.refunded_amount += amount
    order.refunded_amount += amount
    if all(item.refunded_quantity == item.quantity for item in order.lines):
        order.status = OrderStatus.REFUNDED
    if cancel_seats and seats_count:
        _cancel_line_seats(line, seats_count, actor_id=actor_id, reason=reason.strip())
    ledger.post_refund(record, line, refunded_before=refunded_before)
    audit.record(
        "order.refunded",
        actor_id=actor_id,
        subject=order,
        partner_id=line.delivering_partner_id,
        details={"refund_id": record.id, "line_id": line.id, "seats": seats_count, "amount": amount, "reason": reason},
    )
    signals.order_refunded.send(order_id=order.id, refund_id=record.id)
    return record


def _cancel_line_seats(line: OrderLine, count: int, *, actor_id: int | None, reason: str) -> None:
    if line.kind == LineKind.ELEARNING_SEAT and not line.assign_to_buyer:
        vouchers.withdraw_prepaid_codes(line, count, actor_id=actor_id)
        return
    if line.kind == LineKind.ELEARNING_SEAT:
        enrolment = courses.live_enrolment(line.order.buyer_user_id, line.course_version_id)
        if enrolment is not None and enrolment.origin_ref == f"order-line:{line.id}":
            courses.end_enrolment(enrolment.id, EnrolmentStatus.CANCELLED, actor_id=actor_id, reason="refunded")
        return
    training_class = seats.lock_class(line.class_id)
    # Unassigned seats go first: nobody loses a place they were counting on.
    candidates = db.session.execute(
        sa.select(Seat)
        .where(Seat.order_line_id == line.id, Seat.status == SeatStatus.CONFIRMED)
        .order_by(Seat.user_id.is_not(None), Seat.id.desc())
        .limit(count)
    ).scalars()
    for seat in candidates:
        seats._cancel(seat, training_class, actor_id=actor_id, reason=reason, now=utcnow())
    seats.offer_next(training_class)


def refund_seat(seat: Seat, *, actor_id: int | None, reason: str) -> Refund | None:
    """A cancelled seat's share of its order line is refunded (cancellation inside the cut-off)."""
    line = db.session.get(OrderLine, seat.order_line_id) if seat.order_line_id else None
    if line is None or line.order.status not in (OrderStatus.PAID, OrderStatus.REFUNDED):
        return None
    seats_left, _amount_left = refundable(line)
    if seats_left <= 0:
        return None
    return refund(
        line.order, line=line, seats_count=1, reason=reason or "seat cancelled", actor_id=actor_id, cancel_seats=False
    )


# --- reading -----------------------------------------------------------------------------------


def order_for_buyer_or_404(order_id: int, user: User) -> Order:
    from flask import abort

    order = db.session.get(Order, order_id)
    if order is None or order.buyer_user_id != user.id:
        abort(404)
    return order


def seconds_left(order: Order, now: datetime | None = None) -> int:
    if order.hold_expires_at is None:
        return 0
    return max(0, int((order.hold_expires_at - (now or utcnow())).total_seconds()))
