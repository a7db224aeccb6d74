"""What exams adds to /dashboard: the candidate's exams, the proctor's live sessions, staff queues."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.core.dashboard import DashboardPanel
from lms.core.security import Role
from lms.core.signals import dashboard_panels
from lms.core.time import utcnow
from lms.exams import queries
from lms.exams.models import LIVE_ATTEMPT_STATES
from lms.exams.services import proctoring
from lms.exams.services.delivery import remaining_seconds


@dashboard_panels.connect
def exam_panels(user: User, **_: object) -> list[DashboardPanel]:
    panels = []
    roles = user.roles
    summaries = queries.candidate_exams(user)
    if summaries:
        panels.append(
            DashboardPanel(
                _l("Your exams"),
                "exams/panels/learner.html",
                {"summaries": summaries},
                order=20,
                role=Role.LEARNER.value,
            )
        )
    if roles & {Role.PROCTOR, Role.PARTNER_ADMIN, Role.STAFF}:
        attempts = [a for a in proctoring.live_attempts(user, recent_minutes=0) if a.status in LIVE_ATTEMPT_STATES]
        now = utcnow()
        panels.append(
            DashboardPanel(
                _l("Live exams"),
                "exams/panels/proctor.html",
                {
                    "attempts": attempts[:8],
                    "count": len(attempts),
                    "users": queries.users_by_id({a.user_id for a in attempts[:8]}),
                    "remaining": {a.id: remaining_seconds(a, now) for a in attempts[:8]},
                },
                order=30,
                role=Role.STAFF.value if Role.STAFF in roles else "partner",
            )
        )
    if Role.STAFF in roles:
        panels.append(
            DashboardPanel(
                _l("Exam decisions"),
                "exams/panels/staff.html",
                {"held": queries.held_attempts(), "accommodations": queries.pending_accommodations()},
                order=20,
                role=Role.STAFF.value,
            )
        )
    return panels
