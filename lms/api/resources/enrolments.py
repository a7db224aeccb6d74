"""Enrolments of the key's partner: list, get, and bulk create (learners by e-mail)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import abort, g
from sqlalchemy.orm import joinedload, lazyload, load_only

from lms.accounts.models import User
from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.schemas import NO_NUL, ErrorDetailSchema, UTCDateTime
from lms.api.scopes import Scope
from lms.api.services import enrolments as service
from lms.core.i18n import LANGUAGES
from lms.core.security import current_partner_id
from lms.courses.models import CourseVersion, Enrolment, EnrolmentSource, EnrolmentStatus
from lms.extensions import db

blp = ResourceBlueprint(
    "enrolments",
    __name__,
    tag="Enrolments",
    description="Enrolments your organisation delivers or sold; bulk enrolment of learners by e-mail.",
)


class LearnerRefSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    email = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)


class EnrolmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    learner = ma.fields.Nested(LearnerRefSchema, required=True)
    course_id = ma.fields.Integer(required=True)
    course_version_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in EnrolmentStatus]})
    source = ma.fields.String(required=True, metadata={"enum": [s.value for s in EnrolmentSource]})
    partner_id = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "Delivering partner."})
    reseller_id = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "Partner that sold it."})
    class_id = ma.fields.Integer(required=True, allow_none=True)
    reference = ma.fields.String(required=True, allow_none=True, metadata={"description": "What created it."})
    started_at = UTCDateTime(required=True, allow_none=True)
    access_expires_at = UTCDateTime(required=True, allow_none=True)
    completed_at = UTCDateTime(required=True, allow_none=True)
    ended_at = UTCDateTime(required=True, allow_none=True)
    created_at = UTCDateTime(required=True)


class EnrolmentListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in EnrolmentStatus]))
    course_id = ma.fields.Integer(validate=ID_RANGE)
    learner_id = ma.fields.Integer(validate=ID_RANGE)


class BulkRowSchema(ma.Schema):
    email = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=254), NO_NUL])
    course_id = ma.fields.Integer(required=True, validate=ID_RANGE)
    legal_name = ma.fields.String(
        validate=[ma.validate.Length(max=200), NO_NUL],
        metadata={"description": "Name printed on certificates; needed to create a missing learner."},
    )
    display_name = ma.fields.String(validate=[ma.validate.Length(max=120), NO_NUL])
    locale = ma.fields.String(validate=ma.validate.OneOf(list(LANGUAGES)))
    timezone = ma.fields.String(validate=[ma.validate.Length(max=64), NO_NUL], metadata={"example": "Asia/Dubai"})
    reference = ma.fields.String(
        validate=[ma.validate.Length(max=70), NO_NUL],
        metadata={"description": "Your own reference (kept on the enrolment)."},
    )


class BulkEnrolSchema(ma.Schema):
    rows = ma.fields.List(
        ma.fields.Nested(BulkRowSchema), required=True, validate=ma.validate.Length(min=1, max=service.MAX_ROWS)
    )
    create_missing_learners = ma.fields.Boolean(
        load_default=True,
        metadata={"description": "Create an account (and send a welcome e-mail) for unknown e-mail addresses."},
    )


class BulkRowResultSchema(ma.Schema):
    row = ma.fields.Integer(required=True, metadata={"description": "Index of the row in the request (from 0)."})
    email = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": ["created", "existing", "failed"]})
    learner_created = ma.fields.Boolean(required=True)
    enrolment = ma.fields.Nested(EnrolmentSchema, required=True, allow_none=True)
    error = ma.fields.Nested(ErrorDetailSchema, required=True, allow_none=True)


class BulkSummarySchema(ma.Schema):
    created = ma.fields.Integer(required=True)
    existing = ma.fields.Integer(required=True)
    failed = ma.fields.Integer(required=True)


class BulkEnrolResultSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(BulkRowResultSchema), required=True)
    summary = ma.fields.Nested(BulkSummarySchema, required=True)


def enrolment_data(enrolment: Enrolment, learner: Any) -> dict[str, Any]:
    return {
        "id": enrolment.id,
        "learner": {"id": learner.id, "email": learner.email, "display_name": learner.display_name},
        "course_id": enrolment.course_version.course_id,
        "course_version_id": enrolment.course_version_id,
        "status": enrolment.status.value,
        "source": enrolment.source.value,
        "partner_id": enrolment.partner_id,
        "reseller_id": enrolment.reseller_id,
        "class_id": enrolment.class_id,
        "reference": enrolment.origin_ref,
        "started_at": enrolment.started_at,
        "access_expires_at": enrolment.access_expires_at,
        "completed_at": enrolment.completed_at,
        "ended_at": enrolment.ended_at,
        "created_at": enrolment.created_at,
    }


def _learners(enrolments: list[Enrolment]) -> dict[int, Any]:
    """The learners of these enrolments (only the columns shown: no memberships loaded)."""
    ids = {e.user_id for e in enrolments}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.email, User.display_name).where(User.id.in_(ids)))
    return {row.id: row for row in rows}


def with_course_version() -> Any:
    """Load the version's course id with the enrolment, not its prices or texts."""
    return joinedload(Enrolment.course_version).options(
        load_only(CourseVersion.id, CourseVersion.course_id), lazyload(CourseVersion.prices)
    )


def enrolment_page_data(enrolments: list[Enrolment]) -> list[dict[str, Any]]:
    learners = _learners(enrolments)
    return [enrolment_data(e, learners[e.user_id]) for e in enrolments]


@blp.route("/enrolments")
@api_view(scope=Scope.ENROLMENTS_READ)
@blp.arguments(EnrolmentListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(EnrolmentSchema, "EnrolmentPage"))
def list_enrolments(
    limit: int,
    cursor: str | None,
    status: str | None = None,
    course_id: int | None = None,
    learner_id: int | None = None,
) -> dict[str, Any]:
    """List enrolments

    Enrolments your organisation delivers or sold, oldest first, with each learner's progress
    (status, start, completion, access expiry).
    """
    stmt = service.enrolments_of(current_partner_id()).options(with_course_version())
    if status is not None:
        stmt = stmt.where(Enrolment.status == EnrolmentStatus(status))
    if course_id is not None:
        stmt = stmt.where(
            Enrolment.course_version_id.in_(sa.select(CourseVersion.id).where(CourseVersion.course_id == course_id))
        )
    if learner_id is not None:
        stmt = stmt.where(Enrolment.user_id == learner_id)
    page = paginate(stmt, (Enrolment.id,), limit=limit, cursor=cursor, key_of=lambda e: (e.id,))
    return {"data": enrolment_page_data(page.items), "next_cursor": page.next_cursor}


@blp.route("/enrolments/<id:enrolment_id>")
@api_view(scope=Scope.ENROLMENTS_READ)
@blp.response(200, EnrolmentSchema)
def get_enrolment(enrolment_id: int) -> dict[str, Any]:
    """Get an enrolment"""
    enrolment = db.session.execute(
        service.enrolments_of(current_partner_id()).where(Enrolment.id == enrolment_id)
    ).scalar_one_or_none()
    if enrolment is None:
        abort(404)
    return enrolment_page_data([enrolment])[0]


@blp.route("/enrolments/bulk", methods=["POST"])
@api_view(scope=Scope.ENROLMENTS_WRITE)
@blp.arguments(BulkEnrolSchema)
@blp.response(200, BulkEnrolResultSchema)
def bulk_enrol(body: dict[str, Any]) -> dict[str, Any]:
    """Enrol learners

    Enrols each row's learner (by e-mail) in the course's current version, delivered by your
    organisation. A learner without an account gets one (and a welcome e-mail to choose a password)
    unless `create_missing_learners` is false. Rows succeed or fail on their own: the answer has
    one result per row. Send an `Idempotency-Key` so a retry cannot enrol twice.
    """
    rows = [service.EnrolmentRequest(**row) for row in body["rows"]]
    results = service.bulk_enrol(
        current_partner_id(),
        rows,
        create_missing_learners=body["create_missing_learners"],
        api_key_id=g.api_caller.api_key.id,
    )
    enrolled = [r.enrolment for r in results if r.enrolment is not None]
    learners = _learners(enrolled)
    data = []
    for result in results:
        error = result.error
        data.append(
            {
                "row": result.index,
                "email": result.email,
                "status": result.status,
                "learner_created": result.learner_created,
                "enrolment": enrolment_data(result.enrolment, learners[result.enrolment.user_id])
                if result.enrolment is not None
                else None,
                "error": {
                    "code": _row_error_code(error),
                    "message": error.message,
                    "fields": {error.field: [error.message]} if error.field else {},
                }
                if error is not None
                else None,
            }
        )
    summary = {status: sum(r.status == status for r in results) for status in ("created", "existing", "failed")}
    return {"results": data, "summary": summary}


def _row_error_code(error: Exception) -> str:
    code = getattr(error, "code", None)
    return code if code and code != type(error).__name__ else "rejected"
