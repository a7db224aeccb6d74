"""Payout batches: staff select approved commissions of affiliates over their minimum, export the
payout CSV for the bank, and mark the batch paid (which posts the payout to the ledger)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from babel.numbers import get_currency_precision
from flask_babel import gettext as _

from lms.affiliates.models import (
    Affiliate,
    AffiliateStatus,
    Commission,
    CommissionStatus,
    Payout,
    PayoutItem,
    PayoutStatus,
)
from lms.affiliates.services import commissions as commission_service
from lms.affiliates.services.programmes import payout_minimum_of
from lms.core import audit
from lms.core.csvio import write_csv
from lms.core.db import advisory_lock
from lms.core.errors import Conflict, DomainError
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import AccountKind
from lms.partners.services import ledger

PAYOUT_LOCK = "affiliates.payouts"


@dataclass
class Candidate:
    affiliate: Affiliate
    currency: str
    amount: int
    count: int
    minimum: int

    @property
    def eligible(self) -> bool:
        return self.amount > 0 and self.amount >= self.minimum

    @property
    def key(self) -> str:
        return f"{self.affiliate.id}:{self.currency}"


def candidates() -> list[Candidate]:
    """Approved, unbatched commissions per approved affiliate and currency (clawbacks included)."""
    rows = db.session.execute(
        sa.select(Commission.affiliate_id, Commission.currency, sa.func.sum(Commission.amount), sa.func.count())
        .join(Affiliate, Affiliate.id == Commission.affiliate_id)
        .where(
            Commission.status == CommissionStatus.APPROVED,
            Commission.payout_id.is_(None),
            Affiliate.status == AffiliateStatus.APPROVED,
        )
        .group_by(Commission.affiliate_id, Commission.currency)
        .order_by(Commission.affiliate_id, Commission.currency)
    ).all()
    result = []
    for affiliate_id, currency, amount, count in rows:
        affiliate = db.session.get(Affiliate, affiliate_id)
        result.append(Candidate(affiliate, currency, int(amount), int(count), payout_minimum_of(affiliate)))
    return result


def create_batch(selection: list[str], *, actor_id: int, now: datetime | None = None) -> Payout:
    """A batch of the selected ``"<affiliate id>:<currency>"`` keys; each must be over its minimum."""
    advisory_lock(PAYOUT_LOCK)
    wanted = {key for key in selection if key}
    if not wanted:
        raise DomainError(_("Select at least one affiliate to pay."), field="selection")
    available = {c.key: c for c in candidates()}
    payout = Payout(created_by=actor_id, created_at=now or utcnow())
    db.session.add(payout)
    db.session.flush()
    for key in sorted(wanted):
        candidate = available.get(key)
        if candidate is None:
            raise Conflict(_("Something changed in the meantime: reload the page and select again."))
        if not candidate.eligible:
            raise DomainError(
                _("%(name)s is below their payout minimum.", name=candidate.affiliate.user.display_name),
                field="selection",
            )
        db.session.execute(
            sa.update(Commission)
            .where(
                Commission.affiliate_id == candidate.affiliate.id,
                Commission.currency == candidate.currency,
                Commission.status == CommissionStatus.APPROVED,
                Commission.payout_id.is_(None),
            )
            .values(payout_id=payout.id)
        )
        payout.items.append(
            PayoutItem(
                affiliate_id=candidate.affiliate.id,
                currency=candidate.currency,
                amount=candidate.amount,
                commission_count=candidate.count,
            )
        )
    db.session.flush()
    commission_service.recount_payout(payout)
    audit.record(
        "affiliates.payout_created",
        actor_id=actor_id,
        subject=payout,
        details={"items": [[i.affiliate_id, i.currency, i.amount] for i in payout.items]},
    )
    return payout


def major_units(amount: int, currency: str) -> str:
    """``12345`` USD → ``"123.45"`` (what banks' bulk-payment files expect)."""
    precision = get_currency_precision(currency)
    return f"{Decimal(amount).scaleb(-precision):.{precision}f}"


def export_csv(payout: Payout, *, actor_id: int) -> str:
    header = [
        "payout",
        "affiliate_id",
        "name",
        "email",
        "programme",
        "payout_method",
        "payout_details",
        "currency",
        "amount",
        "commissions",
    ]
    rows = [
        [
            payout.id,
            item.affiliate_id,
            item.affiliate.user.display_name,
            item.affiliate.user.email,
            item.affiliate.programme.name,
            item.affiliate.payout_method.value,
            item.affiliate.payout_details,
            item.currency,
            major_units(item.amount, item.currency),
            item.commission_count,
        ]
        for item in payout.items
    ]
    if payout.exported_at is None:
        payout.exported_at = utcnow()
    audit.record("affiliates.payout_exported", actor_id=actor_id, subject=payout)
    return write_csv(header, rows)


def mark_paid(payout: Payout, *, actor_id: int, reference: str = "", now: datetime | None = None) -> None:
    """The bank transfers went out: commissions become paid and the ledger records the payout."""
    advisory_lock(PAYOUT_LOCK)
    if payout.status != PayoutStatus.OPEN:
        raise Conflict(_("This payout is already closed."))
    if not payout.items:
        raise DomainError(_("This payout has nobody left to pay."))
    now = now or utcnow()
    for item in payout.items:
        ledger.post(
            f"payout:{payout.id}:affiliate:{item.affiliate_id}:{item.currency}",
            kind="payout",
            currency=item.currency,
            postings=[
                ledger.Posting(AccountKind.AFFILIATE, item.affiliate_id, -item.amount, "payout", now),
                ledger.Posting(AccountKind.PAYMENTS, 0, item.amount, "payout", now),
            ],
            memo=f"affiliate payout {payout.id}",
            posted_at=now,
        )
    paid = list(
        db.session.execute(
            sa.select(Commission).where(
                Commission.payout_id == payout.id, Commission.status == CommissionStatus.APPROVED
            )
        ).scalars()
    )
    for commission in paid:
        commission.paid_at = now
        commission_service.record_status(
            commission, CommissionStatus.PAID, now, actor_id=actor_id, note=f"payout {payout.id}"
        )
    payout.status = PayoutStatus.PAID
    payout.paid_at = now
    payout.paid_by = actor_id
    payout.reference = (reference or "").strip()[:120] or None
    db.session.flush()
    audit.record(
        "affiliates.payout_paid",
        actor_id=actor_id,
        subject=payout,
        details={"reference": payout.reference, "commissions": len(paid)},
    )


def cancel(payout: Payout, *, actor_id: int) -> None:
    advisory_lock(PAYOUT_LOCK)
    if payout.status != PayoutStatus.OPEN:
        raise Conflict(_("This payout is already closed."))
    db.session.execute(sa.update(Commission).where(Commission.payout_id == payout.id).values(payout_id=None))
    payout.status = PayoutStatus.CANCELLED
    audit.record("affiliates.payout_cancelled", actor_id=actor_id, subject=payout)


def recent(limit: int = 20) -> list[Payout]:
    return list(db.session.execute(sa.select(Payout).order_by(Payout.id.desc()).limit(limit)).scalars())
