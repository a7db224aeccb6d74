"""Course rules. Every channel that gives a learner a seat calls :func:`enrol`; exams ask
:func:`exam_eligibility`. Submodules: ``enrolment`` (seats, states, access, prerequisites),
``progress`` (moveOn and completion), ``quizzes``, ``labs``, ``authoring`` (staff)."""

from lms.courses.services.enrolment import (
    Access,
    Eligibility,
    cancel_enrolment,
    content_access,
    end_enrolment,
    enrol,
    exam_eligibility,
    expire_enrolments,
    extend_access,
    grant_override,
    live_enrolment,
    missing_prerequisites,
    start_enrolment,
    transfer_enrolment,
)
from lms.courses.services.progress import Verb, course_progress, record, record_attendance

__all__ = [
    "Access",
    "Eligibility",
    "Verb",
    "cancel_enrolment",
    "content_access",
    "course_progress",
    "end_enrolment",
    "enrol",
    "exam_eligibility",
    "expire_enrolments",
    "extend_access",
    "grant_override",
    "live_enrolment",
    "missing_prerequisites",
    "record",
    "record_attendance",
    "start_enrolment",
    "transfer_enrolment",
]
