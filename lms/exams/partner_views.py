"""The proctor console: live attempts of the proctor's classes and partner, the evidence timeline,
and the actions (pause, resume, add time, end, note, flag, approve a device move). No item content."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required
from lms.core.storage import get_storage
from lms.core.time import utcnow
from lms.courses.models import CertificationTrack
from lms.exams import queries
from lms.exams.forms import AddTimeForm, ReasonForm
from lms.exams.labels import EVENT_LABELS, STATUS_LABELS, event_class
from lms.exams.models import AttemptEvent, EventKind, ExamAttempt
from lms.exams.services import delivery, proctoring
from lms.extensions import db

bp = Blueprint("proctor", __name__, url_prefix="/proctor", template_folder="templates")

PROCTOR_ROLES = (Role.PROCTOR, Role.PARTNER_ADMIN, Role.STAFF)
register_nav("proctor.console", _l("Proctoring"), *PROCTOR_ROLES, order=40)

ACTIONS = {
    "pause": proctoring.pause,
    "resume": proctoring.resume,
    "end": proctoring.end,
    "note": proctoring.add_note,
    "flag": proctoring.flag,
    "approve-move": proctoring.approve_move,
}
DONE_MESSAGES = {
    "pause": _l("The clock is paused."),
    "resume": _l("The clock runs again."),
    "add-time": _l("Time added."),
    "end": _l("The attempt is ended; its result waits for staff review."),
    "note": _l("Note added."),
    "flag": _l("The attempt is flagged for review."),
    "approve-move": _l("The candidate may continue on the new device."),
}


def _track_names() -> dict[int, str]:
    from flask_babel import get_locale

    locale = str(get_locale() or "en")
    return {t.id: t.name(locale) for t in db.session.execute(db.select(CertificationTrack)).scalars()}


def _row(attempt: ExamAttempt, users: dict, tracks: dict, events: list[AttemptEvent], now: Any) -> dict[str, Any]:
    user = users.get(attempt.user_id)
    return {
        "id": attempt.id,
        "url": url_for(".attempt", attempt_id=attempt.id),
        "candidate": user.legal_name if user else "",
        "email": user.email if user else "",
        "exam": tracks.get(attempt.track_id, ""),
        "status": attempt.status.value,
        "status_label": str(STATUS_LABELS[attempt.status]),
        "remaining_seconds": delivery.remaining_seconds(attempt, now),
        "integrity_count": attempt.integrity_count,
        "flagged": attempt.flagged,
        "move_requested": bool(attempt.pending_device_hash),
        "last_seen": format_datetime(attempt.last_seen_at, "short") if attempt.last_seen_at else "",
        "events": [
            {
                "label": str(EVENT_LABELS[e.kind]),
                "at": format_datetime(e.occurred_at, "HH:mm:ss"),
                "class": event_class(e.kind),
            }
            for e in events
        ],
    }


def _rows() -> list[dict[str, Any]]:
    user = current_user._get_current_object()
    attempts = proctoring.live_attempts(user)
    users = queries.users_by_id({a.user_id for a in attempts})
    tracks = _track_names()
    events = proctoring.recent_events([a.id for a in attempts])
    now = utcnow()
    return [_row(a, users, tracks, events.get(a.id, []), now) for a in attempts]


@bp.route("/")
@roles_required(*PROCTOR_ROLES)
def console() -> str:
    return render_template("exams/proctor/console.html", rows=_rows())


@bp.route("/live.json")
@roles_required(*PROCTOR_ROLES)
def live() -> Response:
    return jsonify({"attempts": _rows()})


@bp.route("/attempts/<int:attempt_id>")
@roles_required(*PROCTOR_ROLES)
def attempt(attempt_id: int) -> str:
    user = current_user._get_current_object()
    exam_attempt = proctoring.attempt_in_scope(user, attempt_id)
    events = proctoring.timeline(attempt_id)
    candidate = queries.users_by_id({exam_attempt.user_id}).get(exam_attempt.user_id)
    actors = queries.users_by_id({e.actor_id for e in events if e.actor_id})
    return render_template(
        "exams/proctor/attempt.html",
        attempt=exam_attempt,
        candidate=candidate,
        track_name=_track_names().get(exam_attempt.track_id, ""),
        events=events,
        actors=actors,
        remaining=delivery.remaining_seconds(exam_attempt, utcnow()),
        minutes=delivery.allowed_minutes(exam_attempt),
        reason_form=ReasonForm(),
        time_form=AddTimeForm(),
        labels=EVENT_LABELS,
        status_labels=STATUS_LABELS,
        event_class=event_class,
        snapshots=[e for e in events if e.kind == EventKind.SNAPSHOT][-12:],
    )


@bp.route("/attempts/<int:attempt_id>/<action>", methods=["POST"])
@roles_required(*PROCTOR_ROLES)
def act(attempt_id: int, action: str) -> Response:
    user = current_user._get_current_object()
    proctoring.attempt_in_scope(user, attempt_id)
    if action not in ACTIONS and action != "add-time":
        abort(404)
    form = AddTimeForm() if action == "add-time" else ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason; it goes into the attempt's evidence timeline."), "error")
        return redirect(url_for(".attempt", attempt_id=attempt_id))
    try:
        if action == "add-time":
            proctoring.add_time(user, attempt_id, form.minutes.data, form.reason.data)
        else:
            ACTIONS[action](user, attempt_id, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(str(DONE_MESSAGES[action]), "success")
    return redirect(url_for(".attempt", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/snapshots/<int:event_id>")
@roles_required(*PROCTOR_ROLES)
def snapshot(attempt_id: int, event_id: int) -> Response:
    proctoring.attempt_in_scope(current_user._get_current_object(), attempt_id)
    event = db.session.get(AttemptEvent, event_id)
    if event is None or event.attempt_id != attempt_id or event.kind != EventKind.SNAPSHOT:
        abort(404)
    data = get_storage().load(event.details["key"])
    response = Response(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "private, no-store"
    return response
