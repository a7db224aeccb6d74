"""Candidate pages and the attempt's JSON endpoints. Every attempt request goes through
:mod:`lms.exams.services.delivery` (the one rule layer): these views only parse, call it, commit."""

from __future__ import annotations

import secrets
from typing import Any

from flask import (
    Blueprint,
    abort,
    after_this_request,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.core.db import reads_first
from lms.core.errors import DomainError
from lms.core.navigation import register_nav
from lms.core.security import Role, login_required
from lms.courses.models import CertificationTrack
from lms.exams import queries
from lms.exams.forms import AccommodationForm, CheckInForm, EmptyForm
from lms.exams.labels import question_labels
from lms.exams.models import AccommodationScope, AttemptStatus
from lms.exams.services import accommodations, attempts, blueprints, delivery
from lms.exams.services.bank import domains_of
from lms.exams.services.delivery import Channel, StaleAnswer
from lms.exams.services.grading import BAND_LABELS
from lms.extensions import db

bp = Blueprint("exams", __name__, url_prefix="/exams", template_folder="templates")

register_nav("exams.my_exams", _l("Exams"), Role.LEARNER, order=30)

DEVICE_COOKIE = "lms_exam_device"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 400


def _device_token() -> str:
    """This browser's exam device token (a long-lived cookie), created on first use."""
    token = request.cookies.get(DEVICE_COOKIE) or g.get("lms_exam_device")
    if token and 20 <= len(token) <= 100:
        return token
    token = secrets.token_urlsafe(32)
    g.lms_exam_device = token

    @after_this_request
    def _set_cookie(response: Response) -> Response:
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
            path="/exams",
        )
        return response

    return token


def _channel() -> Channel:
    return Channel(user_id=current_user.id, device_token=_device_token(), ip=request.remote_addr)


def _track_or_404(code: str) -> Any:
    track = queries.track_by_code(code)
    if track is None:
        abort(404)
    return track


def _json_error(error: DomainError) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": {"code": error.code, "message": error.message}}
    if isinstance(error, StaleAnswer):
        body["current"] = error.current
    return jsonify(body), error.status_code


def _urls(attempt_id: int) -> dict[str, str]:
    return {
        "take_url": url_for(".take", attempt_id=attempt_id),
        "result_url": url_for(".result", attempt_id=attempt_id),
    }


# --- overview, check-in, start ---------------------------------------------------------------------


@bp.route("/")
@login_required
def my_exams() -> str:
    return render_template("exams/my_exams.html", summaries=queries.candidate_exams(current_user._get_current_object()))


@bp.route("/<code>")
@login_required
def overview(code: str) -> str:
    track = _track_or_404(code)
    _device_token()
    summary = queries.exam_summary(current_user._get_current_object(), track)
    form = CheckInForm()
    if summary.blueprint is not None:
        form.language.choices = [c for c in form.language.choices if c[0] in summary.blueprint.languages]
        if current_user.locale in summary.blueprint.languages:
            form.language.data = current_user.locale
    return render_template("exams/overview.html", track=track, summary=summary, form=form)


@bp.route("/<code>/start", methods=["POST"])
@login_required
@reads_first  # attempts.start_attempt reads the item bank, then takes the write lock to decide and insert
def start(code: str) -> Response | tuple[str, int]:
    track = _track_or_404(code)
    user = current_user._get_current_object()
    form = CheckInForm()
    blueprint = blueprints.active_blueprint(track.id)
    if blueprint is not None:
        form.language.choices = [c for c in form.language.choices if c[0] in blueprint.languages]
    if form.validate_on_submit():
        checkin = attempts.CheckIn(
            identity_confirmed=form.identity_confirmed.data,
            rules_accepted=form.rules_accepted.data,
            confidentiality_accepted=form.confidentiality_accepted.data,
            webcam_consent=form.webcam_consent.data,
            language=form.language.data,
        )
        try:
            # Starting again while an attempt is under way returns that attempt (a double click resumes).
            attempt = attempts.start_attempt(user, track, checkin, device_token=_device_token(), ip=request.remote_addr)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            attempt_id = attempt.id  # read before the commit expires it (a read after would begin anew)
            db.session.commit()
            return redirect(url_for(".take", attempt_id=attempt_id))
    summary = queries.exam_summary(user, track)
    return render_template("exams/overview.html", track=track, summary=summary, form=form), 400


# --- the attempt -----------------------------------------------------------------------------------


@bp.route("/attempts/<int:attempt_id>")
@login_required
def take(attempt_id: int) -> Response | str:
    view = delivery.open_attempt(attempt_id, _channel())
    db.session.commit()
    if view.attempt.status == AttemptStatus.COMPLETED:
        return redirect(url_for(".result", attempt_id=attempt_id))
    track = db.session.get(CertificationTrack, view.attempt.track_id)
    if view.status == "blocked":
        return render_template("exams/blocked.html", attempt=view.attempt, track=track, state=view.state())
    return render_template(
        "exams/take.html",
        attempt=view.attempt,
        track=track,
        state=view.state(),
        questions=view.questions(),
        form=EmptyForm(),
        L=question_labels(),
    )


@bp.route("/attempts/<int:attempt_id>/answers", methods=["POST"])
@login_required
def save_form(attempt_id: int) -> Response:
    """The no-script way to save: the whole form at once."""
    view = delivery.open_attempt(attempt_id, _channel())
    try:
        problems = view.save_form(request.form.getlist)
    except DomainError as error:
        db.session.commit()
        flash(error.message, "error")
        return redirect(url_for(".take", attempt_id=attempt_id))
    db.session.commit()
    for problem in problems:
        flash(problem, "error")
    if not problems:
        flash(_("Your answers are saved."), "success")
    return redirect(url_for(".take", attempt_id=attempt_id))


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@login_required
@reads_first  # the answer is checked before the write lock is taken (delivery.CandidateAttempt.save)
def save(attempt_id: int) -> tuple[Response, int] | Response:
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return _json_error(DomainError(_("Send the answer as JSON.")))
    view = delivery.open_attempt(attempt_id, _channel())
    try:
        result = view.save(payload.get("position"), payload.get("response"), payload.get("flagged"), payload.get("seq"))
    except DomainError as error:
        db.session.commit()  # what the rule layer settled (a deadline, a second device) is kept
        return _json_error(error)
    db.session.commit()
    return jsonify(result)


@bp.route("/attempts/<int:attempt_id>/state")
@login_required
def state(attempt_id: int) -> Response:
    view = delivery.open_attempt(attempt_id, _channel())
    db.session.commit()
    return jsonify({**view.state(), **_urls(attempt_id)})


@bp.route("/attempts/<int:attempt_id>/events", methods=["POST"])
@login_required
def events(attempt_id: int) -> tuple[Response, int] | Response:
    payload = request.get_json(silent=True)
    view = delivery.open_attempt(attempt_id, _channel())
    try:
        count = view.record_events((payload or {}).get("events") if isinstance(payload, dict) else None)
    except DomainError as error:
        db.session.commit()
        return _json_error(error)
    db.session.commit()
    return jsonify({"recorded": count})


@bp.route("/attempts/<int:attempt_id>/snapshot", methods=["POST"])
@login_required
def snapshot(attempt_id: int) -> tuple[Response, int] | Response:
    upload = request.files.get("image")
    view = delivery.open_attempt(attempt_id, _channel())
    try:
        if upload is None:
            raise DomainError(_("The snapshot is not an image."))
        view.store_snapshot(upload.read(delivery.MAX_SNAPSHOT_BYTES + 1))
    except DomainError as error:
        db.session.commit()
        return _json_error(error)
    db.session.commit()
    return jsonify({"stored": True})


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@login_required
def submit(attempt_id: int) -> Response | str:
    view = delivery.open_attempt(attempt_id, _channel())
    if view.attempt.status == AttemptStatus.COMPLETED:
        db.session.commit()
        return redirect(url_for(".result", attempt_id=attempt_id))
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            view.submit()
        except DomainError as error:
            db.session.commit()
            flash(error.message, "error")
            return redirect(url_for(".take", attempt_id=attempt_id))
        db.session.commit()
        return redirect(url_for(".result", attempt_id=attempt_id))
    db.session.commit()
    if view.status == "blocked":
        return redirect(url_for(".take", attempt_id=attempt_id))
    questions = view.questions()
    return render_template(
        "exams/submit.html",
        attempt=view.attempt,
        state=view.state(),
        unanswered=[q["position"] for q in questions if q["response"] is None],
        flagged=[q["position"] for q in questions if q["flagged"]],
        form=form,
    )


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int) -> Response | str:
    view = delivery.open_attempt(attempt_id, _channel())
    db.session.commit()
    if view.attempt.status != AttemptStatus.COMPLETED:
        return redirect(url_for(".take", attempt_id=attempt_id))
    track = db.session.get(CertificationTrack, view.attempt.track_id)
    domains = {d.code: d for d in domains_of(view.attempt.track_id)}
    summary = queries.exam_summary(current_user._get_current_object(), track)
    return render_template(
        "exams/result.html",
        attempt=view.attempt,
        track=track,
        result=view.result(),
        domains=domains,
        bands=BAND_LABELS,
        summary=summary,
    )


# --- accommodations ------------------------------------------------------------------------------


@bp.route("/accommodations", methods=["GET", "POST"])
@login_required
def accommodation_requests() -> Response | str:
    user = current_user._get_current_object()
    form = AccommodationForm()
    all_tracks = queries.tracks()
    form.track_id.choices = [(0, _("Every exam"))] + [(t.id, t.name(str(user.locale))) for t in all_tracks]
    if form.validate_on_submit():
        try:
            accommodations.request_accommodation(
                user_id=user.id,
                track_id=form.track_id.data or None,
                extra_minutes=form.extra_minutes.data or 0,
                time_percent=form.time_percent.data,
                other_adjustments=form.other_adjustments.data or "",
                reason=form.reason.data,
                scope=AccommodationScope(form.scope.data),
                valid_until=form.valid_until.data,
            )
        except DomainError as error:
            field = getattr(form, error.field, None) if error.field else None
            if field is not None:
                field.errors = [*field.errors, error.message]
            else:
                flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your request is sent. Staff of the certification body will decide on it."), "success")
            return redirect(url_for(".accommodation_requests"))
    return render_template(
        "exams/accommodations.html",
        form=form,
        requests=accommodations.requests_of(user.id),
        track_names={t.id: t.name(str(user.locale)) for t in all_tracks},
    )
