"""Catalog: certification tracks and courses with their versions, prices, languages and delivery modes.

Public: anyone may read it; an API key sent along must hold ``catalog:read``.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import abort
from flask_babel import get_locale
from sqlalchemy.orm import selectinload

from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.schemas import MoneySchema, UTCDateTime, money
from lms.api.scopes import Scope
from lms.courses.models import CertificationTrack, Course, CourseVersion, CourseVersionStatus, DeliveryMode
from lms.extensions import db

blp = ResourceBlueprint(
    "catalog",
    __name__,
    tag="Catalog",
    description="Certification tracks and the courses that prepare for them (public).",
)

LANGUAGE_CODE = ma.validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class TrackSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True, metadata={"example": "DEV"})
    slug = ma.fields.String(required=True)
    name = ma.fields.String(required=True, metadata={"description": "In the caller's language."})
    names = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    summary = ma.fields.String(required=True)
    validity_months = ma.fields.Integer(required=True)
    requires_course_completion = ma.fields.Boolean(required=True)


class PriceSchema(ma.Schema):
    currency = ma.fields.String(required=True)
    list_price = ma.fields.Nested(MoneySchema, required=True)
    academic_price = ma.fields.Nested(MoneySchema, required=True, allow_none=True)
    association_price = ma.fields.Nested(MoneySchema, required=True, allow_none=True)


class VersionSummarySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    number = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["published", "retired"]})
    published_at = UTCDateTime(required=True, allow_none=True)


class CourseVersionSchema(VersionSummarySchema):
    title = ma.fields.String(required=True, metadata={"description": "In the caller's language."})
    titles = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    description = ma.fields.String(required=True)
    level = ma.fields.String(required=True)
    duration_hours = ma.fields.Integer(required=True)
    languages = ma.fields.List(ma.fields.String(), required=True)
    delivery_modes = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf([m.value for m in DeliveryMode])), required=True
    )
    access_days = ma.fields.Integer(required=True, metadata={"description": "Days of eLearning access."})
    prices = ma.fields.List(ma.fields.Nested(PriceSchema), required=True)


class CourseSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    slug = ma.fields.String(required=True)
    track_id = ma.fields.Integer(required=True)
    primary_language = ma.fields.String(required=True)
    current_version = ma.fields.Nested(CourseVersionSchema, required=True, allow_none=True)
    versions = ma.fields.List(ma.fields.Nested(VersionSummarySchema), required=True)


class TrackListArgs(PageArgs):
    pass


class CourseListArgs(PageArgs):
    track_id = ma.fields.Integer(validate=ID_RANGE, metadata={"description": "Only this track."})
    language = ma.fields.String(
        validate=LANGUAGE_CODE, metadata={"description": "Only courses taught in this language (e.g. `ar`)."}
    )
    delivery_mode = ma.fields.String(
        validate=ma.validate.OneOf([m.value for m in DeliveryMode]), metadata={"description": "Only this mode."}
    )


def _locale() -> str:
    return str(get_locale() or "en")


def track_data(track: CertificationTrack) -> dict[str, Any]:
    locale = _locale()
    return {
        "id": track.id,
        "code": track.code,
        "slug": track.slug,
        "name": track.name(locale),
        "names": dict(track.names or {}),
        "summary": track.summary(locale),
        "validity_months": track.validity_months,
        "requires_course_completion": track.requires_course_completion,
    }


def version_data(version: CourseVersion) -> dict[str, Any]:
    locale = _locale()
    return {
        "id": version.id,
        "number": version.number,
        "status": version.status.value,
        "published_at": version.published_at,
        "title": version.title(locale),
        "titles": dict(version.titles or {}),
        "description": version.description(locale),
        "level": version.level,
        "duration_hours": version.duration_hours,
        "languages": list(version.languages or []),
        "delivery_modes": list(version.delivery_modes or []),
        "access_days": version.access_days,
        "prices": [
            {
                "currency": price.currency,
                "list_price": money(price.list_amount, price.currency),
                "academic_price": money(price.academic_amount, price.currency),
                "association_price": money(price.association_amount, price.currency),
            }
            for price in sorted(version.prices, key=lambda p: p.currency)
        ],
    }


def course_data(course: Course) -> dict[str, Any]:
    current = course.current_version
    return {
        "id": course.id,
        "code": course.code,
        "slug": course.slug,
        "track_id": course.track_id,
        "primary_language": course.primary_language,
        "current_version": version_data(current) if current is not None else None,
        "versions": [
            {"id": v.id, "number": v.number, "status": v.status.value, "published_at": v.published_at}
            for v in course.versions
            if v.status != CourseVersionStatus.DRAFT
        ],
    }


def _listed_courses() -> sa.Select[Any]:
    """Active courses with a published version (drafts are not part of the public catalog)."""
    published = sa.exists().where(
        CourseVersion.course_id == Course.id, CourseVersion.status == CourseVersionStatus.PUBLISHED
    )
    return (
        sa.select(Course)
        .where(Course.is_active.is_(True), published)
        .options(selectinload(Course.versions).selectinload(CourseVersion.prices))
    )


@blp.route("/tracks")
@api_view(auth="public", scope=Scope.CATALOG_READ)
@blp.arguments(TrackListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(TrackSchema, "TrackPage"))
def list_tracks(limit: int, cursor: str | None) -> dict[str, Any]:
    """List certification tracks

    Ordered as the catalog shows them.
    """
    page = paginate(
        sa.select(CertificationTrack),
        (CertificationTrack.position, CertificationTrack.id),
        limit=limit,
        cursor=cursor,
        key_of=lambda t: (t.position, t.id),
    )
    return {"data": [track_data(t) for t in page.items], "next_cursor": page.next_cursor}


@blp.route("/tracks/<id:track_id>")
@api_view(auth="public", scope=Scope.CATALOG_READ)
@blp.response(200, TrackSchema)
def get_track(track_id: int) -> dict[str, Any]:
    """Get a certification track"""
    track = db.session.get(CertificationTrack, track_id)
    if track is None:
        abort(404)
    return track_data(track)


@blp.route("/courses")
@api_view(auth="public", scope=Scope.CATALOG_READ)
@blp.arguments(CourseListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(CourseSchema, "CoursePage"))
def list_courses(
    limit: int,
    cursor: str | None,
    track_id: int | None = None,
    language: str | None = None,
    delivery_mode: str | None = None,
) -> dict[str, Any]:
    """List courses

    Courses open in the catalog, each with its current version (titles, languages, delivery modes,
    prices in minor units per currency) and its earlier published versions.
    """
    stmt = _listed_courses()
    if track_id is not None:
        stmt = stmt.where(Course.track_id == track_id)

    def keep(course: Course) -> bool:
        current = course.current_version
        if current is None:
            return False
        if language is not None and language not in (current.languages or []):
            return False
        return delivery_mode is None or delivery_mode in (current.delivery_modes or [])

    filtered = language is not None or delivery_mode is not None
    page = paginate(
        stmt, (Course.id,), limit=limit, cursor=cursor, key_of=lambda c: (c.id,), keep=keep if filtered else None
    )
    return {"data": [course_data(c) for c in page.items], "next_cursor": page.next_cursor}


@blp.route("/courses/<id:course_id>")
@api_view(auth="public", scope=Scope.CATALOG_READ)
@blp.response(200, CourseSchema)
def get_course(course_id: int) -> dict[str, Any]:
    """Get a course"""
    course = db.session.execute(_listed_courses().where(Course.id == course_id)).scalar_one_or_none()
    if course is None:
        abort(404)
    return course_data(course)
