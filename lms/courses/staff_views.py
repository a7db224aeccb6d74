"""Staff authoring: the catalog, courseware editing per language, media, publishing, preview as a learner,
package import/export, enrolments and prerequisite overrides, and the mentor review."""

from __future__ import annotations

import io
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.accounts.models import User
from lms.core.db import get_or_404
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.navigation import register_nav
from lms.core.security import Role, roles_required, safe_next_url
from lms.courses import package, queries
from lms.courses.models import (
    CertificationTrack,
    Course,
    CourseModule,
    CourseVersion,
    EnrolmentSource,
    Lesson,
    LessonKind,
    LessonMedia,
    MentorExchange,
    MentorReview,
    PracticeQuestion,
    PrerequisiteOverride,
)
from lms.courses.services import authoring, quizzes
from lms.courses.services import enrolment as enrolment_services
from lms.courses.services.progress import course_progress
from lms.courses.views import media_url, player_context
from lms.extensions import db

bp = Blueprint("staff_courses", __name__, template_folder="templates", url_prefix="/staff/catalog")
register_nav("staff_courses.catalog", _l("Catalog"), Role.STAFF, order=60)

STAFF = Role.STAFF


def _actor() -> int:
    return int(current_user.id)


def _language() -> str:
    language = request.values.get("lang") or str(get_locale() or "en")
    return language if language in LANGUAGES else "en"


def _error(error: DomainError) -> dict[str, str]:
    db.session.rollback()
    if not error.field:
        flash(error.message, "error")
    return {error.field: error.message} if error.field else {}


# --- catalog, tracks, courses --------------------------------------------------------------------


@bp.route("")
@roles_required(STAFF)
def catalog() -> str:
    return render_template("courses/staff/catalog.html", tracks=queries.tracks(), courses=queries.all_courses())


@bp.route("/tracks/new", methods=["GET", "POST"])
@bp.route("/tracks/<int:track_id>", methods=["GET", "POST"])
@roles_required(STAFF)
def track(track_id: int | None = None) -> str | Response:
    track = get_or_404(CertificationTrack, track_id) if track_id else None
    language = _language()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            track = authoring.save_track(
                track,
                code=request.form.get("code", ""),
                slug=request.form.get("slug", ""),
                language=language,
                name=request.form.get("name", ""),
                summary=request.form.get("summary", ""),
                validity_months=request.form.get("validity_months", type=int) or 0,
                requires_course_completion=bool(request.form.get("requires_course_completion")),
                actor_id=_actor(),
            )
        except DomainError as error:
            errors = _error(error)
            track = get_or_404(CertificationTrack, track_id) if track_id else None
        else:
            db.session.commit()
            flash(_("The certification is saved."), "success")
            return redirect(url_for("staff_courses.track", track_id=track.id, lang=language))
    return render_template("courses/staff/track.html", track=track, language=language, errors=errors, form=request.form)


@bp.route("/courses/new", methods=["GET", "POST"])
@roles_required(STAFF)
def new_course() -> str | Response:
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            course = authoring.create_course(
                track_id=request.form.get("track_id", type=int) or 0,
                code=request.form.get("code", ""),
                slug=request.form.get("slug", ""),
                primary_language=request.form.get("primary_language", "en"),
                title=request.form.get("title", ""),
                actor_id=_actor(),
            )
        except DomainError as error:
            errors = _error(error)
        else:
            db.session.commit()
            flash(_("The course is created with a draft version 1."), "success")
            return redirect(url_for("staff_courses.version", version_id=course.versions[0].id))
    return render_template("courses/staff/new_course.html", tracks=queries.tracks(), errors=errors, form=request.form)


@bp.route("/courses/<int:course_id>", methods=["GET", "POST"])
@roles_required(STAFF)
def course(course_id: int) -> str | Response:
    course = get_or_404(Course, course_id)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            authoring.update_course(
                course,
                track_id=request.form.get("track_id", type=int) or 0,
                slug=request.form.get("slug", ""),
                primary_language=request.form.get("primary_language", "en"),
                is_active=bool(request.form.get("is_active")),
                prerequisite_ids=[int(v) for v in request.form.getlist("prerequisites") if v.isdigit()],
                actor_id=_actor(),
            )
        except DomainError as error:
            errors = _error(error)
            course = get_or_404(Course, course_id)
        else:
            db.session.commit()
            flash(_("The course settings are saved."), "success")
            return redirect(url_for("staff_courses.course", course_id=course.id))
    overrides = list(
        db.session.execute(
            sa.select(PrerequisiteOverride)
            .where(PrerequisiteOverride.course_id == course.id)
            .order_by(PrerequisiteOverride.id.desc())
        ).scalars()
    )
    users = (
        {
            u.id: u
            for u in db.session.execute(
                sa.select(User).where(
                    User.id.in_({o.user_id for o in overrides} | {o.granted_by_id for o in overrides})
                )
            ).scalars()
        }
        if overrides
        else {}
    )
    return render_template(
        "courses/staff/course.html",
        course=course,
        tracks=queries.tracks(),
        others=[c for c in queries.all_courses() if c.id != course.id],
        overrides=overrides,
        users=users,
        errors=errors,
    )


@bp.route("/courses/<int:course_id>/versions", methods=["POST"])
@roles_required(STAFF)
def new_version(course_id: int) -> Response:
    course = get_or_404(Course, course_id)
    try:
        draft = authoring.new_draft_version(course, actor_id=_actor())
    except DomainError as error:
        _error(error)
        return redirect(url_for("staff_courses.course", course_id=course_id))
    db.session.commit()
    flash(_("Version %(number)d is a draft copy of the latest version.", number=draft.number), "success")
    return redirect(url_for("staff_courses.version", version_id=draft.id))


@bp.route("/courses/<int:course_id>/overrides", methods=["POST"])
@roles_required(STAFF)
def grant_override(course_id: int) -> Response:
    course = get_or_404(Course, course_id)
    email = request.form.get("email", "").strip().lower()
    learner = db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()
    if learner is None:
        flash(_("No account uses the address %(email)s.", email=email), "error")
        return redirect(url_for("staff_courses.course", course_id=course.id, _anchor="overrides"))
    try:
        enrolment_services.grant_override(
            learner.id, course.id, actor_id=_actor(), reason=request.form.get("reason", "")
        )
    except DomainError as error:
        _error(error) if not error.field else flash(error.message, "error")
        return redirect(url_for("staff_courses.course", course_id=course.id, _anchor="overrides"))
    db.session.commit()
    flash(_("%(name)s may take this course without its prerequisites.", name=learner.display_name), "success")
    return redirect(url_for("staff_courses.course", course_id=course.id, _anchor="overrides"))


@bp.route("/overrides/<int:override_id>/revoke", methods=["POST"])
@roles_required(STAFF)
def revoke_override(override_id: int) -> Response:
    override = get_or_404(PrerequisiteOverride, override_id)
    enrolment_services.revoke_override(override.id, actor_id=_actor())
    db.session.commit()
    flash(_("The override is revoked."), "success")
    return redirect(url_for("staff_courses.course", course_id=override.course_id, _anchor="overrides"))


# --- versions ------------------------------------------------------------------------------------


@bp.route("/versions/<int:version_id>", methods=["GET", "POST"])
@roles_required(STAFF)
def version(version_id: int) -> str | Response:
    version = get_or_404(CourseVersion, version_id)
    language = _language()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            authoring.update_version(
                version,
                language=language,
                title=request.form.get("title", ""),
                description=request.form.get("description", ""),
                level=request.form.get("level", ""),
                duration_hours=request.form.get("duration_hours", type=int) or 0,
                languages=request.form.getlist("languages"),
                delivery_modes=request.form.getlist("delivery_modes"),
                access_days=request.form.get("access_days", type=int) or 0,
                attendance_threshold=request.form.get("attendance_threshold", type=int, default=-1),
                actor_id=_actor(),
            )
        except DomainError as error:
            errors = _error(error)
            version = get_or_404(CourseVersion, version_id)
        else:
            db.session.commit()
            flash(_("The course details are saved."), "success")
            return redirect(url_for("staff_courses.version", version_id=version.id, lang=language))
    return render_template(
        "courses/staff/version.html",
        version=version,
        course=version.course,
        language=language,
        errors=errors,
        problems=authoring.publication_problems(version) if version.is_editable else [],
        currencies=authoring.CURRENCIES,
        levels=authoring.LEVELS,
        enrolment_count=len(queries.version_enrolments(version.id)),
    )


@bp.route("/versions/<int:version_id>/prices", methods=["POST"])
@roles_required(STAFF)
def prices(version_id: int) -> Response:
    version = get_or_404(CourseVersion, version_id)
    rows = []
    for currency in authoring.CURRENCIES:
        list_amount = request.form.get(f"{currency}-list", "").strip()
        if not list_amount:
            continue
        rows.append(
            {
                "currency": currency,
                "list_amount": _minor(list_amount, currency),
                "academic_amount": _minor(request.form.get(f"{currency}-academic", ""), currency),
                "association_amount": _minor(request.form.get(f"{currency}-association", ""), currency),
            }
        )
    try:
        authoring.set_prices(version, rows, actor_id=_actor())
    except DomainError as error:
        _error(error) if not error.field else flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The prices are saved."), "success")
    return redirect(url_for("staff_courses.version", version_id=version_id, _anchor="prices"))


def _minor(text: str, currency: str) -> int | str | None:
    """'499.00' → 49900 (minor units for the currency); an unreadable value is passed on to be refused."""
    from decimal import Decimal, InvalidOperation

    from babel.numbers import get_currency_precision

    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return int(Decimal(text).scaleb(get_currency_precision(currency)).to_integral_exact())
    except (InvalidOperation, ValueError):
        return text


@bp.route("/versions/<int:version_id>/publish", methods=["POST"])
@roles_required(STAFF)
def publish(version_id: int) -> Response:
    version = get_or_404(CourseVersion, version_id)
    try:
        authoring.publish_version(version, actor_id=_actor())
    except DomainError as error:
        _error(error)
    else:
        db.session.commit()
        flash(_("Version %(number)d is published. New enrolments start on it.", number=version.number), "success")
    return redirect(url_for("staff_courses.version", version_id=version_id))


@bp.route("/versions/<int:version_id>/modules", methods=["POST"])
@roles_required(STAFF)
def add_module(version_id: int) -> Response:
    version = get_or_404(CourseVersion, version_id)
    try:
        authoring.add_module(version, language=_language(), title=request.form.get("title", ""), actor_id=_actor())
    except DomainError as error:
        flash(error.message, "error")
        db.session.rollback()
    else:
        db.session.commit()
    return redirect(url_for("staff_courses.version", version_id=version_id, _anchor="outline"))


@bp.route("/modules/<int:module_id>", methods=["GET", "POST"])
@roles_required(STAFF)
def module(module_id: int) -> str | Response:
    module = get_or_404(CourseModule, module_id)
    language = _language()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            authoring.update_module(
                module, language=language, title=request.form.get("title", ""), summary=request.form.get("summary", "")
            )
        except DomainError as error:
            errors = _error(error)
            module = get_or_404(CourseModule, module_id)
        else:
            db.session.commit()
            flash(_("The module is saved."), "success")
            return redirect(
                url_for("staff_courses.version", version_id=module.course_version_id, lang=language, _anchor="outline")
            )
    return render_template(
        "courses/staff/module.html", module=module, version=module.course_version, language=language, errors=errors
    )


@bp.route("/modules/<int:module_id>/move", methods=["POST"])
@roles_required(STAFF)
def move_module(module_id: int) -> Response:
    module = get_or_404(CourseModule, module_id)
    try:
        authoring.move_module(module, request.form.get("direction", "down"))
    except DomainError as error:
        _error(error)
    else:
        db.session.commit()
    return redirect(url_for("staff_courses.version", version_id=module.course_version_id, _anchor="outline"))


@bp.route("/modules/<int:module_id>/delete", methods=["POST"])
@roles_required(STAFF)
def delete_module(module_id: int) -> Response:
    module = get_or_404(CourseModule, module_id)
    version_id = module.course_version_id
    try:
        authoring.delete_module(module)
    except DomainError as error:
        _error(error)
    else:
        db.session.commit()
        flash(_("The module is deleted."), "success")
    return redirect(url_for("staff_courses.version", version_id=version_id, _anchor="outline"))


@bp.route("/modules/<int:module_id>/lessons", methods=["POST"])
@roles_required(STAFF)
def add_lesson(module_id: int) -> Response:
    module = get_or_404(CourseModule, module_id)
    try:
        lesson = authoring.add_lesson(
            module, kind=request.form.get("kind", ""), language=_language(), title=request.form.get("title", "")
        )
    except DomainError as error:
        _error(error) if not error.field else flash(error.message, "error")
        return redirect(url_for("staff_courses.version", version_id=module.course_version_id, _anchor="outline"))
    db.session.commit()
    return redirect(url_for("staff_courses.lesson", lesson_id=lesson.id))


# --- lessons -------------------------------------------------------------------------------------


@bp.route("/lessons/<int:lesson_id>", methods=["GET", "POST"])
@roles_required(STAFF)
def lesson(lesson_id: int) -> str | Response:
    lesson = get_or_404(Lesson, lesson_id)
    language = _language()
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            authoring.update_lesson(
                lesson,
                language=language,
                title=request.form.get("title", ""),
                body=request.form.get("body", ""),
                transcript=request.form.get("transcript", ""),
                move_on=request.form.get("move_on", ""),
                duration_minutes=request.form.get("duration_minutes", type=int) or 0,
                media_url=request.form.get("media_url"),
                pass_mark=request.form.get("pass_mark", type=int),
                rubric_text=request.form.get("rubric") if lesson.kind == LessonKind.CASE_LAB else None,
                pass_points=request.form.get("pass_points", type=int),
            )
        except DomainError as error:
            errors = _error(error)
            lesson = get_or_404(Lesson, lesson_id)
        else:
            db.session.commit()
            flash(_("The lesson is saved."), "success")
            return redirect(url_for("staff_courses.lesson", lesson_id=lesson.id, lang=language))
    return render_template(
        "courses/staff/lesson.html",
        lesson=lesson,
        version=lesson.module.course_version,
        language=language,
        errors=errors,
        form=request.form if errors else None,
        rubric_text=authoring.rubric_text(lesson, language),
        roles=authoring.ROLES_BY_KIND[lesson.kind],
        problems=authoring.lesson_problems(lesson),
        media_url=media_url,
    )


@bp.route("/lessons/<int:lesson_id>/move", methods=["POST"])
@roles_required(STAFF)
def move_lesson(lesson_id: int) -> Response:
    lesson = get_or_404(Lesson, lesson_id)
    try:
        authoring.move_lesson(lesson, request.form.get("direction", "down"))
    except DomainError as error:
        _error(error)
    else:
        db.session.commit()
    return redirect(url_for("staff_courses.version", version_id=lesson.module.course_version_id, _anchor="outline"))


@bp.route("/lessons/<int:lesson_id>/delete", methods=["POST"])
@roles_required(STAFF)
def delete_lesson(lesson_id: int) -> Response:
    lesson = get_or_404(Lesson, lesson_id)
    version_id = lesson.module.course_version_id
    try:
        authoring.delete_lesson(lesson)
    except DomainError as error:
        _error(error)
    else:
        db.session.commit()
        flash(_("The lesson is deleted."), "success")
    return redirect(url_for("staff_courses.version", version_id=version_id, _anchor="outline"))


@bp.route("/lessons/<int:lesson_id>/media", methods=["POST"])
@roles_required(STAFF)
def upload_media(lesson_id: int) -> Response:
    lesson = get_or_404(Lesson, lesson_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file to upload."), "error")
        return redirect(url_for("staff_courses.lesson", lesson_id=lesson_id, _anchor="media"))
    try:
        authoring.attach_media(
            lesson,
            role=request.form.get("role", ""),
            language=request.form.get("language") or None,
            filename=upload.filename,
            data=upload.read(),
            actor_id=_actor(),
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The file is uploaded."), "success")
    return redirect(url_for("staff_courses.lesson", lesson_id=lesson_id, _anchor="media"))


@bp.route("/media/<int:media_id>/delete", methods=["POST"])
@roles_required(STAFF)
def delete_media(media_id: int) -> Response:
    item = get_or_404(LessonMedia, media_id)
    lesson_id = item.lesson_id
    try:
        authoring.remove_media(item)
    except DomainError as error:
        _error(error)
    else:
        db.session.commit()
    return redirect(url_for("staff_courses.lesson", lesson_id=lesson_id, _anchor="media"))


@bp.route("/lessons/<int:lesson_id>/questions/new", methods=["GET", "POST"])
@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
@roles_required(STAFF)
def question(lesson_id: int | None = None, question_id: int | None = None) -> str | Response:
    existing = get_or_404(PracticeQuestion, question_id) if question_id else None
    lesson = existing.lesson if existing else get_or_404(Lesson, lesson_id)
    language = _language()
    errors: dict[str, str] = {}
    if request.method == "POST":
        qtype = request.form.get("qtype", existing.qtype if existing else "")
        try:
            content, key = authoring.question_from_text(
                qtype,
                stem=request.form.get("stem", ""),
                options_text=request.form.get("options", ""),
                prompts_text=request.form.get("prompts", ""),
                answer=request.form.get("answer", "") if language == lesson.primary_language else "true",
            )
            authoring.save_question(
                lesson,
                existing,
                qtype=qtype,
                language=language,
                content=content,
                key=key if language == lesson.primary_language else None,
                explanation=request.form.get("explanation", ""),
            )
        except DomainError as error:
            errors = _error(error)
        else:
            db.session.commit()
            flash(_("The question is saved."), "success")
            return redirect(url_for("staff_courses.lesson", lesson_id=lesson.id, lang=language, _anchor="questions"))
    return render_template(
        "courses/staff/question.html",
        lesson=lesson,
        question=existing,
        language=language,
        errors=errors,
        form=request.form if errors else None,
        answer_text=_answer_text(existing) if existing else "",
    )


def _answer_text(question: PracticeQuestion) -> str:
    key = question.key or {}
    if question.qtype == "single_choice":
        return str(key.get("correct", ""))
    if question.qtype in ("multiple_response",):
        return ", ".join(key.get("correct", []))
    if question.qtype == "true_false":
        return "true" if key.get("correct") else "false"
    if question.qtype == "ordering":
        return ", ".join(key.get("order", []))
    if question.qtype == "matching":
        return ", ".join(f"{p.removeprefix('p')}={o}" for p, o in key.get("pairs", {}).items())
    return ""


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@roles_required(STAFF)
def delete_question(question_id: int) -> Response:
    item = get_or_404(PracticeQuestion, question_id)
    lesson_id = item.lesson_id
    try:
        authoring.delete_question(item)
    except DomainError as error:
        _error(error)
    else:
        db.session.commit()
    return redirect(url_for("staff_courses.lesson", lesson_id=lesson_id, _anchor="questions"))


# --- preview as a learner ----------------------------------------------------------------------


@bp.route("/versions/<int:version_id>/preview/lessons/<int:lesson_id>", methods=["GET", "POST"])
@roles_required(STAFF)
def preview(version_id: int, lesson_id: int) -> str:
    version = get_or_404(CourseVersion, version_id)
    lesson = get_or_404(Lesson, lesson_id)
    if lesson.module.course_version_id != version.id:
        abort(404)
    language = str(get_locale() or "en")
    result = (
        quizzes.grade(lesson, request.form, language)
        if request.method == "POST" and lesson.kind == LessonKind.QUIZ
        else None
    )
    lessons = version.lessons
    index = next(i for i, item in enumerate(lessons) if item.id == lesson.id)
    return render_template(
        "courses/player.html",
        version=version,
        progress=None,
        state=None,
        previous=lessons[index - 1] if index > 0 else None,
        following=lessons[index + 1] if index + 1 < len(lessons) else None,
        preview=True,
        can_progress=False,
        back_url=url_for("staff_courses.lesson", lesson_id=lesson.id),
        lesson_url=lambda item: url_for("staff_courses.preview", version_id=version.id, lesson_id=item.id),
        media_url=media_url,
        complete_url=None,
        quiz_url=url_for("staff_courses.preview", version_id=version.id, lesson_id=lesson.id),
        lab_url=None,
        mentor_url=None,
        result=result,
        **player_context(lesson, language),
    )


# --- packages ------------------------------------------------------------------------------------


@bp.route("/versions/<int:version_id>/export")
@roles_required(STAFF)
def export(version_id: int) -> Response:
    version = get_or_404(CourseVersion, version_id)
    data = package.export_version(version)
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{version.course.code}-v{version.number}.zip",
    )


@bp.route("/import", methods=["GET", "POST"])
@roles_required(STAFF)
def import_package() -> str | Response:
    report = None
    if request.method == "POST":
        upload = request.files.get("package")
        if upload is None or not upload.filename:
            flash(_("Choose a course package (.zip) to import."), "error")
        else:
            report = package.import_package(upload.read(), actor_id=_actor())
            if report.ok and report.version is not None:
                db.session.commit()
                flash(
                    _(
                        "The package is imported as draft version %(number)d of %(code)s.",
                        number=report.version.number,
                        code=report.version.course.code,
                    ),
                    "success",
                )
                return redirect(url_for("staff_courses.version", version_id=report.version.id))
            db.session.rollback()
    return render_template("courses/staff/import.html", report=report)


# --- enrolments ----------------------------------------------------------------------------------


@bp.route("/versions/<int:version_id>/enrolments", methods=["GET", "POST"])
@roles_required(STAFF)
def enrolments(version_id: int) -> str | Response:
    version = get_or_404(CourseVersion, version_id)
    if request.method == "POST":
        action = request.form.get("action", "enrol")
        try:
            if action == "enrol":
                email = request.form.get("email", "").strip().lower()
                learner = db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()
                if learner is None:
                    raise DomainError(_("No account uses the address %(email)s.", email=email), field="email")
                enrolment_services.enrol(
                    user_id=learner.id,
                    course_version_id=version.id,
                    source=EnrolmentSource.STAFF,
                    origin_ref=f"staff:{_actor()}",
                    actor_id=_actor(),
                )
                message = _("%(name)s is enrolled.", name=learner.display_name)
            elif action == "cancel":
                enrolment_services.cancel_enrolment(
                    request.form.get("enrolment_id", type=int) or 0,
                    actor_id=_actor(),
                    reason=request.form.get("reason", ""),
                )
                message = _("The enrolment is cancelled.")
            elif action == "extend":
                enrolment_services.extend_access(
                    request.form.get("enrolment_id", type=int) or 0,
                    request.form.get("days", type=int) or 0,
                    actor_id=_actor(),
                )
                message = _("The access period is extended.")
            else:
                abort(400)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
        return redirect(url_for("staff_courses.enrolments", version_id=version.id))
    rows = [(e, course_progress(e)) for e in queries.version_enrolments(version.id)]
    return render_template("courses/staff/enrolments.html", version=version, rows=rows)


# --- mentor review -------------------------------------------------------------------------------


@bp.route("/mentor")
@roles_required(STAFF)
def mentor_review() -> str:
    filters = {
        "grounded": request.args.get("grounded", ""),
        "review": request.args.get("review", ""),
        "course_id": request.args.get("course_id", type=int),
    }
    page = queries.mentor_review_page(**filters, page=request.args.get("page", 1, type=int))
    learners = (
        {
            u.id: u
            for u in db.session.execute(sa.select(User).where(User.id.in_({e.user_id for e in page.items}))).scalars()
        }
        if page.items
        else {}
    )

    def citation_url(exchange: Any, citation: dict[str, Any]) -> str:
        return url_for(
            "staff_courses.preview",
            version_id=exchange.course_version_id,
            lesson_id=citation["lesson_id"],
            _anchor=citation["anchor"],
        )

    return render_template(
        "courses/staff/mentor_review.html",
        page=page,
        filters=filters,
        courses=queries.all_courses(),
        counts=queries.mentor_counts(),
        learners=learners,
        citation_url=citation_url,
    )


@bp.route("/mentor/<int:exchange_id>/review", methods=["POST"])
@roles_required(STAFF)
def review_exchange(exchange_id: int) -> Response:
    get_or_404(MentorExchange, exchange_id)
    verdict = request.form.get("verdict", "")
    if verdict not in {r.value for r in MentorReview}:
        abort(400)
    from lms.courses import mentor

    mentor.review(exchange_id, reviewer_id=_actor(), verdict=MentorReview(verdict), note=request.form.get("note", ""))
    db.session.commit()
    flash(_("Your review is saved."), "success")
    return redirect(safe_next_url(request.form.get("next_url")) or url_for("staff_courses.mentor_review"))
