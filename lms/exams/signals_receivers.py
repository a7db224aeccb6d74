"""How exams react to other domains: seats and partner vouchers grant exam vouchers; the course page
lists the exam attempts a seat includes."""

from __future__ import annotations

from typing import Any

from flask_babel import ngettext

from lms.core import signals
from lms.courses.models import CourseVersion, Enrolment
from lms.exams.services import blueprints, vouchers
from lms.extensions import db


@signals.enrolment_created.connect
def grant_seat_vouchers(_sender: Any, *, enrolment_id: int, user_id: int, **_: Any) -> None:
    """Each seat includes the exam attempts its certification's blueprint grants (once per enrolment)."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        return
    track_id = enrolment.course_version.course.track_id
    count = blueprints.attempts_per_seat(track_id)
    if count > 0:
        vouchers.grant(
            user_id=user_id,
            track_id=track_id,
            origin_ref=f"enrolment:{enrolment_id}",
            count=count,
            partner_id=enrolment.partner_id,
        )


@signals.exam_voucher_redeemed.connect
def grant_partner_voucher(_sender: Any, *, user_id: int, track_id: int, origin_ref: str, **extra: Any) -> None:
    """A partner's exam voucher code was redeemed: one attempt (once per code)."""
    vouchers.grant(user_id=user_id, track_id=track_id, origin_ref=origin_ref, partner_id=extra.get("partner_id"))


@signals.seat_inclusions.connect
def exam_attempts_included(course_version: CourseVersion, **_: Any) -> list[str]:
    count = blueprints.attempts_per_seat(course_version.course.track_id)
    if count <= 0:
        return []
    return [ngettext("%(num)d exam attempt included", "%(num)d exam attempts included", count)]
