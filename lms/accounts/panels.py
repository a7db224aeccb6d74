"""The dashboard panels accounts contributes: a first page for each role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts import queries
from lms.accounts.models import User
from lms.core.dashboard import DashboardPanel
from lms.core.security import Role
from lms.core.signals import dashboard_panels


@dashboard_panels.connect
def account_panels(user: User, **_: object) -> list[DashboardPanel]:
    roles = user.roles
    panels = [
        DashboardPanel(
            _l("Your certificate name"),
            "accounts/panels/certificate_name.html",
            {"user": user},
            order=90,
            role=Role.LEARNER.value,
        )
    ]
    partner_memberships = user.partner_memberships()
    if partner_memberships:
        organisations = {m.organisation.id: m.organisation for m in partner_memberships}
        panels.append(
            DashboardPanel(
                _l("Your organisation"),
                "accounts/panels/organisation.html",
                {
                    "organisations": list(organisations.values()),
                    "memberships": partner_memberships,
                    "members": {oid: queries.organisation_members(oid) for oid in organisations}
                    if roles & {Role.PARTNER_ADMIN, Role.PARTNER_MANAGER}
                    else {},
                },
                order=10,
                role="partner",
            )
        )
    if Role.STAFF in roles:
        panels.append(
            DashboardPanel(
                _l("Network at a glance"),
                "accounts/panels/staff_overview.html",
                {
                    "counts": queries.counts_by_kind(),
                    "users": queries.user_count(),
                    "events": queries.recent_audit_events(8),
                },
                order=10,
                role=Role.STAFF.value,
            )
        )
    return panels
