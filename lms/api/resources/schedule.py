"""The shared schedule: published, upcoming classes of every active partner, with the web view's filters."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma

from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.resources.catalog import LANGUAGE_CODE, PriceSchema, _locale
from lms.api.schemas import DAY_RANGE, NO_NUL, UTCDateTime, money
from lms.api.scopes import Scope
from lms.partners import queries
from lms.partners.models import ClassFormat, ClassPrice, TrainingClass

blp = ResourceBlueprint(
    "schedule",
    __name__,
    tag="Schedule",
    description="The network's shared schedule of instructor-led classes open for booking.",
)


class PartnerRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class ScheduleClassSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    partner = ma.fields.Nested(PartnerRefSchema, required=True, metadata={"description": "The delivering partner."})
    course_id = ma.fields.Integer(required=True)
    course_code = ma.fields.String(required=True)
    course_version_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True, metadata={"description": "In the caller's language."})
    track_id = ma.fields.Integer(required=True)
    track_code = ma.fields.String(required=True)
    language = ma.fields.String(required=True, metadata={"description": "The language the class is taught in."})
    timezone = ma.fields.String(required=True, metadata={"description": "The class's own time zone."})
    format = ma.fields.String(required=True, metadata={"enum": [f.value for f in ClassFormat]})
    city = ma.fields.String(required=True, allow_none=True)
    country = ma.fields.String(required=True, allow_none=True)
    starts_at = UTCDateTime(required=True, allow_none=True)
    ends_at = UTCDateTime(required=True, allow_none=True)
    capacity = ma.fields.Integer(required=True)
    seats_available = ma.fields.Integer(required=True)
    resale_allowed = ma.fields.Boolean(
        required=True, metadata={"description": "Other partners may hold seats of it or reserve allotments."}
    )
    prices = ma.fields.List(ma.fields.Nested(PriceSchema), required=True)


class ScheduleArgs(PageArgs):
    q = ma.fields.String(
        validate=[ma.validate.Length(max=100), NO_NUL], metadata={"description": "Words in title, code, city."}
    )
    course_id = ma.fields.Integer(validate=ID_RANGE)
    track = ma.fields.String(
        validate=ma.validate.Regexp(r"^[A-Za-z0-9]{1,8}$"), metadata={"description": "Track code, e.g. `DEV`."}
    )
    language = ma.fields.String(validate=LANGUAGE_CODE, metadata={"description": "Language the class is taught in."})
    date_from = ma.fields.Date(data_key="from", metadata={"description": "First day (UTC), YYYY-MM-DD."})
    date_to = ma.fields.Date(data_key="to", metadata={"description": "Last day (UTC), YYYY-MM-DD."})
    format = ma.fields.String(validate=ma.validate.OneOf([f.value for f in ClassFormat]))
    country = ma.fields.String(
        validate=ma.validate.Regexp(r"^[A-Za-z]{2}$"), metadata={"description": "Two-letter code, e.g. `AE`."}
    )
    city = ma.fields.String(validate=[ma.validate.Length(min=1, max=120), NO_NUL])
    available = ma.fields.Boolean(metadata={"description": "Only classes with seats left."})
    resale = ma.fields.Boolean(metadata={"description": "Only classes open to resale by other partners."})


def prices_data(prices: list[ClassPrice]) -> list[dict[str, Any]]:
    return [
        {
            "currency": p.currency,
            "list_price": money(p.list_amount, p.currency),
            "academic_price": money(p.academic_amount, p.currency),
            "association_price": money(p.association_amount, p.currency),
        }
        for p in prices
    ]


def schedule_row_data(row: queries.ScheduleRow, locale: str) -> dict[str, Any]:
    tc: TrainingClass = row.training_class
    return {
        "id": tc.id,
        "partner": {"id": row.partner.id, "name": row.partner.name},
        "course_id": row.course.id,
        "course_code": row.course.code,
        "course_version_id": row.version.id,
        "title": row.version.title(locale),
        "track_id": row.track.id,
        "track_code": row.track.code,
        "language": tc.language,
        "timezone": tc.timezone,
        "format": tc.format.value,
        "city": tc.city,
        "country": tc.country,
        "starts_at": tc.starts_at,
        "ends_at": tc.ends_at,
        "capacity": tc.capacity,
        "seats_available": row.availability.available,
        "resale_allowed": tc.resale_allowed,
        "prices": prices_data(tc.prices),
    }


def web_filter_args(args: dict[str, Any]) -> dict[str, str]:
    """The API's typed filters as the web schedule's query arguments (one parser for both)."""
    names = {"course_id": "course", "date_from": "from", "date_to": "to"}
    out: dict[str, str] = {}
    for name, value in args.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "1" if value else ""
        elif isinstance(value, date):
            # Days outside the range hold no classes; clamping keeps them convertible to UTC times.
            value = min(max(value, DAY_RANGE.min), DAY_RANGE.max).isoformat()
        out[names.get(name, name)] = str(value)
    return out


@blp.route("/schedule")
@api_view(scope=Scope.SCHEDULE_READ)
@blp.arguments(ScheduleArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(ScheduleClassSchema, "SchedulePage"))
def list_schedule(limit: int, cursor: str | None, **filters: Any) -> dict[str, Any]:
    """List the shared schedule

    Published classes that have not started yet, of every active partner, soonest first — the
    classes and filters of the web schedule. Dates are days in UTC.
    """
    parsed = queries.ScheduleFilters.from_args(web_filter_args(filters))
    page = paginate(
        queries.schedule_statement(parsed),
        (TrainingClass.starts_at, TrainingClass.id),
        limit=limit,
        cursor=cursor,
        key_of=lambda row: (row[0].starts_at, row[0].id),
        rows=True,
    )
    locale = _locale()
    return {
        "data": [schedule_row_data(row, locale) for row in queries.schedule_rows(page.items)],
        "next_cursor": page.next_cursor,
    }
