"""How the affiliate programmes answer other domains: sign-ups and sign-ins (the browser's clicks
become the learner's), paid and refunded orders (attribution, commissions), and codes typed at
checkout (affiliate coupons)."""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import gettext as _
from flask_login import current_user

from lms.core import signals
from lms.core.dashboard import CheckoutCode
from lms.core.errors import DomainError
from lms.core.tasks import enqueue
from lms.extensions import db


def _anonymous_request() -> bool:
    """The person in this request is the one signing up or in (not a partner enrolling someone)."""
    return has_request_context() and not current_user.is_authenticated


@signals.user_registered.connect
def bind_new_learner(sender: Any = None, **data: Any) -> None:
    from lms.affiliates.services import attribution

    if _anonymous_request():
        attribution.bind_at_signup(data["user_id"])


@signals.user_logged_in.connect
def link_browser(sender: Any = None, **data: Any) -> None:
    from lms.affiliates.services import attribution

    if _anonymous_request():
        attribution.link_visitor(data["user_id"])


@signals.order_paid.connect
def attribute_paid_order(sender: Any = None, **data: Any) -> None:
    from lms.affiliates import tasks
    from lms.affiliates.services import attribution
    from lms.partners.models import Order

    order = db.session.get(Order, data["order_id"])
    if order is None:
        return
    # The buyer paying in their own browser: its clicks become theirs before attribution runs.
    if has_request_context() and current_user.is_authenticated and current_user.id == order.buyer_user_id:
        attribution.link_visitor(order.buyer_user_id)
    enqueue(tasks.attribute_order, order.id)


@signals.order_refunded.connect
def refund_commissions(sender: Any = None, **data: Any) -> None:
    from lms.affiliates import tasks

    enqueue(tasks.apply_refund, data["refund_id"])


@signals.checkout_code_lookup.connect
def affiliate_coupon(code: str, **data: Any) -> CheckoutCode | None:
    """An affiliate's coupon typed at checkout: a discount, and the sale credited without a cookie."""
    from lms.affiliates.models import AffiliateStatus, ProgrammeStatus
    from lms.affiliates.services import attribution, programmes
    from lms.partners.models import Order

    coupon = programmes.find_coupon(code)
    if coupon is None:
        return None
    affiliate = coupon.affiliate
    programme = affiliate.programme
    if not coupon.active or affiliate.status != AffiliateStatus.APPROVED or programme.status != ProgrammeStatus.OPEN:
        raise DomainError(_("This code is no longer valid."), field="code")
    if affiliate.user_id == data.get("user_id"):
        raise DomainError(_("You cannot use your own affiliate code."), field="code")
    order = db.session.get(Order, data.get("order_id"))
    reaches_partner = order is not None and programme.partner_id in attribution.partners_of(order)
    if programme.partner_id is not None and not reaches_partner:
        raise DomainError(
            _("This code is valid only for classes of %(partner)s.", partner=programme.partner.name), field="code"
        )
    return CheckoutCode(
        source=attribution.COUPON_SOURCE,
        ref=f"{attribution.COUPON_REF_PREFIX}{coupon.id}",
        label=_(
            "Affiliate code %(code)s: %(percent)s %% off", code=coupon.code, percent=f"{coupon.discount_bp / 100:g}"
        ),
        discount_bp=coupon.discount_bp,
        channel="referral",
        attribution={"affiliate_id": affiliate.id, "programme_id": programme.id, "coupon_id": coupon.id},
    )
