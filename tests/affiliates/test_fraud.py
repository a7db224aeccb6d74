"""Fraud checks: each rule raises a flag that holds the commission until staff clear or confirm it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from lms.affiliates.models import (
    Click,
    ClickKind,
    Commission,
    CommissionStatus,
    FlagStatus,
    FraudFlag,
    FraudRule,
    PayoutMethod,
)
from lms.affiliates.services import attribution, commissions, fraud
from lms.core.errors import DomainError
from lms.core.security import Role
from lms.extensions import db
from lms.partners.services import ledger, orders

DAY0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def training_class(make_partner, make_class):
    partner, _admin = make_partner()
    training_class = make_class(partner, days=200, price=100000, academic=None, association=None)
    training_class.test_partner = partner
    return training_class


def clicked(affiliate, user, at=DAY0 - timedelta(hours=2), address="1" * 16):
    db.session.add(
        Click(
            affiliate_id=affiliate.id,
            occurred_at=at,
            kind=ClickKind.UNIQUE,
            user_id=user.id,
            ip_hash=address,
            landing_path="/schedule",
        )
    )
    db.session.flush()


def buy(user, training_class, *, code=None, at=DAY0):
    with time_machine.travel(at, tick=False):
        order = orders.start_class_order(user, training_class.id)
        if code:
            orders.apply_code(order, code, user)
        orders.pay(order, provider_code="test", actor=user)
        attribution.attribute_order(order.id)
    return db.session.execute(sa.select(Commission).where(Commission.order_id == order.id)).scalar_one()


def flags(rule: FraudRule) -> list[FraudFlag]:
    return list(db.session.execute(sa.select(FraudFlag).where(FraudFlag.rule == rule)).scalars())


def test_an_affiliate_buying_through_their_own_link_is_held_for_review(network, make_affiliate, training_class, staff):
    affiliate = make_affiliate(network, code="SELFIE")
    clicked(affiliate, affiliate.user)
    commission = buy(affiliate.user, training_class)
    [flag] = flags(FraudRule.SELF_REFERRAL)
    assert flag.details["reasons"] == ["same_account"] and flag.commission_id == commission.id
    assert commission.status == CommissionStatus.ON_HOLD
    # The holding period ends: a held commission is not approved.
    assert commissions.approve_due(DAY0 + timedelta(days=31)) == []
    with pytest.raises(DomainError):
        fraud.decide(flag, confirm=True, actor_id=staff.id, note="")
    fraud.decide(flag, confirm=True, actor_id=staff.id, note="Bought for themselves", now=DAY0 + timedelta(days=32))
    assert commission.status == CommissionStatus.REJECTED
    assert [e.status.value for e in commission.events] == ["pending", "on_hold", "rejected"]
    assert commissions.ledger_totals(affiliate.id) == {} and ledger.check_balance().ok


def test_the_same_mailbox_or_the_payout_account_counts_as_self_referral(
    network, make_affiliate, training_class, create_user
):
    sara = make_affiliate(
        network, code="SARA", user=create_user(email="s.ara.k@gmail.com"), payout="pay.me@example.com"
    )
    same_mailbox = create_user(email="sarak+courses@gmail.com")
    payout_owner = create_user(email="Pay.Me@example.com".lower())
    for buyer in (same_mailbox, payout_owner):
        clicked(sara, buyer)
    buy(same_mailbox, training_class)
    buy(payout_owner, training_class)
    reasons = [f.details["reasons"] for f in flags(FraudRule.SELF_REFERRAL)]
    assert reasons == [["same_mailbox"], ["buyer_email_is_payout_account"]]


def test_a_stranger_is_not_flagged(network, make_affiliate, training_class, create_user):
    affiliate = make_affiliate(network, code="CLEAN")
    buyer = create_user()
    clicked(affiliate, buyer)
    commission = buy(buyer, training_class, code=affiliate.coupons[0].code)
    assert db.session.query(FraudFlag).count() == 0
    assert commission.status == CommissionStatus.PENDING


def test_a_buyer_on_the_delivering_partners_staff_is_flagged(network, make_affiliate, training_class, create_user):
    affiliate = make_affiliate(network, code="INSIDE")
    insider = create_user(roles=[(training_class.test_partner, Role.INSTRUCTOR)])
    clicked(affiliate, insider)
    commission = buy(insider, training_class)
    [flag] = flags(FraudRule.PARTNER_STAFF)
    assert flag.details["partner_ids"] == [training_class.test_partner.id]
    assert commission.status == CommissionStatus.ON_HOLD


def test_the_same_payout_account_on_two_people_holds_the_newer_affiliate(
    network, make_affiliate, training_class, create_user, staff
):
    make_affiliate(network, code="FIRSTIBAN", method=PayoutMethod.BANK, payout="DE89 3704 0044 0532 0130 00")
    copycat = make_affiliate(network, code="COPYIBAN", method=PayoutMethod.BANK, payout="de89370400440532013000")
    [flag] = flags(FraudRule.DUPLICATE_PAYOUT)
    assert flag.affiliate_id == copycat.id and flag.commission_id is None
    buyer = create_user()
    clicked(copycat, buyer)
    commission = buy(buyer, training_class)
    assert commission.status == CommissionStatus.ON_HOLD  # the affiliate-wide flag holds new commissions too
    fraud.decide(
        flag, confirm=False, actor_id=staff.id, note="Married couple, one account", now=DAY0 + timedelta(days=1)
    )
    assert flag.status == FlagStatus.CLEARED
    assert commission.status == CommissionStatus.PENDING  # released: its holding period is not over yet


def test_a_flood_of_clicks_from_one_address_is_flagged_once(
    client, network, make_affiliate, training_class, create_user, app
):
    affiliate = make_affiliate(network, code="FLOOD")
    buyer = create_user()
    clicked(affiliate, buyer, at=DAY0 - timedelta(days=1))
    commission = buy(buyer, training_class, at=DAY0 - timedelta(hours=20))
    app.config["AFFILIATE_FLOOD_CLICKS_PER_HOUR"] = 30
    try:
        with time_machine.travel(DAY0, tick=True):
            for _i in range(30):
                assert client.get("/r/FLOOD", headers={"User-Agent": "Mozilla/5.0 Firefox/128.0"}).status_code == 302
            assert len(fraud.scan_click_floods()) == 1
            assert fraud.scan_click_floods() == []  # the same address, the same day: one flag
    finally:
        app.config.pop("AFFILIATE_FLOOD_CLICKS_PER_HOUR")
    [flag] = flags(FraudRule.CLICK_FLOOD)
    assert flag.details["clicks_last_hour"] == 30 and flag.commission_id is None
    assert commission.status == CommissionStatus.ON_HOLD


def test_a_coupon_used_without_any_click_from_the_buyer_is_flagged(
    network, make_affiliate, training_class, create_user
):
    affiliate = make_affiliate(network, code="LEAKED")
    commission = buy(create_user(), training_class, code=affiliate.coupons[0].code)
    [flag] = flags(FraudRule.COUPON_WITHOUT_CLICKS)
    assert flag.details["code"] == "LEAKED-10"
    assert commission.status == CommissionStatus.ON_HOLD
    # A click outside the window does not count as a matching click either.
    late = create_user()
    clicked(affiliate, late, at=DAY0 - timedelta(days=61))
    buy(late, training_class, code=affiliate.coupons[0].code)
    assert len(flags(FraudRule.COUPON_WITHOUT_CLICKS)) == 2


def test_clearing_after_the_holding_period_approves_at_once(network, make_affiliate, training_class, staff):
    affiliate = make_affiliate(network, code="LATECLEAR")
    clicked(affiliate, affiliate.user)
    commission = buy(affiliate.user, training_class)
    [flag] = flags(FraudRule.SELF_REFERRAL)
    fraud.decide(flag, confirm=False, actor_id=staff.id, note="Staff purchase allowed", now=DAY0 + timedelta(days=40))
    assert commission.status == CommissionStatus.APPROVED
    with pytest.raises(DomainError, match="already decided"):
        fraud.decide(flag, confirm=True, actor_id=staff.id, note="again")
