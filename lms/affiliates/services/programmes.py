"""Programmes and their affiliates: applications, decisions, referral and coupon codes, commission rules.

The network-wide programme belongs to the certification body (``partner_id`` NULL); each training
partner may run its own for its storefront and classes. Approval gives the person the affiliate
role on the programme's organisation (the body, or the partner).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from lms.accounts import services as accounts
from lms.accounts.models import PARTNER_KINDS, Organisation, OrganisationStatus, User
from lms.affiliates.models import (
    Affiliate,
    AffiliateCoupon,
    AffiliateProgramme,
    AffiliateStatus,
    AttributionModel,
    CommissionRule,
    Payer,
    PayoutMethod,
    ProductKind,
    ProgrammeStatus,
)
from lms.core import audit
from lms.core.db import advisory_lock
from lms.core.errors import Conflict, DomainError, NotAllowed
from lms.core.mail import send_mail
from lms.core.security import Role
from lms.core.time import utcnow
from lms.extensions import db

CODE_PATTERN = re.compile(r"^[A-Z0-9](?:[A-Z0-9-]{1,30}[A-Z0-9])$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Rate a new programme starts with (basis points of the line's amount after discounts, before tax).
DEFAULT_RATE_BP = 1000


def normalise_code(code: str | None) -> str:
    return "".join((code or "").split()).upper()


def is_valid_code(code: str) -> bool:
    return bool(CODE_PATTERN.match(code))


# --- programmes ----------------------------------------------------------------------------------


def find_programme(partner_id: int | None) -> AffiliateProgramme | None:
    condition = (
        AffiliateProgramme.partner_id.is_(None) if partner_id is None else AffiliateProgramme.partner_id == partner_id
    )
    return db.session.execute(
        sa.select(AffiliateProgramme).where(condition).order_by(AffiliateProgramme.id).limit(1)
    ).scalar_one_or_none()


def ensure_programme(partner_id: int | None, *, actor_id: int | None = None) -> AffiliateProgramme:
    """The network programme (``None``) or a partner's own, created with default terms on first use."""
    found = find_programme(partner_id)
    if found is not None:
        return found
    name = _("AI Certification Network affiliates")
    if partner_id is not None:
        partner = db.session.get(Organisation, partner_id)
        if partner is None or partner.kind not in PARTNER_KINDS:
            raise DomainError(_("Only partners of the network run their own affiliate programme."))
        name = _("%(partner)s affiliates", partner=partner.name)
    # Two first visits at once must not create two programmes (NULL is not unique in SQL).
    advisory_lock(f"affiliates.programme:{partner_id or 0}")
    found = find_programme(partner_id)
    if found is not None:
        return found
    programme = AffiliateProgramme(partner_id=partner_id, name=name[:120])
    db.session.add(programme)
    db.session.flush()
    db.session.add(
        CommissionRule(
            programme_id=programme.id,
            partner_id=partner_id,
            name=_("Standard rate"),
            rate_bp=DEFAULT_RATE_BP,
        )
    )
    db.session.flush()
    audit.record("affiliates.programme_created", actor_id=actor_id, subject=programme, partner_id=partner_id)
    return programme


def update_programme(
    programme: AffiliateProgramme,
    *,
    actor_id: int,
    name: str,
    status: ProgrammeStatus,
    cookie_window_days: int,
    attribution_model: AttributionModel,
    binding_days: int,
    holding_days: int,
    coupon_discount_bp: int,
    payout_minimum: int,
    terms: str | None,
) -> None:
    name = (name or "").strip()
    if len(name) < 3:
        raise DomainError(_("Give the programme a name."), field="name")
    if not 1 <= cookie_window_days <= 365:
        raise DomainError(_("The attribution window must be between 1 and 365 days."), field="cookie_window_days")
    if not 0 <= binding_days <= 3650:
        raise DomainError(_("Keep the binding between 0 and 3650 days."), field="binding_days")
    if not 0 <= holding_days <= 365:
        raise DomainError(_("The holding period must be between 0 and 365 days."), field="holding_days")
    if not 0 <= coupon_discount_bp <= 5000:
        raise DomainError(_("A coupon can give between 0 and %(max)d %% off.", max=50), field="coupon_discount")
    if payout_minimum < 0:
        raise DomainError(_("The payout minimum cannot be negative."), field="payout_minimum")
    before = {
        "window": programme.cookie_window_days,
        "model": programme.attribution_model.value,
        "holding": programme.holding_days,
        "binding": programme.binding_days,
    }
    programme.name = name[:120]
    programme.status = status
    programme.cookie_window_days = cookie_window_days
    programme.attribution_model = attribution_model
    programme.binding_days = binding_days
    programme.holding_days = holding_days
    programme.coupon_discount_bp = coupon_discount_bp
    programme.payout_minimum = payout_minimum
    programme.terms = (terms or "").strip() or None
    audit.record(
        "affiliates.programme_updated",
        actor_id=actor_id,
        subject=programme,
        partner_id=programme.partner_id,
        details={
            "before": before,
            "window": cookie_window_days,
            "model": attribution_model.value,
            "holding": holding_days,
            "binding": binding_days,
            "status": status.value,
        },
    )
    from lms.affiliates import tracking

    tracking.forget_codes()


def open_programmes() -> list[AffiliateProgramme]:
    """Programmes taking applications: the network's first, then active partners' own."""
    rows = db.session.execute(
        sa.select(AffiliateProgramme)
        .outerjoin(Organisation, Organisation.id == AffiliateProgramme.partner_id)
        .where(
            AffiliateProgramme.status == ProgrammeStatus.OPEN,
            sa.or_(AffiliateProgramme.partner_id.is_(None), Organisation.status == OrganisationStatus.ACTIVE),
        )
        .order_by(AffiliateProgramme.partner_id.is_not(None), AffiliateProgramme.name)
    ).scalars()
    return list(rows)


def programme_organisation(programme: AffiliateProgramme) -> Organisation:
    """Where the affiliate role is granted: the certification body, or the partner."""
    if programme.partner_id is not None:
        return db.session.get(Organisation, programme.partner_id)
    body = accounts.certification_body()
    if body is None:
        raise DomainError(_("The certification body is not set up yet."))
    return body


# --- applications and decisions ------------------------------------------------------------------


def payout_fingerprint(method: PayoutMethod, details: str) -> str | None:
    """Payout details reduced to what identifies the account (spaces, case, dots and +tags ignored)."""
    text = unicodedata.normalize("NFKC", details or "").strip().lower()
    if not text:
        return None
    is_mailbox = method == PayoutMethod.PAYPAL or "@" in text
    text = canonical_email(text) if is_mailbox else re.sub(r"[^0-9a-z]", "", text)
    return hashlib.sha256(f"{method.value}:{text}".encode()).hexdigest()


def canonical_email(email: str) -> str:
    """An address as its mailbox: case, ``+tags`` and (for Gmail) dots do not make another person."""
    local, _at, domain = (email or "").strip().lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def _check_payout(method: PayoutMethod, details: str) -> str:
    details = (details or "").strip()
    if method == PayoutMethod.PAYPAL:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", details):
            raise DomainError(_("Enter the e-mail address of your PayPal account."), field="payout_details")
    elif len(re.sub(r"[^0-9A-Za-z]", "", details)) < 8:
        raise DomainError(_("Enter your IBAN or bank account number."), field="payout_details")
    if len(details) > 200:
        raise DomainError(_("That is too long for payout details."), field="payout_details")
    return details


def apply(
    user: User,
    programme: AffiliateProgramme,
    *,
    website: str | None,
    channels: str,
    audience: str,
    payout_method: PayoutMethod,
    payout_details: str,
    preferred_code: str | None = None,
) -> Affiliate:
    if programme.status != ProgrammeStatus.OPEN:
        raise Conflict(_("This programme is not taking applications at the moment."))
    existing = db.session.execute(
        sa.select(Affiliate).where(Affiliate.programme_id == programme.id, Affiliate.user_id == user.id)
    ).scalar_one_or_none()
    # A rejected applicant may try again with better information: the same row is reopened.
    if existing is not None and existing.status != AffiliateStatus.REJECTED:
        raise Conflict(_("You have already applied to this programme."))
    website = (website or "").strip() or None
    if website and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", website, re.IGNORECASE):
        raise DomainError(_("Enter the full address of your website, starting with https://"), field="website")
    channels = (channels or "").strip()
    if len(channels) < 3:
        raise DomainError(_("Tell us where you will share your links."), field="channels")
    audience = (audience or "").strip()
    if len(audience) < 10:
        raise DomainError(_("Describe your audience in a sentence or two."), field="audience")
    details = _check_payout(payout_method, payout_details)
    code = normalise_code(preferred_code)
    if code:
        _check_free_code(code, field="preferred_code")
    affiliate = existing or Affiliate(programme_id=programme.id, partner_id=programme.partner_id, user_id=user.id)
    affiliate.status = AffiliateStatus.APPLIED
    affiliate.website = website
    affiliate.channels = channels[:2000]
    affiliate.audience = audience[:2000]
    affiliate.payout_method = payout_method
    affiliate.payout_details = details
    affiliate.payout_fingerprint = payout_fingerprint(payout_method, details)
    affiliate.applied_at = utcnow()
    affiliate.decided_at = affiliate.decided_by = affiliate.decision_reason = None
    affiliate.code = code or None
    db.session.add(affiliate)
    db.session.flush()
    audit.record(
        "affiliates.applied",
        actor_id=user.id,
        subject=affiliate,
        partner_id=programme.partner_id,
        details={"programme_id": programme.id},
    )
    from lms.affiliates.services import fraud

    fraud.check_duplicate_payout(affiliate)
    return affiliate


def _check_free_code(code: str, *, field: str, affiliate_id: int | None = None) -> None:
    if not is_valid_code(code):
        raise DomainError(
            _("Use 3 to 32 letters, digits or hyphens for the code (no hyphen at either end)."), field=field
        )
    taken = db.session.execute(
        sa.select(Affiliate.id).where(Affiliate.code == code, Affiliate.id != (affiliate_id or 0))
    ).first()
    if taken:
        raise Conflict(_("That code is taken. Try another one."), field=field)


def _generate_code(user: User) -> str:
    ascii_name = unicodedata.normalize("NFKD", user.display_name or "").encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Z0-9]", "", ascii_name.upper())[:10]
    if len(stem) < 3:
        stem = "REF"
    for _attempt in range(20):
        candidate = stem + "".join(secrets.choice(CODE_ALPHABET) for _i in range(3))
        if not db.session.execute(sa.select(Affiliate.id).where(Affiliate.code == candidate)).first():
            return candidate
    return "REF" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(10))


def _decide_mail(affiliate: Affiliate, template: str, reason: str | None = None) -> None:
    user = affiliate.user
    send_mail(
        user.email,
        template,
        user.locale,
        display_name=user.display_name,
        programme=affiliate.programme.name,
        code=affiliate.code or "",
        reason=reason or "",
        url=f"{current_app.config['BASE_URL']}/affiliates/dashboard",
    )


def approve(affiliate: Affiliate, *, actor_id: int, reason: str = "") -> Affiliate:
    if affiliate.status not in (AffiliateStatus.APPLIED, AffiliateStatus.REJECTED):
        raise Conflict(_("Only an application waiting for a decision can be approved."))
    programme = affiliate.programme
    organisation = programme_organisation(programme)
    if (
        affiliate.code is None
        or db.session.execute(
            sa.select(Affiliate.id).where(Affiliate.code == affiliate.code, Affiliate.id != affiliate.id)
        ).first()
    ):
        affiliate.code = _generate_code(affiliate.user)
    affiliate.status = AffiliateStatus.APPROVED
    affiliate.decided_at = utcnow()
    affiliate.decided_by = actor_id
    affiliate.decision_reason = (reason or "").strip() or None
    accounts.grant_role(affiliate.user, organisation, Role.AFFILIATE, actor_id=actor_id)
    if not affiliate.coupons:
        create_coupon(affiliate, actor_id=actor_id)
    audit.record(
        "affiliates.approved",
        actor_id=actor_id,
        subject=affiliate,
        partner_id=programme.partner_id,
        details={"code": affiliate.code, "reason": affiliate.decision_reason},
    )
    _decide_mail(affiliate, "affiliate_approved")
    _forget(affiliate)
    return affiliate


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), field="reason")
    return reason


def reject(affiliate: Affiliate, *, actor_id: int, reason: str) -> None:
    reason = _require_reason(reason)
    if affiliate.status != AffiliateStatus.APPLIED:
        raise Conflict(_("Only an application waiting for a decision can be rejected."))
    affiliate.status = AffiliateStatus.REJECTED
    affiliate.decided_at = utcnow()
    affiliate.decided_by = actor_id
    affiliate.decision_reason = reason
    audit.record(
        "affiliates.rejected",
        actor_id=actor_id,
        subject=affiliate,
        partner_id=affiliate.partner_id,
        details={"reason": reason},
    )
    _decide_mail(affiliate, "affiliate_rejected", reason)


def suspend(affiliate: Affiliate, *, actor_id: int, reason: str) -> None:
    """Links stop counting and commissions stop being approved; the affiliate still sees their history."""
    reason = _require_reason(reason)
    if affiliate.status != AffiliateStatus.APPROVED:
        raise Conflict(_("Only an approved affiliate can be suspended."))
    affiliate.status = AffiliateStatus.SUSPENDED
    affiliate.decided_at = utcnow()
    affiliate.decided_by = actor_id
    affiliate.decision_reason = reason
    audit.record(
        "affiliates.suspended",
        actor_id=actor_id,
        subject=affiliate,
        partner_id=affiliate.partner_id,
        details={"reason": reason},
    )
    _decide_mail(affiliate, "affiliate_suspended", reason)
    _forget(affiliate)


def reinstate(affiliate: Affiliate, *, actor_id: int, reason: str) -> None:
    reason = _require_reason(reason)
    if affiliate.status != AffiliateStatus.SUSPENDED:
        raise Conflict(_("Only a suspended affiliate can be reinstated."))
    affiliate.status = AffiliateStatus.APPROVED
    affiliate.decided_at = utcnow()
    affiliate.decided_by = actor_id
    affiliate.decision_reason = reason
    audit.record(
        "affiliates.reinstated",
        actor_id=actor_id,
        subject=affiliate,
        partner_id=affiliate.partner_id,
        details={"reason": reason},
    )
    _forget(affiliate)


def _forget(affiliate: Affiliate) -> None:
    from lms.affiliates import tracking

    if affiliate.code:
        tracking.forget_code(affiliate.code)


def update_payout(
    affiliate: Affiliate, *, actor: User, method: PayoutMethod, details: str, minimum: int | None = None
) -> None:
    """The affiliate changes where the money goes (staff may also set a personal minimum)."""
    if actor.id != affiliate.user_id and not actor.has_role(Role.STAFF):
        raise NotAllowed(_("Only the affiliate can change their payout details."))
    affiliate.payout_method = method
    affiliate.payout_details = _check_payout(method, details)
    affiliate.payout_fingerprint = payout_fingerprint(method, affiliate.payout_details)
    if minimum is not None:
        if minimum < 0:
            raise DomainError(_("The payout minimum cannot be negative."), field="payout_minimum")
        affiliate.payout_minimum = minimum
    audit.record(
        "affiliates.payout_details_changed",
        actor_id=actor.id,
        subject=affiliate,
        partner_id=affiliate.partner_id,
        details={"method": method.value},
    )
    from lms.affiliates.services import fraud

    fraud.check_duplicate_payout(affiliate)


def payout_minimum_of(affiliate: Affiliate) -> int:
    return affiliate.payout_minimum if affiliate.payout_minimum is not None else affiliate.programme.payout_minimum


def affiliates_of(user_id: int) -> list[Affiliate]:
    return list(
        db.session.execute(
            sa.select(Affiliate).where(Affiliate.user_id == user_id).order_by(Affiliate.applied_at)
        ).scalars()
    )


def find_by_code(code: str) -> Affiliate | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.execute(sa.select(Affiliate).where(Affiliate.code == code)).scalar_one_or_none()


# --- coupons -------------------------------------------------------------------------------------


def create_coupon(
    affiliate: Affiliate, *, actor_id: int | None, code: str | None = None, discount_bp: int | None = None
) -> AffiliateCoupon:
    """A coupon for the affiliate's audience; the default is ``<CODE>-<percent>``."""
    from lms.partners.services import vouchers

    if affiliate.status != AffiliateStatus.APPROVED:
        raise Conflict(_("Coupons are for approved affiliates."))
    discount = affiliate.programme.coupon_discount_bp if discount_bp is None else discount_bp
    if not 0 <= discount <= 5000:
        raise DomainError(_("A coupon can give between 0 and %(max)d %% off.", max=50), field="discount")
    wanted = normalise_code(code) or f"{affiliate.code}-{discount // 100}"
    if not is_valid_code(wanted):
        raise DomainError(
            _("Use 3 to 32 letters, digits or hyphens for the code (no hyphen at either end)."), field="code"
        )
    taken = db.session.execute(sa.select(AffiliateCoupon.id).where(AffiliateCoupon.code == wanted)).first()
    if taken or vouchers.find(wanted) is not None:
        raise Conflict(_("That code is taken. Try another one."), field="code")
    coupon = AffiliateCoupon(code=wanted, discount_bp=discount)
    affiliate.coupons.append(coupon)
    db.session.flush()
    audit.record(
        "affiliates.coupon_created",
        actor_id=actor_id,
        subject=coupon,
        partner_id=affiliate.partner_id,
        details={"code": wanted, "discount_bp": discount, "affiliate_id": affiliate.id},
    )
    return coupon


def set_coupon_active(coupon: AffiliateCoupon, active: bool, *, actor_id: int) -> None:
    coupon.active = active
    audit.record(
        "affiliates.coupon_" + ("enabled" if active else "disabled"),
        actor_id=actor_id,
        subject=coupon,
        partner_id=coupon.affiliate.partner_id,
    )


def find_coupon(code: str) -> AffiliateCoupon | None:
    code = normalise_code(code)
    if not code:
        return None
    return db.session.execute(sa.select(AffiliateCoupon).where(AffiliateCoupon.code == code)).scalar_one_or_none()


# --- commission rules ----------------------------------------------------------------------------


def create_rule(
    programme: AffiliateProgramme,
    *,
    actor_id: int,
    name: str,
    product_kind: ProductKind | None = None,
    affiliate_id: int | None = None,
    rate_bp: int | None = None,
    flat_amount: int | None = None,
    currency: str | None = None,
    min_monthly_sales: int = 0,
    payer: Payer = Payer.DEFAULT,
) -> CommissionRule:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the rule a name."), field="name")
    if (rate_bp is None) == (flat_amount is None):
        raise DomainError(_("Give either a percentage or a flat amount."), field="rate")
    if rate_bp is not None and not 0 <= rate_bp <= 10000:
        raise DomainError(_("A percentage is between 0 and 100."), field="rate")
    if flat_amount is not None:
        if flat_amount < 0:
            raise DomainError(_("A flat amount cannot be negative."), field="flat_amount")
        currency = (currency or "").strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise DomainError(_("Choose the currency of the flat amount."), field="currency")
    else:
        currency = None
    if min_monthly_sales < 0:
        raise DomainError(_("The volume tier cannot be negative."), field="min_monthly_sales")
    if affiliate_id is not None:
        affiliate = db.session.get(Affiliate, affiliate_id)
        if affiliate is None or affiliate.programme_id != programme.id:
            raise DomainError(_("That affiliate is not in this programme."), field="affiliate_id")
    rule = CommissionRule(
        programme_id=programme.id,
        partner_id=programme.partner_id,
        name=name[:120],
        product_kind=product_kind,
        affiliate_id=affiliate_id,
        rate_bp=rate_bp,
        flat_amount=flat_amount,
        currency=currency,
        min_monthly_sales=min_monthly_sales,
        payer=payer,
    )
    db.session.add(rule)
    db.session.flush()
    audit.record(
        "affiliates.rule_created",
        actor_id=actor_id,
        subject=rule,
        partner_id=programme.partner_id,
        details={
            "name": rule.name,
            "kind": product_kind.value if product_kind else None,
            "affiliate_id": affiliate_id,
            "rate_bp": rate_bp,
            "flat": flat_amount,
            "currency": currency,
            "tier": min_monthly_sales,
            "payer": payer.value,
        },
    )
    return rule


def deactivate_rule(rule: CommissionRule, *, actor_id: int) -> None:
    """Rules are never edited (commissions point at them): a change is a new rule and this one retired."""
    rule.active = False
    audit.record("affiliates.rule_retired", actor_id=actor_id, subject=rule, partner_id=rule.partner_id)


def rules_of(programme: AffiliateProgramme, *, active_only: bool = True) -> list[CommissionRule]:
    stmt = sa.select(CommissionRule).where(CommissionRule.programme_id == programme.id)
    if active_only:
        stmt = stmt.where(CommissionRule.active.is_(True))
    return list(db.session.execute(stmt.order_by(CommissionRule.id)).scalars())
