"""Dashboard panels: the learner's certificates; a partner admin's classes to certify; staff's overview."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.certificates import queries
from lms.core.dashboard import DashboardPanel
from lms.core.security import Role
from lms.core.signals import dashboard_panels


@dashboard_panels.connect
def certificate_panels(user: User, **_: object) -> list[DashboardPanel]:
    panels = [
        DashboardPanel(
            _l("My certificates"),
            "certificates/panels/my_certificates.html",
            {"certificates": queries.current_certificates_of(user.id)[:4]},
            order=20,
            role=Role.LEARNER.value,
        )
    ]
    if Role.STAFF in user.roles:
        panels.append(
            DashboardPanel(
                _l("Certificates"),
                "certificates/panels/staff.html",
                {"counts": queries.status_counts(), "claims": len(queries.pending_claims())},
                order=30,
                role=Role.STAFF.value,
            )
        )
    return panels
