"""Public catalog and course pages; the learner's course home, lesson players, labs, quizzes and mentor."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.core.db import ensure_write_lock, get_or_404
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.navigation import register_nav
from lms.core.security import Role, login_required, public
from lms.core.storage import get_storage
from lms.courses import mentor, queries
from lms.courses.content import html_blocks, transcript_paragraphs
from lms.courses.models import (
    DeliveryMode,
    Enrolment,
    LabSubmissionFile,
    Lesson,
    LessonKind,
    LessonMedia,
    MediaRole,
)
from lms.courses.services import enrolment as enrolment_services
from lms.courses.services import labs, quizzes
from lms.courses.services.progress import Verb, course_progress, record
from lms.extensions import db, limiter

bp = Blueprint("courses", __name__, template_folder="templates")

register_nav("courses.catalog", _l("Courses"), order=20)
register_nav("courses.my_learning", _l("My learning"), Role.LEARNER, order=15)


def locale() -> str:
    return str(get_locale() or "en")


# --- public catalog ------------------------------------------------------------------------------


@bp.route("/courses")
@public
def catalog() -> str:
    filters = queries.CatalogFilters(
        query=request.args.get("q", "").strip()[:100],
        track=request.args.get("track", ""),
        language=request.args.get("language", "") if request.args.get("language") in LANGUAGES else "",
        mode=request.args.get("mode", "") if request.args.get("mode") in {m.value for m in DeliveryMode} else "",
    )
    versions = queries.catalog(filters)
    return render_template(
        "courses/catalog.html",
        versions=versions,
        filters=filters,
        tracks=queries.tracks(),
        filtered=any([filters.query, filters.track, filters.language, filters.mode]),
    )


@bp.route("/courses/<slug>")
@public
def course_page(slug: str) -> str:
    course = queries.course_by_slug(slug)
    if course is None or not course.is_active or course.current_version is None:
        abort(404)
    version = course.current_version
    enrolment = None
    missing = []
    if current_user.is_authenticated:
        enrolment = next(
            (e for e in queries.enrolments_of(current_user.id) if e.course_version.course_id == course.id), None
        )
        missing = enrolment_services.missing_prerequisites(current_user.id, course)
    return render_template(
        "courses/course_page.html",
        course=course,
        version=version,
        counts=queries.lesson_counts(version),
        inclusions=queries.seat_inclusions(version),
        offers=queries.seat_offers(version),
        enrolment=enrolment,
        missing=missing,
    )


# --- the learner's courses -----------------------------------------------------------------------


@bp.route("/learn")
@login_required
def my_learning() -> str:
    enrolments = queries.enrolments_of(current_user.id)
    return render_template(
        "courses/my_learning.html",
        items=[(e, course_progress(e), enrolment_services.content_access(e)) for e in enrolments],
    )


def _own_enrolment(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.user_id != current_user.id:
        abort(404)
    return enrolment


def _lesson_in(enrolment: Enrolment, lesson_id: int) -> Lesson:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None or lesson.module.course_version_id != enrolment.course_version_id:
        abort(404)
    return lesson


@bp.route("/learn/<int:enrolment_id>")
@login_required
def course_home(enrolment_id: int) -> str:
    enrolment = _own_enrolment(enrolment_id)
    return render_template(
        "courses/course_home.html",
        enrolment=enrolment,
        version=enrolment.course_version,
        progress=course_progress(enrolment),
        access=enrolment_services.content_access(enrolment),
        labs=queries.latest_lab_statuses(enrolment.id),
        eligibility=enrolment_services.exam_eligibility(current_user.id, enrolment.course_version.course.track_id),
    )


def player_context(lesson: Lesson, language: str) -> dict[str, Any]:
    """What every lesson player needs, whoever watches (a learner, or staff previewing)."""
    body_language = lesson.text_language("bodies", language)
    transcript_language = lesson.text_language("transcripts", language)
    title_language = lesson.text_language("titles", language)
    shown = {lang for lang in (body_language, transcript_language) if lang}
    fallback = next((lang for lang in shown if lang != language), None)
    return {
        "lesson": lesson,
        "blocks": html_blocks(lesson.body(language)),
        "transcript": transcript_paragraphs(lesson.transcript(language)),
        "body_language": body_language or language,
        "transcript_language": transcript_language or language,
        "title_language": title_language or language,
        "fallback_language": fallback,
        "video": lesson.media_of(MediaRole.VIDEO, language),
        "audio": lesson.media_of(MediaRole.AUDIO, language),
        "pdf": lesson.media_of(MediaRole.PDF, language),
        "captions": lesson.captions(),
        "attachments": [m for m in lesson.media if m.role == MediaRole.ATTACHMENT],
        "questions": quizzes.question_views(lesson, language) if lesson.kind == LessonKind.QUIZ else [],
        "pass_mark": quizzes.pass_mark(lesson),
        "rubric": labs.rubric(lesson),
        "pass_points": labs.pass_points(lesson) if lesson.kind == LessonKind.CASE_LAB else 0,
    }


def _neighbours(lessons: list[Lesson], lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    index = next(i for i, item in enumerate(lessons) if item.id == lesson.id)
    previous = lessons[index - 1] if index > 0 else None
    following = lessons[index + 1] if index + 1 < len(lessons) else None
    return previous, following


def _render_player(enrolment: Enrolment, lesson: Lesson, **extra: Any) -> str:
    progress = course_progress(enrolment)
    previous, following = _neighbours(enrolment.course_version.lessons, lesson)
    context = player_context(lesson, locale())
    if lesson.kind == LessonKind.CASE_LAB:
        context["submissions"] = labs.submissions_of(enrolment.id, lesson.id)
    if lesson.kind == LessonKind.MENTOR:
        context["history"] = queries.mentor_history(current_user.id, enrolment.course_version_id, limit=20)
    eid = enrolment.id
    return render_template(
        "courses/player.html",
        enrolment=enrolment,
        version=enrolment.course_version,
        progress=progress,
        state=progress.state_of(lesson.id),
        previous=previous,
        following=following,
        preview=False,
        can_progress=enrolment_services.can_progress(enrolment),
        can_ask=enrolment_services.content_access(enrolment).allowed,
        lesson_url=lambda item: url_for("courses.lesson", enrolment_id=eid, lesson_id=item.id),
        media_url=media_url,
        complete_url=url_for("courses.complete_lesson", enrolment_id=eid, lesson_id=lesson.id),
        quiz_url=url_for("courses.submit_quiz", enrolment_id=eid, lesson_id=lesson.id),
        lab_url=url_for("courses.submit_lab", enrolment_id=eid, lesson_id=lesson.id),
        mentor_url=url_for("courses.ask_mentor", enrolment_id=eid),
        citation_url=lambda exchange, c: url_for(
            "courses.lesson", enrolment_id=eid, lesson_id=c["lesson_id"], _anchor=c["anchor"]
        ),
        **context,
        **extra,
    )


def media_url(item: LessonMedia) -> str:
    return url_for("courses.lesson_media", media_id=item.id, filename=item.filename)


@bp.route("/learn/<int:enrolment_id>/lessons/<int:lesson_id>")
@login_required
def lesson(enrolment_id: int, lesson_id: int) -> str | Response:
    enrolment = _own_enrolment(enrolment_id)
    lesson = _lesson_in(enrolment, lesson_id)
    access = enrolment_services.content_access(enrolment)
    if not access.allowed:
        flash(access.reason, "warning")
        return redirect(url_for("courses.course_home", enrolment_id=enrolment.id))
    if enrolment_services.can_progress(enrolment):
        ensure_write_lock()
        record(enrolment, lesson, Verb.VIEWED)
        db.session.commit()
    return _render_player(enrolment, lesson)


@bp.route("/learn/<int:enrolment_id>/lessons/<int:lesson_id>/complete", methods=["POST"])
@login_required
def complete_lesson(enrolment_id: int, lesson_id: int) -> Response:
    """The learner finished a video, an audio episode or a chapter (a button, or the player's 'ended' event)."""
    enrolment = _own_enrolment(enrolment_id)
    lesson = _lesson_in(enrolment, lesson_id)
    if lesson.kind not in (LessonKind.VIDEO, LessonKind.PODCAST, LessonKind.EBOOK):
        abort(400)
    row = record(enrolment, lesson, Verb.COMPLETED)
    db.session.commit()
    progress = course_progress(enrolment)
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(
            {
                "recorded": row is not None,
                "percent": progress.percent,
                "done": progress.required_done,
                "total": progress.required_total,
                "course_completed": progress.complete,
            }
        )
    if row is None:
        flash(enrolment_services.content_access(enrolment).reason or _("Progress is not recorded now."), "warning")
    following = _neighbours(enrolment.course_version.lessons, lesson)[1]
    if following is not None:
        return redirect(url_for("courses.lesson", enrolment_id=enrolment.id, lesson_id=following.id))
    return redirect(url_for("courses.course_home", enrolment_id=enrolment.id))


@bp.route("/learn/<int:enrolment_id>/lessons/<int:lesson_id>/quiz", methods=["POST"])
@login_required
def submit_quiz(enrolment_id: int, lesson_id: int) -> str | Response:
    enrolment = _own_enrolment(enrolment_id)
    lesson = _lesson_in(enrolment, lesson_id)
    if lesson.kind != LessonKind.QUIZ:
        abort(404)
    if not enrolment_services.can_progress(enrolment):
        flash(enrolment_services.content_access(enrolment).reason or _("Progress is not recorded now."), "warning")
        return redirect(url_for("courses.course_home", enrolment_id=enrolment.id))
    result = quizzes.submit(enrolment, lesson, request.form, locale())
    db.session.commit()
    return _render_player(enrolment, lesson, result=result)


@bp.route("/learn/<int:enrolment_id>/lessons/<int:lesson_id>/lab", methods=["POST"])
@login_required
def submit_lab(enrolment_id: int, lesson_id: int) -> str | Response:
    enrolment = _own_enrolment(enrolment_id)
    lesson = _lesson_in(enrolment, lesson_id)
    uploads = [(f.filename or "", f.read()) for f in request.files.getlist("files") if f and f.filename]
    try:
        labs.submit(enrolment, lesson, text=request.form.get("text", ""), uploads=uploads, actor_id=current_user.id)
    except DomainError as error:
        db.session.rollback()
        return _render_player(enrolment, lesson, lab_error=error.message, lab_text=request.form.get("text", ""))
    db.session.commit()
    flash(_("Your lab is submitted. You will see the grade and comments here."), "success")
    return redirect(url_for("courses.lesson", enrolment_id=enrolment.id, lesson_id=lesson.id) + "#submissions")


@bp.route("/learn/<int:enrolment_id>/mentor", methods=["POST"])
@login_required
@limiter.limit("20 per minute", key_func=lambda: f"mentor|{current_user.get_id()}")
def ask_mentor(enrolment_id: int) -> str | Response:
    enrolment = _own_enrolment(enrolment_id)
    lesson_id = request.form.get("lesson_id", type=int)
    lesson = _lesson_in(enrolment, lesson_id) if lesson_id else None
    access = enrolment_services.content_access(enrolment)
    if not access.allowed:
        flash(access.reason, "warning")
        return redirect(url_for("courses.course_home", enrolment_id=enrolment.id))
    try:
        exchange = mentor.ask(
            user_id=current_user.id,
            version=enrolment.course_version,
            question=request.form.get("question", ""),
            locale=locale(),
            enrolment=enrolment,
        )
    except DomainError as error:
        db.session.rollback()
        if lesson is None:
            flash(error.message, "error")
            return redirect(url_for("courses.course_home", enrolment_id=enrolment.id))
        return _render_player(enrolment, lesson, mentor_error=error.message)
    if lesson is not None and lesson.kind == LessonKind.MENTOR:
        record(enrolment, lesson, Verb.COMPLETED)
    db.session.commit()
    if lesson is None:
        return redirect(url_for("courses.mentor_history", _anchor=f"exchange-{exchange.id}"))
    return redirect(
        url_for("courses.lesson", enrolment_id=enrolment.id, lesson_id=lesson.id, _anchor=f"exchange-{exchange.id}")
    )


@bp.route("/learn/mentor")
@login_required
def mentor_history() -> str:
    exchanges = queries.mentor_history(current_user.id, limit=200)
    enrolments = {e.course_version_id: e.id for e in queries.enrolments_of(current_user.id)}

    def citation_url(exchange: Any, citation: dict[str, Any]) -> str:
        enrolment_id = enrolments.get(exchange.course_version_id)
        if enrolment_id is None:
            return "#"
        return url_for(
            "courses.lesson", enrolment_id=enrolment_id, lesson_id=citation["lesson_id"], _anchor=citation["anchor"]
        )

    return render_template("courses/mentor_history.html", exchanges=exchanges, citation_url=citation_url)


# --- files -------------------------------------------------------------------------------------


def _may_open_lesson_media(lesson: Lesson) -> bool:
    if Role.STAFF in current_user.roles:
        return True
    version_id = lesson.module.course_version_id
    enrolment = enrolment_services.live_enrolment(current_user.id, version_id)
    return enrolment is not None and enrolment_services.content_access(enrolment).allowed


def _send(data: bytes, content_type: str, filename: str, etag: str, attachment: bool) -> Response:
    response = send_file(
        io.BytesIO(data),
        mimetype=content_type,
        as_attachment=attachment,
        download_name=filename,
        conditional=True,
        etag=etag,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/media/<int:media_id>/<path:filename>")
@login_required
def lesson_media(media_id: int, filename: str) -> Response:
    item = get_or_404(LessonMedia, media_id)
    if not _may_open_lesson_media(item.lesson):
        abort(404)
    inline = item.role in (MediaRole.VIDEO, MediaRole.AUDIO, MediaRole.CAPTIONS, MediaRole.IMAGE, MediaRole.PDF)
    data = get_storage().load(item.storage_key)
    return _send(data, item.content_type, item.filename, item.sha256, attachment=not inline)


@bp.route("/lab-files/<int:file_id>/<path:filename>")
@login_required
def lab_file(file_id: int, filename: str) -> Response:
    item = get_or_404(LabSubmissionFile, file_id)
    submission = item.submission
    if submission.enrolment.user_id != current_user.id and not labs.can_grade(
        current_user._get_current_object(), submission
    ):
        abort(404)
    data = get_storage().load(item.storage_key)
    return _send(data, item.content_type, item.filename, item.sha256, attachment=True)
