"""Orders, their lines and refunds. Amounts are integer minor units in the order's currency."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.time import utcnow
from lms.extensions import db


class OrderStatus(enum.StrEnum):
    OPEN = "open"  # in checkout, seats held for a few minutes
    AWAITING_PAYMENT = "awaiting_payment"  # invoice sent, seats held until the due date
    PAID = "paid"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUNDED = "refunded"  # fully refunded (partial refunds keep PAID and record refunds)


class Channel(enum.StrEnum):
    """Who brought the sale, for revenue shares and (later) commissions."""

    DIRECT = "direct"  # the learner bought from the network's own pages
    PARTNER = "partner"  # a partner sold its own or resold seats (storefront, reservation, voucher)
    REFERRAL = "referral"  # a code answered by another domain (affiliates) through checkout_code_lookup


class PriceTier(enum.StrEnum):
    LIST = "list"
    ACADEMIC = "academic"
    ASSOCIATION = "association"


class Order(TimestampMixin, db.Model):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(sa.String(24), unique=True)
    buyer_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    #: Set when a partner buys (reserves seats for its own learners or clients).
    buyer_partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    #: The partner whose storefront the learner bought from, if any.
    storefront_partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus, 20), default=OrderStatus.OPEN, index=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    #: Sum of list prices; then the tier and code discounts; ``net_amount`` is after discounts, before tax.
    list_amount: Mapped[int] = mapped_column(default=0)
    discount_amount: Mapped[int] = mapped_column(default=0)
    net_amount: Mapped[int] = mapped_column(default=0)
    tax_amount: Mapped[int] = mapped_column(default=0)
    total_amount: Mapped[int] = mapped_column(default=0)
    refunded_amount: Mapped[int] = mapped_column(default=0)
    price_tier: Mapped[PriceTier] = mapped_column(enum_column(PriceTier, 16), default=PriceTier.LIST)
    #: The academic partner or association that confirmed the learner's membership for the tier.
    tier_partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    #: The code the buyer entered, and what answered it ("voucher" or the domain that did).
    code: Mapped[str | None] = mapped_column(sa.String(40))
    code_source: Mapped[str | None] = mapped_column(sa.String(40))
    code_ref: Mapped[str | None] = mapped_column(sa.String(80))
    voucher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("vouchers.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 16), default=Channel.DIRECT)
    #: Why that channel: {"rule": "storefront", "partner_id": 3} — read by revenue shares and affiliates.
    channel_reason: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provider: Mapped[str | None] = mapped_column(sa.String(20))
    provider_ref: Mapped[str | None] = mapped_column(sa.String(120))
    po_number: Mapped[str | None] = mapped_column(sa.String(80))
    #: Seats are held until then (checkout: minutes; invoice: the due date).
    hold_expires_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id", lazy="selectin"
    )
    refunds: Mapped[list[Refund]] = relationship(back_populates="order", order_by="Refund.id")
    buyer = relationship("User", foreign_keys=[buyer_user_id])
    buyer_partner = relationship("Organisation", foreign_keys=[buyer_partner_id])

    @property
    def seat_count(self) -> int:
        return sum(line.quantity for line in self.lines)


class LineKind(enum.StrEnum):
    CLASS_SEAT = "class_seat"
    ELEARNING_SEAT = "elearning_seat"


class OrderLine(db.Model):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LineKind] = mapped_column(enum_column(LineKind, 20))
    class_id: Mapped[int | None] = mapped_column(sa.ForeignKey("training_classes.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(sa.ForeignKey("course_versions.id"), index=True)
    quantity: Mapped[int]
    unit_list_amount: Mapped[int]
    #: Price of one seat in the order's tier, before codes.
    unit_amount: Mapped[int]
    discount_amount: Mapped[int] = mapped_column(default=0)
    net_amount: Mapped[int] = mapped_column(default=0)
    delivering_partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    reseller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    allotment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("allotments.id"))
    #: The three-way split frozen at sale time (basis points, summing to 10 000).
    split_delivering_bp: Mapped[int] = mapped_column(default=0)
    split_reseller_bp: Mapped[int] = mapped_column(default=0)
    split_body_bp: Mapped[int] = mapped_column(default=10000)
    #: The buyer takes the seat themselves (a learner); otherwise seats stay unassigned (a partner).
    assign_to_buyer: Mapped[bool] = mapped_column(default=True)
    refunded_quantity: Mapped[int] = mapped_column(default=0)
    refunded_amount: Mapped[int] = mapped_column(default=0)

    order: Mapped[Order] = relationship(back_populates="lines")
    training_class = relationship("TrainingClass")
    course_version = relationship("CourseVersion")

    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("split_delivering_bp + split_reseller_bp + split_body_bp = 10000", name="split_complete"),
    )


class Refund(db.Model):
    __tablename__ = "refunds"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("order_lines.id"))
    quantity: Mapped[int] = mapped_column(default=0)
    amount: Mapped[int]
    currency: Mapped[str] = mapped_column(sa.String(3))
    reason: Mapped[str] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    provider_ref: Mapped[str | None] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship(back_populates="refunds")

    __table_args__ = (sa.CheckConstraint("amount >= 0", name="amount_not_negative"),)
