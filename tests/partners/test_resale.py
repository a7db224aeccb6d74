"""Resale across partners: allotments, buying and assigning seats, rosters on both sides, the split."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.core.errors import DomainError, NotAllowed
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import AccountKind, Seat
from lms.partners.services import ledger, orders, resale, seats
from lms.partners.services.learners import find_or_create_learner


def test_a_reseller_reserves_buys_and_assigns_seats_and_each_sale_splits_three_ways(
    make_partner, make_class, create_user, body
):
    gulf, _gulf_admin = make_partner(name="Gulf")
    euro, euro_admin = make_partner(name="Euro")
    training_class = make_class(gulf, capacity=10, price=100000, academic=None, association=None, resale_allowed=True)
    allotment = resale.reserve_allotment(
        euro, training_class, quantity=4, release_at=utcnow() + timedelta(days=3), actor_id=euro_admin.id
    )
    assert seats.availability(training_class.id).available == 6
    order = resale.buy_seats(euro, training_class, quantity=3, buyer=euro_admin, allotment=allotment)
    orders.pay(order, provider_code="test", actor=euro_admin)
    assert seats.allotment_remaining(allotment) == 1
    bought = db.session.execute(db.select(Seat).where(Seat.reseller_id == euro.id)).scalars().all()
    assert len(bought) == 3 and all(s.user_id is None for s in bought)
    learner, created = find_or_create_learner("hans@example.com", display_name="Hans", partner_name=euro.name)
    assert created
    seats.assign_seat(bought[0], learner, actor_id=euro_admin.id)
    assert seats.has_seat(training_class.id, learner.id)

    # Gulf's roster names the reseller; Euro's list has only its own seats.
    from lms.partners import queries

    roster = queries.roster(training_class.id)
    assert {s.reseller_id for s in roster} == {euro.id}
    assert {s.id for s in queries.reseller_seats(euro.id)} == {s.id for s in bought}
    assert queries.reseller_seats(gulf.id) == []

    # 3 × 1000.00 at 60/20/20.
    assert sum(b.total for b in ledger.balances(AccountKind.PARTNER, gulf.id)) == 180000
    assert sum(b.total for b in ledger.balances(AccountKind.PARTNER, euro.id)) == 60000
    assert sum(b.total for b in ledger.balances(AccountKind.BODY, body.id)) == 60000
    assert ledger.check_balance().ok

    stats = queries.partner_stats(gulf.id)
    assert stats.resold_seats == 3 and stats.resale_income == {"USD": 180000}
    stats = queries.partner_stats(euro.id)
    assert (
        stats.bought_seats == 3 and stats.resale_cost == {"USD": 300000} and stats.reseller_commission == {"USD": 60000}
    )


def test_resale_needs_the_delivering_partners_consent(make_partner, make_class, body):
    gulf, _gulf_admin = make_partner(name="Gulf")
    euro, euro_admin = make_partner(name="Euro")
    training_class = make_class(gulf, resale_allowed=False)
    with pytest.raises(NotAllowed):
        resale.reserve_allotment(
            euro, training_class, quantity=1, release_at=utcnow() + timedelta(days=1), actor_id=None
        )
    with pytest.raises(NotAllowed):
        resale.buy_seats(euro, training_class, quantity=1, buyer=euro_admin)


def test_an_allotment_must_be_released_before_the_class_starts(make_partner, make_class, body):
    gulf, _a = make_partner()
    euro, _b = make_partner()
    training_class = make_class(gulf, resale_allowed=True, days=5)
    with pytest.raises(DomainError):
        resale.reserve_allotment(
            euro, training_class, quantity=2, release_at=training_class.starts_at + timedelta(hours=1), actor_id=None
        )


def test_releasing_an_allotment_early_returns_the_unused_seats(make_partner, make_class, body):
    gulf, _a = make_partner()
    euro, euro_admin = make_partner()
    training_class = make_class(gulf, resale_allowed=True, capacity=5)
    allotment = resale.reserve_allotment(
        euro, training_class, quantity=5, release_at=utcnow() + timedelta(days=2), actor_id=None
    )
    assert seats.availability(training_class.id).available == 0
    assert resale.release_allotment(allotment, actor_id=euro_admin.id) == 5
    assert seats.availability(training_class.id).available == 5


def test_a_learner_buying_on_the_resellers_storefront_makes_it_the_reseller(
    make_partner, make_class, create_user, body
):
    gulf, _a = make_partner()
    euro, euro_admin = make_partner()
    training_class = make_class(gulf, resale_allowed=True, price=50000, academic=None, association=None)
    learner = create_user()
    # Not listed yet: the storefront is ignored and the sale is Gulf's own.
    order = orders.start_class_order(learner, training_class.id, storefront_partner_id=euro.id)
    assert order.lines[0].reseller_id is None and order.channel_reason["rule"] == "class_of_partner"
    orders.cancel_order(order, actor_id=learner.id)
    resale.list_class(euro, training_class, actor_id=euro_admin.id)
    order = orders.start_class_order(learner, training_class.id, storefront_partner_id=euro.id)
    assert order.lines[0].reseller_id == euro.id and order.channel_reason == {
        "rule": "storefront_resale",
        "partner_id": euro.id,
    }
    orders.pay(order, provider_code="test", actor=learner)
    seat = db.session.execute(db.select(Seat).where(Seat.user_id == learner.id)).scalar_one()
    assert seat.reseller_id == euro.id


def test_assigning_a_seat_to_someone_already_in_the_class_is_refused(
    make_partner, make_class, create_user, buy_seat, body
):
    gulf, _a = make_partner()
    euro, euro_admin = make_partner()
    training_class = make_class(gulf, resale_allowed=True)
    learner = create_user()
    buy_seat(learner, training_class)
    order = resale.buy_seats(euro, training_class, quantity=1, buyer=euro_admin)
    orders.pay(order, provider_code="test", actor=euro_admin)
    seat = db.session.execute(db.select(Seat).where(Seat.reseller_id == euro.id)).scalar_one()
    with pytest.raises(DomainError):
        seats.assign_seat(seat, learner, actor_id=euro_admin.id)
