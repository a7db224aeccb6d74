"""Clicks, the visitors they came from, learners bound to affiliates, and each order's attribution."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import enum_column
from lms.core.time import utcnow
from lms.extensions import db


class ClickKind(enum.StrEnum):
    UNIQUE = "unique"  # counted and attributable
    REPEAT = "repeat"  # the same visitor again within a short window: counted apart, never attributed
    BOT = "bot"  # a crawler or a link preview (by user agent): counted apart, never attributed


class Click(db.Model):
    """One click on an affiliate link: written by one INSERT on the redirect's hot path."""

    __tablename__ = "affiliate_clicks"

    id: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)
    affiliate_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliates.id"))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[ClickKind] = mapped_column(enum_column(ClickKind, 8))
    #: The random id in the visitor's first-party cookie (NULL for bots).
    visitor_id: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    #: The signed-in learner who clicked, when there was one.
    user_id: Mapped[int | None] = mapped_column(index=True)
    #: A keyed hash of the address (click-flood checks without keeping addresses).
    ip_hash: Mapped[str] = mapped_column(sa.String(16))
    landing_path: Mapped[str] = mapped_column(sa.String(300))
    referrer_host: Mapped[str | None] = mapped_column(sa.String(120))

    __table_args__ = (sa.Index("ix_affiliate_clicks_affiliate_time", "affiliate_id", "occurred_at"),)


class VisitorLink(db.Model):
    """A browser (its visitor cookie) seen signed in as a learner: its clicks count for that learner."""

    __tablename__ = "affiliate_visitor_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.UniqueConstraint("visitor_id", "user_id"),)


class BindingSource(enum.StrEnum):
    SIGNUP = "signup"
    FIRST_PURCHASE = "first_purchase"


class Referral(db.Model):
    """A learner bound to an affiliate of a programme (at sign-up or first purchase)."""

    __tablename__ = "affiliate_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliate_programmes.id"))
    affiliate_id: Mapped[int] = mapped_column(sa.ForeignKey("affiliates.id"), index=True)
    #: Denormalised from the programme, for partners' reports.
    partner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    bound_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[BindingSource] = mapped_column(enum_column(BindingSource, 16))
    #: How the affiliate was found: "cookie" or "coupon".
    via: Mapped[str] = mapped_column(sa.String(16))
    click_id: Mapped[int | None] = mapped_column(sa.BigInteger)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id"))
    #: Later purchases until then keep the binding (the programme's terms at binding time).
    expires_at: Mapped[datetime]

    affiliate = relationship("Affiliate", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("programme_id", "user_id"),)


class AttributionRule(enum.StrEnum):
    PARTNER_CHANNEL = "partner_channel"  # a partner sold the seat: network affiliates step back
    COUPON = "coupon"  # an affiliate's coupon code was entered at checkout
    BINDING = "binding"  # the learner is bound to the affiliate (earlier sign-up or purchase)
    COOKIE = "cookie"  # a click within the window, by the programme's model
    NONE = "none"  # nobody referred this order


class OrderAttribution(db.Model):
    """Which affiliate (if any) an order is credited to, by which rule, and why the others lost.

    Keyed by order id: the partners' order keeps its own channel fields; this is the affiliates' part.
    """

    __tablename__ = "affiliate_order_attributions"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), unique=True)
    affiliate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affiliates.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(sa.ForeignKey("affiliate_programmes.id"))
    rule: Mapped[AttributionRule] = mapped_column(enum_column(AttributionRule, 16))
    #: The evidence: click id and time, model, window, coupon, the candidates that lost and why.
    reason: Mapped[dict[str, Any]] = mapped_column(default=dict)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    affiliate = relationship("Affiliate", lazy="joined")
