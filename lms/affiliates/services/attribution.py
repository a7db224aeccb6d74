"""Who referred an order: precedence, windows, models, bindings — then the commissions.

Precedence on one order:

1. **Partner channel** — a partner sold the seat (its storefront, its resale, its own purchase, its
   voucher): network affiliates step back; only that partner's own programme may still pay.
2. **Affiliate coupon** — a code entered at checkout (answered through ``checkout_code_lookup``).
3. **Binding** — the learner was bound to an affiliate at sign-up or a first purchase, and the
   programme's binding period has not ended.
4. **Cookie** — counted clicks within the programme's window, by its model (first or last click).

Programmes that may pay on an order: the network's (unless a partner channel sold it) and the own
programme of each partner whose classes, resale or storefront the order went through. The decision
and its evidence are stored per order (:class:`OrderAttribution`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request

from lms.affiliates.models import (
    Affiliate,
    AffiliateCoupon,
    AffiliateProgramme,
    AffiliateStatus,
    AttributionModel,
    AttributionRule,
    BindingSource,
    Click,
    ClickKind,
    Commission,
    OrderAttribution,
    ProgrammeStatus,
    Referral,
    VisitorLink,
)
from lms.affiliates.services import commissions, fraud
from lms.affiliates.tracking import COOKIE_NAME, parse_cookie
from lms.core import audit
from lms.core.db import advisory_lock
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import Order, OrderLine, OrderStatus

#: ``channel_reason["rule"]`` values of the partners' checkout that mean a partner sold the seat.
PARTNER_CHANNEL_RULES = frozenset({"storefront", "storefront_resale", "storefront_elearning", "partner_purchase"})
COUPON_SOURCE = "affiliates"
COUPON_REF_PREFIX = "affiliate-coupon:"


# --- browsers and learners -----------------------------------------------------------------------


def link_visitor(user_id: int, visitor_id: str | None = None) -> str | None:
    """Remember that the browser with this visitor cookie belongs to the learner (sign-up, sign-in)."""
    if visitor_id is None and has_request_context():
        visitor_id, _code, _at = parse_cookie(request.cookies.get(COOKIE_NAME))
    if not visitor_id:
        return None
    exists = db.session.execute(
        sa.select(VisitorLink.id).where(VisitorLink.visitor_id == visitor_id, VisitorLink.user_id == user_id)
    ).first()
    if not exists:
        db.session.add(VisitorLink(visitor_id=visitor_id, user_id=user_id))
        db.session.flush()
    return visitor_id


def touches(user_id: int, affiliate_ids: sa.Select[Any], since: datetime, until: datetime) -> list[Click]:
    """Counted clicks on these affiliates' links by the learner (signed in or from a linked browser)."""
    visitors = sa.select(VisitorLink.visitor_id).where(VisitorLink.user_id == user_id)
    return list(
        db.session.execute(
            sa.select(Click)
            .where(
                Click.kind == ClickKind.UNIQUE,
                Click.affiliate_id.in_(affiliate_ids),
                Click.occurred_at >= since,
                Click.occurred_at <= until,
                sa.or_(Click.user_id == user_id, Click.visitor_id.in_(visitors)),
            )
            .order_by(Click.occurred_at, Click.id)
        ).scalars()
    )


def _approved_in(programme_ids: list[int]) -> sa.Select[Any]:
    return sa.select(Affiliate.id).where(
        Affiliate.programme_id.in_(programme_ids), Affiliate.status == AffiliateStatus.APPROVED
    )


def pick(clicks: list[Click], model: AttributionModel) -> Click | None:
    if not clicks:
        return None
    return clicks[0] if model == AttributionModel.FIRST_CLICK else clicks[-1]


def click_in_window(
    user_id: int, programmes: list[AffiliateProgramme], model: AttributionModel, at: datetime
) -> Click | None:
    """The click that wins by ``model`` among clicks inside each programme's own window."""
    candidates: list[Click] = []
    for programme in programmes:
        since = at - timedelta(days=programme.cookie_window_days)
        candidates += touches(user_id, _approved_in([programme.id]), since, at)
    candidates.sort(key=lambda c: (c.occurred_at, c.id))
    return pick(candidates, model)


def bind(
    user_id: int,
    affiliate: Affiliate,
    *,
    source: BindingSource,
    via: str,
    at: datetime,
    click_id: int | None = None,
    order_id: int | None = None,
) -> Referral | None:
    """Bind the learner to the affiliate in its programme, unless they are bound there already."""
    programme = affiliate.programme
    existing = db.session.execute(
        sa.select(Referral).where(Referral.programme_id == programme.id, Referral.user_id == user_id)
    ).scalar_one_or_none()
    if existing is not None:
        return None
    referral = Referral(
        programme_id=programme.id,
        affiliate_id=affiliate.id,
        partner_id=programme.partner_id,
        user_id=user_id,
        bound_at=at,
        source=source,
        via=via,
        click_id=click_id,
        order_id=order_id,
        expires_at=at + timedelta(days=programme.binding_days),
    )
    db.session.add(referral)
    db.session.flush()
    return referral


def bind_at_signup(user_id: int, at: datetime | None = None) -> list[Referral]:
    """A new account: link the browser, then bind the learner in every open programme a click of
    theirs falls in (by that programme's window and model)."""
    at = at or utcnow()
    link_visitor(user_id)
    referrals = []
    for programme in _open_programmes():
        click = click_in_window(user_id, [programme], programme.attribution_model, at)
        if click is None:
            continue
        referral = bind(
            user_id,
            db.session.get(Affiliate, click.affiliate_id),
            source=BindingSource.SIGNUP,
            via="cookie",
            at=at,
            click_id=click.id,
        )
        if referral is not None:
            referrals.append(referral)
    return referrals


def _open_programmes() -> list[AffiliateProgramme]:
    return list(
        db.session.execute(
            sa.select(AffiliateProgramme).where(AffiliateProgramme.status == ProgrammeStatus.OPEN)
        ).scalars()
    )


# --- the order -----------------------------------------------------------------------------------


def selling_partner(order: Order) -> int | None:
    """The partner whose own channel sold the order, or None when the network's pages did."""
    reason = order.channel_reason or {}
    code = reason.get("code") or {}
    if code.get("source") == "voucher":
        return code.get("partner_id")
    if reason.get("rule") in PARTNER_CHANNEL_RULES:
        return reason.get("partner_id") or order.storefront_partner_id or order.buyer_partner_id
    return order.buyer_partner_id


def partners_of(order: Order) -> set[int]:
    partners = {order.storefront_partner_id}
    for line in order.lines:
        partners |= {line.delivering_partner_id, line.reseller_id}
    partners.discard(None)
    return partners  # type: ignore[return-value]


def eligible_programmes(order: Order) -> tuple[list[AffiliateProgramme], int | None]:
    """Programmes that may pay on this order, and the partner whose channel sold it (if any)."""
    seller = selling_partner(order)
    partner_ids = {seller} if seller is not None else partners_of(order)
    condition = AffiliateProgramme.partner_id.in_(partner_ids)
    if seller is None:
        condition = sa.or_(condition, AffiliateProgramme.partner_id.is_(None))
    programmes = db.session.execute(
        sa.select(AffiliateProgramme)
        .where(AffiliateProgramme.status == ProgrammeStatus.OPEN, condition)
        .order_by(AffiliateProgramme.partner_id.is_not(None), AffiliateProgramme.id)
    ).scalars()
    return list(programmes), seller


def lines_for(programme: AffiliateProgramme, order: Order) -> list[OrderLine]:
    """The lines a programme pays on: every line for the network's, the partner's lines for its own."""
    lines = [line for line in order.lines if line.net_amount > 0]
    if programme.partner_id is None:
        return lines
    return [line for line in lines if programme.partner_id in (line.delivering_partner_id, line.reseller_id)]


def coupon_of(order: Order) -> AffiliateCoupon | None:
    if order.code_source != COUPON_SOURCE or not (order.code_ref or "").startswith(COUPON_REF_PREFIX):
        return None
    ident = order.code_ref[len(COUPON_REF_PREFIX) :]
    return db.session.get(AffiliateCoupon, int(ident)) if ident.isdigit() else None


def _summary(affiliate: Affiliate) -> dict[str, Any]:
    return {"affiliate_id": affiliate.id, "code": affiliate.code, "programme_id": affiliate.programme_id}


def decide(order: Order, at: datetime) -> tuple[Affiliate | None, AttributionRule, dict[str, Any]]:
    """Apply the precedence; returns the affiliate credited (or None), the rule and the evidence."""
    programmes, seller = eligible_programmes(order)
    by_id = {p.id: p for p in programmes}
    reason: dict[str, Any] = {"programmes": sorted(by_id), "selling_partner_id": seller, "lost": []}
    network = next((p for p in programmes if p.partner_id is None), None)
    model = network or (programmes[0] if programmes else None)
    reason["model"] = model.attribution_model.value if model else None

    coupon = coupon_of(order)
    if coupon is not None:
        affiliate = coupon.affiliate
        usable = affiliate.status == AffiliateStatus.APPROVED and affiliate.programme_id in by_id
        if usable and affiliate.programme.status == ProgrammeStatus.OPEN:
            reason.update({"coupon": coupon.code, "coupon_id": coupon.id, **_summary(affiliate)})
            return affiliate, AttributionRule.COUPON, reason
        why = "partner_channel" if seller is not None else "not_eligible"
        reason["lost"].append({"via": "coupon", "coupon": coupon.code, "why": why, **_summary(affiliate)})

    if programmes:
        binding = db.session.execute(
            sa.select(Referral)
            .join(Affiliate, Affiliate.id == Referral.affiliate_id)
            .where(
                Referral.user_id == order.buyer_user_id,
                Referral.programme_id.in_(list(by_id)),
                Referral.expires_at > at,
                Affiliate.status == AffiliateStatus.APPROVED,
            )
            .order_by(Referral.bound_at, Referral.id)
            .limit(1)
        ).scalar_one_or_none()
        if binding is not None:
            reason.update(
                {
                    "referral_id": binding.id,
                    "bound_at": binding.bound_at.isoformat(),
                    "bound_by": binding.source.value,
                    "binding_expires_at": binding.expires_at.isoformat(),
                    **_summary(binding.affiliate),
                }
            )
            return binding.affiliate, AttributionRule.BINDING, reason
        click = click_in_window(order.buyer_user_id, programmes, AttributionModel(reason["model"]), at)
        if click is not None:
            affiliate = db.session.get(Affiliate, click.affiliate_id)
            reason.update(
                {
                    "click_id": click.id,
                    "clicked_at": click.occurred_at.isoformat(),
                    "window_days": affiliate.programme.cookie_window_days,
                    **_summary(affiliate),
                }
            )
            return affiliate, AttributionRule.COOKIE, reason

    if seller is not None:
        # Record the network affiliates that stepped back for the partner's channel.
        networks = [p for p in _open_programmes() if p.partner_id is None]
        stepped_back = click_in_window(order.buyer_user_id, networks, AttributionModel.FIRST_CLICK, at)
        if stepped_back is not None:
            lost = {"via": "cookie", "why": "partner_channel", "affiliate_id": stepped_back.affiliate_id}
            reason["lost"].append(lost)
        return None, AttributionRule.PARTNER_CHANNEL, reason
    return None, AttributionRule.NONE, reason


def attribute_order(order_id: int) -> OrderAttribution | None:
    """Credit a paid order to its affiliate (if any), bind the learner, earn the commissions, check
    for fraud. Safe to run twice: the second run finds the stored decision."""
    advisory_lock(f"affiliates.order:{order_id}")
    existing = db.session.execute(
        sa.select(OrderAttribution).where(OrderAttribution.order_id == order_id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    order = db.session.get(Order, order_id)
    if order is None or order.status not in (OrderStatus.PAID, OrderStatus.REFUNDED) or order.paid_at is None:
        return None
    at = order.paid_at
    affiliate, rule, reason = decide(order, at)
    attribution = OrderAttribution(
        order_id=order.id,
        affiliate_id=affiliate.id if affiliate else None,
        programme_id=affiliate.programme_id if affiliate else None,
        rule=rule,
        reason=reason,
        decided_at=at,
    )
    db.session.add(attribution)
    db.session.flush()
    earned: list[Commission] = []
    if affiliate is not None:
        # A commission is earned when the order was paid (the task may run a little later).
        now = at
        if rule != AttributionRule.BINDING:
            bind(
                order.buyer_user_id,
                affiliate,
                source=BindingSource.FIRST_PURCHASE,
                via="coupon" if rule == AttributionRule.COUPON else "cookie",
                at=at,
                click_id=reason.get("click_id"),
                order_id=order.id,
            )
        for line in lines_for(affiliate.programme, order):
            commission = commissions.earn(affiliate, line, now=now)
            if commission is not None:
                earned.append(commission)
        fraud.check_sale(affiliate, order, earned, via="coupon" if rule == AttributionRule.COUPON else "link", now=now)
    audit.record(
        "affiliates.order_attributed",
        subject=order,
        partner_id=affiliate.partner_id if affiliate else None,
        details={"rule": rule.value, "affiliate_id": attribution.affiliate_id, "commissions": [c.id for c in earned]},
    )
    return attribution
