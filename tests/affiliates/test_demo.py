"""The demo seed: Sofia approved, three months of clicks, referred sales through the partners'
checkout, commissions in every state, one paid payout batch; running it again adds nothing."""

from __future__ import annotations

import sqlalchemy as sa

from lms.affiliates.models import (
    Affiliate,
    AffiliateStatus,
    Click,
    Commission,
    CommissionKind,
    CommissionStatus,
    OrderAttribution,
    Payout,
    PayoutStatus,
    Referral,
)
from lms.affiliates.services import commissions
from lms.core.demo import DemoContext
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.services import ledger


def _seed() -> DemoContext:
    from lms.accounts import demo as accounts_demo
    from lms.affiliates import demo as affiliates_demo
    from lms.courses import demo as courses_demo
    from lms.partners import demo as partners_demo

    context = DemoContext(password="demo-password-123", reset_passwords=True)
    for module in (accounts_demo, courses_demo, partners_demo, affiliates_demo):
        module.seed(context)
        db.session.flush()
    return context


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()
        for model in (Affiliate, Click, Commission, OrderAttribution, Payout, Referral)
    )


def test_the_demo_affiliate_has_every_state_and_seeding_again_adds_nothing():
    _seed()
    sofia = db.session.execute(sa.select(Affiliate).where(Affiliate.code == "SOFIA")).scalar_one()
    assert sofia.status == AffiliateStatus.APPROVED and sofia.user.email == "affiliate@demo.lms"
    first_click = db.session.execute(
        sa.select(sa.func.min(Click.occurred_at)).where(Click.affiliate_id == sofia.id)
    ).scalar_one()
    assert (utcnow() - first_click).days >= 85  # three months of clicks
    states = set(db.session.execute(sa.select(Commission.status).where(Commission.affiliate_id == sofia.id)).scalars())
    assert states == set(CommissionStatus)
    assert db.session.execute(sa.select(Commission.id).where(Commission.kind == CommissionKind.CLAWBACK)).first()
    [payout] = db.session.execute(sa.select(Payout)).scalars().all()
    assert payout.status == PayoutStatus.PAID and payout.items[0].affiliate_id == sofia.id
    assert commissions.ledger_totals(sofia.id) == commissions.unpaid_totals(sofia.id)
    assert ledger.check_balance().ok
    before = _counts()
    _seed()
    assert _counts() == before
