"""Fraud checks and their review queue. A flag holds the commission (or, raised on an affiliate,
every unpaid commission of theirs) until staff clear it or confirm it (the held ones are rejected).

Checks: self-referral (the buyer's e-mail or payment details are the affiliate's), the buyer is
staff of the delivering or reselling partner, the same payout details on several affiliates, click
floods from one address, and coupon codes on orders with no click from the affiliate's links.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts.models import Membership, Organisation, OrganisationStatus, User
from lms.affiliates.models import (
    UNPAID,
    Affiliate,
    AffiliateStatus,
    Click,
    ClickKind,
    Commission,
    CommissionStatus,
    FlagStatus,
    FraudFlag,
    FraudRule,
    PayoutMethod,
    VisitorLink,
)
from lms.affiliates.services import commissions
from lms.affiliates.services.programmes import canonical_email, payout_fingerprint
from lms.core import audit
from lms.core.errors import Conflict, DomainError
from lms.core.security import PARTNER_ROLES
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import Order

#: Clicks from one address on one affiliate's links within an hour that make a flood.
DEFAULT_FLOOD_CLICKS = 60


def raise_flag(
    affiliate: Affiliate,
    rule: FraudRule,
    details: dict[str, Any],
    *,
    commission: Commission | None = None,
    dedupe_key: str | None = None,
    now: datetime | None = None,
) -> FraudFlag | None:
    """Open a flag and hold what it covers. With ``dedupe_key``, a flag already raised is not repeated."""
    now = now or utcnow()
    if dedupe_key and db.session.execute(sa.select(FraudFlag.id).where(FraudFlag.dedupe_key == dedupe_key)).first():
        return None
    flag = FraudFlag(
        affiliate_id=affiliate.id,
        commission_id=commission.id if commission else None,
        rule=rule,
        details=details,
        created_at=now,
        dedupe_key=dedupe_key,
    )
    db.session.add(flag)
    db.session.flush()
    held = [commission] if commission is not None else _unpaid_of(affiliate.id)
    for item in held:
        commissions.hold(item, now=now, note=rule.value)
    audit.record(
        "affiliates.flag_raised",
        subject=flag,
        partner_id=affiliate.partner_id,
        details={"rule": rule.value, "affiliate_id": affiliate.id, "commission_id": flag.commission_id, **details},
    )
    return flag


def _unpaid_of(affiliate_id: int) -> list[Commission]:
    return list(
        db.session.execute(
            sa.select(Commission).where(
                Commission.affiliate_id == affiliate_id,
                Commission.status.in_([CommissionStatus.PENDING, CommissionStatus.APPROVED]),
            )
        ).scalars()
    )


# --- checks on a new commission ------------------------------------------------------------------


def self_referral_reasons(affiliate: Affiliate, buyer: User) -> list[str]:
    referrer = affiliate.user
    reasons = []
    if buyer.id == referrer.id:
        reasons.append("same_account")
    elif canonical_email(buyer.email) == canonical_email(referrer.email):
        reasons.append("same_mailbox")
    if affiliate.payout_fingerprint and affiliate.payout_fingerprint == payout_fingerprint(
        PayoutMethod.PAYPAL, buyer.email
    ):
        reasons.append("buyer_email_is_payout_account")
    buyer_accounts = db.session.execute(
        sa.select(Affiliate.payout_fingerprint).where(
            Affiliate.user_id == buyer.id, Affiliate.id != affiliate.id, Affiliate.payout_fingerprint.is_not(None)
        )
    ).scalars()
    if affiliate.payout_fingerprint and affiliate.payout_fingerprint in set(buyer_accounts):
        reasons.append("same_payout_details")
    return reasons


def partner_staff_memberships(buyer: User, order: Order) -> list[int]:
    """Partners of the order (delivering, reselling, storefront) in which the buyer holds a staff role."""
    partners = {order.storefront_partner_id, order.buyer_partner_id}
    for line in order.lines:
        partners |= {line.delivering_partner_id, line.reseller_id}
    partners.discard(None)
    if not partners:
        return []
    return sorted(
        set(
            db.session.execute(
                sa.select(Membership.organisation_id)
                .join(Organisation, Organisation.id == Membership.organisation_id)
                .where(
                    Membership.user_id == buyer.id,
                    Membership.organisation_id.in_(partners),
                    Membership.role.in_(list(PARTNER_ROLES)),
                    Organisation.status == OrganisationStatus.ACTIVE,
                )
            ).scalars()
        )
    )


def buyer_clicks(affiliate_id: int, user_id: int, since: datetime, until: datetime) -> int:
    """Counted clicks on the affiliate's links by this learner (signed in, or from a browser of theirs)."""
    visitors = sa.select(VisitorLink.visitor_id).where(VisitorLink.user_id == user_id)
    return int(
        db.session.execute(
            sa.select(sa.func.count(Click.id)).where(
                Click.affiliate_id == affiliate_id,
                Click.kind == ClickKind.UNIQUE,
                Click.occurred_at >= since,
                Click.occurred_at <= until,
                sa.or_(Click.user_id == user_id, Click.visitor_id.in_(visitors)),
            )
        ).scalar_one()
    )


def check_sale(affiliate: Affiliate, order: Order, earned: list[Commission], *, via: str, now: datetime) -> None:
    """Run the per-sale checks; each one that fires flags (and holds) the order's commissions."""
    if not earned:
        return
    buyer = order.buyer
    findings: list[tuple[FraudRule, dict[str, Any]]] = []
    reasons = self_referral_reasons(affiliate, buyer)
    if reasons:
        findings.append((FraudRule.SELF_REFERRAL, {"reasons": reasons, "order_id": order.id}))
    staff_of = partner_staff_memberships(buyer, order)
    if staff_of:
        findings.append((FraudRule.PARTNER_STAFF, {"partner_ids": staff_of, "order_id": order.id}))
    if via == "coupon":
        window = timedelta(days=affiliate.programme.cookie_window_days)
        since = (order.paid_at or now) - window
        if buyer_clicks(affiliate.id, buyer.id, since, order.paid_at or now) == 0:
            findings.append((FraudRule.COUPON_WITHOUT_CLICKS, {"code": order.code, "order_id": order.id}))
    for rule, details in findings:
        for commission in earned:
            raise_flag(affiliate, rule, details, commission=commission, now=now)


# --- checks on affiliates ------------------------------------------------------------------------


def check_duplicate_payout(affiliate: Affiliate) -> FraudFlag | None:
    """The same payout account on affiliates of different people: flag the newer one."""
    if not affiliate.payout_fingerprint:
        return None
    others = list(
        db.session.execute(
            sa.select(Affiliate).where(
                Affiliate.payout_fingerprint == affiliate.payout_fingerprint,
                Affiliate.user_id != affiliate.user_id,
                Affiliate.id != affiliate.id,
            )
        ).scalars()
    )
    if not others:
        return None
    ids = sorted([affiliate.id, *(a.id for a in others)])
    return raise_flag(
        affiliate,
        FraudRule.DUPLICATE_PAYOUT,
        {"affiliate_ids": ids},
        dedupe_key=f"duplicate_payout:{affiliate.id}:{affiliate.payout_fingerprint[:16]}",
    )


def scan_click_floods(now: datetime | None = None) -> list[FraudFlag]:
    """Addresses that clicked one affiliate's links too often in the last hour (bots and repeats too)."""
    now = now or utcnow()
    threshold = int(current_app.config.get("AFFILIATE_FLOOD_CLICKS_PER_HOUR", DEFAULT_FLOOD_CLICKS))
    rows = db.session.execute(
        sa.select(Click.affiliate_id, Click.ip_hash, sa.func.count(Click.id))
        .where(Click.occurred_at > now - timedelta(hours=1), Click.occurred_at <= now)
        .group_by(Click.affiliate_id, Click.ip_hash)
        .having(sa.func.count(Click.id) >= threshold)
    ).all()
    flags = []
    for affiliate_id, address, count in rows:
        affiliate = db.session.get(Affiliate, affiliate_id)
        if affiliate is None or affiliate.status != AffiliateStatus.APPROVED:
            continue
        flag = raise_flag(
            affiliate,
            FraudRule.CLICK_FLOOD,
            {"address": address, "clicks_last_hour": int(count), "threshold": threshold},
            dedupe_key=f"click_flood:{affiliate_id}:{address}:{now:%Y-%m-%d}",
            now=now,
        )
        if flag is not None:
            flags.append(flag)
    return flags


# --- review --------------------------------------------------------------------------------------


def decide(flag: FraudFlag, *, confirm: bool, actor_id: int, note: str, now: datetime | None = None) -> None:
    """Staff decide: *clear* lets the held commissions continue; *confirm* rejects them."""
    now = now or utcnow()
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Give a reason."), field="note")
    if flag.status != FlagStatus.OPEN:
        raise Conflict(_("This flag was already decided."))
    flag.status = FlagStatus.CONFIRMED if confirm else FlagStatus.CLEARED
    flag.decided_at = now
    flag.decided_by = actor_id
    flag.decision_note = note[:2000]
    db.session.flush()
    if flag.commission_id is not None:
        covered = [db.session.get(Commission, flag.commission_id)]
    else:
        covered = list(
            db.session.execute(
                sa.select(Commission).where(
                    Commission.affiliate_id == flag.affiliate_id, Commission.status == CommissionStatus.ON_HOLD
                )
            ).scalars()
        )
    for commission in covered:
        if commission is None:
            continue
        if confirm and commission.status in UNPAID:
            commissions.reverse(
                commission, now=now, status=CommissionStatus.REJECTED, actor_id=actor_id, note=f"{flag.rule}: {note}"
            )
        elif not confirm:
            commissions.release(commission, now=now, actor_id=actor_id, note=note)
    audit.record(
        "affiliates.flag_" + flag.status.value,
        actor_id=actor_id,
        subject=flag,
        partner_id=flag.affiliate.partner_id,
        details={"rule": flag.rule.value, "note": note, "commissions": [c.id for c in covered if c]},
    )


def open_flags(limit: int = 200) -> list[FraudFlag]:
    return list(
        db.session.execute(
            sa.select(FraudFlag)
            .where(FraudFlag.status == FlagStatus.OPEN)
            .order_by(FraudFlag.created_at, FraudFlag.id)
            .limit(limit)
        ).scalars()
    )
