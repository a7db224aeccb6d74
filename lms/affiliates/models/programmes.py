"""Programmes, the affiliates who join them, their coupon codes and the commission rules."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from lms.core.db import TimestampMixin, enum_column
from lms.core.security import PartnerOwnedMixin
from lms.core.time import utcnow
from lms.extensions import db


class NetworkOrPartnerOwned(PartnerOwnedMixin):
    """A row of the network-wide programme (``partner_id`` NULL) or of one partner's own programme.

    Partner pages read these rows only through ``scoped()``, which never matches NULL: the network's
    rows stay invisible to every partner, and another partner's rows are a 404.
    """

    @declared_attr
    def partner_id(cls) -> Mapped[int | None]:  # type: ignore[override]
        return mapped_column(sa.ForeignKey("organisations.id"), index=True, nullable=True)


class AttributionModel(enum.StrEnum):
    FIRST_CLICK = "first_click"
    LAST_CLICK = "last_click"


class ProgrammeStatus(enum.StrEnum):
    OPEN = "open"  # accepts applications and pays commissions
    PAUSED = "paused"  # no new applications, no new commissions; links still redirect


class AffiliateProgramme(NetworkOrPartnerOwned, TimestampMixin, db.Model):
    """The terms of one programme: the network's (no partner) or a training partner's own."""

    __tablename__ = "affiliate_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    status: Mapped[ProgrammeStatus] = mapped_column(enum_column(ProgrammeStatus, 16), default=ProgrammeStatus.OPEN)
    #: A click counts for purchases and sign-ups this many days after it.
    cookie_window_days: Mapped[int] = mapped_column(default=60)
    attribution_model: Mapped[AttributionModel] = mapped_column(
        enum_column(AttributionModel, 16), default=AttributionModel.FIRST_CLICK
    )
    #: A learner bound to an affiliate keeps that binding for purchases this many days after binding.
    binding_days: Mapped[int] = mapped_column(default=365)
    #: Commissions stay pending this long (the refund window), then are approved unless flagged.
    holding_days: Mapped[int] = mapped_column(default=30)
    #: What the buyer saves with an affiliate's coupon code (basis points).
    coupon_discount_bp: Mapped[int] = mapped_column(default=1000)
    #: Default minimum for a payout, in minor units of the payout's currency.
    payout_minimum: Mapped[int] = mapped_column(default=5000)
    terms: Mapped[str | None] = mapped_column(sa.Text)

    affiliates: Mapped[list[Affiliate]] = relationship(back_populates="programme")
    partner = relationship("Organisation", foreign_keys="AffiliateProgramme.partner_id", lazy="joined")

    __table_args__ = (
        sa.CheckConstraint("cookie_window_days BETWEEN 1 AND 365", name="window_in_range"),
        sa.CheckConstraint("holding_days BETWEEN 0 AND 365", name="holding_in_range"),
        sa.CheckConstraint("coupon_discount_bp BETWEEN 0 AND 10000", name="coupon_in_range"),
    )

    @property
    def is_network(self) -> bool:
        return self.partner_id is None


class AffiliateStatus(enum.StrEnum):
    APPLIED = "applied"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class PayoutMethod(enum.StrEnum):
    BANK = "bank"  # IBAN / account number
    PAYPAL = "paypal"  # a PayPal e-mail address


class Affiliate(NetworkOrPartnerOwned, TimestampMixin, db.Model):
    """A person in one programme: their application, status, referral code and payout details."""

    __tablename__ = "affiliates"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliate_programmes.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[AffiliateStatus] = mapped_column(
        enum_column(AffiliateStatus, 16), default=AffiliateStatus.APPLIED, index=True
    )
    #: The referral code in links (``/r/<code>``), upper case; set on approval.
    code: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    website: Mapped[str | None] = mapped_column(sa.String(300))
    #: Where the affiliate will talk about us (channels, social accounts, newsletter…).
    channels: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[str] = mapped_column(sa.Text, default="")
    payout_method: Mapped[PayoutMethod] = mapped_column(enum_column(PayoutMethod, 16), default=PayoutMethod.BANK)
    payout_details: Mapped[str] = mapped_column(sa.String(200), default="")
    #: Normalised payout details (hash): equal fingerprints across affiliates are a fraud signal.
    payout_fingerprint: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    #: Overrides the programme's payout minimum (minor units).
    payout_minimum: Mapped[int | None]
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)

    programme: Mapped[AffiliateProgramme] = relationship(back_populates="affiliates", lazy="joined")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    coupons: Mapped[list[AffiliateCoupon]] = relationship(back_populates="affiliate", order_by="AffiliateCoupon.id")

    __table_args__ = (sa.UniqueConstraint("programme_id", "user_id"),)


class AffiliateCoupon(db.Model):
    """A code a buyer types at checkout: a discount for them, the sale for the affiliate (no cookie)."""

    __tablename__ = "affiliate_coupons"

    id: Mapped[int] = mapped_column(primary_key=True)
    affiliate_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliates.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    discount_bp: Mapped[int] = mapped_column(default=1000)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    affiliate: Mapped[Affiliate] = relationship(back_populates="coupons", lazy="joined")

    __table_args__ = (sa.CheckConstraint("discount_bp BETWEEN 0 AND 10000", name="discount_in_range"),)


class ProductKind(enum.StrEnum):
    """What a rule pays on; the values match the partners' order line kinds."""

    ELEARNING_SEAT = "elearning_seat"
    CLASS_SEAT = "class_seat"
    EXAM_VOUCHER = "exam_voucher"


class Payer(enum.StrEnum):
    """Whose share of the sale a commission comes out of."""

    DEFAULT = "default"  # the programme's owner: the certification body, or the partner for its own programme
    BODY = "body"  # the certification body, whatever the programme
    PARTNER = "partner"  # the partner that delivered (or resold) the seat


class CommissionRule(NetworkOrPartnerOwned, db.Model):
    """A percentage or a flat amount per seat, for a product kind, an affiliate, from a monthly volume."""

    __tablename__ = "affiliate_commission_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliate_programmes.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: NULL: every product kind.
    product_kind: Mapped[ProductKind | None] = mapped_column(enum_column(ProductKind, 20))
    #: NULL: every affiliate of the programme; set: an override for one affiliate.
    affiliate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affiliates.id"), index=True)
    #: Either a rate (basis points of the line's amount after discounts, before tax)…
    rate_bp: Mapped[int | None]
    #: …or a flat amount per seat in ``currency``.
    flat_amount: Mapped[int | None]
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    #: The rule applies when the affiliate made at least this many sales in the previous month.
    min_monthly_sales: Mapped[int] = mapped_column(default=0)
    payer: Mapped[Payer] = mapped_column(enum_column(Payer, 16), default=Payer.DEFAULT)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.CheckConstraint(
            "(rate_bp IS NOT NULL AND flat_amount IS NULL) OR (rate_bp IS NULL AND flat_amount IS NOT NULL)",
            name="rate_or_flat",
        ),
        sa.CheckConstraint("rate_bp IS NULL OR rate_bp BETWEEN 0 AND 10000", name="rate_in_range"),
        sa.CheckConstraint("flat_amount IS NULL OR (flat_amount >= 0 AND currency IS NOT NULL)", name="flat_valid"),
        sa.CheckConstraint("min_monthly_sales >= 0", name="tier_not_negative"),
    )
