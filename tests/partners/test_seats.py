"""Availability = capacity − confirmed − unexpired holds − unredeemed allotments, holds that expire,
the waiting list, and cancellation/transfer cut-offs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from lms.core.errors import NotAllowed
from lms.core.time import utcnow
from lms.courses.models import Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.partners.models import HoldStatus, OrderStatus, SeatStatus, WaitlistStatus
from lms.partners.services import orders, resale, seats


def test_availability_counts_confirmed_seats_holds_and_allotments_until_they_expire(
    app, make_partner, make_class, create_user, buy_seat, body
):
    partner, _admin = make_partner()
    reseller, _reseller_admin = make_partner(name="Reseller")
    training_class = make_class(partner, capacity=10, days=20, resale_allowed=True)
    now = utcnow()
    with time_machine.travel(now, tick=False):
        buy_seat(create_user(), training_class)  # 1 confirmed
        holder = create_user()
        orders.start_class_order(holder, training_class.id)  # 1 held for 15 minutes
        allotment = resale.reserve_allotment(
            reseller, training_class, quantity=3, release_at=now + timedelta(days=5), actor_id=None
        )
        seen = seats.availability(training_class.id)
        assert (seen.confirmed, seen.held, seen.allotted, seen.available) == (1, 1, 3, 5)

    with time_machine.travel(now + timedelta(minutes=16), tick=False):
        # The hold lapsed: it simply stops counting, nothing had to run.
        assert seats.availability(training_class.id).available == 6

    with time_machine.travel(now + timedelta(days=1), tick=False):
        order = resale.buy_seats(reseller, training_class, quantity=2, buyer=_reseller_admin, allotment=allotment)
        seen = seats.availability(training_class.id)
        # Seats being redeemed from the allotment count once: against the allotment, not as public holds.
        assert (seen.held, seen.allotted, seen.available) == (0, 3, 6)
        orders.pay(order, provider_code="test", actor=_reseller_admin)
        seen = seats.availability(training_class.id)
        assert (seen.confirmed, seen.allotted, seen.available) == (3, 1, 6)

    with time_machine.travel(now + timedelta(days=5, minutes=1), tick=False):
        # Past the release date the unused allotment seat is back on sale, again without any task.
        seen = seats.availability(training_class.id)
        assert (seen.confirmed, seen.allotted, seen.available) == (3, 0, 7)
        counts = seats.release_expired()
        assert counts["allotments"] == 1
        assert allotment.status.value == "released"
        assert seats.availability(training_class.id).available == 7


def test_holding_more_than_is_left_is_refused_with_what_is_left(make_partner, make_class, create_user, body):
    partner, admin = make_partner()
    training_class = make_class(partner, capacity=2)
    orders.start_class_order(create_user(), training_class.id)
    with pytest.raises(seats.SoldOut) as refused:
        resale_buyer, buyer_admin = partner, admin
        orders.start_class_order(buyer_admin, training_class.id, quantity=2, buyer_partner_id=resale_buyer.id)
    assert "Only 1 seats are left" in refused.value.message
    orders.start_class_order(create_user(), training_class.id)
    with pytest.raises(seats.SoldOut) as full:
        orders.start_class_order(create_user(), training_class.id)
    assert "waiting list" in full.value.message


def test_a_lapsed_checkout_is_paid_only_if_its_seats_are_still_free(make_partner, make_class, create_user, body):
    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=1)
    first, second = create_user(), create_user()
    now = utcnow()
    with time_machine.travel(now, tick=False):
        late = orders.start_class_order(first, training_class.id)
    with time_machine.travel(now + timedelta(minutes=20), tick=False):
        taken = orders.start_class_order(second, training_class.id)
        orders.pay(taken, provider_code="test", actor=second)
        with pytest.raises(seats.SoldOut):
            orders.pay(late, provider_code="test", actor=first)
    assert seats.availability(training_class.id).confirmed == 1


def test_periodic_task_expires_lapsed_orders_and_offers_the_seat_to_the_waiting_list(
    app, make_partner, make_class, create_user, buy_seat, body
):
    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=1)
    now = utcnow()
    buyer, waiting = create_user(), create_user()
    with time_machine.travel(now, tick=False):
        order = orders.start_class_order(buyer, training_class.id)
        entry = seats.join_waitlist(training_class.id, waiting)
        assert entry.status == WaitlistStatus.WAITING
    with time_machine.travel(now + timedelta(minutes=16), tick=False):
        counts = seats.release_expired()
        assert counts["orders"] == 1 and counts["offered"] == 1
        assert order.status == OrderStatus.EXPIRED
        assert entry.status == WaitlistStatus.OFFERED
        # The offer is a hold for that learner: nobody else can take the seat meanwhile.
        assert seats.availability(training_class.id).available == 0
        with pytest.raises(seats.SoldOut):
            orders.start_class_order(create_user(), training_class.id)
        accepted = orders.start_class_order(waiting, training_class.id)
        orders.pay(accepted, provider_code="test", actor=waiting)
        assert entry.status == WaitlistStatus.ACCEPTED
        assert seats.has_seat(training_class.id, waiting.id)


def test_an_unanswered_offer_passes_to_the_next_learner(make_partner, make_class, create_user, buy_seat, body):
    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=1)
    seated = create_user()
    order = buy_seat(seated, training_class)
    first, second = create_user(), create_user()
    seats.join_waitlist(training_class.id, first)
    seats.join_waitlist(training_class.id, second)
    seat = order.lines[0]
    the_seat = db.session.execute(db.select(seats.Seat).where(seats.Seat.order_line_id == seat.id)).scalar_one()
    now = utcnow()
    with time_machine.travel(now, tick=False):
        seats.cancel_seat(the_seat, actor_id=seated.id, reason="cannot come")
        assert seats.waiting_entry(training_class.id, first.id).status == WaitlistStatus.OFFERED
        assert seats.waiting_entry(training_class.id, second.id).status == WaitlistStatus.WAITING
    with time_machine.travel(now + timedelta(hours=25), tick=False):
        seats.release_expired()
        assert seats.waiting_entry(training_class.id, first.id) is None
        assert seats.waiting_entry(training_class.id, second.id).status == WaitlistStatus.OFFERED


def test_cancelling_inside_the_cutoff_is_refused_but_transfer_still_works_until_its_own(
    make_partner, make_class, create_user, buy_seat, body
):
    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=5, days=2, cancellation_cutoff_hours=72, transfer_cutoff_hours=24)
    learner, colleague = create_user(), create_user()
    order = buy_seat(learner, training_class)
    seat = db.session.execute(db.select(seats.Seat).where(seats.Seat.user_id == learner.id)).scalar_one()
    with pytest.raises(NotAllowed):
        seats.cancel_seat(seat, actor_id=learner.id, reason="changed my mind")
    seats.transfer_seat(seat, colleague, actor_id=learner.id)
    assert seat.user_id == colleague.id
    old = db.session.execute(db.select(Enrolment).where(Enrolment.user_id == learner.id)).scalar_one()
    new = db.session.execute(db.select(Enrolment).where(Enrolment.user_id == colleague.id)).scalar_one()
    assert old.status == EnrolmentStatus.TRANSFERRED and new.status == EnrolmentStatus.ACTIVE
    assert order.status == OrderStatus.PAID  # a transfer is not a refund
    with time_machine.travel(training_class.starts_at - timedelta(hours=23), tick=False), pytest.raises(NotAllowed):
        seats.transfer_seat(seat, create_user(), actor_id=colleague.id)


def test_cancelling_before_the_cutoff_refunds_the_seat_and_ends_the_enrolment(
    make_partner, make_class, create_user, buy_seat, body
):
    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=5, days=10)
    learner = create_user()
    order = buy_seat(learner, training_class)
    seat = db.session.execute(db.select(seats.Seat).where(seats.Seat.user_id == learner.id)).scalar_one()
    seats.cancel_seat(seat, actor_id=learner.id, reason="travel")
    assert seat.status == SeatStatus.CANCELLED
    assert order.status == OrderStatus.REFUNDED and order.refunded_amount == order.total_amount
    enrolment = db.session.execute(db.select(Enrolment).where(Enrolment.user_id == learner.id)).scalar_one()
    assert enrolment.status == EnrolmentStatus.CANCELLED
    assert seats.availability(training_class.id).available == 5


def test_a_learner_cannot_hold_two_seats_in_one_class(make_partner, make_class, create_user, buy_seat, body):
    partner, _admin = make_partner()
    training_class = make_class(partner)
    learner = create_user()
    buy_seat(learner, training_class)
    with pytest.raises(seats.Conflict):
        orders.start_class_order(learner, training_class.id)


def test_cancelled_orders_release_their_holds_at_once(make_partner, make_class, create_user, body):
    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=1)
    buyer = create_user()
    order = orders.start_class_order(buyer, training_class.id)
    assert seats.availability(training_class.id).available == 0
    orders.cancel_order(order, actor_id=buyer.id)
    assert seats.availability(training_class.id).available == 1
    assert all(h.status == HoldStatus.RELEASED for h in orders.order_holds(order))


def test_capacity_cannot_drop_below_what_is_taken(make_partner, make_class, create_user, buy_seat, body):
    from lms.partners.services import classes

    partner, _admin = make_partner()
    training_class = make_class(partner, capacity=3)
    buy_seat(create_user(), training_class)
    orders.start_class_order(create_user(), training_class.id)
    with pytest.raises(seats.Conflict):
        classes.update_class(training_class, actor_id=None, capacity=1)
    classes.update_class(training_class, actor_id=None, capacity=2)
    assert training_class.capacity == 2


def test_the_periodic_task_releases_allotments_past_their_date(app, make_partner, make_class, body):
    from lms.core.tasks import PERIODIC_TASKS
    from lms.partners import tasks

    assert PERIODIC_TASKS["partners.release_expired"].every_seconds == 60
    gulf, _a = make_partner()
    euro, _b = make_partner()
    training_class = make_class(gulf, resale_allowed=True, capacity=4)
    allotment = resale.reserve_allotment(
        euro, training_class, quantity=4, release_at=utcnow() + timedelta(hours=1), actor_id=None
    )
    db.session.commit()
    with time_machine.travel(utcnow() + timedelta(hours=2), tick=False):
        result = tasks.release_expired.apply().result
    db.session.refresh(allotment)
    assert result["allotments"] == 1 and allotment.status.value == "released"
    assert seats.availability(training_class.id).available == 4
