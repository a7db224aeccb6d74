"""Your own classes: list, get, create, update, schedule meetings, price, staff, publish, cancel.

Every rule is the partners domain's (``lms.partners.services.classes``); another partner's class is
a 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import abort, g

from lms.accounts.models import Organisation, User
from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.resources.catalog import PriceSchema
from lms.api.resources.schedule import prices_data
from lms.api.schemas import DAY_RANGE, NO_NUL, UTCDateTime
from lms.api.scopes import Scope
from lms.core.errors import DomainError
from lms.core.security import current_partner_id, get_scoped_or_404, scoped
from lms.courses.models import CourseVersion
from lms.extensions import db
from lms.partners.models import ClassFormat, ClassMeeting, ClassStaffRole, ClassStatus, TrainingClass
from lms.partners.services import classes as service
from lms.partners.services import seats

blp = ResourceBlueprint(
    "classes",
    __name__,
    tag="Classes",
    description="Instructor-led classes your organisation delivers: scheduling, prices, publishing, cancelling.",
)

CLASS_LANGUAGE = ma.validate.OneOf(sorted(set(service.CLASS_LANGUAGES)))
HOURS = ma.validate.Range(min=0, max=24 * 60)


class MeetingSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    starts_at = UTCDateTime(required=True)
    ends_at = UTCDateTime(required=True)
    title = ma.fields.String(required=True, allow_none=True)


class StaffSchema(ma.Schema):
    user_id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)
    role = ma.fields.String(required=True, metadata={"enum": [r.value for r in ClassStaffRole]})


class AvailabilitySchema(ma.Schema):
    capacity = ma.fields.Integer(required=True)
    confirmed = ma.fields.Integer(required=True, metadata={"description": "Confirmed seats."})
    held = ma.fields.Integer(required=True, metadata={"description": "Seats held in checkouts and offers."})
    allotted = ma.fields.Integer(required=True, metadata={"description": "Unused seats of resellers' allotments."})
    available = ma.fields.Integer(required=True)


class ClassSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in ClassStatus]})
    course_id = ma.fields.Integer(required=True)
    course_version_id = ma.fields.Integer(required=True)
    language = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    capacity = ma.fields.Integer(required=True)
    format = ma.fields.String(required=True, metadata={"enum": [f.value for f in ClassFormat]})
    meeting_url = ma.fields.String(required=True, allow_none=True)
    venue = ma.fields.String(required=True, allow_none=True)
    city = ma.fields.String(required=True, allow_none=True)
    country = ma.fields.String(required=True, allow_none=True)
    notes = ma.fields.String(required=True, allow_none=True)
    resale_allowed = ma.fields.Boolean(required=True)
    cancellation_cutoff_hours = ma.fields.Integer(required=True)
    transfer_cutoff_hours = ma.fields.Integer(required=True)
    starts_at = UTCDateTime(required=True, allow_none=True)
    ends_at = UTCDateTime(required=True, allow_none=True)
    published_at = UTCDateTime(required=True, allow_none=True)
    meetings = ma.fields.List(ma.fields.Nested(MeetingSchema), required=True)
    prices = ma.fields.List(ma.fields.Nested(PriceSchema), required=True)
    staff = ma.fields.List(ma.fields.Nested(StaffSchema), required=True)
    availability = ma.fields.Nested(AvailabilitySchema, required=True)
    publication_problems = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "What still stops a draft from being published, in the caller's language."},
    )


class ClassListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in ClassStatus]))


class ClassDetailsSchema(ma.Schema):
    language = ma.fields.String(validate=CLASS_LANGUAGE)
    timezone = ma.fields.String(
        validate=[ma.validate.Length(min=1, max=64), NO_NUL], metadata={"example": "Asia/Dubai"}
    )
    capacity = ma.fields.Integer(validate=ma.validate.Range(min=1, max=service.MAX_CAPACITY))
    format = ma.fields.String(validate=ma.validate.OneOf([f.value for f in ClassFormat]))
    meeting_url = ma.fields.String(allow_none=True, validate=[ma.validate.Length(max=500), NO_NUL])
    venue = ma.fields.String(allow_none=True, validate=[ma.validate.Length(max=300), NO_NUL])
    city = ma.fields.String(allow_none=True, validate=[ma.validate.Length(max=120), NO_NUL])
    country = ma.fields.String(allow_none=True, validate=ma.validate.Regexp(r"^[A-Za-z]{2}$"))
    notes = ma.fields.String(allow_none=True, validate=[ma.validate.Length(max=5000), NO_NUL])
    resale_allowed = ma.fields.Boolean()
    cancellation_cutoff_hours = ma.fields.Integer(validate=HOURS)
    transfer_cutoff_hours = ma.fields.Integer(validate=HOURS)


class ClassCreateSchema(ClassDetailsSchema):
    course_version_id = ma.fields.Integer(required=True, validate=ID_RANGE)
    language = ma.fields.String(required=True, validate=CLASS_LANGUAGE)
    timezone = ma.fields.String(
        required=True, validate=[ma.validate.Length(min=1, max=64), NO_NUL], metadata={"example": "Asia/Dubai"}
    )
    capacity = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=service.MAX_CAPACITY))


class MeetingCreateSchema(ma.Schema):
    day = ma.fields.Date(
        required=True, validate=DAY_RANGE, metadata={"description": "The day, in the class's time zone."}
    )
    start = ma.fields.Time(required=True, metadata={"description": "Local start time, HH:MM."})
    end = ma.fields.Time(required=True, metadata={"description": "Local end time, HH:MM."})
    title = ma.fields.String(validate=[ma.validate.Length(max=200), NO_NUL])


class PriceSetSchema(ma.Schema):
    currency = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Z]{3}$"))
    list_amount = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=10**9))
    academic_amount = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0, max=10**9))
    association_amount = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=0, max=10**9))


class StaffAddSchema(ma.Schema):
    email = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(min=1, max=254), NO_NUL],
        metadata={"description": "A member of your organisation holding the role (instructor, proctor or manager)."},
    )
    role = ma.fields.String(required=True, validate=ma.validate.OneOf([r.value for r in ClassStaffRole]))


class CancelSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=300), NO_NUL])


def actor_id() -> int | None:
    """The person the key acts for in the audit trail: the partner admin who created it."""
    return g.api_caller.api_key.created_by_id


def own_class(class_id: int) -> TrainingClass:
    return get_scoped_or_404(TrainingClass, class_id)


def class_data(tc: TrainingClass) -> dict[str, Any]:
    version = db.session.get(CourseVersion, tc.course_version_id)
    availability = seats.availability(tc.id)
    return {
        "id": tc.id,
        "status": tc.status.value,
        "course_id": version.course_id if version else None,
        "course_version_id": tc.course_version_id,
        "language": tc.language,
        "timezone": tc.timezone,
        "capacity": tc.capacity,
        "format": tc.format.value,
        "meeting_url": tc.meeting_url,
        "venue": tc.venue,
        "city": tc.city,
        "country": tc.country,
        "notes": tc.notes,
        "resale_allowed": tc.resale_allowed,
        "cancellation_cutoff_hours": tc.cancellation_cutoff_hours,
        "transfer_cutoff_hours": tc.transfer_cutoff_hours,
        "starts_at": tc.starts_at,
        "ends_at": tc.ends_at,
        "published_at": tc.published_at,
        "meetings": [
            {"id": m.id, "starts_at": m.starts_at, "ends_at": m.ends_at, "title": m.title} for m in tc.meetings
        ],
        "prices": prices_data(tc.prices),
        "staff": [{"user_id": s.user_id, "display_name": s.user.display_name, "role": s.role.value} for s in tc.staff],
        "availability": {
            "capacity": availability.capacity,
            "confirmed": availability.confirmed,
            "held": availability.held,
            "allotted": availability.allotted,
            "available": availability.available,
        },
        "publication_problems": service.publication_problems(tc) if tc.status == ClassStatus.DRAFT else [],
    }


def _details(body: dict[str, Any]) -> dict[str, Any]:
    if "format" in body:
        body["format"] = ClassFormat(body["format"])
    if body.get("country"):
        body["country"] = body["country"].upper()
    return body


@blp.route("/classes")
@api_view(scope=Scope.SCHEDULE_READ)
@blp.arguments(ClassListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(ClassSchema, "ClassPage"))
def list_classes(limit: int, cursor: str | None, status: str | None = None) -> dict[str, Any]:
    """List your classes

    Every class your organisation delivers (drafts too), oldest first.
    """
    stmt = scoped(TrainingClass)
    if status is not None:
        stmt = stmt.where(TrainingClass.status == ClassStatus(status))
    page = paginate(stmt, (TrainingClass.id,), limit=limit, cursor=cursor, key_of=lambda tc: (tc.id,))
    return {"data": [class_data(tc) for tc in page.items], "next_cursor": page.next_cursor}


@blp.route("/classes/<id:class_id>")
@api_view(scope=Scope.SCHEDULE_READ)
@blp.response(200, ClassSchema)
def get_class(class_id: int) -> dict[str, Any]:
    """Get one of your classes"""
    return class_data(own_class(class_id))


@blp.route("/classes", methods=["POST"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.arguments(ClassCreateSchema)
@blp.response(201, ClassSchema)
def create_class(body: dict[str, Any]) -> dict[str, Any]:
    """Create a class

    A draft class of a published course version offered instructor-led. Add meetings, a price and
    an instructor, then publish it. City and country default to your organisation's.
    """
    partner = db.session.get(Organisation, current_partner_id())
    training_class = service.create_class(partner, actor_id=actor_id(), **_details(body))
    return class_data(training_class)


@blp.route("/classes/<id:class_id>", methods=["PATCH"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.arguments(ClassDetailsSchema)
@blp.response(200, ClassSchema)
def update_class(changes: dict[str, Any], class_id: int) -> dict[str, Any]:
    """Update a class

    Change the details of a draft or published class. Capacity cannot drop below the seats already
    sold, held or reserved; the time zone changes only while the class has no meetings.
    """
    training_class = own_class(class_id)
    if changes:
        service.update_class(training_class, actor_id=actor_id(), **_details(changes))
    return class_data(training_class)


@blp.route("/classes/<id:class_id>/meetings", methods=["POST"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.arguments(MeetingCreateSchema)
@blp.response(201, ClassSchema)
def add_meeting(body: dict[str, Any], class_id: int) -> dict[str, Any]:
    """Add a meeting to a class

    Day and times are local to the class's time zone; the answer shows them in UTC.
    """
    training_class = own_class(class_id)
    service.add_meeting(training_class, actor_id=actor_id(), **body)
    return class_data(training_class)


@blp.route("/classes/<id:class_id>/meetings/<id:meeting_id>", methods=["DELETE"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.response(200, ClassSchema)
def remove_meeting(class_id: int, meeting_id: int) -> dict[str, Any]:
    """Remove a meeting from a class"""
    training_class = own_class(class_id)
    meeting = db.session.execute(
        sa.select(ClassMeeting).where(ClassMeeting.id == meeting_id, ClassMeeting.class_id == training_class.id)
    ).scalar_one_or_none()
    if meeting is None:
        abort(404)
    service.remove_meeting(training_class, meeting, actor_id=actor_id())
    return class_data(training_class)


@blp.route("/classes/<id:class_id>/prices", methods=["POST"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.arguments(PriceSetSchema)
@blp.response(200, ClassSchema)
def set_price(body: dict[str, Any], class_id: int) -> dict[str, Any]:
    """Set a seat price

    The price of one seat in one currency, in minor units (replaces that currency's price).
    """
    training_class = own_class(class_id)
    service.set_price(training_class, actor_id=actor_id(), **body)
    return class_data(training_class)


@blp.route("/classes/<id:class_id>/staff", methods=["POST"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.arguments(StaffAddSchema)
@blp.response(200, ClassSchema)
def add_staff(body: dict[str, Any], class_id: int) -> dict[str, Any]:
    """Name an instructor or proctor"""
    training_class = own_class(class_id)
    role = ClassStaffRole(body["role"])
    email = body["email"].strip().lower()
    member = next(
        (u for u in service.eligible_staff(training_class.partner_id, role) if u.email.lower() == email), None
    )
    # Someone outside the organisation (or without the role) gets the service's own refusal, about `email`.
    user_id = member.id if isinstance(member, User) else 0
    try:
        service.add_staff(training_class, user_id=user_id, role=role, actor_id=actor_id())
    except DomainError as error:
        if error.field == "user_id":
            error.field = "email"
        raise
    return class_data(training_class)


@blp.route("/classes/<id:class_id>/publish", methods=["POST"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.response(200, ClassSchema)
def publish_class(class_id: int) -> dict[str, Any]:
    """Publish a class

    The class appears on the shared schedule and opens for booking. Refused with what is missing
    (meetings, a price, the link or venue, an instructor).
    """
    training_class = own_class(class_id)
    service.publish(training_class, actor_id=actor_id())
    return class_data(training_class)


@blp.route("/classes/<id:class_id>/cancel", methods=["POST"])
@api_view(scope=Scope.CLASSES_WRITE)
@blp.arguments(CancelSchema)
@blp.response(200, ClassSchema)
def cancel_class(body: dict[str, Any], class_id: int) -> dict[str, Any]:
    """Cancel a class

    Every seat is cancelled and refunded, holds, offers and allotments end, and learners are told.
    """
    training_class = own_class(class_id)
    service.cancel(training_class, actor_id=actor_id(), reason=body["reason"])
    return class_data(training_class)
