"""Grading case labs: a partner's instructors and managers grade their learners' labs; staff grade any."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, current_partner_id, roles_required
from lms.courses.models import LabStatus, LabSubmission
from lms.courses.services import labs
from lms.extensions import db

bp = Blueprint("course_grading", __name__, template_folder="templates", url_prefix="/grading")

GRADERS = (Role.INSTRUCTOR, Role.PARTNER_ADMIN, Role.PARTNER_MANAGER, Role.STAFF)
register_nav("course_grading.queue", _l("Grading"), Role.INSTRUCTOR, Role.PARTNER_ADMIN, Role.PARTNER_MANAGER, order=40)


def _partner_scope() -> int | None:
    return None if Role.STAFF in current_user.roles else current_partner_id()


def _visible_submission(submission_id: int) -> LabSubmission:
    """A submission this grader may see; another partner's learner's submission is a 404."""
    stmt = labs.grading_queue_query(current_user._get_current_object(), _partner_scope(), status=None)
    submission = db.session.execute(stmt.where(LabSubmission.id == submission_id)).scalar_one_or_none()
    if submission is None:
        abort(404)
    return submission


@bp.route("")
@roles_required(*GRADERS)
def queue() -> str:
    status = request.args.get("status", LabStatus.SUBMITTED.value)
    chosen = LabStatus(status) if status in {s.value for s in LabStatus} else None
    stmt = labs.grading_queue_query(current_user._get_current_object(), _partner_scope(), status=chosen)
    submissions = list(db.session.execute(stmt.limit(200)).scalars())
    return render_template("courses/grading/queue.html", submissions=submissions, status=status)


@bp.route("/<int:submission_id>", methods=["GET", "POST"])
@roles_required(*GRADERS)
def grade(submission_id: int) -> str | Response:
    submission = _visible_submission(submission_id)
    error = None
    if request.method == "POST":
        criteria = labs.rubric(submission.lesson)
        try:
            labs.grade(
                submission.id,
                grader=current_user._get_current_object(),
                scores={c["id"]: request.form.get(f"score-{c['id']}", "") for c in criteria},
                comments={c["id"]: request.form.get(f"comment-{c['id']}", "") for c in criteria},
                feedback=request.form.get("feedback", ""),
            )
        except DomainError as exc:
            db.session.rollback()
            error = exc
            submission = _visible_submission(submission_id)
        else:
            db.session.commit()
            flash(_("The grade is saved and the learner can see it."), "success")
            return redirect(url_for("course_grading.queue"))
    history = labs.submissions_of(submission.enrolment_id, submission.lesson_id)
    return render_template(
        "courses/grading/grade.html",
        submission=submission,
        history=history,
        rubric=labs.rubric(submission.lesson),
        pass_points=labs.pass_points(submission.lesson),
        error=error,
        form=request.form,
    )
