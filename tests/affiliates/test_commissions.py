"""Commission rules (selection, tiers on last month, flat and percentage, payer and cap) and the
lifecycle: holding period, approval by the periodic task, refunds before and after payout, payouts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.affiliates.models import (
    AttributionRule,
    Click,
    ClickKind,
    Commission,
    CommissionKind,
    CommissionStatus,
    OrderAttribution,
    Payer,
    PayoutStatus,
    ProductKind,
)
from lms.affiliates.services import attribution, commissions, payouts, programmes
from lms.core import signals
from lms.core.errors import DomainError
from lms.extensions import db
from lms.partners.models import AccountKind, JournalLine, LedgerAccount
from lms.partners.services import ledger, orders

DAY0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
def sell(network, create_user):
    """``sell(affiliate, class_or_version, at=…, elearning=False)`` → a paid order credited by coupon
    (the buyer clicked the affiliate's link an hour before, so no fraud check fires)."""

    def factory(affiliate, product, *, at=DAY0, elearning=False, storefront=None):
        learner = create_user()
        db.session.add(
            Click(
                affiliate_id=affiliate.id,
                occurred_at=at - timedelta(hours=1),
                kind=ClickKind.UNIQUE,
                visitor_id=f"visitor{learner.id:015d}",
                user_id=learner.id,
                ip_hash="0" * 16,
                landing_path="/",
            )
        )
        with time_machine.travel(at, tick=False):
            if elearning:
                order = orders.start_elearning_order(learner, product.id)
            else:
                order = orders.start_class_order(learner, product.id, storefront_partner_id=storefront)
            orders.apply_code(order, affiliate.coupons[0].code, learner)
            orders.pay(order, provider_code="test", actor=learner)
            result = attribution.attribute_order(order.id)
        assert result.rule == AttributionRule.COUPON
        return order

    return factory


@pytest.fixture
def seat(make_partner, make_class):
    partner, _admin = make_partner()

    def factory(price=100000):
        return make_class(partner, days=300, price=price, academic=None, association=None)

    factory.partner = partner
    return factory


def commission_of(order) -> Commission:
    return (
        db.session.execute(sa.select(Commission).where(Commission.order_id == order.id).order_by(Commission.id))
        .scalars()
        .first()
    )


def test_the_most_specific_rule_wins_and_each_commission_records_it(
    network, make_affiliate, seat, make_version, sell, staff
):
    star, regular = make_affiliate(network, code="STAR"), make_affiliate(network, code="REGULAR")
    classes_rule = programmes.create_rule(
        network, actor_id=staff.id, name="Class seats", product_kind=ProductKind.CLASS_SEAT, rate_bp=1500
    )
    star_rule = programmes.create_rule(
        network, actor_id=staff.id, name="Star", affiliate_id=star.id, product_kind=ProductKind.CLASS_SEAT, rate_bp=2000
    )
    flat = programmes.create_rule(
        network,
        actor_id=staff.id,
        name="eLearning flat",
        product_kind=ProductKind.ELEARNING_SEAT,
        flat_amount=2500,
        currency="USD",
    )
    # A class seat (net 90 000 after the 10 % coupon).
    assert commission_of(sell(regular, seat())).rule_id == classes_rule.id
    starred = commission_of(sell(star, seat()))
    assert (starred.rule_id, starred.amount, starred.base_amount) == (star_rule.id, 18000, 90000)
    assert starred.rule_snapshot["rate_bp"] == 2000 and starred.rule_snapshot["for_affiliate"] is True
    # eLearning: the flat amount per seat; in another currency the flat rule does not apply.
    usd = commission_of(sell(regular, make_version(price=20000, currency="USD"), elearning=True))
    assert (usd.rule_id, usd.amount) == (flat.id, 2500)
    eur = commission_of(sell(regular, make_version(price=20000, currency="EUR"), elearning=True))
    assert eur.rule_snapshot["name"] == "Standard rate" and eur.amount == 1800
    # Retiring a rule: new sales fall back to the next one; old commissions keep theirs.
    programmes.deactivate_rule(star_rule, actor_id=staff.id)
    assert commission_of(sell(star, seat())).rule_id == classes_rule.id
    assert starred.rule_id == star_rule.id


def test_volume_tiers_count_the_previous_calendar_month(network, make_affiliate, seat, sell, staff):
    affiliate = make_affiliate(network, code="TIERED")
    tier = programmes.create_rule(network, actor_id=staff.id, name="3+ sales", rate_bp=1500, min_monthly_sales=3)
    april = datetime(2026, 4, 10, tzinfo=UTC)
    for day in range(2):
        assert commission_of(sell(affiliate, seat(), at=april + timedelta(days=day))).rule_id != tier.id
    # Third sale in April: still the standard rate (the tier looks at March, which had none).
    assert (
        commission_of(sell(affiliate, seat(), at=april + timedelta(days=5))).rule_snapshot["previous_month_sales"] == 0
    )
    may = commission_of(sell(affiliate, seat(), at=datetime(2026, 5, 2, tzinfo=UTC)))
    assert (may.rule_id, may.rule_snapshot["previous_month_sales"], may.amount) == (tier.id, 3, 13500)
    # June looks at May (one sale): back to the standard rate.
    june = commission_of(sell(affiliate, seat(), at=datetime(2026, 6, 1, tzinfo=UTC)))
    assert june.rule_id != tier.id and june.amount == 9000


def test_a_refunded_sale_does_not_count_towards_next_months_tier(network, make_affiliate, seat, sell, staff):
    affiliate = make_affiliate(network, code="REFUNDS")
    programmes.create_rule(network, actor_id=staff.id, name="2+ sales", rate_bp=1500, min_monthly_sales=2)
    first = sell(affiliate, seat(), at=datetime(2026, 4, 3, tzinfo=UTC))
    sell(affiliate, seat(), at=datetime(2026, 4, 4, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 4, 5, tzinfo=UTC), tick=False):
        orders.refund(first, line=first.lines[0], seats_count=1, reason="changed mind", actor_id=staff.id)
        commissions.apply_refund(first.refunds[0].id)
    assert commissions.previous_month_sales(affiliate.id, datetime(2026, 5, 1, tzinfo=UTC)) == 1


def test_the_network_pays_out_of_the_bodys_share_a_partner_programme_out_of_the_partners(
    network, partner_programme, make_affiliate, seat, sell, staff, body
):
    network_affiliate = make_affiliate(network, code="NETPAY")
    order = sell(network_affiliate, seat())
    commission = commission_of(order)
    assert (commission.payer_kind, commission.payer_owner_id) == ("body", body.id)
    own = partner_programme(seat.partner)
    partner_affiliate = make_affiliate(own, code="OWNPAY")
    commission = commission_of(sell(partner_affiliate, seat()))
    assert (commission.payer_kind, commission.payer_owner_id) == ("partner", seat.partner.id)
    # The journal entry moves the amount from the payer's account to the affiliate's.
    entry = ledger.existing_entry(f"commission:{commission.id}")
    moved = {(line.account.kind, line.role): line.amount for line in entry.lines}
    assert moved == {(AccountKind.PARTNER, "affiliate"): -9000, (AccountKind.AFFILIATE, "commission"): 9000}
    # A rule may say otherwise: the body sponsors the partner programme's eLearning… here class seats.
    programmes.create_rule(own, actor_id=staff.id, name="Sponsored", rate_bp=500, payer=Payer.BODY)
    sponsored = commission_of(sell(partner_affiliate, seat()))
    assert (sponsored.payer_kind, sponsored.amount) == ("body", 4500)


def test_a_commission_never_exceeds_the_payers_share(network, make_affiliate, seat, sell, staff):
    affiliate = make_affiliate(network, code="GREEDY")
    programmes.create_rule(network, actor_id=staff.id, name="Too generous", rate_bp=5000)
    commission = commission_of(sell(affiliate, seat()))
    # The body's share of a partner's own class is 30 % of 90 000.
    assert commission.amount == 27000 and commission.rule_snapshot["capped"] is True


def test_bad_rules_are_refused_with_a_message(network, staff):
    with pytest.raises(DomainError, match="either a percentage or a flat"):
        programmes.create_rule(network, actor_id=staff.id, name="Both", rate_bp=100, flat_amount=100, currency="USD")
    with pytest.raises(DomainError, match="currency"):
        programmes.create_rule(network, actor_id=staff.id, name="Flat", flat_amount=100)
    with pytest.raises(DomainError, match="between 0 and 100"):
        programmes.create_rule(network, actor_id=staff.id, name="Over", rate_bp=10001)


# --- lifecycle -----------------------------------------------------------------------------------


def _events(commission: Commission) -> list[str]:
    return [event.status.value for event in commission.events]


def test_pending_for_the_holding_period_then_approved_by_the_periodic_task(network, make_affiliate, seat, sell):
    affiliate = make_affiliate(network, code="WAITS")
    commission = commission_of(sell(affiliate, seat()))
    assert (commission.status, commission.hold_until) == (CommissionStatus.PENDING, DAY0 + timedelta(days=30))
    heard = []

    def listener(sender=None, **data):
        heard.append(data)

    signals.commission_approved.connect(listener)
    try:
        assert commissions.approve_due(DAY0 + timedelta(days=29)) == []
        assert commissions.approve_due(DAY0 + timedelta(days=30)) == [commission.id]
    finally:
        signals.commission_approved.disconnect(listener)
    assert heard == [{"commission_id": commission.id, "affiliate_id": affiliate.id}]
    assert commission.status == CommissionStatus.APPROVED
    assert _events(commission) == ["pending", "approved"]
    assert [e.at for e in commission.events] == [DAY0, DAY0 + timedelta(days=30)]


def test_a_refund_before_payout_voids_the_commission(network, make_affiliate, seat, sell, staff):
    affiliate = make_affiliate(network, code="VOIDED")
    order = sell(affiliate, seat())
    commission = commission_of(order)
    with time_machine.travel(DAY0 + timedelta(days=3), tick=False):
        orders.refund(order, line=order.lines[0], seats_count=1, reason="cancelled", actor_id=staff.id)
        commissions.apply_refund(order.refunds[0].id)
        commissions.apply_refund(order.refunds[0].id)  # twice: nothing more happens
    assert commission.status == CommissionStatus.VOIDED
    assert commission.voided_at == DAY0 + timedelta(days=3)
    assert commissions.ledger_totals(affiliate.id) == {} == commissions.unpaid_totals(affiliate.id)
    assert ledger.check_balance().ok


def test_a_partial_refund_reissues_the_commission_on_what_is_left(network, make_affiliate, seat, sell, staff):
    affiliate = make_affiliate(network, code="PARTIAL")
    order = sell(affiliate, seat())
    original = commission_of(order)
    assert (original.base_amount, original.amount) == (90000, 9000)
    with time_machine.travel(DAY0 + timedelta(days=1), tick=False):
        # A goodwill refund of 30.00 on the seat (the seat is kept).
        orders.refund(order, line=order.lines[0], seats_count=0, amount=3000, reason="late start", actor_id=staff.id)
        commissions.apply_refund(order.refunds[0].id)
    live = db.session.query(Commission).filter(Commission.status == CommissionStatus.PENDING).one()
    assert (live.amount, live.base_amount, live.corrects_id, live.hold_until) == (
        8700,
        87000,
        original.id,
        original.hold_until,
    )
    assert original.status == CommissionStatus.VOIDED
    assert commissions.ledger_totals(affiliate.id) == {"USD": 8700}


def test_a_refund_after_payout_is_taken_off_the_next_payout(network, make_affiliate, seat, sell, staff):
    affiliate = make_affiliate(network, code="CLAWED")
    first, second = sell(affiliate, seat()), sell(affiliate, seat(), at=DAY0 + timedelta(days=40))
    with time_machine.travel(DAY0 + timedelta(days=31), tick=False):
        commissions.approve_due()
        batch = payouts.create_batch([f"{affiliate.id}:USD"], actor_id=staff.id)
        assert "9000" not in payouts.export_csv(batch, actor_id=staff.id)  # amounts are in major units
        payouts.mark_paid(batch, actor_id=staff.id, reference="BANK-1")
    paid = commission_of(first)
    assert (paid.status, paid.paid_at, batch.status) == (
        CommissionStatus.PAID,
        DAY0 + timedelta(days=31),
        PayoutStatus.PAID,
    )
    assert commissions.ledger_totals(affiliate.id) == {"USD": 9000}  # the second sale, still pending
    with time_machine.travel(DAY0 + timedelta(days=45), tick=False):
        orders.refund(first, line=first.lines[0], seats_count=1, reason="late refund", actor_id=staff.id)
        commissions.apply_refund(first.refunds[0].id)
    clawback = db.session.query(Commission).filter_by(kind=CommissionKind.CLAWBACK).one()
    assert (clawback.amount, clawback.status, clawback.corrects_id) == (-9000, CommissionStatus.APPROVED, paid.id)
    assert paid.status == CommissionStatus.PAID  # what was paid stays paid
    assert commissions.ledger_totals(affiliate.id) == {} == commissions.unpaid_totals(affiliate.id)
    # The second sale is approved later: it and the clawback net to zero, below any minimum.
    with time_machine.travel(DAY0 + timedelta(days=71), tick=False):
        commissions.approve_due()
        [candidate] = payouts.candidates()
        assert (candidate.amount, candidate.count, candidate.eligible) == (0, 2, False)
        with pytest.raises(DomainError, match="below"):
            payouts.create_batch([candidate.key], actor_id=staff.id)
    assert commission_of(second).status == CommissionStatus.APPROVED


def test_payouts_respect_each_affiliates_minimum_and_the_csv_names_the_account(
    network, make_affiliate, seat, sell, staff
):
    small, large = make_affiliate(network, code="SMALL"), make_affiliate(network, code="LARGE")
    large.payout_minimum = 10000
    sell(small, seat(price=20000))  # 1 800 commission: under the default 50.00 minimum
    for _i in range(2):
        sell(large, seat())
    with time_machine.travel(DAY0 + timedelta(days=30), tick=False):
        commissions.approve_due()
        found = {c.affiliate.code: c for c in payouts.candidates()}
        assert (found["SMALL"].eligible, found["LARGE"].eligible, found["LARGE"].amount) == (False, True, 18000)
        batch = payouts.create_batch([found["LARGE"].key], actor_id=staff.id)
        text = payouts.export_csv(batch, actor_id=staff.id)
    assert "180.00" in text and large.payout_details in text and "LARGE" not in text.split("\r\n")[0]
    assert batch.exported_at is not None and batch.items[0].commission_count == 2


def test_a_cancelled_batch_frees_its_commissions(network, make_affiliate, seat, sell, staff):
    affiliate = make_affiliate(network, code="FREED")
    for _i in range(6):
        sell(affiliate, seat())
    with time_machine.travel(DAY0 + timedelta(days=30), tick=False):
        commissions.approve_due()
        batch = payouts.create_batch([f"{affiliate.id}:USD"], actor_id=staff.id)
        payouts.cancel(batch, actor_id=staff.id)
        assert payouts.candidates()[0].amount == 54000
        with pytest.raises(Exception, match="closed"):
            payouts.mark_paid(batch, actor_id=staff.id)


# --- the invariant ---------------------------------------------------------------------------------

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("sell"), st.integers(min_value=0, max_value=0), st.integers(min_value=5000, max_value=90000)),
        # refund: which sale, and how much of what is left (in quarters; 4 = everything, with the seat)
        st.tuples(st.just("refund"), st.integers(min_value=0, max_value=20), st.integers(min_value=1, max_value=4)),
        st.tuples(st.just("wait"), st.integers(min_value=1, max_value=40), st.just(0)),
        st.tuples(st.just("payout"), st.just(0), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_the_affiliates_ledger_balance_always_matches_the_commissions(
    actions, network, make_affiliate, make_partner, make_class, create_user, staff
):
    """Any sequence of sales, partial refunds, waiting and payouts: the affiliate's journal balance is
    what they are still owed, payouts plus that equal what they earned, and the journal balances."""
    with db.session.begin_nested() as savepoint:
        affiliate = make_affiliate(network)
        partner, _admin = make_partner()
        now = DAY0
        sold = []
        for action, a, b in actions:
            with time_machine.travel(now, tick=False):
                if action == "sell":
                    buyer = create_user()
                    db.session.add(
                        Click(
                            affiliate_id=affiliate.id,
                            occurred_at=now - timedelta(hours=1),
                            kind=ClickKind.UNIQUE,
                            user_id=buyer.id,
                            ip_hash="0" * 16,
                            landing_path="/",
                        )
                    )
                    training_class = make_class(partner, days=400, price=b, academic=None, association=None)
                    order = orders.start_class_order(buyer, training_class.id)
                    orders.apply_code(order, affiliate.coupons[0].code, buyer)
                    orders.pay(order, provider_code="test", actor=buyer)
                    attribution.attribute_order(order.id)
                    sold.append(order)
                elif action == "refund" and sold:
                    order = sold[a % len(sold)]
                    line = order.lines[0]
                    _seats_left, amount_left = orders.refundable(line)
                    if amount_left > 0:
                        if b == 4:
                            orders.refund(order, line=line, seats_count=1, reason="r", actor_id=staff.id)
                        else:
                            amount = max(1, amount_left * b // 4)
                            orders.refund(order, line=line, seats_count=0, amount=amount, reason="r", actor_id=staff.id)
                        commissions.apply_refund(order.refunds[-1].id)
                elif action == "wait":
                    now += timedelta(days=a)
                elif action == "payout":
                    commissions.approve_due(now)
                    keys = [c.key for c in payouts.candidates() if c.eligible]
                    if keys:
                        payouts.mark_paid(payouts.create_batch(keys, actor_id=staff.id), actor_id=staff.id)
            assert commissions.ledger_totals(affiliate.id) == {
                k: v for k, v in commissions.unpaid_totals(affiliate.id).items() if v
            }
        earned = db.session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Commission.amount), 0)).where(
                Commission.affiliate_id == affiliate.id,
                Commission.status.in_([CommissionStatus.PENDING, CommissionStatus.APPROVED, CommissionStatus.PAID]),
            )
        ).scalar_one()
        paid_out = commissions.payout_items_total(affiliate.id).get("USD", 0)
        assert paid_out + commissions.unpaid_totals(affiliate.id).get("USD", 0) == earned
        # What a fully refunded line still owes the affiliate is zero, paid or not.
        for order in sold:
            line = order.lines[0]
            if line.refunded_amount == line.net_amount:
                owed = db.session.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(Commission.amount), 0)).where(
                        Commission.order_line_id == line.id,
                        Commission.status.not_in([CommissionStatus.VOIDED, CommissionStatus.REJECTED]),
                    )
                ).scalar_one()
                assert owed == 0
        assert ledger.check_balance().ok
        affiliate_account = ledger.account_id_of(AccountKind.AFFILIATE, affiliate.id)
        assert affiliate_account is None or db.session.get(LedgerAccount, affiliate_account) is not None
        assert all(line.amount != 0 for line in db.session.query(JournalLine))
        assert db.session.query(OrderAttribution).count() == len(sold)
        savepoint.rollback()
    db.session.expunge_all()  # the next example must not meet this one's objects
