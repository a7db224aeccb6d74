"""Staff authoring: tracks, courses, versions, modules, lessons, media, practice questions, publishing.

Only a draft version changes. A published version is what its learners see; to change it, staff
create the next draft (a copy), edit it, and publish it (the previous version retires; enrolments stay
on the version they started).
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.core import audit
from lms.core.errors import DomainError
from lms.core.i18n import LANGUAGES
from lms.core.time import utcnow
from lms.courses import media
from lms.courses.content import parse_webvtt, sanitise_html, transcript_from_cues
from lms.courses.mentor.index import index_lesson, index_version
from lms.courses.models import (
    DEFAULT_MOVE_ON,
    CertificationTrack,
    Course,
    CourseModule,
    CoursePrice,
    CourseVersion,
    CourseVersionStatus,
    DeliveryMode,
    Lesson,
    LessonKind,
    LessonMedia,
    MediaRole,
    MoveOn,
    PracticeQuestion,
)
from lms.courses.services.enrolment import set_prerequisites
from lms.exams.question_types import InvalidItem, question_type
from lms.extensions import db

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LEVELS = ("foundation", "intermediate", "advanced")
CURRENCIES = ("USD", "EUR", "AED", "GBP", "SAR", "JPY")
OPTION_IDS = "abcdefghij"


def _require_language(language: str) -> str:
    if language not in LANGUAGES:
        raise DomainError(_("Choose one of the supported languages."), field="language")
    return language


def _editable(version: CourseVersion) -> None:
    if not version.is_editable:
        raise DomainError(_("A published version cannot change. Create a new draft version to edit it."))


def _set_text(texts: dict[str, Any] | None, language: str, value: str | None) -> dict[str, Any]:
    updated = dict(texts or {})
    value = (value or "").strip()
    if value:
        updated[language] = value
    else:
        updated.pop(language, None)
    return updated


# --- tracks and courses ------------------------------------------------------------------------


def save_track(
    track: CertificationTrack | None,
    *,
    code: str,
    slug: str,
    language: str,
    name: str,
    summary: str,
    validity_months: int,
    requires_course_completion: bool,
    actor_id: int,
) -> CertificationTrack:
    code = (code or "").strip().upper()
    slug = (slug or "").strip().lower()
    language = _require_language(language)
    if not re.fullmatch(r"[A-Z]{2,8}", code):
        raise DomainError(_("The code is 2 to 8 capital letters."), field="code")
    if not SLUG_RE.match(slug):
        raise DomainError(_("Use lower-case letters, digits and hyphens."), field="slug")
    if not (name or "").strip():
        raise DomainError(_("Give a name."), field="name")
    if not 1 <= validity_months <= 120:
        raise DomainError(_("Validity is between 1 and 120 months."), field="validity_months")
    clash = db.session.execute(
        sa.select(CertificationTrack).where(
            sa.or_(CertificationTrack.code == code, CertificationTrack.slug == slug),
            CertificationTrack.id != (track.id if track else 0),
        )
    ).scalar_one_or_none()
    if clash is not None:
        raise DomainError(_("Another certification uses this code or address."), field="code")
    if track is None:
        track = CertificationTrack(code=code, slug=slug, position=_next_track_position())
        db.session.add(track)
    track.code = code
    track.slug = slug
    track.names = _set_text(track.names, language, name)
    track.summaries = _set_text(track.summaries, language, summary)
    track.validity_months = validity_months
    track.requires_course_completion = requires_course_completion
    db.session.flush()
    audit.record("track.saved", actor_id=actor_id, subject=track, details={"code": code})
    return track


def _next_track_position() -> int:
    return (db.session.execute(sa.select(sa.func.max(CertificationTrack.position))).scalar() or 0) + 1


def create_course(*, track_id: int, code: str, slug: str, primary_language: str, title: str, actor_id: int) -> Course:
    """A new course with an empty draft version 1."""
    code = (code or "").strip().upper()
    slug = (slug or "").strip().lower()
    _require_language(primary_language)
    if db.session.get(CertificationTrack, track_id) is None:
        raise DomainError(_("Choose a certification."), field="track_id")
    if not CODE_RE.match(code):
        raise DomainError(_("Use capital letters, digits and hyphens (e.g. AIP-ESS-101)."), field="code")
    if not SLUG_RE.match(slug):
        raise DomainError(_("Use lower-case letters, digits and hyphens."), field="slug")
    if not (title or "").strip():
        raise DomainError(_("Give a title."), field="title")
    if db.session.execute(sa.select(Course.id).where(Course.code == code)).first():
        raise DomainError(_("Another course has this code."), field="code")
    if db.session.execute(sa.select(Course.id).where(Course.slug == slug)).first():
        raise DomainError(_("Another course has this address."), field="slug")
    course = Course(track_id=track_id, code=code, slug=slug, primary_language=primary_language)
    course.versions.append(
        CourseVersion(
            number=1,
            status=CourseVersionStatus.DRAFT,
            titles={primary_language: title.strip()},
            descriptions={},
            languages=[primary_language],
            delivery_modes=[DeliveryMode.ELEARNING.value],
        )
    )
    db.session.add(course)
    db.session.flush()
    audit.record("course.created", actor_id=actor_id, subject=course, details={"code": code})
    return course


def update_course(
    course: Course,
    *,
    track_id: int,
    slug: str,
    primary_language: str,
    is_active: bool,
    prerequisite_ids: list[int],
    actor_id: int,
) -> Course:
    slug = (slug or "").strip().lower()
    _require_language(primary_language)
    if not SLUG_RE.match(slug):
        raise DomainError(_("Use lower-case letters, digits and hyphens."), field="slug")
    if db.session.execute(sa.select(Course.id).where(Course.slug == slug, Course.id != course.id)).first():
        raise DomainError(_("Another course has this address."), field="slug")
    if db.session.get(CertificationTrack, track_id) is None:
        raise DomainError(_("Choose a certification."), field="track_id")
    course.track_id = track_id
    course.slug = slug
    course.primary_language = primary_language
    course.is_active = is_active
    set_prerequisites(course, prerequisite_ids, actor_id=actor_id)
    db.session.flush()
    audit.record("course.updated", actor_id=actor_id, subject=course, details={"slug": slug})
    return course


def update_version(
    version: CourseVersion,
    *,
    language: str,
    title: str,
    description: str,
    level: str,
    duration_hours: int,
    languages: list[str],
    delivery_modes: list[str],
    access_days: int,
    attendance_threshold: int,
    actor_id: int,
) -> CourseVersion:
    _editable(version)
    _require_language(language)
    if level not in LEVELS:
        raise DomainError(_("Choose a level."), field="level")
    if not 1 <= duration_hours <= 500:
        raise DomainError(_("Duration is between 1 and 500 hours."), field="duration_hours")
    if not languages or any(lang not in LANGUAGES for lang in languages):
        raise DomainError(_("Choose at least one language."), field="languages")
    if version.course.primary_language not in languages:
        raise DomainError(_("The course's primary language must be one of its languages."), field="languages")
    modes = {m.value for m in DeliveryMode}
    if not delivery_modes or any(m not in modes for m in delivery_modes):
        raise DomainError(_("Choose at least one delivery mode."), field="delivery_modes")
    if not 1 <= access_days <= 3650:
        raise DomainError(_("Access is between 1 and 3650 days."), field="access_days")
    if not 0 <= attendance_threshold <= 100:
        raise DomainError(_("The attendance threshold is a percentage (0 to 100)."), field="attendance_threshold")
    if language == version.course.primary_language and not (title or "").strip():
        raise DomainError(_("Give a title."), field="title")
    version.titles = _set_text(version.titles, language, title)
    version.descriptions = _set_text(version.descriptions, language, description)
    version.level = level
    version.duration_hours = duration_hours
    version.languages = [lang for lang in LANGUAGES if lang in languages]
    version.delivery_modes = [m.value for m in DeliveryMode if m.value in delivery_modes]
    version.access_days = access_days
    version.attendance_threshold = attendance_threshold
    db.session.flush()
    audit.record("course_version.updated", actor_id=actor_id, subject=version, details={"language": language})
    return version


def set_prices(version: CourseVersion, prices: list[dict[str, Any]], *, actor_id: int) -> None:
    """Replace the version's prices: ``[{"currency", "list_amount", "academic_amount", "association_amount"}]``."""
    _editable(version)
    seen = set()
    cleaned = []
    for row in prices:
        currency = str(row.get("currency", "")).upper()
        if currency not in CURRENCIES:
            raise DomainError(_("Unknown currency %(currency)s.", currency=currency), field="prices")
        if currency in seen:
            raise DomainError(_("%(currency)s is listed twice.", currency=currency), field="prices")
        seen.add(currency)
        amounts = {}
        for name in ("list_amount", "academic_amount", "association_amount"):
            value = row.get(name)
            if value in (None, "") and name != "list_amount":
                amounts[name] = None
                continue
            try:
                amounts[name] = int(value)
            except (TypeError, ValueError):
                raise DomainError(_("Prices are whole numbers of cents."), field="prices") from None
            if amounts[name] < 0:
                raise DomainError(_("Prices cannot be negative."), field="prices")
        if amounts["academic_amount"] is not None and amounts["academic_amount"] > amounts["list_amount"]:
            raise DomainError(_("An academic price cannot exceed the list price."), field="prices")
        if amounts["association_amount"] is not None and amounts["association_amount"] > amounts["list_amount"]:
            raise DomainError(_("An association price cannot exceed the list price."), field="prices")
        cleaned.append(CoursePrice(currency=currency, **amounts))
    version.prices.clear()
    db.session.flush()
    version.prices.extend(cleaned)
    db.session.flush()
    audit.record(
        "course_version.prices_set",
        actor_id=actor_id,
        subject=version,
        details={p.currency: [p.list_amount, p.academic_amount, p.association_amount] for p in cleaned},
    )


def new_draft_version(course: Course, *, actor_id: int) -> CourseVersion:
    """The next version of a course as an editable copy of the latest one (content, media, prices)."""
    if any(v.status == CourseVersionStatus.DRAFT for v in course.versions):
        raise DomainError(_("This course already has a draft version; edit that one."))
    source = course.latest_version
    number = (source.number if source else 0) + 1
    draft = CourseVersion(
        number=number,
        status=CourseVersionStatus.DRAFT,
        titles=dict(source.titles) if source else {},
        descriptions=dict(source.descriptions) if source else {},
        level=source.level if source else "foundation",
        duration_hours=source.duration_hours if source else 8,
        languages=list(source.languages) if source else [course.primary_language],
        delivery_modes=list(source.delivery_modes) if source else [DeliveryMode.ELEARNING.value],
        access_days=source.access_days if source else 365,
        attendance_threshold=source.attendance_threshold if source else 80,
    )
    course.versions.append(draft)
    if source is not None:
        for price in source.prices:
            draft.prices.append(
                CoursePrice(
                    currency=price.currency,
                    list_amount=price.list_amount,
                    academic_amount=price.academic_amount,
                    association_amount=price.association_amount,
                )
            )
        for module in source.modules:
            copy = CourseModule(position=module.position, titles=dict(module.titles), summaries=dict(module.summaries))
            draft.modules.append(copy)
            for lesson in module.lessons:
                copy.lessons.append(_copy_lesson(lesson))
    db.session.flush()
    index_version(draft)
    audit.record("course_version.drafted", actor_id=actor_id, subject=draft, details={"number": number})
    return draft


def _copy_lesson(lesson: Lesson) -> Lesson:
    copy = Lesson(
        position=lesson.position,
        kind=lesson.kind,
        move_on=lesson.move_on,
        duration_minutes=lesson.duration_minutes,
        titles=dict(lesson.titles),
        bodies=dict(lesson.bodies),
        transcripts=dict(lesson.transcripts),
        media_url=lesson.media_url,
        settings=dict(lesson.settings or {}),
    )
    for item in lesson.media:
        copy.media.append(
            LessonMedia(
                role=item.role,
                language=item.language,
                storage_key=item.storage_key,
                filename=item.filename,
                content_type=item.content_type,
                size=item.size,
                sha256=item.sha256,
            )
        )
    for question in lesson.questions:
        copy.questions.append(
            PracticeQuestion(
                position=question.position,
                qtype=question.qtype,
                contents=dict(question.contents),
                key=dict(question.key),
                explanations=dict(question.explanations),
            )
        )
    return copy


def publication_problems(version: CourseVersion) -> list[str]:
    """What stops a draft from being published, in words staff can act on."""
    problems = []
    primary = version.course.primary_language
    if not (version.titles or {}).get(primary):
        problems.append(_("The course has no title in its primary language."))
    if not (version.descriptions or {}).get(primary):
        problems.append(_("The course has no description in its primary language."))
    if not version.delivery_modes:
        problems.append(_("Choose at least one delivery mode."))
    if not version.modules or not version.lessons:
        problems.append(_("Add at least one module with a lesson."))
    for module in version.modules:
        if not module.lessons:
            problems.append(_("Module “%(module)s” has no lessons.", module=module.title(primary)))
    for lesson in version.lessons:
        problems.extend(lesson_problems(lesson))
    return problems


def lesson_problems(lesson: Lesson) -> list[str]:
    primary = lesson.primary_language
    title = lesson.title(primary) or "?"
    problems = []
    if not (lesson.titles or {}).get(primary):
        problems.append(_("A lesson has no title in the primary language."))
    if lesson.kind == LessonKind.VIDEO and not lesson.media_url and lesson.media_of(MediaRole.VIDEO) is None:
        problems.append(_("Video lesson “%(title)s” has no video file or address.", title=title))
    if lesson.kind == LessonKind.PODCAST and lesson.media_of(MediaRole.AUDIO) is None:
        problems.append(_("Podcast lesson “%(title)s” has no audio file.", title=title))
    if lesson.kind in (LessonKind.VIDEO, LessonKind.PODCAST) and not (lesson.transcripts or {}).get(primary):
        problems.append(_("Lesson “%(title)s” has no transcript in the primary language.", title=title))
    if lesson.kind == LessonKind.EBOOK and not (lesson.bodies or {}).get(primary):
        problems.append(_("eBook chapter “%(title)s” has no text.", title=title))
    if lesson.kind == LessonKind.QUIZ and not lesson.questions:
        problems.append(_("Practice quiz “%(title)s” has no questions.", title=title))
    if lesson.kind == LessonKind.CASE_LAB:
        if not (lesson.bodies or {}).get(primary):
            problems.append(_("Case lab “%(title)s” has no brief.", title=title))
        if not (lesson.settings or {}).get("rubric"):
            problems.append(_("Case lab “%(title)s” has no rubric.", title=title))
    return problems


def publish_version(version: CourseVersion, *, actor_id: int) -> CourseVersion:
    _editable(version)
    problems = publication_problems(version)
    if problems:
        raise DomainError(_("This version cannot be published yet: %(problems)s", problems=" ".join(problems)))
    for other in version.course.versions:
        if other.id != version.id and other.status == CourseVersionStatus.PUBLISHED:
            other.status = CourseVersionStatus.RETIRED
    version.status = CourseVersionStatus.PUBLISHED
    version.published_at = utcnow()
    db.session.flush()
    index_version(version)
    audit.record(
        "course_version.published",
        actor_id=actor_id,
        subject=version,
        details={"course": version.course.code, "number": version.number},
    )
    return version


# --- modules and lessons -----------------------------------------------------------------------


def add_module(version: CourseVersion, *, language: str, title: str, actor_id: int) -> CourseModule:
    _editable(version)
    if not (title or "").strip():
        raise DomainError(_("Give a title."), field="title")
    module = CourseModule(
        position=(max((m.position for m in version.modules), default=0) + 1),
        titles={_require_language(language): title.strip()},
    )
    version.modules.append(module)
    db.session.flush()
    return module


def update_module(module: CourseModule, *, language: str, title: str, summary: str) -> CourseModule:
    _editable(module.course_version)
    _require_language(language)
    if language == module.course_version.course.primary_language and not (title or "").strip():
        raise DomainError(_("Give a title."), field="title")
    module.titles = _set_text(module.titles, language, title)
    module.summaries = _set_text(module.summaries, language, summary)
    db.session.flush()
    return module


def delete_module(module: CourseModule) -> None:
    _editable(module.course_version)
    version = module.course_version
    version.modules.remove(module)
    db.session.flush()
    _renumber(version.modules)


def _renumber(items: list[Any]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
    db.session.flush()


def _move(items: list[Any], item: Any, direction: str) -> None:
    ordered = sorted(items, key=lambda x: x.position)
    index = ordered.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(ordered)


def move_module(module: CourseModule, direction: str) -> None:
    _editable(module.course_version)
    _move(module.course_version.modules, module, direction)
    db.session.expire(module.course_version, ["modules"])


def add_lesson(module: CourseModule, *, kind: str, language: str, title: str) -> Lesson:
    _editable(module.course_version)
    try:
        lesson_kind = LessonKind(kind)
    except ValueError:
        raise DomainError(_("Choose a kind of lesson."), field="kind") from None
    if not (title or "").strip():
        raise DomainError(_("Give a title."), field="title")
    lesson = Lesson(
        kind=lesson_kind,
        move_on=DEFAULT_MOVE_ON[lesson_kind],
        position=max((lesson.position for lesson in module.lessons), default=0) + 1,
        titles={_require_language(language): title.strip()},
        settings={"pass_mark": 70} if lesson_kind == LessonKind.QUIZ else {},
    )
    module.lessons.append(lesson)
    db.session.flush()
    return lesson


def update_lesson(
    lesson: Lesson,
    *,
    language: str,
    title: str,
    body: str,
    transcript: str,
    move_on: str,
    duration_minutes: int,
    media_url: str | None = None,
    pass_mark: int | None = None,
    rubric_text: str | None = None,
    pass_points: int | None = None,
) -> Lesson:
    """Save one language's texts of a lesson and its settings; the mentor's index follows."""
    _editable(lesson.module.course_version)
    _require_language(language)
    primary = lesson.primary_language
    if language == primary and not (title or "").strip():
        raise DomainError(_("Give a title."), field="title")
    try:
        lesson.move_on = MoveOn(move_on)
    except ValueError:
        raise DomainError(_("Choose when the lesson counts as done."), field="move_on") from None
    if lesson.kind == LessonKind.CASE_LAB and lesson.move_on not in (
        MoveOn.PASSED,
        MoveOn.COMPLETED_OR_PASSED,
        MoveOn.COMPLETED,
        MoveOn.NOT_APPLICABLE,
    ):
        raise DomainError(_("A case lab counts when it is submitted or passed."), field="move_on")
    if not 1 <= duration_minutes <= 600:
        raise DomainError(_("Duration is between 1 and 600 minutes."), field="duration_minutes")
    url = (media_url or "").strip() or None
    if url and not re.match(r"^https://[^\s<>\"']+$", url):
        raise DomainError(_("A video address must start with https://"), field="media_url")
    lesson.titles = _set_text(lesson.titles, language, title)
    lesson.bodies = _set_text(lesson.bodies, language, sanitise_html(body))
    lesson.transcripts = _set_text(lesson.transcripts, language, transcript)
    lesson.duration_minutes = duration_minutes
    if lesson.kind == LessonKind.VIDEO:
        lesson.media_url = url
    settings = dict(lesson.settings or {})
    if lesson.kind == LessonKind.QUIZ and pass_mark is not None:
        if not 0 <= pass_mark <= 100:
            raise DomainError(_("The pass mark is a percentage (0 to 100)."), field="pass_mark")
        settings["pass_mark"] = pass_mark
    if lesson.kind == LessonKind.CASE_LAB and rubric_text is not None:
        settings["rubric"] = parse_rubric(rubric_text, language, primary, settings.get("rubric") or [])
        total = sum(int(c["points"]) for c in settings["rubric"])
        if pass_points is not None:
            if not 0 < pass_points <= total:
                raise DomainError(
                    _("Points to pass are between 1 and the rubric's total (%(total)d).", total=total),
                    field="pass_points",
                )
            settings["pass_points"] = pass_points
    lesson.settings = settings
    db.session.flush()
    index_lesson(lesson)
    return lesson


def parse_rubric(text: str, language: str, primary: str, existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rubric lines ``points | criterion``. In another language than the primary one only titles change."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise DomainError(_("A case lab needs at least one rubric criterion."), field="rubric")
    parsed = []
    for number, line in enumerate(lines, start=1):
        points_text, sep, title = line.partition("|")
        if not sep or not points_text.strip().isdigit() or not title.strip():
            raise DomainError(_("Line %(line)d: write it as “points | criterion”.", line=number), field="rubric")
        parsed.append((int(points_text.strip()), title.strip()))
    if language != primary and existing:
        if [p for p, _t in parsed] != [int(c["points"]) for c in existing]:
            raise DomainError(
                _("Translate the criteria of the primary language: same lines, same points."), field="rubric"
            )
        return [
            {**criterion, "titles": {**criterion.get("titles", {}), language: title}}
            for criterion, (_points, title) in zip(existing, parsed, strict=True)
        ]
    if any(points < 1 or points > 100 for points, _t in parsed):
        raise DomainError(_("Each criterion is worth 1 to 100 points."), field="rubric")
    result = []
    for index, (points, title) in enumerate(parsed):
        previous = existing[index] if index < len(existing) else {}
        titles = dict(previous.get("titles", {})) if len(existing) == len(parsed) else {}
        titles[language] = title
        result.append({"id": f"c{index + 1}", "points": points, "titles": titles})
    return result


def rubric_text(lesson: Lesson, language: str) -> str:
    from lms.courses.models import text_in

    return "\n".join(
        f"{c['points']} | {text_in(c.get('titles'), language, lesson.primary_language)}"
        for c in (lesson.settings or {}).get("rubric") or []
    )


def delete_lesson(lesson: Lesson) -> None:
    module = lesson.module
    _editable(module.course_version)
    module.lessons.remove(lesson)
    db.session.flush()
    _renumber(module.lessons)


def move_lesson(lesson: Lesson, direction: str) -> None:
    _editable(lesson.module.course_version)
    _move(lesson.module.lessons, lesson, direction)
    db.session.expire(lesson.module, ["lessons"])


# --- media -------------------------------------------------------------------------------------

ROLES_BY_KIND = {
    LessonKind.VIDEO: (MediaRole.VIDEO, MediaRole.CAPTIONS, MediaRole.IMAGE),
    LessonKind.PODCAST: (MediaRole.AUDIO, MediaRole.CAPTIONS, MediaRole.IMAGE),
    LessonKind.EBOOK: (MediaRole.PDF, MediaRole.IMAGE),
    LessonKind.CASE_LAB: (MediaRole.ATTACHMENT, MediaRole.PDF, MediaRole.IMAGE),
    LessonKind.QUIZ: (MediaRole.IMAGE,),
    LessonKind.MENTOR: (MediaRole.IMAGE,),
}


def attach_media(
    lesson: Lesson, *, role: str, language: str | None, filename: str, data: bytes, actor_id: int
) -> LessonMedia:
    """Check and store an uploaded file for a lesson (it replaces the file of the same role and language).

    Captions also give the lesson a transcript in their language when it has none yet.
    """
    _editable(lesson.module.course_version)
    try:
        media_role = MediaRole(role)
    except ValueError:
        raise DomainError(_("Choose what the file is for."), field="role") from None
    if media_role not in ROLES_BY_KIND[lesson.kind]:
        raise DomainError(_("This kind of lesson does not take that kind of file."), field="role")
    language = language or None
    if language is not None:
        _require_language(language)
    if media_role == MediaRole.CAPTIONS and language is None:
        raise DomainError(_("Say which language the captions are in."), field="language")
    checked = media.check_upload(media_role.value, data, filename)
    key = media.store("courseware", checked)
    for existing in [m for m in lesson.media if m.role == media_role and m.language == language]:
        lesson.media.remove(existing)
    item = LessonMedia(
        role=media_role,
        language=language,
        storage_key=key,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    lesson.media.append(item)
    if media_role == MediaRole.CAPTIONS and not (lesson.transcripts or {}).get(language):
        lesson.transcripts = {**(lesson.transcripts or {}), language: transcript_from_cues(parse_webvtt(data))}
        index_lesson(lesson)
    db.session.flush()
    audit.record(
        "lesson.media_attached",
        actor_id=actor_id,
        subject=lesson,
        details={"role": media_role.value, "language": language, "sha256": checked.sha256},
    )
    return item


def remove_media(item: LessonMedia) -> None:
    lesson = item.lesson
    _editable(lesson.module.course_version)
    lesson.media.remove(item)
    db.session.flush()


# --- practice questions ------------------------------------------------------------------------


def question_from_text(
    qtype: str, *, stem: str, options_text: str, prompts_text: str = "", answer: str = ""
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Content and key from the authoring form: options one per line (ids a, b, c…), the answer in letters."""
    stem = (stem or "").strip()
    options = [line.strip() for line in (options_text or "").splitlines() if line.strip()]
    content: dict[str, Any] = {"stem": stem}
    if qtype != "true_false":
        if len(options) > len(OPTION_IDS):
            raise DomainError(_("At most %(max)d options.", max=len(OPTION_IDS)), field="options")
        content["options"] = [{"id": OPTION_IDS[i], "text": text} for i, text in enumerate(options)]
    answer = (answer or "").strip().lower()
    letters = [a for a in re.split(r"[\s,;]+", answer) if a]
    if qtype == "single_choice":
        key: dict[str, Any] = {"correct": letters[0] if letters else ""}
    elif qtype == "multiple_response":
        key = {"correct": letters}
    elif qtype == "true_false":
        if answer not in ("true", "false"):
            raise DomainError(_("The answer is true or false."), field="answer")
        key = {"correct": answer == "true"}
    elif qtype == "ordering":
        key = {"order": letters}
    elif qtype == "matching":
        prompts = [line.strip() for line in (prompts_text or "").splitlines() if line.strip()]
        content["prompts"] = [{"id": f"p{i + 1}", "text": text} for i, text in enumerate(prompts)]
        # "1=b, 2=a": prompt number = option letter
        pairs = {}
        for part in letters:
            number, _sep, letter = part.partition("=")
            pairs[f"p{number.strip()}"] = letter.strip()
        key = {"pairs": pairs}
    else:
        raise DomainError(_("Choose a question type."), field="qtype")
    return content, key


def save_question(
    lesson: Lesson,
    question: PracticeQuestion | None,
    *,
    qtype: str,
    language: str,
    content: dict[str, Any],
    key: dict[str, Any] | None,
    explanation: str,
) -> PracticeQuestion:
    """Save a question in one language; the primary language sets the type and the key, others translate."""
    _editable(lesson.module.course_version)
    _require_language(language)
    if lesson.kind != LessonKind.QUIZ:
        raise DomainError(_("Only practice quizzes have questions."))
    primary = lesson.primary_language
    if question is None and language != primary:
        raise DomainError(_("Write a new question in the course's primary language first."), field="language")
    registry_type = question_type(qtype) if qtype in _question_types() else None
    if registry_type is None:
        raise DomainError(_("Choose a question type."), field="qtype")
    if language == primary:
        try:
            registry_type.validate(content, key or {})
        except InvalidItem as exc:
            raise DomainError(_("The question is not complete: %(problem)s.", problem=str(exc)), field="stem") from exc
    else:
        reference = question.contents.get(primary, {})
        if _ids(content) != _ids(reference) or not (content.get("stem") or "").strip():
            raise DomainError(_("Translate every option of the primary language, in the same order."), field="options")
    if question is None:
        question = PracticeQuestion(position=len(lesson.questions) + 1, qtype=qtype)
        lesson.questions.append(question)
    if language == primary:
        question.qtype = qtype
        question.key = key or {}
    question.contents = {**(question.contents or {}), language: content}
    question.explanations = _set_text(question.explanations, language, explanation)
    db.session.flush()
    return question


def _question_types() -> set[str]:
    from lms.exams.question_types import QUESTION_TYPES

    return set(QUESTION_TYPES)


def _ids(content: dict[str, Any]) -> tuple[list[str], list[str]]:
    return (
        [o.get("id") for o in content.get("options", [])],
        [p.get("id") for p in content.get("prompts", [])],
    )


def delete_question(question: PracticeQuestion) -> None:
    lesson = question.lesson
    _editable(lesson.module.course_version)
    lesson.questions.remove(question)
    db.session.flush()
    _renumber(lesson.questions)
