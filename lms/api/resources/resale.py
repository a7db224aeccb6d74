"""Allotments (seats you reserve in other partners' classes) and voucher codes — the partners services' rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import marshmallow as ma
from flask import abort

from lms.accounts.models import Organisation
from lms.api.framework import ID_RANGE, ResourceBlueprint, api_view
from lms.api.pagination import PageArgs, page_schema, paginate
from lms.api.resources.classes import actor_id
from lms.api.schemas import DAY_RANGE, NO_NUL, UTCDateTime
from lms.api.scopes import Scope
from lms.core.security import current_partner_id, get_scoped_or_404, scoped
from lms.core.time import utcnow
from lms.extensions import db
from lms.partners.models import (
    Allotment,
    AllotmentStatus,
    ClassStatus,
    TrainingClass,
    Voucher,
    VoucherBatch,
    VoucherKind,
)
from lms.partners.services import resale, seats, vouchers
from lms.partners.web import end_of_day_utc

blp = ResourceBlueprint(
    "resale",
    __name__,
    tag="Allotments and vouchers",
    description="Seats you reserve in other partners' classes, and voucher codes for your clients.",
)

VOUCHER_STATES = ["valid", "used", "expired", "revoked"]


class AllotmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    class_id = ma.fields.Integer(required=True)
    delivering_partner_id = ma.fields.Integer(required=True)
    quantity = ma.fields.Integer(required=True)
    remaining = ma.fields.Integer(required=True, metadata={"description": "Seats not yet confirmed or held."})
    status = ma.fields.String(required=True, metadata={"enum": [s.value for s in AllotmentStatus]})
    release_at = UTCDateTime(required=True, metadata={"description": "Unused seats return to public sale then."})
    released_at = UTCDateTime(required=True, allow_none=True)
    created_at = UTCDateTime(required=True)


class AllotmentCreateSchema(ma.Schema):
    quantity = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=500))
    release_on = ma.fields.Date(
        required=True,
        validate=DAY_RANGE,
        metadata={"description": "The last day (UTC) the seats stay reserved for you; before the class starts."},
    )


class AllotmentListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in AllotmentStatus]))
    class_id = ma.fields.Integer(validate=ID_RANGE)


class VoucherSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    batch_id = ma.fields.Integer(required=True)
    code = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"enum": VOUCHER_STATES})
    assigned_email = ma.fields.String(required=True, allow_none=True)
    max_uses = ma.fields.Integer(required=True)
    used_count = ma.fields.Integer(required=True)
    revoked_at = UTCDateTime(required=True, allow_none=True)


class VoucherBatchSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": [k.value for k in VoucherKind]})
    class_id = ma.fields.Integer(required=True, allow_none=True)
    course_version_id = ma.fields.Integer(required=True, allow_none=True)
    track_id = ma.fields.Integer(required=True, allow_none=True)
    client_id = ma.fields.Integer(required=True, allow_none=True)
    discount_bp = ma.fields.Integer(required=True, metadata={"description": "Basis points: 10000 is a free seat."})
    expires_at = UTCDateTime(required=True, allow_none=True)
    created_at = UTCDateTime(required=True)
    vouchers = ma.fields.List(ma.fields.Nested(VoucherSchema), required=True)


class VoucherBatchCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=120), NO_NUL])
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf([k.value for k in VoucherKind]))
    count = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=vouchers.MAX_BATCH))
    max_uses = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=10000))
    discount_bp = ma.fields.Integer(
        load_default=10000,
        validate=ma.validate.Range(min=1, max=10000),
        metadata={"description": "Seat vouchers: the discount in basis points (10000 = free)."},
    )
    class_id = ma.fields.Integer(validate=ID_RANGE, metadata={"description": "Seat vouchers: one of your classes."})
    course_version_id = ma.fields.Integer(validate=ID_RANGE, metadata={"description": "Seat vouchers: a course."})
    track_id = ma.fields.Integer(validate=ID_RANGE, metadata={"description": "Exam vouchers: the certification."})
    client_id = ma.fields.Integer(validate=ID_RANGE, metadata={"description": "One of your client organisations."})
    expires_on = ma.fields.Date(validate=DAY_RANGE, metadata={"description": "Last day (UTC) the codes work."})
    assigned_emails = ma.fields.List(
        ma.fields.String(validate=[ma.validate.Length(min=1, max=254), NO_NUL]),
        validate=ma.validate.Length(max=vouchers.MAX_BATCH),
        metadata={"description": "One single-use code per address, usable only by that person."},
    )


def allotment_data(allotment: Allotment, now: datetime) -> dict[str, Any]:
    return {
        "id": allotment.id,
        "class_id": allotment.class_id,
        "delivering_partner_id": allotment.delivering_partner_id,
        "quantity": allotment.quantity,
        "remaining": seats.allotment_remaining(allotment, now),
        "status": allotment.status.value,
        "release_at": allotment.release_at,
        "released_at": allotment.released_at,
        "created_at": allotment.created_at,
    }


def voucher_data(voucher: Voucher, now: datetime) -> dict[str, Any]:
    return {
        "id": voucher.id,
        "batch_id": voucher.batch_id,
        "code": voucher.code,
        "status": vouchers.status_of(voucher, now),
        "assigned_email": voucher.assigned_email,
        "max_uses": voucher.max_uses,
        "used_count": voucher.used_count,
        "revoked_at": voucher.revoked_at,
    }


def batch_data(batch: VoucherBatch) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": batch.id,
        "name": batch.name,
        "kind": batch.kind.value,
        "class_id": batch.class_id,
        "course_version_id": batch.course_version_id,
        "track_id": batch.track_id,
        "client_id": batch.client_id,
        "discount_bp": batch.discount_bp,
        "expires_at": batch.expires_at,
        "created_at": batch.created_at,
        "vouchers": [voucher_data(v, now) for v in batch.vouchers],
    }


# --- allotments --------------------------------------------------------------------------------------


@blp.route("/allotments")
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(AllotmentListArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(AllotmentSchema, "AllotmentPage"))
def list_allotments(
    limit: int, cursor: str | None, status: str | None = None, class_id: int | None = None
) -> dict[str, Any]:
    """List your allotments

    Blocks of seats you reserved in other partners' classes, oldest first, with the seats left.
    """
    stmt = scoped(Allotment)
    if status is not None:
        stmt = stmt.where(Allotment.status == AllotmentStatus(status))
    if class_id is not None:
        stmt = stmt.where(Allotment.class_id == class_id)
    page = paginate(stmt, (Allotment.id,), limit=limit, cursor=cursor, key_of=lambda a: (a.id,))
    now = utcnow()
    return {"data": [allotment_data(a, now) for a in page.items], "next_cursor": page.next_cursor}


@blp.route("/allotments/<id:allotment_id>")
@api_view(scope=Scope.SEATS_WRITE)
@blp.response(200, AllotmentSchema)
def get_allotment(allotment_id: int) -> dict[str, Any]:
    """Get an allotment"""
    return allotment_data(get_scoped_or_404(Allotment, allotment_id), utcnow())


@blp.route("/classes/<id:class_id>/allotments", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(AllotmentCreateSchema)
@blp.response(201, AllotmentSchema)
def reserve_allotment(body: dict[str, Any], class_id: int) -> dict[str, Any]:
    """Reserve an allotment

    Blocks seats for you in another partner's class open to resale until the end of `release_on`
    (UTC); hold and confirm them from the allotment, and unused seats return to public sale then.
    The class is also listed on your storefront.
    """
    training_class = db.session.get(TrainingClass, class_id)
    partner = db.session.get(Organisation, current_partner_id())
    if (
        training_class is None
        or training_class.partner_id == partner.id
        or not training_class.resale_allowed
        or training_class.status != ClassStatus.PUBLISHED
    ):
        abort(404)  # as on the web: only other partners' classes open to resale can be reserved
    allotment = resale.reserve_allotment(
        partner,
        training_class,
        quantity=body["quantity"],
        release_at=end_of_day_utc(body["release_on"], "UTC"),
        actor_id=actor_id(),
    )
    return allotment_data(allotment, utcnow())


@blp.route("/allotments/<id:allotment_id>/release", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.response(200, AllotmentSchema)
def release_allotment(allotment_id: int) -> dict[str, Any]:
    """Release an allotment early

    Its unused seats return to public sale now (and are offered to the class's waiting list).
    """
    allotment = get_scoped_or_404(Allotment, allotment_id)
    resale.release_allotment(allotment, actor_id=actor_id())
    return allotment_data(allotment, utcnow())


# --- vouchers ----------------------------------------------------------------------------------------


@blp.route("/voucher-batches")
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(PageArgs, location="query", as_kwargs=True)
@blp.response(200, page_schema(VoucherBatchSchema, "VoucherBatchPage"))
def list_voucher_batches(limit: int, cursor: str | None) -> dict[str, Any]:
    """List your voucher batches

    Each batch with its codes and their state (valid, used, expired, revoked), oldest first.
    """
    page = paginate(scoped(VoucherBatch), (VoucherBatch.id,), limit=limit, cursor=cursor, key_of=lambda b: (b.id,))
    return {"data": [batch_data(b) for b in page.items], "next_cursor": page.next_cursor}


@blp.route("/voucher-batches/<id:batch_id>")
@api_view(scope=Scope.SEATS_WRITE)
@blp.response(200, VoucherBatchSchema)
def get_voucher_batch(batch_id: int) -> dict[str, Any]:
    """Get a voucher batch"""
    return batch_data(get_scoped_or_404(VoucherBatch, batch_id))


@blp.route("/voucher-batches", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.arguments(VoucherBatchCreateSchema)
@blp.response(201, VoucherBatchSchema)
def create_voucher_batch(body: dict[str, Any]) -> dict[str, Any]:
    """Generate voucher codes

    Seat vouchers discount a seat in one of your classes or a course (up to a free seat); exam
    vouchers give an attempt at a certification exam. With `assigned_emails` each address gets its
    own single-use code. Send an `Idempotency-Key`: a retry then returns the same codes.
    """
    partner = db.session.get(Organisation, current_partner_id())
    batch = vouchers.generate_batch(
        partner,
        actor_id=actor_id(),
        name=body["name"],
        kind=VoucherKind(body["kind"]),
        count=body["count"],
        max_uses=body["max_uses"],
        discount_bp=body["discount_bp"],
        client_id=body.get("client_id"),
        class_id=body.get("class_id"),
        course_version_id=body.get("course_version_id"),
        track_id=body.get("track_id"),
        expires_at=end_of_day_utc(body.get("expires_on"), "UTC"),
        assigned_emails=body.get("assigned_emails"),
    )
    return batch_data(batch)


@blp.route("/vouchers/<id:voucher_id>/revoke", methods=["POST"])
@api_view(scope=Scope.SEATS_WRITE)
@blp.response(200, VoucherSchema)
def revoke_voucher(voucher_id: int) -> dict[str, Any]:
    """Revoke a voucher code

    The code stops working at once; redemptions already made stay.
    """
    voucher = get_scoped_or_404(Voucher, voucher_id)
    vouchers.revoke(voucher, actor_id=actor_id())
    return voucher_data(voucher, utcnow())
