"""Factories for affiliate tests: programmes, approved affiliates, clicks at a given time, paid orders.

The partners' factories (partners, classes, versions, the certification body) are reused as they are.
"""

from __future__ import annotations

from typing import Any

import pytest

from lms.accounts.models import OrganisationKind
from lms.affiliates.models import AffiliateStatus, PayoutMethod
from lms.affiliates.services import programmes
from lms.core.security import Role
from lms.extensions import db
from tests.partners.conftest import body, buy_seat, make_class, make_partner, make_version  # noqa: F401

_n = iter(range(1, 10**9))


@pytest.fixture(autouse=True)
def _fresh_link_memory():
    """The redirect's in-process memory (codes, recent visitors) must not leak between tests."""
    from lms.affiliates import tracking

    tracking.reset_memory()
    yield
    tracking.reset_memory()


@pytest.fixture
def staff(create_user, body):  # noqa: F811 (the partners' fixture)
    return create_user(roles=[(body, Role.STAFF)], display_name="Affiliate Staff")


@pytest.fixture
def network(body):  # noqa: F811
    """The network-wide programme (10 % standard rate, 60-day window, 30-day holding period)."""
    return programmes.ensure_programme(None)


@pytest.fixture
def make_affiliate(create_user, staff):
    """``make_affiliate(programme, code=…, user=…, payout=…)`` → an approved affiliate with a coupon."""

    def factory(
        programme: Any,
        *,
        code: str | None = None,
        user: Any = None,
        payout: str | None = None,
        method: PayoutMethod = PayoutMethod.PAYPAL,
        approve: bool = True,
    ):
        n = next(_n)
        user = user or create_user(display_name=f"Affiliate {n}")
        affiliate = programmes.apply(
            user,
            programme,
            website=f"https://blog{n}.example.com",
            channels="A newsletter about AI",
            audience="Developers and team leads learning AI",
            payout_method=method,
            payout_details=payout or f"payouts{n}@example.com",
            preferred_code=code or f"AFF{n}",
        )
        if approve:
            actor = staff
            if programme.partner_id is not None:
                actor = create_user(display_name="Partner admin")
            programmes.approve(affiliate, actor_id=actor.id)
            assert affiliate.status == AffiliateStatus.APPROVED
        db.session.flush()
        return affiliate

    return factory


@pytest.fixture
def partner_programme():
    def factory(partner: Any):
        return programmes.ensure_programme(partner.id)

    return factory


@pytest.fixture
def academic(make_partner):  # noqa: F811
    return make_partner(OrganisationKind.ACADEMIC_PARTNER, name="University")
