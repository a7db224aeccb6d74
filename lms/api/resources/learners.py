"""A learner's progress as your organisation may see it: their enrolments with you and exam eligibility."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import abort
from sqlalchemy.orm import joinedload

from lms.accounts.models import User
from lms.api.framework import ResourceBlueprint, api_view
from lms.api.resources.enrolments import EnrolmentSchema, LearnerRefSchema, enrolment_data
from lms.api.scopes import Scope
from lms.api.services.enrolments import enrolments_of
from lms.core.security import current_partner_id
from lms.courses import services as courses
from lms.courses.models import CourseVersion, Enrolment
from lms.courses.services.progress import course_progress
from lms.extensions import db

blp = ResourceBlueprint(
    "learners",
    __name__,
    tag="Learners",
    description="Progress of the learners your organisation trains.",
)


class TrackProgressSchema(ma.Schema):
    track_id = ma.fields.Integer(required=True)
    exam_eligible = ma.fields.Boolean(required=True, metadata={"description": "Whether the exam is unlocked."})
    reason = ma.fields.String(required=True, metadata={"description": "Why not yet, in the caller's language."})


class CourseProgressSchema(ma.Schema):
    enrolment_id = ma.fields.Integer(required=True)
    percent = ma.fields.Integer(required=True, metadata={"description": "Required lessons done, 0–100."})
    required_lessons = ma.fields.Integer(required=True)
    required_lessons_done = ma.fields.Integer(required=True)
    attendance_percent = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "Meetings attended (class seats only)."}
    )
    attendance_required = ma.fields.Boolean(required=True)
    attendance_met = ma.fields.Boolean(required=True)
    complete = ma.fields.Boolean(required=True, metadata={"description": "Lessons and attendance both done."})


class LearnerProgressSchema(ma.Schema):
    learner = ma.fields.Nested(LearnerRefSchema, required=True)
    enrolments = ma.fields.List(ma.fields.Nested(EnrolmentSchema), required=True)
    progress = ma.fields.List(
        ma.fields.Nested(CourseProgressSchema),
        required=True,
        metadata={"description": "Course progress of each enrolment, as the learner's course page shows it."},
    )
    tracks = ma.fields.List(ma.fields.Nested(TrackProgressSchema), required=True)


@blp.route("/learners/<id:learner_id>/progress")
@api_view(scope=Scope.ENROLMENTS_READ)
@blp.response(200, LearnerProgressSchema)
def learner_progress(learner_id: int) -> dict[str, Any]:
    """Get a learner's progress

    The learner's enrolments that your organisation delivers or sold with their course progress
    (required lessons done, class attendance), and for each certification track of those courses
    whether the exam is unlocked. A learner without such an enrolment is not found.
    """
    enrolments = list(
        db.session.execute(
            enrolments_of(current_partner_id())
            .where(Enrolment.user_id == learner_id)
            .options(joinedload(Enrolment.course_version).joinedload(CourseVersion.course))
            .order_by(Enrolment.id)
        )
        .unique()
        .scalars()
    )
    learner = db.session.get(User, learner_id) if enrolments else None
    if learner is None:
        abort(404)
    track_ids = sorted({e.course_version.course.track_id for e in enrolments})
    tracks = []
    for track_id in track_ids:
        eligibility = courses.exam_eligibility(learner.id, track_id)
        tracks.append({"track_id": track_id, "exam_eligible": eligibility.eligible, "reason": eligibility.reason})
    return {
        "learner": {"id": learner.id, "email": learner.email, "display_name": learner.display_name},
        "enrolments": [enrolment_data(e, learner) for e in enrolments],
        "progress": [progress_data(e) for e in enrolments],
        "tracks": tracks,
    }


def progress_data(enrolment: Enrolment) -> dict[str, Any]:
    progress = course_progress(enrolment)
    return {
        "enrolment_id": enrolment.id,
        "percent": progress.percent,
        "required_lessons": progress.required_total,
        "required_lessons_done": progress.required_done,
        "attendance_percent": progress.attendance_percent,
        "attendance_required": progress.attendance_required,
        "attendance_met": progress.attendance_met,
        "complete": progress.complete,
    }
