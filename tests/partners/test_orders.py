"""Checkout: price tiers, codes (vouchers first, then other domains), channels, providers, refunds."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from lms.accounts.models import OrganisationKind
from lms.core import signals
from lms.core.dashboard import CheckoutCode
from lms.core.errors import DomainError
from lms.core.time import utcnow
from lms.courses.models import Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.partners.models import (
    Channel,
    OrderStatus,
    PriceTier,
    Seat,
    SeatStatus,
    VoucherKind,
)
from lms.partners.services import ledger, network, orders, seats, vouchers


def test_academic_roster_and_association_codes_unlock_their_prices(make_partner, make_class, create_user, body):
    partner, _admin = make_partner()
    university, uni_admin = make_partner(OrganisationKind.ACADEMIC_PARTNER, name="University")
    association, assoc_admin = make_partner(OrganisationKind.ASSOCIATION, name="Association")
    training_class = make_class(partner, price=100000, academic=70000, association=80000)
    student, member, stranger = create_user(), create_user(), create_user()
    network.import_member_roster(university, f"email\n{student.email.upper()}\n".encode(), actor_id=uni_admin.id)
    [code] = network.generate_member_codes(association, 1, actor_id=assoc_admin.id)
    network.claim_member_code(member, code.code)

    order = orders.start_class_order(student, training_class.id)
    assert (order.price_tier, order.tier_partner_id, order.net_amount) == (PriceTier.ACADEMIC, university.id, 70000)
    assert order.list_amount == 100000 and order.discount_amount == 30000
    order = orders.start_class_order(member, training_class.id)
    assert (order.price_tier, order.tier_partner_id, order.net_amount) == (PriceTier.ASSOCIATION, association.id, 80000)
    order = orders.start_class_order(stranger, training_class.id)
    assert (order.price_tier, order.net_amount) == (PriceTier.LIST, 100000)


def test_a_suspended_association_no_longer_confirms_membership(make_partner, make_class, create_user, staff_user, body):
    partner, _admin = make_partner()
    association, assoc_admin = make_partner(OrganisationKind.ASSOCIATION, name="Association")
    training_class = make_class(partner)
    member = create_user()
    network.import_member_roster(association, f"email\n{member.email}\n".encode(), actor_id=assoc_admin.id)
    network.set_partner_status(
        association, network.OrganisationStatus.SUSPENDED, actor_id=staff_user.id, reason="audit"
    )
    assert orders.start_class_order(member, training_class.id).price_tier == PriceTier.LIST


def test_a_partner_voucher_discounts_its_own_class_and_is_counted_at_payment(
    make_partner, make_class, create_user, body
):
    partner, admin = make_partner()
    other, _other_admin = make_partner(name="Other")
    training_class = make_class(partner, price=100000, academic=None, association=None)
    batch = vouchers.generate_batch(
        partner, actor_id=admin.id, name="Acme Q3", kind=VoucherKind.SEAT, count=1, max_uses=2, discount_bp=2500
    )
    code = batch.vouchers[0].code
    learner = create_user()
    order = orders.start_class_order(learner, training_class.id)
    label = orders.apply_code(order, code.lower(), learner)
    assert "25" in label
    assert (order.net_amount, order.discount_amount, order.channel) == (75000, 25000, Channel.PARTNER)
    assert order.channel_reason["code"]["voucher_id"] == batch.vouchers[0].id
    orders.pay(order, provider_code="test", actor=learner)
    assert batch.vouchers[0].used_count == 1
    # Another partner's class does not take this partner's code.
    other_class = make_class(other)
    elsewhere = orders.start_class_order(create_user(), other_class.id)
    with pytest.raises(DomainError):
        orders.apply_code(elsewhere, code, elsewhere.buyer)


def test_codes_other_domains_answer_apply_a_discount_and_record_the_channel(
    make_partner, make_class, make_version, create_user, body
):
    version = make_version(price=20000)
    learner = create_user()

    def affiliate_codes(code: str, **data: object) -> CheckoutCode | None:
        if code == "SOFIA10":
            return CheckoutCode(
                source="affiliates",
                ref="affiliate:7",
                label="Sofia: 10 % off",
                discount_bp=1000,
                channel="referral",
                attribution={"affiliate_id": 7},
            )
        return None

    signals.checkout_code_lookup.connect(affiliate_codes)
    try:
        order = orders.start_elearning_order(learner, version.id)
        assert order.channel == Channel.DIRECT
        assert orders.apply_code(order, "sofia10", learner) == "Sofia: 10 % off"
        assert (order.net_amount, order.channel, order.code_source, order.code_ref) == (
            18000,
            Channel.REFERRAL,
            "affiliates",
            "affiliate:7",
        )
        assert order.channel_reason["code"]["affiliate_id"] == 7
        with pytest.raises(DomainError):
            orders.apply_code(order, "NOPE", learner)
        # A class seat is sold by its partner: the partner keeps the channel, the code still gives its discount.
        partner, _admin = make_partner()
        class_order = orders.start_class_order(
            create_user(), make_class(partner, price=10000, academic=None, association=None).id
        )
        orders.apply_code(class_order, "SOFIA10", class_order.buyer)
        assert (class_order.channel, class_order.net_amount) == (Channel.PARTNER, 9000)
    finally:
        signals.checkout_code_lookup.disconnect(affiliate_codes)


def test_invoice_orders_hold_seats_until_due_then_staff_confirm_them(
    make_partner, make_class, create_user, staff_user, body
):
    partner, _admin = make_partner()
    reseller, reseller_admin = make_partner(name="Reseller")
    training_class = make_class(partner, capacity=5, days=30, resale_allowed=True)
    order = orders.start_class_order(reseller_admin, training_class.id, quantity=3, buyer_partner_id=reseller.id)
    with pytest.raises(DomainError):
        orders.pay(order, provider_code="invoice", actor=reseller_admin)  # a purchase order number is needed
    orders.pay(order, provider_code="invoice", actor=reseller_admin, po_number="PO-778")
    assert order.status == OrderStatus.AWAITING_PAYMENT and order.due_at > utcnow() + timedelta(days=13)
    with time_machine.travel(utcnow() + timedelta(days=3), tick=False):
        assert seats.availability(training_class.id).held == 3  # still held, long after 15 minutes
    orders.mark_invoice_paid(order, actor_id=staff_user.id, reference="bank 123")
    assert order.status == OrderStatus.PAID
    assert seats.availability(training_class.id).confirmed == 3
    assert ledger.check_balance().ok


def test_an_unpaid_invoice_lapses_and_its_seats_return(make_partner, make_class, create_user, body):
    partner, admin = make_partner()
    training_class = make_class(partner, capacity=4, days=40)
    order = orders.start_class_order(admin, training_class.id, quantity=4, buyer_partner_id=partner.id)
    orders.pay(order, provider_code="invoice", actor=admin, po_number="PO-1")
    with time_machine.travel(order.due_at + timedelta(minutes=1), tick=False):
        assert seats.availability(training_class.id).available == 4
        seats.release_expired()
        assert order.status == OrderStatus.EXPIRED


def test_staff_refund_cancels_seats_posts_a_reversal_and_tells_other_domains(
    make_partner, make_class, create_user, staff_user, body
):
    partner, _admin = make_partner()
    reseller, reseller_admin = make_partner(name="Reseller")
    training_class = make_class(partner, capacity=5, resale_allowed=True)
    order = orders.start_class_order(reseller_admin, training_class.id, quantity=3, buyer_partner_id=reseller.id)
    orders.pay(order, provider_code="test", actor=reseller_admin)
    heard = []

    def listener(sender=None, **data):
        heard.append(data)

    signals.order_refunded.connect(listener)
    try:
        record = orders.refund(
            order, line=order.lines[0], seats_count=2, reason="client shrank", actor_id=staff_user.id
        )
    finally:
        signals.order_refunded.disconnect(listener)
    assert heard == [{"order_id": order.id, "refund_id": record.id}]
    assert record.amount == order.total_amount * 2 // 3
    assert seats.availability(training_class.id).confirmed == 1
    assert order.status == OrderStatus.PAID  # partly refunded
    orders.refund(order, line=order.lines[0], seats_count=1, reason="all gone", actor_id=staff_user.id)
    assert order.status == OrderStatus.REFUNDED and order.refunded_amount == order.total_amount
    for kind, owner in ((ledger.AccountKind.PARTNER, partner.id), (ledger.AccountKind.PARTNER, reseller.id)):
        assert sum(b.total for b in ledger.balances(kind, owner)) == 0
    assert ledger.check_balance().ok
    with pytest.raises(DomainError):
        orders.refund(order, line=order.lines[0], seats_count=1, reason="again", actor_id=staff_user.id)


def test_a_free_voucher_gives_a_seat_with_nothing_to_post(make_partner, make_class, create_user, body):
    partner, admin = make_partner()
    training_class = make_class(partner)
    batch = vouchers.generate_batch(
        partner, actor_id=admin.id, name="Free", kind=VoucherKind.SEAT, count=1, class_id=training_class.id
    )
    learner = create_user()
    kind, order = vouchers.redeem(batch.vouchers[0].code, learner, actor_id=learner.id)
    assert kind == "seat" and order.status == OrderStatus.PAID and order.provider == "free" and order.total_amount == 0
    assert seats.has_seat(training_class.id, learner.id)
    with pytest.raises(DomainError):
        vouchers.redeem(batch.vouchers[0].code, create_user(), actor_id=None)  # single use


def test_elearning_purchase_enrols_with_access_and_the_body_keeps_a_direct_sale(make_version, create_user, body):
    version = make_version(price=30000)
    learner = create_user()
    order = orders.start_elearning_order(learner, version.id)
    orders.pay(order, provider_code="test", actor=learner)
    enrolment = db.session.execute(db.select(Enrolment).where(Enrolment.user_id == learner.id)).scalar_one()
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.access_expires_at is not None
    [balance] = ledger.balances(ledger.AccountKind.BODY, body.id)
    assert balance.total == 30000
    with pytest.raises(DomainError):
        orders.start_elearning_order(learner, version.id)


def test_paying_twice_confirms_once(make_partner, make_class, create_user, body):
    partner, _admin = make_partner()
    training_class = make_class(partner)
    learner = create_user()
    order = orders.start_class_order(learner, training_class.id)
    orders.pay(order, provider_code="test", actor=learner)
    orders.pay(order, provider_code="test", actor=learner)
    assert (
        db.session.execute(
            db.select(db.func.count())
            .select_from(Seat)
            .where(Seat.class_id == training_class.id, Seat.status == SeatStatus.CONFIRMED)
        ).scalar_one()
        == 1
    )


def test_a_partner_buys_prepaid_elearning_seats_as_codes_for_its_learners(
    client, login, make_partner, make_version, create_user, staff_user, body
):
    partner, admin = make_partner()
    version = make_version(price=20000)
    db.session.commit()
    login(client, admin)
    assert "Seats for your learners" in client.get(f"/elearning/{version.id}").get_data(as_text=True)
    response = client.post(
        f"/elearning/{version.id}/buy", data={"for_partner": "1", "quantity": "3", "currency": "USD"}
    )
    assert response.status_code == 302
    order = db.session.execute(db.select(orders.Order).where(orders.Order.buyer_partner_id == partner.id)).scalar_one()
    assert (order.total_amount, order.lines[0].quantity, order.lines[0].reseller_id) == (60000, 3, partner.id)
    client.post(f"/orders/{order.id}/pay", data={"provider": "test"})
    db.session.refresh(order)
    assert order.status == OrderStatus.PAID
    batch = db.session.execute(
        db.select(vouchers.VoucherBatch).where(vouchers.VoucherBatch.partner_id == partner.id)
    ).scalar_one()
    assert len(batch.vouchers) == 3 and batch.discount_bp == 10000
    # The partner earns its reseller share of the three seats; the body the rest.
    assert sum(b.total for b in ledger.balances(ledger.AccountKind.PARTNER, partner.id)) == 60000 * 2000 // 10000
    learner = create_user()
    kind, free_order = vouchers.redeem(batch.vouchers[0].code, learner, actor_id=learner.id)
    assert kind == "seat" and free_order.total_amount == 0
    enrolment = db.session.execute(db.select(Enrolment).where(Enrolment.user_id == learner.id)).scalar_one()
    assert enrolment.status == EnrolmentStatus.ACTIVE
    # Refunding seats withdraws unused codes, never a code already used.
    with pytest.raises(DomainError, match="still unused"):
        orders.refund(order, line=order.lines[0], seats_count=3, reason="too many", actor_id=staff_user.id)
    orders.refund(order, line=order.lines[0], seats_count=2, reason="too many", actor_id=staff_user.id)
    assert [vouchers.status_of(v) for v in sorted(batch.vouchers, key=lambda v: v.id)] == ["used", "revoked", "revoked"]
    assert ledger.check_balance().ok
