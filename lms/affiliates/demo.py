"""Demo affiliates (``flask --app lms seed-demo``, after the partners and certificates seeds).

Sofia (affiliate@demo.lms) is an approved affiliate of the network programme with three months of
clicks, sales referred through her links and coupon (orders made through the partners' checkout, so
the ledger is consistent), commissions in every state — paid in one payout batch, approved, pending,
on hold for review, voided by a refund, rejected by staff, and a clawback of a refund after payout —
and a volume tier. Gulf AI Academy runs its own programme, with one application waiting.

Idempotent: when Sofia already has referred orders nothing is added again.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.affiliates.models import (
    Affiliate,
    AffiliateProgramme,
    AffiliateStatus,
    BindingSource,
    Click,
    ClickKind,
    Commission,
    CommissionRule,
    FlagStatus,
    FraudFlag,
    FraudRule,
    OrderAttribution,
    PayoutMethod,
)
from lms.affiliates.services import attribution, commissions, fraud, payouts, programmes
from lms.core.demo import DemoContext
from lms.core.time import utcnow
from lms.courses.models import CourseVersion, CourseVersionStatus
from lms.extensions import db
from lms.partners.models import ClassStatus, Order, TrainingClass
from lms.partners.services import orders

#: People Sofia's audience brought (email, display name, legal name, locale, time zone).
REFERRED = [
    ("ines.moreno@demo.lms", "Inés", "Inés Moreno", "es", "Europe/Madrid"),
    ("karim.nasser@demo.lms", "Karim", "كريم ناصر", "ar", "Asia/Dubai"),
    ("julia.costa@demo.lms", "Julia", "Julia Costa", "es", "America/Sao_Paulo"),
    ("tom.becker@demo.lms", "Tom", "Tom Becker", "de", "Europe/Berlin"),
    ("aiko.mori@demo.lms", "Aiko", "森 愛子", "ja", "Asia/Tokyo"),
    ("lucas.martin@demo.lms", "Lucas", "Lucas Martin", "fr", "Europe/Paris"),
    ("noor.aziz@demo.lms", "Noor", "نور عزيز", "ar", "Asia/Riyadh"),
    ("pablo.ruiz@demo.lms", "Pablo", "Pablo Ruiz", "es", "Europe/Madrid"),
    ("emma.schulz@demo.lms", "Emma", "Emma Schulz", "de", "Europe/Zurich"),
    # Sofia's own second mailbox: the self-referral check catches it and staff reject the commission.
    ("affiliate+courses@demo.lms", "Sofía M.", "Sofía Martínez", "es", "Europe/Madrid"),
]
BROWSER_AGENTS = ("desktop", "mobile", "tablet")


def _person(email: str, display: str, legal: str, locale: str, zone: str, password: str) -> User:
    user = accounts.find_user_by_email(email)
    if user is None:
        user = accounts.register_user(
            email=email, password=password, display_name=display, legal_name=legal, locale=locale, timezone=zone,
            send_verification=False,
        )  # fmt: skip
        user.email_verified_at = user.created_at
    return user


def _affiliate(user: User, programme: AffiliateProgramme, *, code: str, payout: str, actor_id: int) -> Affiliate:
    found = db.session.execute(
        sa.select(Affiliate).where(Affiliate.user_id == user.id, Affiliate.programme_id == programme.id)
    ).scalar_one_or_none()
    if found is None:
        found = programmes.apply(
            user,
            programme,
            website="https://sofia-learns-ai.example.com",
            channels="Blog «Sofía aprende IA», a weekly newsletter (8,000 readers) and a YouTube channel",
            audience="Spanish-speaking developers and product people moving into AI roles",
            payout_method=PayoutMethod.PAYPAL,
            payout_details=payout,
            preferred_code=code,
        )
        found.applied_at = utcnow() - timedelta(days=100)
    if found.status == AffiliateStatus.APPLIED:
        programmes.approve(found, actor_id=actor_id, reason="Great audience fit")
        found.decided_at = utcnow() - timedelta(days=98)
    return found


def _clicks(affiliate: Affiliate, rng: random.Random, now: datetime) -> None:
    """Three months of clicks: more on weekdays and after newsletter days, bots and repeats apart."""
    if db.session.execute(sa.select(Click.id).where(Click.affiliate_id == affiliate.id).limit(1)).first():
        return
    pages = ["/", "/schedule", "/schedule", "/affiliates", "/p/gulf-ai-academy", "/p/euroskills-institute"]
    referrers = ["sofia-learns-ai.example.com", "www.youtube.com", "t.co", "www.linkedin.com", None]
    rows = []
    for days_ago in range(90, 0, -1):
        day = now - timedelta(days=days_ago)
        base = 6 + (8 if day.weekday() == 1 else 0) + (days_ago < 45) * 4  # Tuesday newsletters, a growing blog
        for _i in range(rng.randint(base // 2, base)):
            at = day.replace(hour=rng.randint(6, 22), minute=rng.randint(0, 59), second=rng.randint(0, 59))
            kind = rng.choices([ClickKind.UNIQUE, ClickKind.REPEAT, ClickKind.BOT], weights=[80, 12, 8])[0]
            rows.append(
                Click(
                    affiliate_id=affiliate.id,
                    occurred_at=at,
                    kind=kind,
                    visitor_id=None if kind == ClickKind.BOT else secrets.token_urlsafe(16),
                    ip_hash=f"{rng.getrandbits(64):016x}",
                    landing_path=rng.choice(pages),
                    referrer_host=rng.choice(referrers),
                )
            )
    db.session.add_all(rows)
    db.session.flush()


def _products(context: DemoContext) -> tuple[list[TrainingClass], list[CourseVersion]]:
    classes = list(context.objects.get("partner_classes", {}).values()) or list(
        db.session.execute(
            sa.select(TrainingClass).where(TrainingClass.status == ClassStatus.PUBLISHED).order_by(TrainingClass.id)
        ).scalars()
    )
    classes = [c for c in classes if c.status == ClassStatus.PUBLISHED and c.starts_at and c.starts_at > utcnow()]
    versions = list(
        db.session.execute(
            sa.select(CourseVersion)
            .where(CourseVersion.status == CourseVersionStatus.PUBLISHED)
            .order_by(CourseVersion.id)
        ).scalars()
    )
    return classes, versions


def _referred_sale(
    affiliate: Affiliate,
    buyer: User,
    product: Any,
    *,
    days_ago: int,
    via: str = "link",
    signed_up: bool = True,
) -> Order:
    """A paid order dated ``days_ago``: after a click on Sofia's link (``via="link"``), with her coupon
    after a click (``"coupon"``), or with her coupon and no click at all (``"leaked_coupon"``)."""
    when = utcnow() - timedelta(days=days_ago, hours=2)
    if via in ("link", "coupon"):
        clicked_at = when - timedelta(days=1, hours=3)
        click = Click(
            affiliate_id=affiliate.id,
            occurred_at=clicked_at,
            kind=ClickKind.UNIQUE,
            visitor_id=secrets.token_urlsafe(16),
            user_id=buyer.id,
            ip_hash=secrets.token_hex(8),
            landing_path="/schedule",
            referrer_host="sofia-learns-ai.example.com",
        )
        db.session.add(click)
        db.session.flush()
        if signed_up:
            # The learner created their account right after the click: bound at sign-up.
            attribution.bind(
                buyer.id,
                affiliate,
                source=BindingSource.SIGNUP,
                via="cookie",
                at=clicked_at + timedelta(minutes=20),
                click_id=click.id,
            )
    if isinstance(product, TrainingClass):
        order = orders.start_class_order(buyer, product.id)
    else:
        order = orders.start_elearning_order(buyer, product.id)
    if via in ("coupon", "leaked_coupon"):
        orders.apply_code(order, affiliate.coupons[0].code, buyer)
    order.created_at = when
    order.provider, order.provider_ref = "test", f"demo-{order.id}"
    orders.complete_payment(order, actor_id=buyer.id, now=when)
    attribution.attribute_order(order.id)
    return order


def seed(context: DemoContext) -> None:
    staff = context.accounts.get("staff@demo.lms")
    network = programmes.ensure_programme(None, actor_id=staff.id if staff else None)
    if not db.session.execute(
        sa.select(CommissionRule.id).where(
            CommissionRule.programme_id == network.id, CommissionRule.min_monthly_sales > 0
        )
    ).first():
        programmes.create_rule(
            network, actor_id=staff.id if staff else 0, name="Volume tier", rate_bp=1250, min_monthly_sales=3
        )
    sofia_user = context.accounts["affiliate@demo.lms"]
    sofia = _affiliate(
        sofia_user, network, code="SOFIA", payout="sofia.martinez@paypal.example", actor_id=staff.id if staff else 0
    )
    context.objects["affiliate"] = sofia
    now = utcnow()
    rng = random.Random(20260415)
    _clicks(sofia, rng, now)

    # Gulf AI Academy's own programme, with one application for its administrator to decide.
    gulf = context.organisations.get("atp_gulf")
    if gulf is not None:
        own = programmes.ensure_programme(gulf.id)
        applicant = accounts.find_user_by_email("fatima.saeed@demo.lms")
        if (
            applicant is not None
            and not db.session.execute(
                sa.select(Affiliate.id).where(Affiliate.user_id == applicant.id, Affiliate.programme_id == own.id)
            ).first()
        ):
            programmes.apply(
                applicant,
                own,
                website="https://fatima-codes.example.com",
                channels="Instagram and a Telegram group for women in tech in the UAE",
                audience="Arabic-speaking students and young engineers in Dubai and Abu Dhabi",
                payout_method=PayoutMethod.BANK,
                payout_details="AE07 0331 2345 6789 0123 456",
            )

    if db.session.execute(sa.select(OrderAttribution.id).where(OrderAttribution.affiliate_id == sofia.id)).first():
        return
    classes, versions = _products(context)
    if not classes and not versions:
        return  # nothing to sell yet (the partners' seed did not run)
    people = [_person(*row, password=context.password) for row in REFERRED]
    shelf = [*classes[:4], *versions[:2]] or versions
    product = iter(shelf * 4)

    # 1. Early sales, approved after the holding period, then paid in one payout batch.
    early = [
        _referred_sale(sofia, people[0], next(product), days_ago=84),
        _referred_sale(sofia, people[1], next(product), days_ago=78, via="coupon", signed_up=False),
        _referred_sale(sofia, people[2], next(product), days_ago=71),
        _referred_sale(sofia, people[3], next(product), days_ago=66),
    ]
    commissions.approve_due(now - timedelta(days=34))
    candidates = [c.key for c in payouts.candidates() if c.affiliate.id == sofia.id and c.eligible]
    if candidates and staff is not None:
        batch = payouts.create_batch(candidates, actor_id=staff.id, now=now - timedelta(days=33))
        payouts.export_csv(batch, actor_id=staff.id)
        payouts.mark_paid(batch, actor_id=staff.id, reference="PAYPAL-BATCH-2026-07", now=now - timedelta(days=31))
    # 2. One of the paid sales (the smallest) is refunded later: a clawback comes off the next payout.
    if staff is not None:
        paid = db.session.execute(
            sa.select(Commission).where(Commission.order_id.in_([o.id for o in early]), Commission.paid_at.is_not(None))
        ).scalars()
        refunded = next(o for o in early if o.id == min(paid, key=lambda c: c.amount).order_id)
        orders.refund(refunded, line=refunded.lines[0], seats_count=1, reason="Moved abroad", actor_id=staff.id)
        commissions.apply_refund(refunded.refunds[-1].id)
    # 3. Approved, waiting for the next payout.
    _referred_sale(sofia, people[4], next(product), days_ago=45)
    _referred_sale(sofia, people[5], next(product), days_ago=38, via="coupon", signed_up=False)
    commissions.approve_due(now - timedelta(days=2))
    # 4. Refunded before payout: voided.
    voided = _referred_sale(sofia, people[6], next(product), days_ago=20)
    if staff is not None:
        orders.refund(voided, line=voided.lines[0], seats_count=1, reason="Changed plans", actor_id=staff.id)
        commissions.apply_refund(voided.refunds[-1].id)
    # 5. Pending in the holding period.
    _referred_sale(sofia, people[7], next(product), days_ago=6)
    # 6. On hold: her coupon turned up on a coupon site, used without any click.
    _referred_sale(sofia, people[8], next(product), days_ago=3, via="leaked_coupon")
    # 7. Rejected: bought through her own link with her second mailbox; staff confirmed the flag.
    _referred_sale(sofia, people[9], next(product), days_ago=12, signed_up=False)
    flag = db.session.execute(
        sa.select(FraudFlag).where(
            FraudFlag.affiliate_id == sofia.id,
            FraudFlag.rule == FraudRule.SELF_REFERRAL,
            FraudFlag.status == FlagStatus.OPEN,
        )
    ).scalar_one_or_none()
    if flag is not None and staff is not None:
        fraud.decide(flag, confirm=True, actor_id=staff.id, note="Second mailbox of the affiliate herself")
    db.session.flush()
