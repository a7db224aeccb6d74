"""The journal's invariants: entries balance per currency, keys are posted once, rows are never edited,
splits add up, refunds reverse exactly, and no party's balance moves without a posting of its own."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import (
    AccountKind,
    JournalLine,
    LedgerAccount,
    LineKind,
    Order,
    OrderLine,
    OrderStatus,
)
from lms.partners.services import ledger, orders
from lms.partners.services.ledger import LedgerError, Posting


@pytest.fixture
def sale_line(create_user, make_version):
    """``sale_line(amount, shares, delivering, reseller, currency)`` → a paid order line (not yet posted)."""
    version = make_version()
    buyer = create_user()

    def factory(
        amount: int, shares: tuple[int, int, int], delivering: int | None, reseller: int | None, currency="EUR"
    ):
        order = Order(
            buyer_user_id=buyer.id, currency=currency, status=OrderStatus.PAID, provider="test", paid_at=utcnow()
        )
        line = OrderLine(
            kind=LineKind.ELEARNING_SEAT,
            course_version_id=version.id,
            quantity=1,
            unit_list_amount=amount,
            unit_amount=amount,
            net_amount=amount,
            delivering_partner_id=delivering,
            reseller_id=reseller,
            split_delivering_bp=shares[0],
            split_reseller_bp=shares[1],
            split_body_bp=shares[2],
        )
        order.lines.append(line)
        db.session.add(order)
        db.session.flush()
        order.number = f"T-{order.id}"
        order.total_amount = order.net_amount = amount
        return line

    return factory


def _balances() -> dict[tuple[str, int, str], int]:
    rows = db.session.execute(
        sa.select(LedgerAccount.kind, LedgerAccount.owner_id, JournalLine.currency, sa.func.sum(JournalLine.amount))
        .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
        .group_by(LedgerAccount.kind, LedgerAccount.owner_id, JournalLine.currency)
    ).all()
    return {(kind.value, owner, currency): int(total) for kind, owner, currency, total in rows}


def _entry_effect(entry) -> Counter:
    effect: Counter = Counter()
    for line in entry.lines:
        effect[(line.account.kind.value, line.account.owner_id, line.currency)] += line.amount
    return effect


def test_a_sale_splits_three_ways_exactly_and_is_posted_once(sale_line, make_partner, body):
    delivering, _a = make_partner()
    reseller, _b = make_partner()
    line = sale_line(10001, (6000, 2000, 2000), delivering.id, reseller.id)
    entry = ledger.post_sale(line, refund_window_days=14)
    parts = {item.role: item.amount for item in entry.lines}
    assert parts == {"payment": -10001, "delivering": 6001, "reseller": 2000, "body": 2000}
    assert ledger.post_sale(line, refund_window_days=14).id == entry.id  # the same key: nothing new
    assert db.session.execute(sa.select(sa.func.count()).select_from(JournalLine)).scalar_one() == 4
    assert ledger.check_balance().ok


def test_an_unbalanced_entry_is_refused(body):
    with pytest.raises(LedgerError):
        ledger.post(
            "bad:1",
            kind="manual",
            currency="USD",
            postings=[
                Posting(AccountKind.BODY, body.id, 100, "body"),
                Posting(AccountKind.PAYMENTS, 0, -99, "payment"),
            ],
        )


def test_journal_rows_are_never_edited_or_deleted(sale_line, make_partner, body):
    delivering, _a = make_partner()
    entry = ledger.post_sale(sale_line(5000, (7000, 0, 3000), delivering.id, None), refund_window_days=14)
    entry.lines[0].amount += 1
    with pytest.raises(LedgerError):
        db.session.flush()
    db.session.rollback()


def test_earnings_are_pending_during_the_refund_window_then_available(sale_line, make_partner, body):
    delivering, _a = make_partner()
    now = utcnow()
    with time_machine.travel(now, tick=False):
        ledger.post_sale(sale_line(10000, (7000, 0, 3000), delivering.id, None), refund_window_days=14)
        [balance] = ledger.balances(AccountKind.PARTNER, delivering.id)
        assert (balance.pending, balance.available) == (7000, 0)
    with time_machine.travel(now + timedelta(days=15), tick=False):
        [balance] = ledger.balances(AccountKind.PARTNER, delivering.id)
        assert (balance.pending, balance.available) == (0, 7000)


def test_a_refund_inside_the_window_nets_out_the_pending_amount(sale_line, make_partner, body):
    delivering, _a = make_partner()
    line = sale_line(10000, (7000, 0, 3000), delivering.id, None)
    ledger.post_sale(line, refund_window_days=14)
    orders.refund(
        line.order, line=line, seats_count=0, amount=10000, reason="goodwill", actor_id=None, cancel_seats=False
    )
    [balance] = ledger.balances(AccountKind.PARTNER, delivering.id)
    assert (balance.pending, balance.available) == (0, 0)
    with time_machine.travel(utcnow() + timedelta(days=20), tick=False):
        [balance] = ledger.balances(AccountKind.PARTNER, delivering.id)
        assert (balance.pending, balance.available) == (0, 0)


shares = st.sampled_from([(6000, 2000, 2000), (7000, 0, 3000), (3333, 3333, 3334), (0, 2500, 7500), (10000, 0, 0)])
sales = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=5_000_000),
        shares,
        st.sampled_from(["EUR", "USD", "AED"]),
        st.lists(st.integers(min_value=1, max_value=100), max_size=3),  # refunds, as percentages of what is left
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=sales)
def test_any_sequence_of_sales_and_refunds_balances_and_moves_only_posted_parties(plan, sale_line, make_partner, body):
    with db.session.begin_nested() as savepoint:
        delivering, _a = make_partner()
        reseller, _b = make_partner()
        for amount, split, currency, refund_percents in plan:
            line = sale_line(
                amount,
                split,
                delivering.id if split[0] else None,
                reseller.id if split[1] else None,
                currency,
            )
            before = _balances()
            entry = ledger.post_sale(line, refund_window_days=14)
            after = _balances()
            changed = Counter({k: after.get(k, 0) - before.get(k, 0) for k in set(after) | set(before)})
            assert +changed == +_entry_effect(entry) and -changed == -_entry_effect(entry)
            parts = ledger.sale_parts(line, amount)
            assert sum(parts.values()) == amount and min(parts.values()) >= 0
            for percent in refund_percents:
                left = line.net_amount - line.refunded_amount
                if left == 0:
                    break
                refund_amount = max(1, left * percent // 100)
                before = _balances()
                record = orders.refund(
                    line.order,
                    line=line,
                    seats_count=0,
                    amount=refund_amount,
                    reason="test",
                    actor_id=None,
                    cancel_seats=False,
                )
                entry = ledger.existing_entry(f"refund:{record.id}:line:{line.id}")
                after = _balances()
                changed = Counter({k: after.get(k, 0) - before.get(k, 0) for k in set(after) | set(before)})
                assert +changed == +_entry_effect(entry) and -changed == -_entry_effect(entry)
            if line.refunded_amount == line.net_amount:
                # A fully refunded line leaves every party exactly where it was before the sale.
                for role, part in ledger.sale_parts(line, amount).items():
                    if part:
                        rows = db.session.execute(
                            sa.select(sa.func.sum(JournalLine.amount))
                            .join(ledger.JournalEntry, ledger.JournalEntry.id == JournalLine.entry_id)
                            .where(ledger.JournalEntry.order_line_id == line.id, JournalLine.role == role)
                        ).scalar_one()
                        assert rows == 0
        check = ledger.check_balance()
        assert check.ok, check
        savepoint.rollback()
