"""Staff decisions: results held for review, accommodation requests."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.db import get_or_404
from lms.core.errors import DomainError
from lms.core.security import Role, roles_required
from lms.courses.models import CertificationTrack
from lms.exams import queries
from lms.exams.forms import (
    DecisionForm,
)
from lms.exams.labels import EVENT_LABELS, RESULT_LABELS, STATUS_LABELS, event_class
from lms.exams.models import (
    Accommodation,
    ExamAttempt,
)
from lms.exams.services import accommodations, bank, grading, proctoring
from lms.exams.staff_views import bp
from lms.extensions import db

# --- review of results ---------------------------------------------------------------------------


@bp.route("/review")
@roles_required(Role.STAFF)
def review() -> str:
    held = queries.held_attempts()
    return render_template(
        "exams/staff/review.html",
        attempts=held,
        users=queries.users_by_id({a.user_id for a in held}),
        tracks={t.id: t for t in queries.tracks()},
        recent=queries.recent_attempts(limit=30),
        recent_users=queries.users_by_id({a.user_id for a in queries.recent_attempts(limit=30)}),
        result_labels=RESULT_LABELS,
    )


@bp.route("/attempts/<int:attempt_id>")
@roles_required(Role.STAFF)
def attempt(attempt_id: int) -> str:
    exam_attempt = get_or_404(ExamAttempt, attempt_id)
    events = proctoring.timeline(attempt_id)
    users = queries.users_by_id({exam_attempt.user_id} | {e.actor_id for e in events if e.actor_id})
    return render_template(
        "exams/staff/attempt.html",
        attempt=exam_attempt,
        candidate=users.get(exam_attempt.user_id),
        track=get_or_404(CertificationTrack, exam_attempt.track_id),
        events=events,
        actors=users,
        items=queries.items_by_id({ai.item_id for ai in exam_attempt.items}),
        domains={d.code: d for d in bank.domains_of(exam_attempt.track_id)},
        labels=EVENT_LABELS,
        event_class=event_class,
        status_labels=STATUS_LABELS,
        result_labels=RESULT_LABELS,
        form=DecisionForm(),
        bands=grading.BAND_LABELS,
    )


@bp.route("/attempts/<int:attempt_id>/<decision>", methods=["POST"])
@roles_required(Role.STAFF)
def decide_attempt(attempt_id: int, decision: str) -> Response:
    if decision not in ("release", "invalidate"):
        abort(404)
    get_or_404(ExamAttempt, attempt_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if decision == "release":
                grading.release_result(attempt_id, form.note.data or "", actor_id=current_user.id)
            else:
                grading.invalidate_result(attempt_id, form.note.data or "", actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for(".attempt", attempt_id=attempt_id))
        db.session.commit()
        flash(_("The result is released.") if decision == "release" else _("The result is invalidated."), "success")
    return redirect(url_for(".review"))


# --- accommodations ------------------------------------------------------------------------------


@bp.route("/accommodations")
@roles_required(Role.STAFF)
def accommodation_queue() -> str:
    pending = accommodations.pending_requests()
    return render_template(
        "exams/staff/accommodations.html",
        requests=pending,
        users=queries.users_by_id({a.user_id for a in pending}),
        tracks={t.id: t for t in queries.tracks()},
        form=DecisionForm(),
    )


@bp.route("/accommodations/<int:accommodation_id>/<decision>", methods=["POST"])
@roles_required(Role.STAFF)
def decide_accommodation(accommodation_id: int, decision: str) -> Response:
    if decision not in ("approve", "reject"):
        abort(404)
    accommodation = get_or_404(Accommodation, accommodation_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            accommodations.decide(accommodation, decision == "approve", form.note.data or "", actor_id=current_user.id)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The request is approved.") if decision == "approve" else _("The request is declined."), "success")
    return redirect(url_for(".accommodation_queue"))
