"""Reads for course pages: the public catalog, a learner's enrolments, staff lists."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from lms.core import signals
from lms.core.dashboard import SeatOffer
from lms.courses.models import (
    CertificationTrack,
    Course,
    CourseModule,
    CourseVersion,
    CourseVersionStatus,
    Enrolment,
    EnrolmentStatus,
    LabStatus,
    LabSubmission,
    Lesson,
    MentorExchange,
    MentorReview,
)
from lms.extensions import db


@dataclass(frozen=True)
class CatalogFilters:
    query: str = ""
    track: str = ""
    language: str = ""
    mode: str = ""


def tracks() -> list[CertificationTrack]:
    return list(db.session.execute(sa.select(CertificationTrack).order_by(CertificationTrack.position)).scalars())


def published_versions() -> list[CourseVersion]:
    """The current published version of every active course, in track then code order."""
    rows = db.session.execute(
        sa.select(CourseVersion)
        .join(Course, CourseVersion.course_id == Course.id)
        .join(CertificationTrack, Course.track_id == CertificationTrack.id)
        .where(Course.is_active.is_(True), CourseVersion.status == CourseVersionStatus.PUBLISHED)
        .options(selectinload(CourseVersion.course).selectinload(Course.track))
        .order_by(CertificationTrack.position, Course.code, CourseVersion.number.desc())
    ).scalars()
    seen: set[int] = set()
    versions = []
    for version in rows:
        if version.course_id not in seen:
            seen.add(version.course_id)
            versions.append(version)
    return versions


def _matches(version: CourseVersion, words: list[str]) -> bool:
    haystack = " ".join(
        [
            version.course.code,
            *(version.titles or {}).values(),
            *(version.descriptions or {}).values(),
            *(version.course.track.names or {}).values(),
        ]
    ).casefold()
    return all(word in haystack for word in words)


def catalog(filters: CatalogFilters) -> list[CourseVersion]:
    words = filters.query.casefold().split()
    result = []
    for version in published_versions():
        if filters.track and version.course.track.slug != filters.track:
            continue
        if filters.language and filters.language not in (version.languages or []):
            continue
        if filters.mode and filters.mode not in (version.delivery_modes or []):
            continue
        if words and not _matches(version, words):
            continue
        result.append(version)
    return result


def course_by_slug(slug: str) -> Course | None:
    return db.session.execute(sa.select(Course).where(Course.slug == slug)).scalar_one_or_none()


def lesson_counts(version: CourseVersion) -> Counter[str]:
    rows = db.session.execute(
        sa.select(Lesson.kind, sa.func.count())
        .join(CourseModule, Lesson.module_id == CourseModule.id)
        .where(CourseModule.course_version_id == version.id)
        .group_by(Lesson.kind)
    ).all()
    return Counter({kind.value: count for kind, count in rows})


def _flatten(results: list[tuple[Any, Any]]) -> list[Any]:
    items: list[Any] = []
    for _receiver, value in results:
        if value:
            items.extend(value)
    return items


def seat_offers(version: CourseVersion) -> list[SeatOffer]:
    offers = _flatten(signals.seat_offers.send(version))
    return sorted((o for o in offers if isinstance(o, SeatOffer)), key=lambda o: o.order)


def seat_inclusions(version: CourseVersion) -> list[str]:
    return [str(text) for text in _flatten(signals.seat_inclusions.send(version)) if text]


def enrolments_of(user_id: int) -> list[Enrolment]:
    return list(
        db.session.execute(
            sa.select(Enrolment)
            .where(Enrolment.user_id == user_id)
            .order_by(
                Enrolment.status.in_((EnrolmentStatus.ACTIVE, EnrolmentStatus.PENDING)).desc(), Enrolment.id.desc()
            )
        ).scalars()
    )


def mentor_history(user_id: int, course_version_id: int | None = None, limit: int = 50) -> list[MentorExchange]:
    stmt = sa.select(MentorExchange).where(MentorExchange.user_id == user_id)
    if course_version_id is not None:
        stmt = stmt.where(MentorExchange.course_version_id == course_version_id)
    return list(db.session.execute(stmt.order_by(MentorExchange.id.desc()).limit(limit)).scalars())


def mentor_review_page(
    *, grounded: str = "", review: str = "", course_id: int | None = None, page: int = 1, per_page: int = 30
) -> Any:
    stmt = sa.select(MentorExchange)
    if grounded in ("yes", "no"):
        stmt = stmt.where(MentorExchange.grounded.is_(grounded == "yes"))
    if review in {r.value for r in MentorReview}:
        stmt = stmt.where(MentorExchange.review == MentorReview(review))
    if course_id:
        stmt = stmt.join(CourseVersion, MentorExchange.course_version_id == CourseVersion.id).where(
            CourseVersion.course_id == course_id
        )
    return db.paginate(stmt.order_by(MentorExchange.id.desc()), page=page, per_page=per_page, error_out=False)


def mentor_counts() -> dict[str, int]:
    total = db.session.execute(sa.select(sa.func.count()).select_from(MentorExchange)).scalar() or 0
    unreviewed = (
        db.session.execute(
            sa.select(sa.func.count())
            .select_from(MentorExchange)
            .where(MentorExchange.review == MentorReview.UNREVIEWED)
        ).scalar()
        or 0
    )
    refused = (
        db.session.execute(
            sa.select(sa.func.count()).select_from(MentorExchange).where(MentorExchange.grounded.is_(False))
        ).scalar()
        or 0
    )
    return {"total": total, "unreviewed": unreviewed, "refused": refused}


def all_courses() -> list[Course]:
    return list(
        db.session.execute(
            sa.select(Course)
            .join(CertificationTrack, Course.track_id == CertificationTrack.id)
            .order_by(CertificationTrack.position, Course.code)
        ).scalars()
    )


def draft_count() -> int:
    return (
        db.session.execute(
            sa.select(sa.func.count())
            .select_from(CourseVersion)
            .where(CourseVersion.status == CourseVersionStatus.DRAFT)
        ).scalar()
        or 0
    )


def version_enrolments(course_version_id: int) -> list[Enrolment]:
    return list(
        db.session.execute(
            sa.select(Enrolment).where(Enrolment.course_version_id == course_version_id).order_by(Enrolment.id.desc())
        ).scalars()
    )


def pending_lab_count(stmt: sa.Select) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar() or 0


def latest_lab_statuses(enrolment_id: int) -> dict[int, LabStatus]:
    rows = db.session.execute(
        sa.select(LabSubmission.lesson_id, LabSubmission.status)
        .where(LabSubmission.enrolment_id == enrolment_id)
        .order_by(LabSubmission.number)
    ).all()
    return {lesson_id: status for lesson_id, status in rows}
