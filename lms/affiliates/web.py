"""What the affiliate pages share: labels, charts, links to share, CSV of commissions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app
from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.affiliates import queries, tracking
from lms.affiliates.models import (
    AffiliateStatus,
    AttributionRule,
    CommissionKind,
    CommissionStatus,
    FlagStatus,
    FraudRule,
    ProductKind,
)
from lms.affiliates.services.payouts import major_units
from lms.core.csvio import write_csv
from lms.core.errors import DomainError
from lms.core.i18n import money
from lms.core.security import safe_next_url
from lms.partners import charts

COMMISSION_STATUS = {
    CommissionStatus.PENDING: _l("Pending"),
    CommissionStatus.ON_HOLD: _l("On hold for review"),
    CommissionStatus.APPROVED: _l("Approved"),
    CommissionStatus.PAID: _l("Paid"),
    CommissionStatus.VOIDED: _l("Voided (refunded)"),
    CommissionStatus.REJECTED: _l("Rejected"),
}
STATUS_BADGE = {
    CommissionStatus.PENDING: "badge-warn",
    CommissionStatus.ON_HOLD: "badge-danger",
    CommissionStatus.APPROVED: "badge-brand",
    CommissionStatus.PAID: "badge-ok",
    CommissionStatus.VOIDED: "",
    CommissionStatus.REJECTED: "badge-danger",
}
AFFILIATE_STATUS = {
    AffiliateStatus.APPLIED: _l("Application received"),
    AffiliateStatus.APPROVED: _l("Approved"),
    AffiliateStatus.REJECTED: _l("Not accepted"),
    AffiliateStatus.SUSPENDED: _l("Suspended"),
}
FRAUD_RULES = {
    FraudRule.SELF_REFERRAL: _l("Self-referral"),
    FraudRule.PARTNER_STAFF: _l("Buyer works for the selling partner"),
    FraudRule.DUPLICATE_PAYOUT: _l("Payout account shared with another affiliate"),
    FraudRule.CLICK_FLOOD: _l("Click flood from one address"),
    FraudRule.COUPON_WITHOUT_CLICKS: _l("Coupon used without any click"),
}
FLAG_STATUS = {FlagStatus.OPEN: _l("Open"), FlagStatus.CLEARED: _l("Cleared"), FlagStatus.CONFIRMED: _l("Confirmed")}
ATTRIBUTION_RULES = {
    AttributionRule.PARTNER_CHANNEL: _l("Partner channel"),
    AttributionRule.COUPON: _l("Affiliate coupon"),
    AttributionRule.BINDING: _l("Bound learner"),
    AttributionRule.COOKIE: _l("Affiliate link (cookie)"),
    AttributionRule.NONE: _l("Not referred"),
}
PRODUCTS = {
    ProductKind.ELEARNING_SEAT.value: _l("eLearning seat"),
    ProductKind.CLASS_SEAT.value: _l("Class seat"),
    ProductKind.EXAM_VOUCHER.value: _l("Exam voucher"),
}
KINDS = {CommissionKind.SALE: _l("Commission"), CommissionKind.CLAWBACK: _l("Clawback (refund after payout)")}


def labels() -> dict[str, Any]:
    return {
        "commission_status": COMMISSION_STATUS,
        "badges": STATUS_BADGE,
        "affiliate_status": AFFILIATE_STATUS,
        "fraud_rules": FRAUD_RULES,
        "flag_status": FLAG_STATUS,
        "attribution_rules": ATTRIBUTION_RULES,
        "products": PRODUCTS,
        "kinds": KINDS,
    }


def month_label(month: queries.Month, fmt: str = "MMM") -> str:
    return format_date(date(month[0], month[1], 1), fmt)


def stats_charts(stats: queries.Stats) -> dict[str, Any]:
    """Column charts (server-side SVG, the partners' chart module) of one set of figures."""

    def counts(values: dict[queries.Month, int], title: str, description: str, colour: str = charts.BRAND) -> Any:
        bars = [charts.Bar(month_label(m), values.get(m, 0), format_decimal(values.get(m, 0))) for m in stats.months]
        return charts.column_chart(
            bars, title=title, description=description, colour=colour, axis_format=lambda v: format_decimal(round(v))
        )

    conversion = [
        charts.Bar(month_label(m), stats.conversion_in(m) * 100, format_percent(stats.conversion_in(m), "#,##0.0%"))
        for m in stats.months
    ]
    earnings = {
        currency: charts.column_chart(
            [
                charts.Bar(month_label(m), by_month.get(m, 0) / 100, money(by_month.get(m, 0), currency))
                for m in stats.months
            ],
            title=_("Earnings by month (%(currency)s)", currency=currency),
            description=_("Commissions earned each month, refunds and clawbacks taken off."),
            colour=charts.ACCENT,
            axis_format=lambda v: format_decimal(round(v)),
        )
        for currency, by_month in stats.earnings.items()
    }
    return {
        "stats": stats,
        "clicks_chart": counts(stats.clicks, _("Clicks by month"), _("Counted clicks on the links, per month.")),
        "signups_chart": counts(
            stats.signups, _("Sign-ups by month"), _("Learners who created an account after a click."), charts.ACCENT
        ),
        "sales_chart": counts(stats.sales, _("Sales by month"), _("Paid orders credited to the links and coupons.")),
        "conversion_chart": charts.column_chart(
            conversion,
            title=_("Conversion by month"),
            description=_("Sales per counted click, per month."),
            colour=charts.ACCENT,
            axis_format=lambda v: format_decimal(round(v, 1)) + " %",
        ),
        "earnings_charts": earnings,
        "month_labels": {m: month_label(m, "MMMM y") for m in stats.months},
    }


def base_url() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def share_link(code: str, page: str | None = None) -> str:
    """A referral link to a public page of this site (a path, or a full address on this site)."""
    page = (page or "").strip()
    if page.startswith(base_url()):
        page = page[len(base_url()) :]
    if not page or page == "/":
        return f"{base_url()}/r/{code}"
    if not page.startswith("/"):
        page = "/" + page
    path, _sep, query = page.partition("?")
    if safe_next_url(path) is None or not tracking.is_public_page(path):
        raise DomainError(_("Links can point only to public pages of this site."), field="page")
    return f"{base_url()}/r/{code}{path}" + (f"?{query}" if query else "")


def standard_links(code: str) -> list[tuple[Any, str]]:
    return [
        (_l("Home page"), share_link(code)),
        (_l("Class schedule"), share_link(code, "/schedule") if _is_public("/schedule") else share_link(code)),
        (_l("Any page, with ?ref="), f"{base_url()}/?ref={code}"),
    ]


def _is_public(path: str) -> bool:
    return tracking.is_public_page(path)


def commissions_csv(rows: list[queries.CommissionRow]) -> str:
    locale = str(get_locale() or "en")
    header = [
        "commission",
        "kind",
        "created",
        "order",
        "product",
        "course",
        "base_amount",
        "amount",
        "currency",
        "status",
        "payable_from",
        "approved",
        "paid",
        "voided",
        "rule",
    ]

    def when(value: Any) -> str:
        return value.isoformat() if value else ""

    body = [
        [
            row.commission.id,
            row.commission.kind.value,
            when(row.commission.created_at),
            row.order.number,
            row.line.kind.value,
            row.line.course_version.title(locale) if row.line.course_version else "",
            major_units(row.commission.base_amount, row.commission.currency),
            major_units(row.commission.amount, row.commission.currency),
            row.commission.currency,
            row.commission.status.value,
            when(row.commission.hold_until),
            when(row.commission.approved_at),
            when(row.commission.paid_at),
            when(row.commission.voided_at),
            row.commission.rule_snapshot.get("name", ""),
        ]
        for row in rows
    ]
    return write_csv(header, body)


def percent(bp: int | None) -> str:
    return format_decimal((bp or 0) / 100) + " %"


# --- forms shared by the staff and partner pages ----------------------------------------------------


def programme_form(programme: Any) -> Any:
    from lms.affiliates.forms import ProgrammeForm

    form = ProgrammeForm(
        name=programme.name,
        status=programme.status.value,
        cookie_window_days=programme.cookie_window_days,
        attribution_model=programme.attribution_model.value,
        binding_days=programme.binding_days,
        holding_days=programme.holding_days,
        coupon_percent=programme.coupon_discount_bp / 100,
        payout_minimum=programme.payout_minimum / 100,
        terms=programme.terms,
    )
    return form


def save_programme(programme: Any, form: Any, actor_id: int) -> bool:
    """Apply a submitted programme form; True when saved (the caller commits)."""
    from lms.affiliates.models import AttributionModel, ProgrammeStatus
    from lms.affiliates.services import programmes
    from lms.partners.web import form_error, percent_to_bp

    try:
        programmes.update_programme(
            programme,
            actor_id=actor_id,
            name=form.name.data,
            status=ProgrammeStatus(form.status.data),
            cookie_window_days=form.cookie_window_days.data,
            attribution_model=AttributionModel(form.attribution_model.data),
            binding_days=form.binding_days.data,
            holding_days=form.holding_days.data,
            coupon_discount_bp=percent_to_bp(form.coupon_percent.data) or 0,
            payout_minimum=percent_to_bp(form.payout_minimum.data) or 0,  # major units → minor (×100)
            terms=form.terms.data,
        )
    except DomainError as error:
        form_error(form, error)
        return False
    return True


def rule_form(programme: Any, *, affiliate_id: int | None = None, with_payer: bool = True) -> Any:
    from lms.affiliates.forms import RuleForm

    form = RuleForm()
    members = [
        (str(a.id), f"{a.code} — {a.user.display_name}")
        for a in programme.affiliates
        if a.code and (affiliate_id is None or a.id == affiliate_id)
    ]
    everyone = [("", _("Every affiliate of the programme"))] if affiliate_id is None else []
    form.affiliate_id.choices = everyone + members
    if affiliate_id is not None:
        form.affiliate_id.data = str(affiliate_id)
    if not with_payer:
        del form.payer  # a partner's own programme always pays out of the partner's share
    return form


def save_rule(programme: Any, form: Any, actor_id: int) -> bool:
    from lms.affiliates.models import Payer, ProductKind
    from lms.affiliates.services import programmes
    from lms.partners.web import form_error, percent_to_bp, to_minor

    currency = (form.currency.data or "").strip().upper()
    flat = to_minor(form.flat.data, currency or "USD") if form.flat.data is not None else None
    rate = percent_to_bp(form.percent.data) if form.percent.data is not None else None
    payer = Payer(form.payer.data) if "payer" in form else Payer.DEFAULT
    try:
        programmes.create_rule(
            programme,
            actor_id=actor_id,
            name=form.name.data,
            product_kind=ProductKind(form.product_kind.data) if form.product_kind.data else None,
            affiliate_id=int(form.affiliate_id.data) if form.affiliate_id.data else None,
            rate_bp=rate,
            flat_amount=flat,
            currency=currency or None,
            min_monthly_sales=form.min_monthly_sales.data or 0,
            payer=payer,
        )
    except DomainError as error:
        form_error(form, error)
        return False
    return True


def decision_choices(affiliate: Any) -> list[tuple[str, Any]]:
    status = affiliate.status
    if status == AffiliateStatus.APPLIED:
        return [("approve", _l("Approve")), ("reject", _l("Reject"))]
    if status == AffiliateStatus.APPROVED:
        return [("suspend", _l("Suspend"))]
    if status == AffiliateStatus.SUSPENDED:
        return [("reinstate", _l("Reinstate"))]
    return [("approve", _l("Approve after all"))]


def decide(affiliate: Any, decision: str, reason: str, actor_id: int) -> str:
    """Run a staff or partner decision on an affiliate; returns the message to show."""
    from lms.affiliates.services import programmes

    if decision == "approve":
        programmes.approve(affiliate, actor_id=actor_id, reason=reason)
        return _(
            "Approved: %(name)s's referral code is %(code)s.", name=affiliate.user.display_name, code=affiliate.code
        )
    if decision == "reject":
        programmes.reject(affiliate, actor_id=actor_id, reason=reason)
        return _("Application rejected; the applicant was told why.")
    if decision == "suspend":
        programmes.suspend(affiliate, actor_id=actor_id, reason=reason)
        return _("Suspended: the affiliate's links no longer earn commissions.")
    if decision == "reinstate":
        programmes.reinstate(affiliate, actor_id=actor_id, reason=reason)
        return _("Reinstated.")
    raise DomainError(_("Choose a decision."), field="decision")
