"""Commissions and their history, payout batches, and fraud flags with their review."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import enum_column
from lms.core.time import utcnow
from lms.extensions import db


class CommissionStatus(enum.StrEnum):
    PENDING = "pending"  # inside the holding period
    ON_HOLD = "on_hold"  # a fraud flag is open: waits for staff
    APPROVED = "approved"  # payable in the next payout
    PAID = "paid"
    VOIDED = "voided"  # refunded before payout
    REJECTED = "rejected"  # staff confirmed a fraud flag


#: Statuses whose amount is still owed to the affiliate (and sits on its ledger account).
UNPAID = (CommissionStatus.PENDING, CommissionStatus.ON_HOLD, CommissionStatus.APPROVED)


class CommissionKind(enum.StrEnum):
    SALE = "sale"
    CLAWBACK = "clawback"  # negative: a refund after the sale's commission was paid


class Commission(db.Model):
    __tablename__ = "affiliate_commissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    affiliate_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliates.id"), index=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliate_programmes.id"), index=True)
    #: The programme's partner (NULL for the network programme).
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    kind: Mapped[CommissionKind] = mapped_column(enum_column(CommissionKind, 16), default=CommissionKind.SALE)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(sa.ForeignKey("order_lines.id"), index=True)
    #: Copied from the order line so a partner sees what reached its classes from any programme.
    delivering_partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    reseller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affiliate_commission_rules.id"))
    #: The rule as it was applied (rate or flat amount, tier, product kind, base, payer, cap).
    rule_snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: The line's amount after discounts and before tax that the commission was computed on.
    base_amount: Mapped[int]
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    #: Whose share pays it: "body" or "partner" (+ ``payer_owner_id``).
    payer_kind: Mapped[str] = mapped_column(sa.String(16))
    payer_owner_id: Mapped[int] = mapped_column(default=0)
    status: Mapped[CommissionStatus] = mapped_column(enum_column(CommissionStatus, 16), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: End of the holding period: approved automatically from then unless flagged.
    hold_until: Mapped[datetime]
    approved_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    voided_at: Mapped[datetime | None]
    payout_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affiliate_payouts.id"), index=True)
    #: A clawback points at the paid commission it corrects; a replacement at the one it replaced.
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affiliate_commissions.id"))

    affiliate = relationship("Affiliate", lazy="joined")
    events: Mapped[list[CommissionEvent]] = relationship(
        back_populates="commission", order_by="CommissionEvent.id", lazy="selectin"
    )


class CommissionEvent(db.Model):
    """One state change of a commission, with its date: what the affiliate sees in the history."""

    __tablename__ = "affiliate_commission_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliate_commissions.id"), index=True)
    status: Mapped[CommissionStatus] = mapped_column(enum_column(CommissionStatus, 16))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(sa.String(300))

    commission: Mapped[Commission] = relationship(back_populates="events")


class PayoutStatus(enum.StrEnum):
    OPEN = "open"  # selected and exported, not paid yet
    PAID = "paid"
    CANCELLED = "cancelled"


class Payout(db.Model):
    """A payout batch: approved commissions of several affiliates, exported as CSV and marked paid.

    The network pays every programme's affiliates: a partner programme's commissions were already
    taken from that partner's share on the ledger when they were earned.
    """

    __tablename__ = "affiliate_payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[PayoutStatus] = mapped_column(enum_column(PayoutStatus, 16), default=PayoutStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    exported_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    paid_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reference: Mapped[str | None] = mapped_column(sa.String(120))

    items: Mapped[list[PayoutItem]] = relationship(
        back_populates="payout", order_by="PayoutItem.id", lazy="selectin", cascade="all, delete-orphan"
    )


class PayoutItem(db.Model):
    """What one affiliate receives in one currency in a batch."""

    __tablename__ = "affiliate_payout_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    payout_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliate_payouts.id"), index=True)
    affiliate_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliates.id"), index=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    commission_count: Mapped[int]

    payout: Mapped[Payout] = relationship(back_populates="items")
    affiliate = relationship("Affiliate", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("payout_id", "affiliate_id", "currency"),)


class FraudRule(enum.StrEnum):
    SELF_REFERRAL = "self_referral"
    PARTNER_STAFF = "partner_staff"
    DUPLICATE_PAYOUT = "duplicate_payout"
    CLICK_FLOOD = "click_flood"
    COUPON_WITHOUT_CLICKS = "coupon_without_clicks"


class FlagStatus(enum.StrEnum):
    OPEN = "open"
    CLEARED = "cleared"  # staff found nothing wrong: held commissions continue
    CONFIRMED = "confirmed"  # fraud: the held commissions are rejected


class FraudFlag(db.Model):
    """A fraud signal waiting for staff. On a commission it holds that one; without, every open one."""

    __tablename__ = "affiliate_fraud_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    affiliate_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliates.id"), index=True)
    commission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affiliate_commissions.id"), index=True)
    rule: Mapped[FraudRule] = mapped_column(enum_column(FraudRule, 24))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[FlagStatus] = mapped_column(enum_column(FlagStatus, 16), default=FlagStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(sa.Text)
    #: Set for checks that run again (click floods): one open flag per affiliate, rule and key.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)

    affiliate = relationship("Affiliate", lazy="joined")
    commission = relationship("Commission", lazy="joined")
