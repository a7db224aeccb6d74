"""The mentor's index: every lesson text and transcript cut into passages, per language.

Authoring services call :func:`index_lesson` whenever a lesson's texts change, so the index follows
the courseware without a batch job; :func:`index_version` rebuilds one course version.
"""

from __future__ import annotations

import sqlalchemy as sa

from lms.courses.content import html_passages, transcript_passages
from lms.courses.mentor.terms import search_text
from lms.courses.models import CourseVersion, Lesson, LessonKind, MentorPassage
from lms.extensions import db


def index_lesson(lesson: Lesson) -> int:
    """Replace the lesson's passages; returns how many were indexed."""
    db.session.flush()
    db.session.execute(sa.delete(MentorPassage).where(MentorPassage.lesson_id == lesson.id))
    if lesson.kind == LessonKind.MENTOR:
        return 0  # its text only invites questions; answering from it would cite the question back
    count = 0
    languages = {lang for lang, text in (lesson.bodies or {}).items() if text} | {
        lang for lang, text in (lesson.transcripts or {}).items() if text
    }
    for language in sorted(languages):
        title = lesson.title(language)
        passages = html_passages((lesson.bodies or {}).get(language, "")) + transcript_passages(
            (lesson.transcripts or {}).get(language, "")
        )
        for passage in passages:
            heading = passage.heading or title
            db.session.add(
                MentorPassage(
                    course_version_id=lesson.module.course_version_id,
                    lesson_id=lesson.id,
                    language=language,
                    anchor=passage.anchor,
                    heading=heading[:300],
                    text=passage.text,
                    search_text=search_text(f"{title} {heading} {passage.text}", language),
                )
            )
            count += 1
    db.session.flush()
    return count


def index_version(version: CourseVersion) -> int:
    return sum(index_lesson(lesson) for lesson in version.lessons)


def indexed_languages(course_version_id: int) -> set[str]:
    return set(
        db.session.execute(
            sa.select(MentorPassage.language).where(MentorPassage.course_version_id == course_version_id).distinct()
        ).scalars()
    )
