"""Background work of the courses domain."""

from __future__ import annotations

from lms.core.tasks import periodic, task
from lms.courses.services.enrolment import expire_enrolments


@periodic(3600)
@task(name="courses.expire_enrolments")
def expire_enrolments_task() -> int:
    """Active eLearning seats past their access period become expired (safe to run twice)."""
    return len(expire_enrolments())
