"""Boxes the affiliate programmes add to /dashboard: the affiliate's figures, staff's queues, a
partner's referrals, and an invitation for learners who are not affiliates yet."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.core.dashboard import DashboardPanel
from lms.core.security import Role, current_partner_id
from lms.core.signals import dashboard_panels
from lms.extensions import db


@dashboard_panels.connect
def affiliate_panels(user: User, **kwargs: Any) -> list[DashboardPanel]:
    from lms.affiliates import queries
    from lms.affiliates.models import Affiliate, AffiliateStatus
    from lms.affiliates.services import commissions, fraud, payouts, programmes

    roles = user.roles
    panels: list[DashboardPanel] = []
    accounts = programmes.affiliates_of(user.id)
    for affiliate in accounts:
        panels.append(
            DashboardPanel(
                _l("Affiliate"),
                "affiliates/panels/affiliate.html",
                {
                    "affiliate": affiliate,
                    "stats": queries.stats([affiliate.id], 3),
                    "unpaid": commissions.unpaid_totals(affiliate.id),
                },
                order=30,
                role=Role.AFFILIATE.value,
            )
        )
    if not accounts and roles == frozenset({Role.LEARNER}) and programmes.open_programmes():
        panels.append(
            DashboardPanel(_l("Earn with referrals"), "affiliates/panels/invite.html", {}, order=90, role="learner")
        )
    if Role.STAFF in roles:
        pending = db.session.execute(
            sa.select(sa.func.count()).where(Affiliate.status == AffiliateStatus.APPLIED)
        ).scalar_one()
        panels.append(
            DashboardPanel(
                _l("Affiliates"),
                "affiliates/panels/staff.html",
                {
                    "pending": pending,
                    "flags": len(fraud.open_flags()),
                    "payable": len([c for c in payouts.candidates() if c.eligible]),
                },
                order=18,
                role=Role.STAFF.value,
            )
        )
    partner_id = current_partner_id()
    if partner_id and roles & {Role.PARTNER_ADMIN, Role.PARTNER_MANAGER}:
        pending = db.session.execute(
            sa.select(sa.func.count()).where(
                Affiliate.partner_id == partner_id, Affiliate.status == AffiliateStatus.APPLIED
            )
        ).scalar_one()
        panels.append(
            DashboardPanel(
                _l("Affiliates"),
                "affiliates/panels/partner.html",
                {"reach": queries.partner_reach(partner_id), "pending": pending},
                order=26,
                role="partner",
            )
        )
    return panels
