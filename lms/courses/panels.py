"""What courses contributes to /dashboard: the learner's courses, labs to grade, staff authoring."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from lms.accounts.models import User
from lms.core.dashboard import DashboardPanel
from lms.core.security import Role, current_partner_id
from lms.core.signals import dashboard_panels
from lms.courses import queries
from lms.courses.models import EnrolmentStatus
from lms.courses.services import labs
from lms.courses.services.enrolment import content_access, exam_eligibility
from lms.courses.services.progress import course_progress


@dashboard_panels.connect
def course_panels(user: User, **_: object) -> list[DashboardPanel]:
    panels = [_my_courses(user)]
    roles = user.roles
    if labs.partner_ids_for_grading(user) or Role.STAFF in roles:
        queue = labs.grading_queue_query(user, current_partner_id() if Role.STAFF not in roles else None)
        panels.append(
            DashboardPanel(
                _l("Case labs to grade"),
                "courses/panels/grading.html",
                {"waiting": queries.pending_lab_count(queue)},
                order=30,
                role="partner" if Role.STAFF not in roles else Role.STAFF.value,
            )
        )
    if Role.STAFF in roles:
        panels.append(
            DashboardPanel(
                _l("Courses and courseware"),
                "courses/panels/authoring.html",
                {
                    "courses": len(queries.all_courses()),
                    "drafts": queries.draft_count(),
                    "mentor": queries.mentor_counts(),
                },
                order=20,
                role=Role.STAFF.value,
            )
        )
    return panels


def _my_courses(user: User) -> DashboardPanel:
    items = []
    for enrolment in queries.enrolments_of(user.id):
        if enrolment.status == EnrolmentStatus.TRANSFERRED:
            continue
        track = enrolment.course_version.course.track
        items.append(
            {
                "enrolment": enrolment,
                "progress": course_progress(enrolment),
                "access": content_access(enrolment),
                "eligible": exam_eligibility(user.id, track.id).eligible,
            }
        )
    return DashboardPanel(
        _l("My courses"), "courses/panels/my_courses.html", {"items": items}, order=5, role=Role.LEARNER.value
    )
