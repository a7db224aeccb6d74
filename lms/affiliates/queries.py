"""Reads for the affiliate pages: dashboards (per month), commissions with their history, programme
totals for staff, and what reached a partner's classes from any programme."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from lms.affiliates.models import (
    Affiliate,
    AffiliateProgramme,
    AffiliateStatus,
    BindingSource,
    Click,
    ClickKind,
    Commission,
    CommissionStatus,
    FlagStatus,
    FraudFlag,
    OrderAttribution,
    Referral,
)
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import Order, OrderLine

#: Statuses whose amounts count as earned (voided and rejected ones do not).
EARNING = (CommissionStatus.PENDING, CommissionStatus.ON_HOLD, CommissionStatus.APPROVED, CommissionStatus.PAID)
Month = tuple[int, int]


def last_months(count: int, now: datetime | None = None) -> list[Month]:
    now = now or utcnow()
    year, month = now.year, now.month
    months = []
    for _i in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _month_key(column: Any) -> Any:
    """``YYYY-MM`` of a UTC timestamp column, on either database."""
    if db.session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM")


def _as_month(key: str) -> Month:
    year, month = key.split("-")
    return int(year), int(month)


@dataclass
class Stats:
    months: list[Month]
    clicks: dict[Month, int] = field(default_factory=dict)
    repeats: dict[Month, int] = field(default_factory=dict)
    bots: dict[Month, int] = field(default_factory=dict)
    signups: dict[Month, int] = field(default_factory=dict)
    sales: dict[Month, int] = field(default_factory=dict)
    #: currency → month → earned amount (commissions minus clawbacks, voided and rejected left out)
    earnings: dict[str, dict[Month, int]] = field(default_factory=dict)
    #: status → (count, currency → amount)
    by_status: dict[CommissionStatus, tuple[int, dict[str, int]]] = field(default_factory=dict)

    @property
    def total_clicks(self) -> int:
        return sum(self.clicks.values())

    @property
    def total_signups(self) -> int:
        return sum(self.signups.values())

    @property
    def total_sales(self) -> int:
        return sum(self.sales.values())

    @property
    def conversion(self) -> float:
        """Sales per counted click over the period (0 when there were no clicks)."""
        return self.total_sales / self.total_clicks if self.total_clicks else 0.0

    def conversion_in(self, month: Month) -> float:
        clicks = self.clicks.get(month, 0)
        return self.sales.get(month, 0) / clicks if clicks else 0.0

    def earned(self) -> dict[str, int]:
        return {currency: sum(by_month.values()) for currency, by_month in self.earnings.items()}


def stats(affiliate_ids: sa.Select[Any] | list[int], months: int = 6, now: datetime | None = None) -> Stats:
    """Month by month figures for a set of affiliates (one, a programme's, a partner's)."""
    now = now or utcnow()
    result = Stats(last_months(months, now))
    start = datetime(*result.months[0], 1, tzinfo=now.tzinfo)
    click_month = _month_key(Click.occurred_at)
    for key, kind, count in db.session.execute(
        sa.select(click_month, Click.kind, sa.func.count())
        .where(Click.affiliate_id.in_(affiliate_ids), Click.occurred_at >= start)
        .group_by(click_month, Click.kind)
    ).all():
        target = {ClickKind.UNIQUE: result.clicks, ClickKind.REPEAT: result.repeats, ClickKind.BOT: result.bots}[kind]
        target[_as_month(key)] = int(count)
    bound_month = _month_key(Referral.bound_at)
    for key, count in db.session.execute(
        sa.select(bound_month, sa.func.count())
        .where(
            Referral.affiliate_id.in_(affiliate_ids),
            Referral.source == BindingSource.SIGNUP,
            Referral.bound_at >= start,
        )
        .group_by(bound_month)
    ).all():
        result.signups[_as_month(key)] = int(count)
    sale_month = _month_key(OrderAttribution.decided_at)
    for key, count in db.session.execute(
        sa.select(sale_month, sa.func.count())
        .where(OrderAttribution.affiliate_id.in_(affiliate_ids), OrderAttribution.decided_at >= start)
        .group_by(sale_month)
    ).all():
        result.sales[_as_month(key)] = int(count)
    earned_month = _month_key(Commission.created_at)
    earnings: dict[str, dict[Month, int]] = defaultdict(dict)
    for key, currency, amount in db.session.execute(
        sa.select(earned_month, Commission.currency, sa.func.sum(Commission.amount))
        .where(
            Commission.affiliate_id.in_(affiliate_ids),
            Commission.status.in_(EARNING),
            Commission.created_at >= start,
        )
        .group_by(earned_month, Commission.currency)
    ).all():
        earnings[currency][_as_month(key)] = int(amount)
    result.earnings = dict(sorted(earnings.items()))
    counts: dict[CommissionStatus, int] = defaultdict(int)
    sums: dict[CommissionStatus, dict[str, int]] = defaultdict(dict)
    for status, currency, count, amount in db.session.execute(
        sa.select(Commission.status, Commission.currency, sa.func.count(), sa.func.sum(Commission.amount))
        .where(Commission.affiliate_id.in_(affiliate_ids))
        .group_by(Commission.status, Commission.currency)
    ).all():
        counts[status] += int(count)
        sums[status][currency] = int(amount)
    result.by_status = {status: (counts[status], sums[status]) for status in CommissionStatus if status in counts}
    return result


# --- commissions ---------------------------------------------------------------------------------


@dataclass
class CommissionRow:
    commission: Commission
    order: Order
    line: OrderLine


def commissions_of(affiliate_ids: sa.Select[Any] | list[int], limit: int | None = 100) -> list[CommissionRow]:
    stmt = (
        sa.select(Commission, Order, OrderLine)
        .join(Order, Order.id == Commission.order_id)
        .join(OrderLine, OrderLine.id == Commission.order_line_id)
        .where(Commission.affiliate_id.in_(affiliate_ids))
        .order_by(Commission.created_at.desc(), Commission.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [CommissionRow(c, o, line) for c, o, line in db.session.execute(stmt).all()]


def commissions_reaching(partner_id: int, limit: int = 200) -> list[CommissionRow]:
    """Commissions on seats a partner delivered or resold, from any programme (network's or its own)."""
    stmt = (
        sa.select(Commission, Order, OrderLine)
        .join(Order, Order.id == Commission.order_id)
        .join(OrderLine, OrderLine.id == Commission.order_line_id)
        .where(sa.or_(Commission.delivering_partner_id == partner_id, Commission.reseller_id == partner_id))
        .order_by(Commission.created_at.desc(), Commission.id.desc())
        .limit(limit)
    )
    return [CommissionRow(c, o, line) for c, o, line in db.session.execute(stmt).all()]


@dataclass
class PartnerReach:
    referred_orders: int
    referred_learners: int
    signups: int
    clicks: int
    #: programme name → currency → commissions earned on the partner's seats
    commissions_by_programme: dict[str, dict[str, int]]


def partner_reach(partner_id: int) -> PartnerReach:
    partner_line = sa.or_(OrderLine.delivering_partner_id == partner_id, OrderLine.reseller_id == partner_id)
    referred = (
        sa.select(OrderAttribution.order_id)
        .join(OrderLine, OrderLine.order_id == OrderAttribution.order_id)
        .where(OrderAttribution.affiliate_id.is_not(None), partner_line)
        .distinct()
        .subquery()
    )
    referred_orders = db.session.execute(sa.select(sa.func.count()).select_from(referred)).scalar_one()
    referred_learners = db.session.execute(
        sa.select(sa.func.count(sa.distinct(Order.buyer_user_id))).where(Order.id.in_(sa.select(referred.c.order_id)))
    ).scalar_one()
    own = sa.select(Affiliate.id).where(Affiliate.partner_id == partner_id)
    signups = db.session.execute(
        sa.select(sa.func.count()).where(Referral.partner_id == partner_id, Referral.source == BindingSource.SIGNUP)
    ).scalar_one()
    clicks = db.session.execute(
        sa.select(sa.func.count()).where(Click.affiliate_id.in_(own), Click.kind == ClickKind.UNIQUE)
    ).scalar_one()
    by_programme: dict[str, dict[str, int]] = defaultdict(dict)
    for name, currency, amount in db.session.execute(
        sa.select(AffiliateProgramme.name, Commission.currency, sa.func.sum(Commission.amount))
        .join(AffiliateProgramme, AffiliateProgramme.id == Commission.programme_id)
        .where(
            sa.or_(Commission.delivering_partner_id == partner_id, Commission.reseller_id == partner_id),
            Commission.status.in_(EARNING),
        )
        .group_by(AffiliateProgramme.name, Commission.currency)
    ).all():
        by_programme[name][currency] = int(amount)
    return PartnerReach(int(referred_orders), int(referred_learners), int(signups), int(clicks), dict(by_programme))


# --- staff ---------------------------------------------------------------------------------------


@dataclass
class ProgrammeTotals:
    programme: AffiliateProgramme
    affiliates: dict[AffiliateStatus, int]
    clicks_30d: int
    sales: int
    #: status → currency → amount
    commissions: dict[CommissionStatus, dict[str, int]]
    open_flags: int


def programme_totals() -> list[ProgrammeTotals]:
    since = utcnow() - timedelta(days=30)
    result = []
    programmes = db.session.execute(
        sa.select(AffiliateProgramme).order_by(AffiliateProgramme.partner_id.is_not(None), AffiliateProgramme.name)
    ).scalars()
    for programme in programmes:
        members = sa.select(Affiliate.id).where(Affiliate.programme_id == programme.id)
        by_status = {
            status: int(count)
            for status, count in db.session.execute(
                sa.select(Affiliate.status, sa.func.count())
                .where(Affiliate.programme_id == programme.id)
                .group_by(Affiliate.status)
            ).all()
        }
        clicks = db.session.execute(
            sa.select(sa.func.count()).where(
                Click.affiliate_id.in_(members), Click.kind == ClickKind.UNIQUE, Click.occurred_at >= since
            )
        ).scalar_one()
        sales = db.session.execute(
            sa.select(sa.func.count()).where(OrderAttribution.programme_id == programme.id)
        ).scalar_one()
        commissions: dict[CommissionStatus, dict[str, int]] = defaultdict(dict)
        for status, currency, amount in db.session.execute(
            sa.select(Commission.status, Commission.currency, sa.func.sum(Commission.amount))
            .where(Commission.programme_id == programme.id)
            .group_by(Commission.status, Commission.currency)
        ).all():
            commissions[status][currency] = int(amount)
        flags = db.session.execute(
            sa.select(sa.func.count())
            .select_from(FraudFlag)
            .where(FraudFlag.status == FlagStatus.OPEN, FraudFlag.affiliate_id.in_(members))
        ).scalar_one()
        result.append(ProgrammeTotals(programme, by_status, int(clicks), int(sales), dict(commissions), int(flags)))
    return result


def applications(programme_ids: list[int] | None = None, *, partner_id: int | None = None) -> list[Affiliate]:
    stmt = sa.select(Affiliate).order_by(
        (Affiliate.status != AffiliateStatus.APPLIED), Affiliate.applied_at.desc(), Affiliate.id.desc()
    )
    if programme_ids is not None:
        stmt = stmt.where(Affiliate.programme_id.in_(programme_ids))
    if partner_id is not None:
        stmt = stmt.where(Affiliate.partner_id == partner_id)
    return list(db.session.execute(stmt.limit(500)).scalars())


def attribution_of(order_id: int) -> OrderAttribution | None:
    return db.session.execute(
        sa.select(OrderAttribution).where(OrderAttribution.order_id == order_id)
    ).scalar_one_or_none()


def orders_by_id(attributions: list[OrderAttribution]) -> dict[int, Order]:
    ids = [a.order_id for a in attributions]
    if not ids:
        return {}
    return {o.id: o for o in db.session.execute(sa.select(Order).where(Order.id.in_(ids))).scalars()}
