"""The demo seed builds the partner network the issue describes, and running it again adds nothing."""

from __future__ import annotations

import sqlalchemy as sa

from lms.core.demo import DemoContext
from lms.extensions import db
from lms.partners.models import (
    Allotment,
    ClassStaff,
    ClassStatus,
    CohortMember,
    JournalLine,
    Order,
    OrderStatus,
    PartnerMember,
    Seat,
    TrainingClass,
    VoucherBatch,
)
from lms.partners.services import ledger


def _seed() -> DemoContext:
    from lms.accounts import demo as accounts_demo
    from lms.courses import demo as courses_demo
    from lms.partners import demo as partners_demo

    context = DemoContext(password="demo-password-123", reset_passwords=True)
    for module in (accounts_demo, courses_demo, partners_demo):
        module.seed(context)
        db.session.flush()
    return context


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
        for model in (TrainingClass, Seat, Order, JournalLine, CohortMember, VoucherBatch, Allotment)
    )


def test_the_demo_network_is_complete_and_seeding_again_adds_nothing():
    context = _seed()
    gulf, euro = context.organisations["atp_gulf"], context.organisations["atp_euro"]
    published = (
        db.session.execute(sa.select(TrainingClass).where(TrainingClass.status == ClassStatus.PUBLISHED))
        .scalars()
        .all()
    )
    assert {tc.partner_id for tc in published} >= {gulf.id, euro.id}
    assert len({tc.language for tc in published}) >= 4 and len({tc.timezone for tc in published}) >= 3
    staff_of_gulf = (
        db.session.execute(sa.select(ClassStaff.user_id).join(TrainingClass).where(TrainingClass.partner_id == gulf.id))
        .scalars()
        .all()
    )
    assert {context.accounts["instructor@demo.lms"].id, context.accounts["proctor@demo.lms"].id} <= set(staff_of_gulf)
    resold = (
        db.session.execute(sa.select(Seat).where(Seat.reseller_id == euro.id, Seat.partner_id == gulf.id))
        .scalars()
        .all()
    )
    assert len(resold) >= 3
    assert db.session.execute(sa.select(Allotment).where(Allotment.partner_id == euro.id)).scalars().first() is not None
    assert db.session.execute(sa.select(sa.func.count()).select_from(CohortMember)).scalar_one() == 8
    assert db.session.execute(sa.select(sa.func.count()).select_from(PartnerMember)).scalar_one() >= 7
    statuses = set(db.session.execute(sa.select(Order.status)).scalars())
    assert {OrderStatus.PAID, OrderStatus.AWAITING_PAYMENT, OrderStatus.REFUNDED} <= statuses
    posted = db.session.execute(sa.select(sa.func.min(JournalLine.posted_at), sa.func.max(JournalLine.posted_at))).one()
    assert (posted[1] - posted[0]).days >= 20  # about a month of history
    assert ledger.check_balance().ok
    assert ledger.balances(ledger.AccountKind.PARTNER, gulf.id) and ledger.balances(ledger.AccountKind.PARTNER, euro.id)
    before = _counts()
    _seed()
    assert _counts() == before
